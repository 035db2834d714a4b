// What the host says about an embedded data directory: processes (alive,
// zombie, postgres or not), postmaster.pid, the owner record, the start lock,
// and the OS user `postgres` that runs the server when we are root.
// Also: initdb-if-needed (ensureCluster). Used by embedded.ts, which holds the lifecycle.

import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log.ts';

const execFileAsync = promisify(execFile);

/** Major version of the bundled binaries; a data dir of another major cannot be started. */
export const EMBEDDED_MAJOR = '18';

// ---------------------------------------------------------------- processes

export type PidState = 'running' | 'gone';

/** A zombie (exited, not yet reaped: common for orphans in containers) counts as gone. */
export function pidState(pid: number): PidState {
  if (!Number.isInteger(pid) || pid <= 0) return 'gone';
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'running' : 'gone';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return 'gone';
  } catch {
    // no procfs (macOS): kill(0) is all we know
  }
  return 'running';
}

/** Guards against pid reuse: after a reboot the pid in postmaster.pid may be anything. */
export function isPostgresProcess(pid: number): boolean {
  if (!existsSync('/proc/self')) return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return false;
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pidState(pid) === 'running') {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

/** SIGINT = fast shutdown; SIGQUIT (immediate, crash-recovery on next start) if that hangs. */
export async function shutdownPostmaster(pid: number, logger: Logger): Promise<void> {
  if (pidState(pid) === 'gone') return;
  process.kill(pid, 'SIGINT');
  if (await waitGone(pid, 30_000)) return;
  logger.warn('embedded_pg_shutdown_slow', { pid, action: 'SIGQUIT' });
  process.kill(pid, 'SIGQUIT');
  if (!(await waitGone(pid, 10_000))) {
    throw new Error(`embedded PostgreSQL (pid ${pid}) did not stop; stop it by hand: kill -QUIT ${pid}`);
  }
}

// ------------------------------------------------------------- files on disk

export interface PostmasterPid {
  pid: number;
  port: number;
}

/** postmaster.pid: line 1 pid, line 4 port (PostgreSQL's documented layout). */
export async function readPostmasterPid(dataDir: string): Promise<PostmasterPid | null> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const lines = text.split('\n');
  return { pid: Number.parseInt(lines[0] ?? '', 10), port: Number.parseInt(lines[3] ?? '', 10) };
}

export interface OwnerRecord {
  pid: number;
  postmasterPid: number;
  port: number;
  startedAt: string;
}

export async function readOwner(file: string): Promise<OwnerRecord | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as OwnerRecord;
  } catch {
    return null;
  }
}

export async function withStartLock<T>(lockFile: string, logger: Logger, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  let waitLogged = false;
  for (;;) {
    try {
      const fh = await fs.open(lockFile, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const text = await fs.readFile(lockFile, 'utf8').catch(() => '');
      const holder = Number.parseInt(text, 10);
      const ageMs = await fs.stat(lockFile).then((s) => Date.now() - s.mtimeMs, () => 0);
      // Empty file: the holder is between open and write; stale only if old.
      const stale = text ? holder === process.pid || pidState(holder) === 'gone' : ageMs > 5_000;
      if (stale) {
        await fs.rm(lockFile, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${lockFile} held by pid ${holder}; if no gridlens process runs, delete the file`);
      }
      if (!waitLogged) logger.info('embedded_pg_start_wait', { holder, lockFile });
      waitLogged = true;
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockFile, { force: true });
  }
}

// ------------------------------------------------------------------ root

export interface Ids {
  uid: number;
  gid: number;
}

export async function postgresIds(logger: Logger): Promise<Ids | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const read = async (): Promise<Ids> => {
    const [u, g] = await Promise.all([execFileAsync('id', ['-u', 'postgres']), execFileAsync('id', ['-g', 'postgres'])]);
    return { uid: Number.parseInt(u.stdout, 10), gid: Number.parseInt(g.stdout, 10) };
  };
  try {
    return await read();
  } catch {
    logger.info('embedded_pg_create_os_user', { user: 'postgres' });
    await execFileAsync('groupadd', ['-f', 'postgres']);
    await execFileAsync('useradd', ['-g', 'postgres', 'postgres']);
    return read();
  }
}

/** The `postgres` user must be able to reach the data dir through every parent. */
export async function assertSearchable(dir: string, ids: Ids): Promise<void> {
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const s = await fs.stat(d);
    const ok =
      (s.mode & 0o001) !== 0 || (s.uid === ids.uid && (s.mode & 0o100) !== 0) || (s.gid === ids.gid && (s.mode & 0o010) !== 0);
    if (!ok) {
      throw new Error(
        `embedded PostgreSQL runs as OS user "postgres" (PostgreSQL refuses root) and cannot reach ${dir}: ` +
          `${d} is not searchable by that user (mode ${(s.mode & 0o777).toString(8)}). ` +
          `Set GRIDLENS_HOME to a directory under a world-searchable path, or run: chmod o+x ${d}`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

export async function chownTree(p: string, ids: Ids): Promise<void> {
  await fs.lchown(p, ids.uid, ids.gid);
  const s = await fs.lstat(p);
  if (!s.isDirectory()) return;
  for (const name of await fs.readdir(p)) await chownTree(path.join(p, name), ids);
}

// ---------------------------------------------------------------- cluster

/** initdb only when the data dir is not initialised; fix ownership when it is. */
export async function ensureCluster(
  home: string,
  dataDir: string,
  ids: Ids | undefined,
  logger: Logger,
  make: (dir: string) => { initialise(): Promise<void> },
): Promise<void> {
  // Leftovers of an initdb that was killed half-way (we hold the start lock: nobody else is initialising).
  for (const name of await fs.readdir(home)) {
    if (name.startsWith('pg.initdb-')) await fs.rm(path.join(home, name), { recursive: true, force: true });
  }
  const version = await fs.readFile(path.join(dataDir, 'PG_VERSION'), 'utf8').then((t) => t.trim(), () => null);
  if (version !== null) {
    if (version !== EMBEDDED_MAJOR) {
      throw new Error(
        `${dataDir} holds a PostgreSQL ${version} cluster but the embedded server is PostgreSQL ${EMBEDDED_MAJOR}; ` +
          `move that directory away (its data is not migrated automatically) or point GRIDLENS_HOME elsewhere`,
      );
    }
    if (ids) {
      const s = await fs.stat(dataDir);
      if (s.uid !== ids.uid || s.gid !== ids.gid) {
        logger.warn('embedded_pg_chown', { dataDir, from: s.uid, to: ids.uid });
        await chownTree(dataDir, ids);
      }
    }
    // PostgreSQL refuses a data dir readable by others.
    await fs.chmod(dataDir, 0o700);
    return;
  }
  const entries = await fs.readdir(dataDir).catch(() => null);
  if (entries && entries.length > 0) {
    throw new Error(`${dataDir} exists but is not a PostgreSQL data directory (no PG_VERSION); move it away and retry`);
  }
  // initdb into a temporary dir, then rename: a killed initdb never leaves a half-made `pg/`.
  const tmp = path.join(home, `pg.initdb-${process.pid}`);
  const t0 = Date.now();
  await make(tmp).initialise();
  if (entries) await fs.rmdir(dataDir);
  await fs.rename(tmp, dataDir);
  logger.info('embedded_pg_initdb', { dataDir, ms: Date.now() - t0 });
}
