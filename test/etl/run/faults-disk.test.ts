// The extracts folder failing under a run: the disk fills up while the
// extracts are written, or the folder cannot be written at all. The run fails
// (exit 1, a message that says where and what to do, the failure in the run
// log); the published version stays intact and the real server keeps serving
// it throughout; once the disk is fixed the next run publishes.
//
// How the faults are made for real:
// - As root (CI), the extracts folder is a 4 MB tmpfs mounted by the test:
//   "disk full" fills it with a file, "unwritable" remounts it read-only
//   (chmod does not stop root, so it would test nothing).
// - Not root: "unwritable" is chmod a-w; "disk full" cannot be made without
//   mounting and is skipped.

import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmdirSync, writeSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import {
  faultDatabase, faultPool, fileMonth, inboxUpTo, killLeftoverChildren, leftovers, newFaultDir, publishedState, runEtlCli, servedVersion, sleep, stackLines, watchServer,
  FAULT_FIXTURE, type ChildResult, type FaultDatabase,
} from './faults-helpers.ts';
import type pg from 'pg';

/** Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN): tried once, on a scratch folder. */
function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(os.tmpdir(), 'gridlens-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'gridlens-probe', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}

const TMPFS = canMountTmpfs();
const ROOT = process.getuid?.() === 0;

let dir: string;
let all: string;
let extracts: string;
let mounted = false;
let db: FaultDatabase;
let pool: pg.Pool;
let server: RunningServer;
let env: Record<string, string>;

const run = (inbox: string) => runEtlCli(['run', '--inbox', inbox], env);
const lastRun = async () => (await pool.query<{ status: string; error: string | null; data_as_of: string | null }>(
  'select status, error, data_as_of from ops.etl_run order by id desc limit 1')).rows[0]!;

/** A failed run as a person sees it: exit 1, "run N: failed", an error line naming the folder and the fix, no stack trace. */
function expectPublishFailure(r: ChildResult, cause: RegExp): string {
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.stdout).toMatch(/^run \d+: failed in [\d.]+s/m);
  const error = r.stdout.split('\n').find((l) => l.startsWith('error: '))!;
  expect(error).toContain(`cannot publish extracts in ${extracts}`);
  expect(error).toMatch(cause);
  expect(error).toContain('the previous version keeps serving');
  expect(stackLines(r.stdout + r.stderr)).toEqual([]);
  return error;
}

beforeAll(async () => {
  dir = newFaultDir('disk');
  extracts = join(dir, 'extracts');
  mkdirSync(extracts);
  if (TMPFS) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0755', 'gridlens-faults', extracts]);
    mounted = true;
  }
  all = generatedInbox(FAULT_FIXTURE);
  const months = [...new Set((await fs.readdir(join(all, 'usage'))).map(fileMonth))].sort();
  const before = inboxUpTo(all, months[months.length - 2]!, join(dir, 'inbox-before'));
  db = await faultDatabase('disk');
  pool = faultPool(db.url);
  env = { DATABASE_URL: db.url, GRIDLENS_HOME: join(dir, 'home'), GRIDLENS_EXTRACTS: extracts };
  const first = await run(before);
  expect(first.code, first.stderr).toBe(0);
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: join(dir, 'home'), extractsDir: extracts });
}, 300_000);

afterAll(async () => {
  killLeftoverChildren();
  await server?.close();
  await pool?.end();
  await db?.drop().catch(() => undefined);
  if (mounted) execFileSync('umount', ['-l', extracts]);
  else if (extracts) await fs.chmod(extracts, 0o755).catch(() => undefined);
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

/** Runs `work` while watching the server; returns what it served meanwhile. */
async function watched<T>(work: () => Promise<T>): Promise<{ result: T; versions: (string | null)[]; errors: string[] }> {
  const watch = watchServer(server.url);
  const result = await work();
  const seen = await watch.stop();
  return { result, versions: seen.versions, errors: seen.errors };
}

describe('the extracts folder fails under a run', () => {
  it.skipIf(!TMPFS)('disk full while extracts are written: the run fails, the published version stays intact and served', async () => {
    const live = publishedState(extracts);
    // Fill the disk but for a third of one version's size: the first extracts
    // fit, a later one meets ENOSPC part-way.
    const sizes = await Promise.all((await fs.readdir(join(extracts, 'current'))).map(async (f) => (await fs.stat(join(extracts, 'current', f))).size));
    const filler = join(extracts, 'filler');
    fillDisk(filler);
    await fs.truncate(filler, Math.max(0, (await fs.stat(filler)).size - Math.floor(sizes.reduce((a, b) => a + b, 0) / 3)));

    const { result, versions, errors } = await watched(() => run(all));
    expectPublishFailure(result, /ENOSPC: no space left on device/);
    expect(errors).toEqual([]);
    expect(versions).toEqual([live.version]);
    expect(await servedVersion(server.url)).toBe(live.version);
    expect(publishedState(extracts)).toEqual(live); // every file still matches its manifest
    expect(await leftovers(extracts)).toEqual([]); // the partial folder is removed
    const failed = await lastRun();
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/no space left on device/);

    await fs.rm(filler);
    const next = await run(all);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const published = await servedVersion(server.url);
    expect(published).not.toBe(live.version);
    // The failed run had refreshed the rollups: the next one still publishes the new month as of its last day.
    const ok = await lastRun();
    expect(ok.status).toBe('succeeded');
    expect(ok.data_as_of).toBe(lastDayOf(FAULT_FIXTURE.end));
    expect((publishedState(extracts).manifest as { data_as_of: string }).data_as_of).toBe(lastDayOf(FAULT_FIXTURE.end));
  }, 180_000);

  it.skipIf(ROOT && !TMPFS)('extracts folder not writable: the run fails, the published version stays intact and served', async () => {
    const live = publishedState(extracts);
    if (TMPFS) await remountReadOnly();
    else {
      await fs.chmod(join(extracts, 'versions'), 0o555);
      await fs.chmod(extracts, 0o555);
    }
    try {
      const { result, versions, errors } = await watched(() => run(all));
      expectPublishFailure(result, TMPFS ? /EROFS: read-only file system/ : /EACCES: permission denied/);
      expect(errors).toEqual([]);
      expect(versions).toEqual([live.version]);
      expect(publishedState(extracts)).toEqual(live);
      const failed = await lastRun();
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(TMPFS ? /read-only file system/ : /permission denied/);
    } finally {
      if (TMPFS) execFileSync('mount', ['-o', 'remount,rw', extracts]);
      else {
        await fs.chmod(extracts, 0o755);
        await fs.chmod(join(extracts, 'versions'), 0o755);
      }
    }
    const next = await run(all);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(await servedVersion(server.url)).not.toBe(live.version);
  }, 180_000);
});

/**
 * The server writes precompressed variants next to the extracts it serves, in
 * the background (etl/serve/precompress.ts); while one is being written the
 * remount is refused (EBUSY): try again until they are done.
 */
async function remountReadOnly(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('mount', ['-o', 'remount,ro', extracts], { stdio: 'pipe' });
      return;
    } catch (err) {
      if (attempt >= 50) throw new Error(`cannot remount ${extracts} read-only: ${(err as { stderr?: Buffer }).stderr?.toString() ?? err}`);
      await sleep(200);
    }
  }
}

/** Writes `file` until the file system is full (smaller and smaller writes, down to one byte). */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (let chunk = 1 << 16; chunk >= 1;) {
      try {
        writeSync(fd, Buffer.alloc(chunk, 0x5a));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        chunk >>= 1;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** 'YYYY-MM' → its last day, 'YYYY-MM-DD'. */
function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
}
