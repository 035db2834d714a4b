// A smoke run of the whole ETL on each server (PostgreSQL 15 service and the
// embedded PostgreSQL 18), plus the run lock: two runs started together → one
// runs, the other skips; and a failing database gives a clear failed run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARTS } from '../../../etl/transform/mart-catalog.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, readCurrentExtracts, type Pipeline } from './pipeline-helpers.ts';

let p: Pipeline;
let inbox: string;

beforeAll(async () => {
  inbox = generatedInbox({ customers: 200, months: 2, seed: 21, end: '2026-10' });
  p = await pipelineDatabase('smoke');
}, 120_000);

afterAll(async () => p?.close());

describe('etl smoke', () => {
  it('two runs started together: exactly one runs, the other skips; extracts are published', async () => {
    const [a, b] = await Promise.all([etl(p, ['run', '--inbox', inbox, '--json']), etl(p, ['run', '--inbox', inbox, '--json'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const statuses = [JSON.parse(a.stdout).status, JSON.parse(b.stdout).status].sort();
    // The second may also start after the first finished: then it skips every file.
    if (statuses[0] === 'skipped') expect(statuses).toEqual(['skipped', 'succeeded']);
    else expect(statuses).toEqual(['succeeded', 'succeeded']);
    const { rows } = await p.pool.query(`select count(*)::int as n from ops.etl_file where not skipped`);
    const { rows: files } = await p.pool.query(`select count(distinct file_name)::int as n from ops.etl_file`);
    expect(rows[0].n).toBe(files[0].n); // every file loaded exactly once
    const { manifest } = readCurrentExtracts(p.extracts);
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(MARTS.map((m) => m.name));
  }, 300_000);

  it('fails cleanly, exit 1, with a message naming the problem, when the database is unreachable', async () => {
    const r = await etl(p, ['run', '--inbox', inbox, '--json'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ECONNREFUSED|connect/);
  }, 120_000);

  it('a run that fails is recorded with its error, exits 1, and leaves the last good extracts serving', async () => {
    const { readlinkSync } = await import('node:fs');
    const serving = readlinkSync(`${p.extracts}/current`);
    // A different pseudonym secret than the one the keys were made with: refused.
    const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_PSEUDONYM_SECRET: 'another-secret-entirely-0123456789' });
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/secret/i);
    const { rows } = await p.pool.query(`select status, error, finished_at from ops.etl_run where id = $1`, [s.run_id]);
    expect(rows[0].status).toBe('failed');
    expect(rows[0].error).toMatch(/secret/i);
    expect(rows[0].finished_at).not.toBeNull();
    expect(readlinkSync(`${p.extracts}/current`)).toBe(serving);
  }, 120_000);

  it('schedule: runs on its cron schedule and logs each run', async () => {
    const before = (await p.pool.query(`select count(*)::int as n from ops.etl_run`)).rows[0].n;
    const r = await etl(p, ['schedule', '--cron', '*/2 * * * * *', '--runs', '1', '--inbox', inbox], { GRIDLENS_LOG_LEVEL: 'info' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/"event":"scheduler_started"/);
    expect(r.stderr).toMatch(/"event":"scheduled_run_result".*"status":"succeeded"/);
    const { rows } = await p.pool.query(`select status from ops.etl_run order by id desc limit 1`);
    expect(rows[0].status).toBe('succeeded');
    expect((await p.pool.query(`select count(*)::int as n from ops.etl_run`)).rows[0].n).toBe(before + 1);
  }, 120_000);

  it('answers bad usage with exit 2', async () => {
    const r = await etl(p, ['run', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bogus/);
  }, 60_000);
});
