// The one way every table of the dashboard is exported: a chart's data, the
// customer list, the workbench's results, audiences. Same columns, rows and
// metadata in; a file's bytes, name and MIME type out, for the format asked.
//
// The spreadsheet and Parquet writers are loaded only when asked for (dynamic
// import): exceljs alone is about 1 MB of script, and the first view's bundle
// is benchmarked. CSV needs nothing beyond csv.ts.

import { exportValue, plainText, typedColumns, type ExportColumn, type ExportMeta } from './columns.ts';
import { fileNameOf, toCsv } from './csv.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'parquet';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'parquet'];

export interface ExportFile {
  bytes: Uint8Array;
  fileName: string;
  mime: string;
}

export const MIME: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};

/**
 * CSV rows: dates and timestamps as 'YYYY-MM-DD[ HH:MM:SS]' text (DuckDB hands
 * them over as epoch milliseconds), nested values as JSON; everything else as
 * it is, for toCsv (numbers stay numbers, text is neutralised).
 */
function csvRows(columns: readonly Required<ExportColumn>[], rows: readonly object[]): object[] {
  const convert = columns.filter((c) => c.type === 'date' || c.type === 'timestamp');
  if (convert.length === 0 && !rows.some((r) => Object.values(r).some((v) => typeof v === 'object' && v !== null))) return rows as object[];
  return rows.map((r) => {
    const out: Record<string, unknown> = { ...(r as Record<string, unknown>) };
    for (const c of columns) {
      const v = out[c.key];
      if (c.type === 'date' || c.type === 'timestamp' || (typeof v === 'object' && v !== null)) out[c.key] = v === null || v === undefined ? v : plainText(v, c.type);
    }
    return out;
  });
}

export async function exportTable(format: ExportFormat, columns: readonly ExportColumn[], rows: readonly object[], meta: ExportMeta): Promise<ExportFile> {
  const typed = typedColumns(columns, rows);
  const fileName = fileNameOf(meta.title, format);
  switch (format) {
    case 'csv': {
      const text = toCsv(typed, csvRows(typed, rows));
      return { bytes: new TextEncoder().encode(text), fileName, mime: MIME.csv };
    }
    case 'xlsx': {
      const { toXlsx } = await import('./xlsx.ts');
      // XLSX's column types: a timestamp is a date with a time (shown with it); a boolean is left to its value.
      const cols = typed.map((c) => ({
        key: c.key,
        label: c.label,
        type: c.type === 'timestamp' ? ('date' as const) : c.type === 'boolean' ? undefined : c.type,
      }));
      const needsConversion = typed.some((c) => c.type === 'timestamp' || c.type === 'boolean');
      const xrows = needsConversion
        ? rows.map((r) => {
            const out: Record<string, unknown> = { ...(r as Record<string, unknown>) };
            for (const c of typed) if (c.type === 'timestamp' || c.type === 'boolean') out[c.key] = exportValue(out[c.key], c.type);
            return out;
          })
        : (rows as object[]);
      return { bytes: await toXlsx(cols, xrows, meta), fileName, mime: MIME.xlsx };
    }
    case 'parquet': {
      const { toParquet } = await import('./parquet.ts');
      return { bytes: await toParquet(typed, rows, meta), fileName, mime: MIME.parquet };
    }
  }
}
