// A chart's data as CSV (RFC 4180), for "save the data". A UTF-8 BOM leads so
// Excel on a Chinese Windows opens the Chinese labels correctly.
//
// Formula injection (OWASP "CSV Injection"): a spreadsheet runs a text cell
// that starts with = + - or @ as a formula — `=HYPERLINK(…)` in a region or
// campaign name would become a live link — and some strip a leading tab or CR
// before looking. Such text cells get a leading single quote, which makes the
// spreadsheet keep them as text. Numbers are written as numbers, so a negative
// number stays a number; quoting (RFC 4180) does not help on its own: Excel
// evaluates "=1+1" in quotes too.

export interface CsvColumn {
  key: string;
  label: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet will not run as a formula. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : '';
  else if (typeof value === 'bigint') s = String(value); // DuckDB's integer sums and counts: a number too
  else s = neutraliseFormula(String(value));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly CsvColumn[], rows: readonly object[]): string {
  const lines = [columns.map((c) => cell(c.label)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell((r as Record<string, unknown>)[c.key])).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/** A file name from a title: letters, digits and CJK kept, the rest dashes. */
export function fileNameOf(title: string, ext: string): string {
  const base = title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 80) || 'chart';
  return `gridlens-${base}.${ext}`;
}
