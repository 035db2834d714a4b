// The inbox as a list of files to ingest (data contract: `<inbox>/<entity>/*.csv[.gz]`),
// their content hashes, and the effective date a customers file's name carries.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ENTITY_LOAD_ORDER, INBOX_FOLDERS, type EntityName } from '../contract/entities.ts';

export interface InboxFile {
  entity: EntityName;
  /** Path relative to the inbox, forward slashes: `usage/usage_2026-03.csv`. */
  file: string;
  /** Absolute path. */
  path: string;
  /** Size in bytes as stored (compressed for .gz). */
  bytes: number;
  gzip: boolean;
}

const CSV_NAME = /\.csv(\.gz)?$/i;

/**
 * Files to ingest: entities in ENTITY_LOAD_ORDER (customers first), files of an
 * entity in name order (code-unit order, the same on every machine). Only
 * regular files named *.csv or *.csv.gz (any letter case) count; hidden files
 * (leading dot: editor locks, macOS `._` companions) are ignored. A missing
 * entity folder is an empty one.
 */
export async function discoverInbox(inbox: string): Promise<InboxFile[]> {
  const files: InboxFile[] = [];
  for (const entity of ENTITY_LOAD_ORDER) {
    const folder = INBOX_FOLDERS[entity];
    const dir = path.join(inbox, folder);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const names = entries
      .filter((e) => !e.name.startsWith('.') && CSV_NAME.test(e.name) && (e.isFile() || e.isSymbolicLink()))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const full = path.join(dir, name);
      const stat = await fs.stat(full);
      if (!stat.isFile()) continue;
      files.push({ entity, file: `${folder}/${name}`, path: full, bytes: stat.size, gzip: /\.gz$/i.test(name) });
    }
  }
  return files;
}

/** sha256 (hex) of a file's bytes, streamed. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * The date a customers file's attribute changes take effect, from its name:
 * the first `YYYY-MM-DD` (that day) or `YYYY-MM` (the first of that month)
 * not embedded in a longer number; null when the name has none. The
 * generator writes `customers_2026-03.csv` ("changes take effect in the
 * file's month").
 */
export function effectiveDateFromName(name: string): string | null {
  const base = path.posix.basename(name.replace(/\\/g, '/'));
  const pattern = /(?<!\d)(\d{4})-(\d{2})(?:-(\d{2}))?(?!\d)/g;
  for (const m of base.matchAll(pattern)) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = m[3] === undefined ? 1 : Number(m[3]);
    if (y >= 1900 && isRealDate(y, mo, d)) return `${m[1]}-${m[2]}-${String(d).padStart(2, '0')}`;
  }
  return null;
}
