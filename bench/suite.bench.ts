// Every performance goal of Gridlens from one command (issue 6; docs/performance.md):
//
//   npm run bench -- [--quick] [--scale] [--json] [--only LIST] [--keep]
//                    [--customers N] [--months M] [--seed S] [--runs N] [--interactions N] [--users LIST] [--dist DIR]
//
// Scenarios, each its own benchmark CLI run as a child process (so each stays
// runnable alone with the same flags, and keeps its memory to itself), each
// figure a ratio against a reference measured in the same run where the goal
// is one:
//   1 generate  generator usage rows/s (bench/generate.bench.ts)
//   2 ingest    backfill ingest vs plain COPY of the same file (bench/etl.bench.ts)
//   3 nightly   one new day over N × M months (cached warehouse) vs a --full rebuild (bench/etl.bench.ts)
//   4 extracts  bytes per extract raw / brotli / gzip, rows, bytes per customer (of scenario 3's night)
//   5 queries   the dashboard's questions in DuckDB-WASM vs the live PostgreSQL marts,
//               1 and 50 concurrent users (bench/queries.bench.ts, on scenario 3's night)
//   6 browser   headless Chromium cold start and a scripted session (bench/browser.bench.ts, same night)
//   7 scale     --scale: 3–6 again at 1,000,000 customers, and how each figure grew
//               (hours: the warehouse build alone is ~10× the 100k one)
//
// --quick: a small utility (200 customers × 2 months, one repetition, 12
// browser interactions, 1 and 5 users), to check the harness itself in a few
// minutes (test/bench/suite-quick.test.ts runs it); its figures say nothing
// about the goals, which are set at 100,000 × 24.
//
// Exit codes: 0 every scenario measured (goals met or not), 1 a scenario failed, 2 bad usage.

import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { runScenarioCli } from './suite/child.ts';
import { measureExtractSizes } from './suite/extract-sizes.ts';
import { suiteGoals, type GoalInputs } from './suite/goals.ts';
import { machineFacts } from './suite/machine.ts';
import { formatSuiteReport, type SuiteResult, type SizeResult } from './suite/report.ts';

const SCENARIOS = ['generate', 'ingest', 'nightly', 'extracts', 'queries', 'browser'] as const;
type Scenario = (typeof SCENARIOS)[number];
const ADMIN = process.env.GRIDLENS_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const USAGE = `usage: npm run bench -- [--quick] [--scale] [--json] [--only ${SCENARIOS.join(',')}] [--keep]
                     [--customers N] [--months M] [--seed S] [--runs N] [--interactions N] [--users LIST]
  --quick            small scale, to check the harness (minutes); the goals are set at 100,000 × 24
  --scale            also nightly, extracts, queries and browser at 1,000,000 customers (takes hours)
  --only LIST        a subset of the scenarios (extracts, queries and browser read the nightly's night)
  --customers/--months/--seed   the warehouse of scenario 3 (default 100000 × 24, seed 1)
  --runs N           browser cold starts (default 3)       --interactions N   per cold start (default 60)
  --users LIST       PostgreSQL users levels (default 1,50)
  --keep             keep the night's database and extracts (named in the result)
  --dist DIR         the dashboard build the browser scenario serves (default dist/dashboard; built when stale)
  --json             the result as JSON on stdout (progress and the children's output on stderr)`;

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean' }, scale: { type: 'boolean' }, json: { type: 'boolean' }, only: { type: 'string' }, keep: { type: 'boolean' },
        customers: { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' },
        interactions: { type: 'string' }, users: { type: 'string' }, dist: { type: 'string' }, help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (err) {
    return fail((err as Error).message);
  }
}
const values = parse();
if (values.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}
const int = (v: string | undefined, name: string, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`--${name} must be a positive integer, not ${JSON.stringify(v)}`);
  return n;
};
const quick = values.quick === true;
if (quick && values.scale) fail('--quick and --scale do not go together');
const only = new Set<Scenario>(values.only ? values.only.split(',').map((s) => {
  if (!(SCENARIOS as readonly string[]).includes(s)) fail(`--only: unknown scenario ${JSON.stringify(s)}`);
  return s as Scenario;
}) : SCENARIOS);
const customers = int(values.customers, 'customers', quick ? 200 : 100_000);
const months = int(values.months, 'months', quick ? 2 : 24);
const seed = int(values.seed, 'seed', 1);
const runs = int(values.runs, 'runs', quick ? 1 : 3);
const interactions = int(values.interactions, 'interactions', quick ? 12 : 60);
const users = values.users ?? (quick ? '1,5' : '1,50');
if (!/^\d+(,\d+)*$/.test(users)) fail(`--users: a comma-separated list of counts, not ${JSON.stringify(users)}`);

