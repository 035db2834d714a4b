// The file system side of serving: a route's real file (never outside its
// root, even through a symlink), its fresh precompressed variants, and a
// content ETag per served representation (hashed once, cached by size and
// mtime).

import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Encoding } from './http-policy.ts';
import { VARIANTS } from './precompress.ts';

export interface FoundFile {
  path: string;
  stat: Stats;
}

/** The real path of `relative` under `root` when it is a regular file inside root's real path; else null. */
export async function findFile(root: string, relative: string): Promise<FoundFile | null> {
  let rootReal: string;
  let real: string;
  try {
    rootReal = await fs.realpath(root);
    real = await fs.realpath(path.join(rootReal, relative));
  } catch {
    return null;
  }
  if (!real.startsWith(rootReal + path.sep)) return null;
  try {
    const stat = await fs.stat(real);
    return stat.isFile() ? { path: real, stat } : null;
  } catch {
    return null;
  }
}

/** Precompressed variants of `file` that exist and are at least as new as it. */
export async function freshVariants(file: FoundFile): Promise<Map<Encoding, FoundFile>> {
  const out = new Map<Encoding, FoundFile>();
  for (const [encoding, suffix] of Object.entries(VARIANTS) as [Encoding, string][]) {
    try {
      const stat = await fs.stat(file.path + suffix);
      if (stat.isFile() && stat.mtimeMs >= file.stat.mtimeMs) out.set(encoding, { path: file.path + suffix, stat });
    } catch {
      // no variant
    }
  }
  return out;
}

const etags = new Map<string, { size: number; mtimeMs: number; etag: Promise<string> }>();

/** Strong ETag of the file's bytes: the same content gives the same tag across rebuilds and restarts. */
export function etagOf(file: FoundFile): Promise<string> {
  const cached = etags.get(file.path);
  if (cached && cached.size === file.stat.size && cached.mtimeMs === file.stat.mtimeMs) return cached.etag;
  const etag = new Promise<string>((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file.path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(`"${h.digest('base64url').slice(0, 27)}"`));
  });
  etag.catch(() => etags.delete(file.path));
  etags.set(file.path, { size: file.stat.size, mtimeMs: file.stat.mtimeMs, etag });
  return etag;
}
