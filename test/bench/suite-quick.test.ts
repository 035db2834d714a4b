// `npm run bench -- --quick` end to end (issue 6: "a test runs it"): every
// scenario runs through its real CLI at a small scale on the PostgreSQL
// service, headless Chromium and DuckDB-WASM in Node. Checks the harness, not
// the speed (this machine is shared): every scenario measured, the figures
// consistent with each other, the goals computed from them, and nothing left
// behind (the night's database and extracts).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { suiteGoals } from '../../bench/suite/goals.ts';
import type { SuiteResult } from '../../bench/suite/report.ts';
import { TMP } from '../helpers/generated.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const WORK = join(TMP, 'bench', `suite-${process.pid}`);
const ADMIN = process.env.GRIDLENS_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

function runSuite(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  mkdirSync(WORK, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['bench/suite.bench.ts', ...args], {
      cwd: ROOT,
      // Its own cache folder and dashboard build: the e2e tests build dist/dashboard at the same time.
      env: { ...process.env, GRIDLENS_BENCH_CACHE: join(WORK, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('runs every scenario at a small scale and reports figures that add up', async () => {
  const { code, stdout, stderr } = await runSuite(['--quick', '--json', '--dist', join(WORK, 'dist')]);
  if (code !== 0) throw new Error(`npm run bench -- --quick exited with ${code}:\n${stderr.slice(-4000)}`);
  const r = JSON.parse(stdout) as SuiteResult;

  expect(r.errors).toEqual({});
  expect(r.options).toMatchObject({ quick: true, customers: 200, months: 2 });
  expect(r.machine.cores).toBeGreaterThan(0);
  expect(r.machine.postgres).toMatch(/^PostgreSQL \d+/);
  expect(r.machine.speed_probe_ms).toBeGreaterThan(0);

  // 1 generate: two sizes, rows and rates positive.
  expect(r.generate!.sizes).toHaveLength(2);
  for (const s of r.generate!.sizes) expect(s.usage_rows_per_s.median).toBeGreaterThan(0);

  // 2 ingest: the same rows through both paths, a ratio of the two rates.
  const ingest = r.size.etl!.ingest!;
  expect(ingest.rows).toBeGreaterThan(1000);
  expect(ingest.ratio).toBeCloseTo(ingest.ingestRowsPerSecond.median / ingest.copyRowsPerSecond.median, 2);

  // 3 nightly: both runs measured, the ratio theirs.
  const n = r.size.etl!.nightly!;
  expect(n.nightly.seconds).toBeGreaterThan(0);
  expect(n.ratio).toBeCloseTo(n.nightly.seconds / n.full!.seconds, 3);

  // 4 extracts: per-file figures sum to the totals; compressed smaller than raw for the big ones.
  const x = r.size.extracts!;
  expect(x.files.length).toBeGreaterThanOrEqual(8);
  expect(x.total.rows).toBe(x.files.reduce((a, f) => a + f.rows, 0));
  expect(x.total.bytes).toBe(x.files.reduce((a, f) => a + f.bytes, 0));
  const customer = x.files.find((f) => f.name === 'customer')!;
  expect(x.customers).toBe(customer.rows);
  expect(customer.rows).toBeGreaterThanOrEqual(200); // the generated accounts (plus any opened in the window)
  expect(customer.brotli_bytes!).toBeLessThan(customer.bytes);
  expect(x.bytes_per_customer!.raw).toBe(Math.round(x.total.bytes / customer.rows));

  // 5 queries: both sides answered every question, with the same answers, at each users level.
  const q = r.size.queries!;
  expect(q.answersMatch).toBe(true);
  expect(q.postgres.map((l) => l.users)).toEqual([1, 5]);
  for (const l of q.postgres) {
    expect(l.questionsFailed).toBe(0);
    expect(l.questionsAnswered).toBe(l.users * l.sessions * q.plan.questionsPerSession);
  }

  // 6 browser: every scripted interaction measured; the extracts served are the night's.
  const b = r.size.browser!;
  expect(b.interactionsCounted).toBe(12);
  expect(b.interactionsScripted).toBe(12);
  expect(b.extracts.version).toBe(x.version);
  expect(b.firstPaintMs.median).toBeLessThan(b.interactiveMs.median + 1);

  // The goals are the ones computed from these figures.
  expect(r.goals).toEqual(suiteGoals({ generate: r.generate, etl: r.size.etl, queries: r.size.queries, browser: r.size.browser }));
  expect(r.goals.filter((g) => g.verdict === 'not measured').map((g) => g.name)).toEqual([
    'live PostgreSQL p95 at 50 users ÷ DuckDB-WASM p95 (interactions)', // --quick asks 1 and 5 users
  ]);

  // Nothing left behind: the night's database and extracts are gone.
  expect(r.size.night!.kept).toBe(false);
  expect(existsSync(r.size.night!.extracts)).toBe(false);
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    const left = await c.query('select 1 from pg_database where datname = $1', [r.size.night!.database]);
    expect(left.rowCount).toBe(0);
  } finally {
    await c.end();
  }
}, 900_000);
