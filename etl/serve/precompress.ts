// Brotli and gzip variants written next to a file (`x.js.br`, `x.js.gz`),
// once: a variant newer than its source is kept. Written under a temporary
// name and renamed, so a request never reads half a variant. Compression
// runs in libuv's thread pool (zlib streams), not on the event loop.

import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { isCompressible } from './http-policy.ts';
import { faultPoint } from '../run/fault-point.ts';

export const VARIANTS = { br: '.br', gzip: '.gz' } as const;

/**
 * Brotli quality by size: 11 (best, slow) for small files, 9 for the big
 * build assets (the 34 MB DuckDB wasm: seconds instead of minutes), 5 for
 * very large extracts, which a nightly run must not spend minutes on.
 */
export function brotliQuality(size: number): number {
  if (size <= 1 << 20) return 11;
  if (size <= 64 << 20) return 9;
  return 5;
}

async function isFresh(variant: string, sourceMtimeMs: number): Promise<boolean> {
  try {
    return (await fs.stat(variant)).mtimeMs >= sourceMtimeMs;
  } catch {
    return false;
  }
}

/** Writes the missing or stale variants of `file`; returns how many were written. */
export async function precompressFile(file: string): Promise<number> {
  const st = await fs.stat(file);
  if (!st.isFile() || !isCompressible(file, st.size)) return 0;
  let written = 0;
  for (const [encoding, suffix] of Object.entries(VARIANTS)) {
    const target = file + suffix;
    if (await isFresh(target, st.mtimeMs)) continue;
    const tmp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const compressor =
      encoding === 'br'
        ? zlib.createBrotliCompress({
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality(st.size),
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: st.size,
              [zlib.constants.BROTLI_PARAM_MODE]: file.endsWith('.wasm') || file.endsWith('.arrow') ? zlib.constants.BROTLI_MODE_GENERIC : zlib.constants.BROTLI_MODE_TEXT,
            },
          })
        : zlib.createGzip({ level: st.size <= 64 << 20 ? 9 : 6 });
    try {
      await pipeline(createReadStream(file), compressor, createWriteStream(tmp, { mode: 0o644 }));
      await faultPoint('precompress:write'); // variant written under its temporary name
      await fs.rename(tmp, target);
      written++;
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }
  return written;
}

/** Precompresses every compressible file under `dir` (recursively, skipping dot folders and existing variants). */
export async function precompressTree(dir: string): Promise<{ files: number; written: number }> {
  let files = 0;
  let written = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const r = await precompressTree(p);
      files += r.files;
      written += r.written;
    } else if (entry.isFile() && !entry.name.endsWith('.br') && !entry.name.endsWith('.gz') && !entry.name.includes('.tmp-')) {
      const n = await precompressFile(p);
      if (n > 0) files++;
      written += n;
    }
  }
  return { files, written };
}
