// What the export formats share (pure): the columns of a table with their
// value types, the types of DuckDB result columns, and plain text of a value.
//
// DuckDB-WASM hands dates and timestamps to JavaScript as epoch milliseconds
// (numbers) and integer columns as doubles (castBigIntToDouble): a value alone
// does not say what it is. The column's type does, so every export takes it:
// a view knows its columns; the workbench asks DuckDB (DESCRIBE).

export type ExportColumnType = 'text' | 'integer' | 'number' | 'date' | 'timestamp' | 'boolean';

export interface ExportColumn {
  key: string;
  label: string;
  /** Absent: taken from the values (inferColumnType). */
  type?: ExportColumnType;
}

/** What an exported file says about its data (XLSX: the second sheet; Parquet: key-value metadata). */
export interface ExportMeta {
  title: string;
  /** Filters applied, as shown to the user: [name, value] pairs. */
  filters: [string, string][];
  /** The extracts' data as-of date ('YYYY-MM-DD'), null when unknown. */
  dataAsOf: string | null;
  exportedAt: Date;
  /** Language of labels written into the file (XLSX metadata sheet; default en). */
  locale?: 'en' | 'zh-CN';
}

/** The export type of a DuckDB column type name (DESCRIBE's column_type). */
export function columnTypeOfDuckDb(duckType: string): ExportColumnType {
  const t = duckType.trim().toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248]|LONG|SHORT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|FLOAT[48]|DECIMAL|NUMERIC)(\(.*\))?$/.test(t)) return 'number';
  if (t === 'DATE') return 'date';
  if (/^TIMESTAMP/.test(t) || t === 'DATETIME') return 'timestamp';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  return 'text';
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A type for values of unknown origin: numbers (integer or not), Dates, ISO days, booleans, else text. */
export function inferColumnType(values: readonly unknown[]): ExportColumnType {
  let type: ExportColumnType | null = null;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    let t: ExportColumnType;
    if (typeof v === 'bigint') t = 'integer';
    else if (typeof v === 'number') t = Number.isInteger(v) ? 'integer' : 'number';
    else if (typeof v === 'boolean') t = 'boolean';
    else if (v instanceof Date) t = 'timestamp';
    // ISO calendar days ('2026-01-01': the views' months and days) are dates.
    else if (typeof v === 'string' && ISO_DAY.test(v)) t = 'date';
    else return 'text';
    if (type === null || type === t) type = t;
    else if ((type === 'integer' && t === 'number') || (type === 'number' && t === 'integer')) type = 'number';
    else return 'text';
  }
  return type ?? 'text';
}

/** Every column with a type: given ones kept, the rest inferred from the rows. */
export function typedColumns(columns: readonly ExportColumn[], rows: readonly object[]): Required<ExportColumn>[] {
  return columns.map((c) => ({ ...c, type: c.type ?? inferColumnType(rows.map((r) => (r as Record<string, unknown>)[c.key])) }));
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A date or timestamp value (Date, epoch ms, BigInt or ISO text) as epoch milliseconds; null when it is none. */
export function epochMillis(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  const s = String(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

/** 'YYYY-MM-DD' of epoch ms (UTC: DuckDB's DATE arrives as midnight UTC). */
export function dateText(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** 'YYYY-MM-DD HH:MM:SS[.mmm]' of epoch ms, in UTC (DuckDB's wall time for TIMESTAMP). */
export function timestampText(ms: number): string {
  const d = new Date(ms);
  const frac = d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3)}` : '';
  return `${dateText(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}`;
}

/** JSON of a nested value (DuckDB lists and structs arrive as Arrow objects with toJSON); BigInt as a number. */
function nestedText(value: object): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A value as the plain, unlocalised text an export file and the workbench
 * grid's cells carry: numbers as JavaScript writes them, dates 'YYYY-MM-DD',
 * null as ''. Not neutralised: callers that write spreadsheets do that.
 */
export function plainText(value: unknown, type: ExportColumnType): string {
  if (value === null || value === undefined) return '';
  if (type === 'date' || type === 'timestamp') {
    const ms = epochMillis(value);
    if (ms === null) return String(value);
    return type === 'date' ? dateText(ms) : timestampText(ms);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean' || typeof value === 'string') return String(value);
  if (value instanceof Date) return timestampText(value.getTime());
  if (typeof value === 'object') return nestedText(value);
  return String(value);
}

/**
 * The value an export writes for a cell of a column of `type`: numbers for
 * integer and number columns (BigInt included), epoch ms → Date for dates and
 * timestamps, booleans, and plain text for anything else (nested values as JSON).
 */
export function exportValue(value: unknown, type: ExportColumnType): string | number | boolean | Date | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isFinite(n) ? n : null;
    }
    case 'date':
    case 'timestamp': {
      const ms = epochMillis(value);
      return ms === null ? null : new Date(ms);
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null;
    default:
      return typeof value === 'string' ? value : plainText(value, 'text');
  }
}
