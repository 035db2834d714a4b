// Two runs at once against one warehouse: exactly one executes, the other
// reports "already running" and exits cleanly — two `run` commands, and two
// schedulers firing on the same schedule. The first run to take the run lock
// pauses at a fault point (etl/run/fault-point.ts) so the overlap is certain,
// not a race the test hopes to win.

import fs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedInbox } from '../../helpers/generated.ts';
import {
  faultDatabase, faultPool, killLeftoverChildren, newFaultDir, resume, runEtlCli, spawnEtl, stackLines, waitPaused, FAULT_FIXTURE, type ChildResult, type FaultDatabase,
} from './faults-helpers.ts';

let dir: string;
let inbox: string;
const cleanups: (() => Promise<void>)[] = [];
const drops: FaultDatabase[] = [];

/** A fresh warehouse (the CLI migrates it) with its own home, extracts folder and fault folder per process. */
async function warehouse(label: string) {
  const db = await faultDatabase(label);
  const pool = faultPool(db.url);
  cleanups.push(() => pool.end());
  drops.push(db);
  const extracts = join(dir, label, 'extracts');
  const env = { DATABASE_URL: db.url, GRIDLENS_HOME: join(dir, label, 'home'), GRIDLENS_EXTRACTS: extracts };
  return { pool, extracts, env };
}

async function faultDir(label: string): Promise<string> {
  const d = join(dir, label);
  await fs.mkdir(d, { recursive: true });
  return d;
}

/** JSON log lines of a process's stderr with this event. */
function events(r: ChildResult, event: string): Record<string, unknown>[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((e) => e.event === event);
}

beforeAll(() => {
  dir = newFaultDir('concurrency');
  inbox = generatedInbox(FAULT_FIXTURE);
});

afterAll(async () => {
  killLeftoverChildren();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  // At once: each DROP DATABASE waits for a checkpoint, and concurrent ones share it.
  await Promise.all(drops.map((d) => d.drop().catch(() => undefined)));
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('two runs at once', () => {
  it('two `run` commands: one runs, the other says another run is in progress and exits 0', async () => {
    const w = await warehouse('two-runs');
    const pause = await faultDir('two-runs-fault');
    const first = spawnEtl(['run', '--inbox', inbox, '--json'], { ...w.env, GRIDLENS_FAULT_POINT: 'run:locked:pause', GRIDLENS_FAULT_DIR: pause });
    await waitPaused(pause, 'run:locked', first);

    const second = await runEtlCli(['run', '--inbox', inbox], w.env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('another ETL run is in progress: skipped');
    expect(stackLines(second.stderr)).toEqual([]);
    const asJson = await runEtlCli(['run', '--inbox', inbox, '--json'], w.env);
    expect(asJson.code).toBe(0);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ status: 'skipped', run_id: null, extract_version: null });

    await resume(pause, 'run:locked');
    const done = await first.done;
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).status).toBe('succeeded');
    const { rows } = await w.pool.query('select status from ops.etl_run');
    expect(rows).toEqual([{ status: 'succeeded' }]);
    expect(await fs.readdir(join(w.extracts, 'versions'))).toHaveLength(1);
  }, 120_000);

  it('two schedulers on one schedule: exactly one executes the run, the other logs it skipped', async () => {
    const w = await warehouse('two-schedulers');
    // Every 3 s; each scheduler exits after one scheduled run. Both pause at the
    // same point once they hold the lock: only the one that got it gets there.
    const start = async (label: string) => {
      const pause = await faultDir(label);
      const child = spawnEtl(['schedule', '--cron', '*/3 * * * * *', '--runs', '1', '--inbox', inbox], {
        ...w.env, GRIDLENS_LOG_LEVEL: 'info', GRIDLENS_FAULT_POINT: 'run:locked:pause', GRIDLENS_FAULT_DIR: pause,
      });
      return { label, pause, child };
    };
    const schedulers = [await start('scheduler-a'), await start('scheduler-b')];
    // The first to fire takes the lock and pauses holding it; the other fires
    // (on the same tick or a later one), finds the lock taken and ends.
    const paused = await Promise.race(schedulers.map(async (s) => {
      await waitPaused(s.pause, 'run:locked', s.child, 90_000).catch(() => new Promise(() => undefined));
      return s;
    }));
    const other = schedulers.find((s) => s !== paused)!;
    const skipped = await other.child.done;
    expect(skipped.code, skipped.stderr).toBe(0);
    expect(stackLines(skipped.stderr)).toEqual([]);
    expect(events(skipped, 'run_skipped')).toEqual([expect.objectContaining({ reason: 'another run holds the run lock' })]);
    expect(events(skipped, 'scheduled_run_result')).toEqual([expect.objectContaining({ status: 'skipped', run_id: null })]);

    await resume(paused.pause, 'run:locked');
    const ran = await paused.child.done;
    expect(ran.code, ran.stderr).toBe(0);
    expect(events(ran, 'scheduled_run_result')).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    const { rows } = await w.pool.query('select status from ops.etl_run');
    expect(rows).toEqual([{ status: 'succeeded' }]);
    expect(await fs.readdir(join(w.extracts, 'versions'))).toHaveLength(1);
  }, 150_000);
});
