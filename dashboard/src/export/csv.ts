// A chart's data as CSV (RFC 4180), for "save the data". A UTF-8 BOM leads so
// Excel on a Chinese Windows opens the Chinese labels correctly.

export interface CsvColumn {
  key: string;
  label: string;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
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
