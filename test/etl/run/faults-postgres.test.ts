// PostgreSQL going away in the middle of a run, on servers this test owns
// (embedded PostgreSQL 18 in temporary homes on free ports; never the shared
// service):
// - the server stopped while a run is inside its rollup transaction: the run
//   retries, then fails with one clear line and exit code 1 (no stack trace);
//   after a restart the next run succeeds and converges;
// - the product's own embedded server (no DATABASE_URL) SIGKILLed mid-run: the
//   run fails the same way; the next start recovers the dead postmaster's
//   leftovers (postmaster.pid) and the run converges.
// "Converges": every mart and the published extracts equal those of an
// uninterrupted run on the same PostgreSQL version.

import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedUrl, pidState, startEmbedded, stopAllEmbedded, stopServerAt, type EmbeddedServer } from '../../../etl/db/embedded.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { freePort, newTempHome } from '../../setup/temp-home.ts';
import {
  faultPool, killLeftoverChildren, publishedState, resume, runEtlCli, sleep, spawnEtl, stackLines, waitPaused, FAULT_FIXTURE, type PublishedState,
} from './faults-helpers.ts';
import { martChecksums } from './pipeline-helpers.ts';

let inbox: string;
let home: string;
let port: number;
let server: EmbeddedServer;
const homes: string[] = [];
let expected: { marts: Record<string, string>; published: PublishedState };

async function createDatabase(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    await c.query(`create database ${c.escapeIdentifier(name)}`);
  } finally {
    await c.end();
  }
  return embeddedUrl(port, name);
}

async function martsOf(url: string): Promise<Record<string, string>> {
  const pool = faultPool(url);
  try {
    return await martChecksums(pool);
  } finally {
    await pool.end();
  }
}

async function runStatuses(url: string): Promise<{ status: string; error: string | null }[]> {
  const pool = faultPool(url);
  try {
    return (await pool.query('select status, error from ops.etl_run order by id')).rows;
  } finally {
    await pool.end();
  }
}

/** A run's failure as a person sees it: exit 1, "run N: failed", one error line naming the database, no stack trace. */
function expectCleanDatabaseFailure(r: { code: number | null; stdout: string; stderr: string }): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout, r.stderr).toMatch(/^run \d+: failed in [\d.]+s/m);
  const error = r.stdout.split('\n').find((l) => l.startsWith('error: '));
  expect(error, r.stdout).toMatch(/is PostgreSQL running and DATABASE_URL right\?/);
  expect(stackLines(r.stdout + r.stderr)).toEqual([]);
}

beforeAll(async () => {
  inbox = generatedInbox(FAULT_FIXTURE);
  home = await newTempHome('faults-pg');
  homes.push(home);
  port = await freePort();
  server = await startEmbedded({ home, port });
  const url = await createDatabase('baseline');
  const extracts = join(home, 'baseline-extracts');
  const r = await runEtlCli(['run', '--inbox', inbox, '--json'], { DATABASE_URL: url, GRIDLENS_HOME: home, GRIDLENS_EXTRACTS: extracts });
  expect(r.code, r.stderr).toBe(0);
  expected = { marts: await martsOf(url), published: publishedState(extracts) };
}, 300_000);

afterAll(async () => {
  killLeftoverChildren();
  await stopAllEmbedded();
  for (const h of homes) {
    await stopServerAt(h).catch(() => undefined);
    await fs.rm(h, { recursive: true, force: true });
  }
});

describe('PostgreSQL lost during a run', () => {
  it('stopped mid-run: the run fails with a clear message; after a restart the next run succeeds and converges', async () => {
    const url = await createDatabase('stopped');
    const extracts = join(home, 'stopped-extracts');
    const pause = join(home, 'stopped-fault');
    await fs.mkdir(pause);
    const env = { DATABASE_URL: url, GRIDLENS_HOME: home, GRIDLENS_EXTRACTS: extracts };

    const child = spawnEtl(['run', '--inbox', inbox], { ...env, GRIDLENS_FAULT_POINT: 'rollups:refresh:pause', GRIDLENS_FAULT_DIR: pause });
    await waitPaused(pause, 'rollups:refresh', child);
    await server.stop(); // fast shutdown: the run's sessions are terminated
    await resume(pause, 'rollups:refresh');
    const failed = await child.done;
    expectCleanDatabaseFailure(failed);
    expect(failed.stderr).toContain('"event":"run_failed"');
    // Nothing was published, and nothing half-written is left.
    await expect(fs.readlink(join(extracts, 'current'))).rejects.toThrow();

    server = await startEmbedded({ home, port });
    const next = await runEtlCli(['run', '--inbox', inbox, '--json'], env);
    expect(next.code, next.stderr).toBe(0);
    expect(JSON.parse(next.stdout).status).toBe('succeeded');
    expect(await martsOf(url)).toEqual(expected.marts);
    const published = publishedState(extracts);
    expect(published.tables).toEqual(expected.published.tables);
    expect(published.manifest).toEqual(expected.published.manifest);
    // The failure could not be written (no server): the next run marks that run abandoned.
    expect((await runStatuses(url)).map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
  }, 180_000);

  it('the embedded server SIGKILLed mid-run: the run fails clearly; the next start recovers the server and converges', async () => {
    const own = await newTempHome('faults-pg-kill');
    homes.push(own);
    const extracts = join(own, 'extracts');
    const pause = join(own, 'fault');
    await fs.mkdir(pause);
    // No DATABASE_URL: the CLI starts (and owns) the embedded server under GRIDLENS_HOME.
    const env = { DATABASE_URL: undefined, GRIDLENS_HOME: own, GRIDLENS_PG_PORT: String(await freePort()), GRIDLENS_EXTRACTS: extracts };

    const child = spawnEtl(['run', '--inbox', inbox], { ...env, GRIDLENS_FAULT_POINT: 'rollups:refresh:pause', GRIDLENS_FAULT_DIR: pause });
    await waitPaused(pause, 'rollups:refresh', child);
    const postmaster = Number(readFileSync(join(own, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(pidState(postmaster)).toBe('running');
    process.kill(postmaster, 'SIGKILL');
    while (pidState(postmaster) === 'running') await sleep(20);
    await resume(pause, 'rollups:refresh');
    const failed = await child.done;
    expectCleanDatabaseFailure(failed);
    // The dead postmaster's lock file is left behind: what the next start must cope with.
    expect(readFileSync(join(own, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]).toBe(String(postmaster));

    const next = await runEtlCli(['run', '--inbox', inbox, '--json'], { ...env, GRIDLENS_LOG_LEVEL: 'info' });
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain('"event":"embedded_pg_stale_lock"');
    expect(JSON.parse(next.stdout).status).toBe('succeeded');
    expect(publishedState(extracts).tables).toEqual(expected.published.tables);
    expect(publishedState(extracts).manifest).toEqual(expected.published.manifest);

    // The marts, through the product's embedded server again (started and stopped by this process).
    const db = await startEmbedded({ home: own, port: Number(env.GRIDLENS_PG_PORT) });
    try {
      const url = embeddedUrl(db.port, 'gridlens');
      expect(await martsOf(url)).toEqual(expected.marts);
      expect((await runStatuses(url)).map((r) => r.status)).toEqual(['abandoned', 'succeeded']);
    } finally {
      await db.stop();
    }
  }, 180_000);
});
