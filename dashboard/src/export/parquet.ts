// A table as a Parquet file, written in the browser without a network.
//
// DuckDB-WASM 1.32 has no parquet extension built in and would download it
// (stack-notes.md), so `COPY … (FORMAT parquet)` is not an option offline.
// hyparquet-writer is a small pure-JavaScript writer (≈ 40 kB minified with its
// one dependency, snappy included; MIT), loaded only when a user exports.
// parquet-wasm would also work offline but ships a multi-megabyte wasm and
// wants Arrow input; for result tables of a few thousand to a million rows the
// JavaScript writer is fast enough and keeps the download small.
//
// Types are explicit (never guessed from the first values): integer columns are
// INT64, numbers DOUBLE, dates DATE, timestamps TIMESTAMP(MILLIS, not adjusted
// to UTC: DuckDB's TIMESTAMP is a wall time), booleans BOOLEAN, text UTF-8
// strings; every column is nullable. Text is written as it is: formula
// neutralising is for spreadsheets (CSV, XLSX), and Parquet readers are not.
// The title, filters, data as-of and export time go into the file's key-value
// metadata (gridlens.*).

import { epochMillis, exportValue, plainText, typedColumns, type ExportColumn, type ExportColumnType, type ExportMeta } from './columns.ts';

/** A parquet schema element, as hyparquet-writer takes it. */
interface SchemaElement {
  name: string;
  type?: 'BOOLEAN' | 'INT32' | 'INT64' | 'DOUBLE' | 'BYTE_ARRAY';
  repetition_type?: 'OPTIONAL' | 'REQUIRED';
  converted_type?: 'UTF8' | 'DATE';
  logical_type?: { type: 'DATE' } | { type: 'STRING' } | { type: 'TIMESTAMP'; isAdjustedToUTC: boolean; unit: 'MILLIS' };
  num_children?: number;
}

const DAY_MS = 86_400_000;

/** An integer column whose values are not all safe integers is written as DOUBLE rather than rounded. */
function parquetTypeOf(type: ExportColumnType, values: readonly unknown[]): ExportColumnType {
  if (type !== 'integer') return type;
  for (const v of values) {
    if (v === null || v === undefined || typeof v === 'bigint') continue;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) return 'number';
  }
  return 'integer';
}

function schemaElement(name: string, type: ExportColumnType): SchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' as const };
  switch (type) {
    case 'integer':
      return { ...optional, type: 'INT64' };
    case 'number':
      return { ...optional, type: 'DOUBLE' };
    case 'date':
      return { ...optional, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp':
      return { ...optional, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MILLIS' } };
    case 'boolean':
      return { ...optional, type: 'BOOLEAN' };
    default:
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  }
}

/** One column's values in the form the writer takes for its parquet type. */
function columnValues(values: readonly unknown[], type: ExportColumnType): unknown[] {
  switch (type) {
    case 'integer':
      return values.map((v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(Number(v))));
    case 'date':
      // Days since 1970-01-01 (the writer converts Date objects the same way).
      return values.map((v) => {
        const ms = epochMillis(v);
        return ms === null ? null : Math.floor(ms / DAY_MS);
      });
    case 'timestamp':
      return values.map((v) => {
        const ms = epochMillis(v);
        return ms === null ? null : BigInt(Math.round(ms));
      });
    case 'text':
      return values.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : plainText(v, 'text')));
    default:
      return values.map((v) => exportValue(v, type));
  }
}

/** Parquet column names must be unique and non-empty; DuckDB results can repeat one. */
function uniqueNames(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  return keys.map((k) => {
    let name = k || 'column';
    for (let i = 1; seen.has(name); i++) name = `${k || 'column'}_${i}`;
    seen.add(name);
    return name;
  });
}

export async function toParquet(columns: readonly ExportColumn[], rows: readonly object[], meta: ExportMeta): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const typed = typedColumns(columns, rows);
  const names = uniqueNames(typed.map((c) => c.key));
  const columnData = typed.map((c, i) => {
    const raw = rows.map((r) => (r as Record<string, unknown>)[c.key]);
    const type = parquetTypeOf(c.type, raw);
    return { name: names[i]!, type, data: columnValues(raw, type) };
  });
  const schema: SchemaElement[] = [{ name: 'root', num_children: columnData.length }, ...columnData.map((c) => schemaElement(c.name, c.type))];
  const buffer = parquetWriteBuffer({
    columnData: columnData.map((c) => ({ name: c.name, data: c.data })) as never,
    schema: schema as never,
    kvMetadata: [
      { key: 'gridlens.title', value: meta.title },
      { key: 'gridlens.filters', value: JSON.stringify(meta.filters) },
      { key: 'gridlens.data_as_of', value: meta.dataAsOf ?? '' },
      { key: 'gridlens.exported_at', value: meta.exportedAt.toISOString() },
      { key: 'gridlens.column_labels', value: JSON.stringify(Object.fromEntries(typed.map((c, i) => [names[i], c.label]))) },
    ],
    createdBy: 'Gridlens (hyparquet-writer)',
  });
  return new Uint8Array(buffer);
}