const note = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const urlOf = (db: string): string => Object.assign(new URL(ADMIN), { pathname: `/${db}` }).toString();

async function dropDatabase(name: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    await c.query(`drop database if exists ${name} (force)`);
  } finally {
    await c.end();
  }
}

type Errors = Partial<Record<Scenario | 'scale', string>>;

/** Scenarios 2–6 (1 does not depend on the size) at one size; failures are recorded, the rest goes on. */
async function atSize(size: { customers: number; months: number }, errors: Errors, label: string): Promise<SizeResult> {
  const out: SizeResult = { customers: size.customers, months: size.months, seed, night: null, etl: null, extracts: null, queries: null, browser: null, seconds: {} };
  const keepRun = `gridlens_suite_${process.pid}_c${size.customers}`;
  const wantNight = only.has('nightly') || only.has('extracts') || only.has('queries') || only.has('browser');
  let kept: { database: string; extracts: string } | null = null;
  const attempt = async (scenario: Scenario, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      errors[scenario] = (err as Error).message;
      note(`${label}${scenario} failed: ${(err as Error).message}`);
    }
  };

  if (only.has('ingest') || wantNight) {
    const which = only.has('ingest') && wantNight ? [] : ['--only', only.has('ingest') ? 'ingest' : 'nightly'];
    await attempt(only.has('ingest') ? 'ingest' : 'nightly', async () => {
      note(`${label}ingest and nightly: bench/etl.bench.ts at ${size.customers.toLocaleString('en')} × ${size.months}`);
      const r = await runScenarioCli<NonNullable<SizeResult['etl']>>('etl', 'bench/etl.bench.ts', [
        '--customers', String(size.customers), '--months', String(size.months), '--seed', String(seed), ...which,
        ...(wantNight ? ['--keep-run', keepRun] : []),
        ...(quick ? ['--ingest-customers', String(Math.min(size.customers, 300)), '--repeats', '1'] : ['--repeats', '5']),
      ], { nodeFlags: ['--max-semi-space-size=64'] });
      out.etl = r.result;
      out.seconds.etl = r.seconds;
      kept = r.result.nightly?.kept ?? null;
      if (kept) out.night = { ...kept, kept: values.keep === true };
    });
  }
  try {
    if (kept) {
      const night = kept as { database: string; extracts: string };
      if (only.has('extracts')) await attempt('extracts', async () => {
        note(`${label}extracts: sizes of ${night.extracts}`);
        const t0 = performance.now();
        out.extracts = await measureExtractSizes(night.extracts);
        out.seconds.extracts = Number(((performance.now() - t0) / 1000).toFixed(1));
      });
      if (only.has('queries')) await attempt('queries', async () => {
        note(`${label}queries: bench/queries.bench.ts, users ${users}`);
        const r = await runScenarioCli<NonNullable<SizeResult['queries']>>('queries', 'bench/queries.bench.ts', [
          '--database-url', urlOf(night.database), '--extracts', night.extracts, '--users', users, ...(quick ? ['--explain', '1', '--steps', '20'] : []),
        ]);
        out.queries = r.result;
        out.seconds.queries = r.seconds;
      });
      if (only.has('browser')) await attempt('browser', async () => {
        note(`${label}browser: bench/browser.bench.ts, ${runs} cold starts × ${interactions} interactions`);
        const r = await runScenarioCli<NonNullable<SizeResult['browser']>>('browser', 'bench/browser.bench.ts', [
          '--extracts', night.extracts, '--runs', String(runs), '--interactions', String(interactions), ...(values.dist ? ['--dist', values.dist] : []),
        ]);
        out.browser = r.result;
        out.seconds.browser = r.seconds;
      });
    } else if (wantNight && !errors.nightly && !errors.ingest) {
      errors.nightly = 'the nightly scenario kept no night (no database and extracts to read)';
    }
  } finally {
    if (kept && !values.keep) {
      const night = kept as { database: string; extracts: string };
      await dropDatabase(night.database);
      rmSync(night.extracts, { recursive: true, force: true });
    }
  }
  return out;
}

