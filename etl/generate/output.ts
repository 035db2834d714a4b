// Buffered, synchronous CSV output for the generator.
//
// Rows are appended as ready-made strings; a file's buffer is flushed with one
// writeSync when it passes FLUSH_AT characters, so memory stays bounded however
// many rows a run writes. Sync writes keep the generator a simple loop with no
// back-pressure to manage; it is a batch CLI, nothing else runs in its process.

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import iconv from 'iconv-lite';
import { splitCsvLine, type DefectInjector } from './dirty.ts';

const FLUSH_AT = 256 * 1024;

/** RFC 4180 quoting, only when needed. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  const s = typeof value === 'string' ? value : String(value);
  if (s === '') return '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return '"' + s.replace(/"/g, '""') + '"';
  }
  return s;
}

export function csvLine(values: readonly (string | number | boolean | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += csvField(values[i]);
  }
  return out + '\n';
}

export interface OutputFileStats {
  /** Path relative to the output folder, with forward slashes. */
  file: string;
  entity: string;
  /** Data rows written (header excluded), injected defect rows included. */
  rows: number;
  encoding: 'utf-8' | 'gbk';
}

export class OutputFile {
  readonly stats: OutputFileStats;
  private fd: number;
  private buffer = '';

  constructor(root: string, relative: string, entity: string, header: readonly string[], encoding: 'utf-8' | 'gbk' = 'utf-8') {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
    this.stats = { file: relative, entity, rows: 0, encoding };
    this.buffer = header.join(',') + '\n';
  }

  /** Set for `--dirty` runs: adds defect rows after some clean rows. */
  defects: DefectInjector | null = null;

  /** Append one clean data row (ending in \n), and a defect row after it when one is due. */
  row(text: string): void {
    this.line(text);
    if (this.defects !== null && this.defects.due()) this.line(this.defects.defectLine(splitCsvLine(text)));
  }

  /** Append one complete line (ending in \n). */
  private line(text: string): void {
    this.buffer += text;
    this.stats.rows++;
    if (this.buffer.length > FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const bytes = this.stats.encoding === 'gbk' ? iconv.encode(this.buffer, 'gbk') : Buffer.from(this.buffer, 'utf8');
    writeSync(this.fd, bytes);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Fixed-point text of a value held in thousandths (milli-kWh): 1234 → "1.234". */
const FRACTIONS: readonly string[] = Array.from({ length: 1000 }, (_, i) => '.' + String(i).padStart(3, '0'));
export function formatMilli(milli: number): string {
  const whole = Math.floor(milli / 1000);
  return whole + FRACTIONS[milli - whole * 1000];
}

/** Money in fen → "123.45" (negative allowed). */
export function formatFen(fen: number): string {
  const neg = fen < 0;
  const a = Math.abs(fen);
  const whole = Math.floor(a / 100);
  const f = a - whole * 100;
  return (neg ? '-' : '') + whole + '.' + (f < 10 ? '0' : '') + f;
}
