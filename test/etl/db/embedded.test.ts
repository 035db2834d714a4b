// The embedded server's lifecycle: start, stale lock, SIGKILLed owner (orphan),
// reuse of another live process's server, stop on exit/SIGTERM. Runs in the
// `service` project only: it manages its own servers in a temporary home.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../etl/db/connection.ts';
import { pidState, startEmbedded, stopAllEmbedded, stopServerAt, type EmbeddedServer } from '../../../etl/db/embedded.ts';
import { createLogger } from '../../../etl/log.ts';
import { freePort, newTempHome } from '../../setup/temp-home.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/hold-embedded.ts', import.meta.url));

let home: string;
let port: number;
const children: ChildProcess[] = [];
const events: Array<{ event: string; [k: string]: unknown }> = [];
const logger = createLogger({ level: 'debug', json: true, write: (l) => events.push(JSON.parse(l)) });

const start = () => startEmbedded({ home, port, logger });
const sawEvent = (event: string) => events.some((e) => e.event === event);

async function query<T extends pg.QueryResultRow>(server: EmbeddedServer, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Runs the fixture in a child `node --import tsx` (no tsx wrapper process, so child.pid is the owner). */
async function holder(...args: string[]): Promise<{ child: ChildProcess; postmasterPid: number; owned: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    cwd: REPO,
    env: { ...process.env, GRIDLENS_HOME: home, GRIDLENS_PG_PORT: String(port), GRIDLENS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`fixture exited (${code}) before ready: ${stderr}`)));
  });
  return { child, ...(JSON.parse(line) as { postmasterPid: number; owned: boolean }) };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

async function gone(pid: number, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pidState(pid) === 'running') {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** Postgres processes whose command line names this home (postmaster: `postgres -D <home>/pg`). */
function postgresFor(dir: string): string {
  const r = spawnSync('pgrep', ['-af', `${dir}/pg`], { encoding: 'utf8' });
  return r.stdout.trim();
}

beforeAll(async () => {
  home = await newTempHome('embedded-test');
  port = await freePort();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await Promise.all(children.map(exited));
  await stopAllEmbedded();
  await stopServerAt(home, logger);
  expect(postgresFor(home)).toBe('');
  await fs.rm(home, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('initialises, starts PostgreSQL 18 once per process, and stops', async () => {
    const first = start();
    expect(start()).toBe(first); // one start per process
    const server = await first;
    expect(server.owned).toBe(true);
    expect(sawEvent('embedded_pg_initdb')).toBe(true);
    const [{ version }] = await query<{ version: string }>(server, 'select version()');
    expect(version).toMatch(/^PostgreSQL 18\./);

    if (process.getuid?.() === 0) {
      // PostgreSQL refuses root: the data dir must belong to the `postgres` user.
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
      const st = await fs.stat(server.dataDir);
      expect(st.uid).toBe(uid);
      expect(st.mode & 0o777).toBe(0o700);
    }

    await server.stop();
    expect(pidState(server.postmasterPid)).toBe('gone');
    await expect(fs.stat(path.join(server.dataDir, 'postmaster.pid'))).rejects.toThrow();
  });

  it('recovers from a stale postmaster.pid left by a killed server', async () => {
    const dead = spawnSync('true').pid!; // a pid that has just exited
    expect(pidState(dead)).toBe('gone');
    const dataDir = path.join(home, 'pg');
    await fs.writeFile(path.join(dataDir, 'postmaster.pid'), `${dead}\n${dataDir}\n1700000000\n${port}\n\n127.0.0.1\n 0 0\nready   \n`);
    events.length = 0;

    const server = await start();
    expect(sawEvent('embedded_pg_stale_lock')).toBe(true);
    expect(sawEvent('embedded_pg_initdb')).toBe(false); // the cluster is reused, not re-created
    const [{ ok }] = await query<{ ok: number }>(server, 'select 1 as ok');
    expect(ok).toBe(1);
    await server.stop();
  });

  it('takes over the orphaned server of a SIGKILLed process, and the data survives', async () => {
    const { child, postmasterPid, owned } = await holder('--seed');
    expect(owned).toBe(true);
    child.kill('SIGKILL');
    await exited(child);
    expect(pidState(postmasterPid)).toBe('running'); // the orphan outlives its owner
    events.length = 0;

    const server = await start();
    expect(sawEvent('embedded_pg_orphan')).toBe(true);
    expect(server.owned).toBe(true);
    expect(server.postmasterPid).not.toBe(postmasterPid);
    expect(pidState(postmasterPid)).toBe('gone');
    expect(await query<{ x: number }>(server, 'select x from survivor')).toEqual([{ x: 42 }]);
    await server.stop();
  });

  it("reuses another live process's server without owning it; that process stops it on SIGTERM", async () => {
    const { child, postmasterPid } = await holder();
    const server = await start();
    expect(server.owned).toBe(false);
    expect(server.postmasterPid).toBe(postmasterPid);
    expect(await query<{ x: number }>(server, 'select x from survivor')).toEqual([{ x: 42 }]);
    await server.stop(); // not ours: must leave it running
    expect(pidState(postmasterPid)).toBe('running');

    child.kill('SIGTERM');
    await exited(child);
    expect(child.signalCode).toBe('SIGTERM'); // re-raised after the fast shutdown
    expect(await gone(postmasterPid)).toBe(true);
  });

  it('stops its server when the owning process exits normally', async () => {
    const { child, postmasterPid } = await holder('--exit');
    await exited(child);
    expect(child.exitCode).toBe(0);
    expect(await gone(postmasterPid)).toBe(true);
    expect(postgresFor(home)).toBe('');
    // and the next start is clean (no stale-lock or orphan recovery needed)
    events.length = 0;
    const server = await start();
    expect(events.filter((e) => e.level === 'warn')).toEqual([]);
    expect(readFileSync(path.join(server.dataDir, 'PG_VERSION'), 'utf8').trim()).toBe('18');
    await server.stop();
  });

  it('openDatabase without DATABASE_URL uses it, shared by handles, stopped with the last one', async () => {
    const config = { databaseUrl: undefined, home, pgPort: port, tz: 'Asia/Shanghai' };
    const a = await openDatabase(config, { logger });
    const b = await openDatabase(config, { logger });
    expect(a.embedded).toBe(true);
    expect(new URL(a.url).pathname).toBe('/gridlens');
    const [{ n }] = (await a.pool.query('select count(*) as n from pg_database where datname = current_database()')).rows;
    expect(n).toBe(1);
    const pid = (await startEmbedded({ home, port })).postmasterPid;
    await a.close();
    expect(pidState(pid)).toBe('running'); // b still uses it
    expect((await b.pool.query('select 1 as one')).rows[0].one).toBe(1);
    await b.close();
    expect(pidState(pid)).toBe('gone');
  });
});
