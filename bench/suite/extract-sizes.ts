// Scenario 4: what the extracts weigh. Per extract of the live version: rows,
// bytes raw and as the server sends them (its own brotli and gzip variants,
// written by the same code `npm start` runs after a publish), and in total;
// bytes per customer (the customer extract's row count is the customer count).

import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extractsFacts, precompressCurrent, readManifest } from '../browser/extracts.ts';

export interface ExtractSize {
  name: string;
  rows: number;
  bytes: number;
  brotli_bytes: number | null;
  gzip_bytes: number | null;
}

export interface ExtractSizes {
  version: string;
  customers: number | null;
  files: ExtractSize[];
  total: { rows: number; bytes: number; brotli_bytes: number; gzip_bytes: number };
  bytes_per_customer: { raw: number; brotli: number } | null;
}

/** Sums a file's variant sizes; a file the server sends as it is (not compressible) counts its raw size. */
export function totalsOf(files: readonly ExtractSize[]): ExtractSizes['total'] {
  return {
    rows: files.reduce((a, f) => a + f.rows, 0),
    bytes: files.reduce((a, f) => a + f.bytes, 0),
    brotli_bytes: files.reduce((a, f) => a + (f.brotli_bytes ?? f.bytes), 0),
    gzip_bytes: files.reduce((a, f) => a + (f.gzip_bytes ?? f.bytes), 0),
  };
}

export async function measureExtractSizes(extractsDir: string): Promise<ExtractSizes> {
  const manifest = readManifest(extractsDir);
  await precompressCurrent(extractsDir);
  const facts = extractsFacts(extractsDir, manifest);
  const dir = join(extractsDir, 'current');
  const variant = (file: string, suffix: string): number | null => (existsSync(join(dir, file + suffix)) ? statSync(join(dir, file + suffix)).size : null);
  const files = manifest.files.map((f) => {
    const bytes = statSync(join(dir, f.file)).size;
    if (bytes !== f.bytes) throw new Error(`${f.file}: ${bytes} bytes on disk, the manifest says ${f.bytes}`);
    return { name: f.name, rows: f.rows, bytes, brotli_bytes: variant(f.file, '.br'), gzip_bytes: variant(f.file, '.gz') };
  });
  const total = totalsOf(files);
  const customers = manifest.files.find((f) => f.name === 'customer')?.rows ?? null;
  return {
    version: facts.version,
    customers,
    files,
    total,
    bytes_per_customer: customers ? { raw: Math.round(total.bytes / customers), brotli: Math.round(total.brotli_bytes / customers) } : null,
  };
}
