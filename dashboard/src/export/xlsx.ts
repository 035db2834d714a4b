// A table as an Excel workbook (exceljs, loaded only when a user exports: it
// is ≈ 1 MB of script, never part of the first view's bundle).
//
// Sheet 1 holds the data: a bold, frozen header row, then one row per record
// with typed cells — integers and decimals as numbers, dates as Excel dates
// (so sums, filters and pivot tables work without "convert to number"), text
// as text. Sheet 2 says what the data is: the title, the filters applied, the
// data's as-of date and when it was exported.
//
// Formula injection: exceljs writes a string as a string, but a user who
// edits such a cell (F2, Enter) turns "=HYPERLINK(…)" into a live formula, and
// other tools re-save it as CSV. Text cells get the same leading quote as in
// the CSV export (neutraliseFormula), headers and metadata included.

import type { ExportMeta } from './columns.ts';
import { neutraliseFormula } from './csv.ts';

export type { ExportMeta };

export type XlsxColumnType = 'text' | 'integer' | 'number' | 'date';

export interface XlsxColumn {
  key: string;
  label: string;
  /** Absent: taken from each value (number → number, Date → date, else text). */
  type?: XlsxColumnType;
}

/** Excel's last row is 1,048,576; one is the header. */
export const XLSX_MAX_ROWS = 1_048_575;

const LABELS = {
  en: { data: 'Data', about: 'About', title: 'Title', filters: 'Filters', none: 'none', dataAsOf: 'Data as of', exportedAt: 'Exported at', rows: 'Rows' },
  'zh-CN': { data: '数据', about: '说明', title: '标题', filters: '筛选条件', none: '无', dataAsOf: '数据截至', exportedAt: '导出时间', rows: '行数' },
} as const;

const DATE_FORMAT = 'yyyy-mm-dd';
const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

type CellValue = string | number | boolean | Date | null;

/** A date value from DuckDB or the views: a Date, epoch milliseconds, or 'YYYY-MM-DD[…]' text. */
export function asDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' || typeof value === 'bigint') {
    const d = new Date(Number(value));
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const s = String(value);
  // A bare date is a calendar day: midnight UTC, which exceljs writes as that day (its serial is UTC-based).
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

function asNumber(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value); // BigInt (DuckDB counts and sums) included
  return Number.isFinite(n) ? n : null;
}

/** The cell value written for `value` in a column of `type` (pure; exported for tests). */
export function xlsxCell(value: unknown, type: XlsxColumnType | undefined): CellValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'number':
      return asNumber(value);
    case 'date':
      return asDate(value);
    case 'text':
      return neutraliseFormula(String(value));
    default:
      if (typeof value === 'number') return Number.isFinite(value) ? value : null;
      if (typeof value === 'bigint') return Number(value);
      if (typeof value === 'boolean') return value;
      if (value instanceof Date) return asDate(value);
      return neutraliseFormula(String(value));
  }
}

function hasTime(d: Date): boolean {
  return d.getUTCHours() !== 0 || d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0 || d.getUTCMilliseconds() !== 0;
}

/**
 * 'YYYY-MM-DD HH:MM:SS UTC+hh:mm' of an instant in the exporting browser's
 * zone (the user's clock), offset included so it is unambiguous. Text, not an
 * Excel date: Excel dates carry no zone.
 */
export function localTimestamp(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = `UTC${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${zone}`;
}

interface ExcelJsModule {
  Workbook: new () => import('exceljs').Workbook;
}

/** exceljs is CommonJS: its exports arrive as the module or as its default, depending on the bundler. */
async function loadExcelJs(): Promise<ExcelJsModule> {
  const m = (await import('exceljs')) as unknown as ExcelJsModule & { default?: ExcelJsModule };
  return m.Workbook ? m : m.default!;
}

export async function toXlsx(
  columns: { key: string; label: string; type?: 'text' | 'integer' | 'number' | 'date' }[],
  rows: object[],
  meta: { title: string; filters: [string, string][]; dataAsOf: string | null; exportedAt: Date; locale?: 'en' | 'zh-CN' },
): Promise<Uint8Array> {
  if (rows.length > XLSX_MAX_ROWS) {
    throw new Error(`${rows.length} rows do not fit in one Excel sheet (at most ${XLSX_MAX_ROWS}): filter the data, or export CSV or Parquet instead.`);
  }
  const L = LABELS[meta.locale ?? 'en'];
  const { Workbook } = await loadExcelJs();
  const wb = new Workbook();
  wb.creator = 'Gridlens';
  wb.created = meta.exportedAt;

  const sheet = wb.addWorksheet(L.data, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({
    key: c.key,
    header: neutraliseFormula(c.label),
    width: Math.min(40, Math.max(10, c.label.length * (/[^\x00-\x7f]/.test(c.label) ? 2 : 1) + 2)),
    style: c.type === 'integer' ? { numFmt: '0' } : c.type === 'date' ? { numFmt: DATE_FORMAT } : {},
  }));
  sheet.getRow(1).font = { bold: true };

  for (const r of rows) {
    const record = r as Record<string, unknown>;
    const values: CellValue[] = columns.map((c) => xlsxCell(record[c.key], c.type));
    const row = sheet.addRow(values);
    // A date with a time of day (a timestamp) shows it; an untyped column's dates get a format too.
    values.forEach((v, i) => {
      if (v instanceof Date && (columns[i]!.type !== 'date' || hasTime(v))) row.getCell(i + 1).numFmt = hasTime(v) ? DATETIME_FORMAT : DATE_FORMAT;
    });
  }
  if (columns.length > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  const about = wb.addWorksheet(L.about);
  about.columns = [{ width: 18 }, { width: 60 }];
  about.addRow([L.title, neutraliseFormula(meta.title)]);
  about.addRow([L.dataAsOf, meta.dataAsOf ? asDate(meta.dataAsOf) ?? meta.dataAsOf : '']);
  if (meta.dataAsOf && asDate(meta.dataAsOf)) about.getCell(2, 2).numFmt = DATE_FORMAT;
  about.addRow([L.exportedAt, localTimestamp(meta.exportedAt)]);
  about.addRow([L.rows, rows.length]);
  about.addRow([]);
  about.addRow([L.filters]).font = { bold: true };
  if (meta.filters.length === 0) about.addRow([L.none]);
  for (const [name, value] of meta.filters) about.addRow([neutraliseFormula(name), neutraliseFormula(value)]);
  about.getColumn(1).font = { bold: true };

  const buffer = await wb.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