const t0 = performance.now();
const machine = await machineFacts(ADMIN);
note(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GB, Node ${machine.node}, ${machine.postgres}`);
const errors: Errors = {};
let generate: SuiteResult['generate'] = null;
if (only.has('generate')) {
  try {
    note('generate: bench/generate.bench.ts');
    generate = (await runScenarioCli<NonNullable<SuiteResult['generate']>>('generate', 'bench/generate.bench.ts',
      quick ? ['--customers', '300,1500', '--months', '2', '--repeats', '1'] : ['--repeats', '5'])).result;
  } catch (err) {
    errors.generate = (err as Error).message;
  }
}
const main = await atSize({ customers, months }, errors, '');
let scale: SuiteResult['scale'] = null;
if (values.scale) {
  note('scale: the same scenarios at 1,000,000 customers');
  const big = await atSize({ customers: 1_000_000, months }, errors, 'scale: ');
  scale = { size: big, growth: growthOf(main, big) };
}

function growthOf(a: SizeResult, b: SizeResult): Record<string, number | null> {
  const r = (x: number | null | undefined, y: number | null | undefined) => (x && y ? Number((y / x).toFixed(2)) : null);
  const at50 = (s: SizeResult) => s.queries?.postgres.find((l) => l.users === 50)?.interactions.p95;
  return {
    customers: b.customers / a.customers,
    nightly_seconds: r(a.etl?.nightly?.nightly.seconds, b.etl?.nightly?.nightly.seconds),
    full_seconds: r(a.etl?.nightly?.full?.seconds, b.etl?.nightly?.full?.seconds),
    extracts_bytes: r(a.extracts?.total.bytes, b.extracts?.total.bytes),
    extracts_brotli_bytes: r(a.extracts?.total.brotli_bytes, b.extracts?.total.brotli_bytes),
    duckdb_interaction_p95: r(a.queries?.duckdb.interactions.p95, b.queries?.duckdb.interactions.p95),
    postgres_50_users_interaction_p95: r(at50(a), at50(b)),
    first_paint: r(a.browser?.firstPaintMs.median, b.browser?.firstPaintMs.median),
    interactive: r(a.browser?.interactiveMs.median, b.browser?.interactiveMs.median),
    browser_interaction_p95: r(a.browser?.interactionMs?.p95, b.browser?.interactionMs?.p95),
  };
}

const inputs: GoalInputs = { generate, etl: main.etl, queries: main.queries, browser: main.browser };
const result: SuiteResult = {
  machine,
  options: { quick, scale: values.scale === true, customers, months, seed, runs, interactions, users, only: [...only], keep: values.keep === true },
  generate,
  size: main,
  scale,
  goals: suiteGoals(inputs),
  errors,
  seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
};
process.stdout.write(values.json ? JSON.stringify(result, null, 2) + '\n' : formatSuiteReport(result) + '\n');
process.exit(Object.keys(errors).length > 0 ? 1 : 0);

