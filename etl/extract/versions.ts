// The extracts folder:
//
//   <extracts>/versions/<version>/   one complete publish (manifest.json + *.arrow)
//   <extracts>/versions/.partial-…   a publish being written (never served)
//   <extracts>/current → versions/<version>   relative symlink: what is live
//
// Switching `current` is atomic: a new symlink is made under a temporary name
// in <extracts>/ and rename(2)d over `current`. POSIX rename replaces the
// destination name in one step, so every reader that resolves `current` sees
// either the old version or the new one, never a missing or half-written
// link; the old version folder stays intact, so a reader that already
// resolved it keeps reading consistent files. The directory is fsynced after
// the rename so the switch survives a crash. (Linux/macOS; not Windows.)

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';

export const VERSIONS_DIR = 'versions';
export const CURRENT_LINK = 'current';
export const PARTIAL_PREFIX = '.partial-';
/** Temporary name of the new `current` link before the rename. */
const TEMP_LINK_PREFIX = '.current-';

const VERSION_RE = /^\d{8}T\d{6}Z-r[0-9A-Za-z_]+(-\d+)?$/;

/** `20261126T020000Z-r42`: UTC time of the publish to the second, then the run. Sorts by time. */
export function versionName(now: Date, runId: number | string): string {
  const run = String(runId);
  if (!/^[0-9A-Za-z_]+$/.test(run)) throw new Error(`run id ${JSON.stringify(run)} cannot be part of a folder name: use letters, digits, _`);
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  return `${stamp}-r${run}`;
}

export function isVersionName(name: string): boolean {
  return VERSION_RE.test(name);
}

/** Newest first: by time stamp, then run and retry suffix (numerically). */
export function compareVersionsDesc(a: string, b: string): number {
  return b.localeCompare(a, 'en', { numeric: true });
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The version `current` points to, or null when there is no `current`. */
export async function currentVersion(extractsDir: string): Promise<string | null> {
  let target: string;
  try {
    target = await fs.readlink(path.join(extractsDir, CURRENT_LINK));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EINVAL') {
      throw new Error(`${path.join(extractsDir, CURRENT_LINK)} is not a symbolic link: move it away; publishing makes it a link to versions/<version>.`);
    }
    throw err;
  }
  return path.basename(target);
}

/** Points `current` at versions/<version>, atomically (see the top of this file). */
export async function switchCurrent(extractsDir: string, version: string): Promise<void> {
  const tmp = path.join(extractsDir, `${TEMP_LINK_PREFIX}${process.pid}-${Date.now()}`);
  await fs.symlink(path.join(VERSIONS_DIR, version), tmp);
  try {
    await fs.rename(tmp, path.join(extractsDir, CURRENT_LINK));
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(extractsDir);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes versions beyond the newest `keep` (never the one `current` points
 * to), and partial folders and temporary links of publishes whose process is
 * gone. Returns the versions deleted.
 */
export async function pruneVersions(extractsDir: string, keep: number, logger?: Logger): Promise<string[]> {
  const versionsDir = path.join(extractsDir, VERSIONS_DIR);
  const live = await currentVersion(extractsDir);
  const entries = await fs.readdir(versionsDir);
  const versions = entries.filter(isVersionName).sort(compareVersionsDesc);
  const doomed = versions.slice(Math.max(1, Math.floor(keep))).filter((v) => v !== live);
  for (const v of doomed) {
    await fs.rm(path.join(versionsDir, v), { recursive: true, force: true });
    logger?.info('extract_version_pruned', { version: v });
  }
  for (const e of entries) {
    const m = e.startsWith(PARTIAL_PREFIX) ? /-p(\d+)$/.exec(e) : null;
    if (m && !pidAlive(Number(m[1]))) {
      await fs.rm(path.join(versionsDir, e), { recursive: true, force: true });
      logger?.info('extract_partial_removed', { folder: e });
    }
  }
  for (const e of await fs.readdir(extractsDir)) {
    const m = e.startsWith(TEMP_LINK_PREFIX) ? /^\.current-(\d+)-\d+$/.exec(e) : null;
    if (m && !pidAlive(Number(m[1]))) await fs.rm(path.join(extractsDir, e), { force: true });
  }
  return doomed;
}
