// The dashboard's queries in DuckDB-WASM against the same questions asked of
// the live PostgreSQL marts (issue 6, scenario 5; docs/performance.md):
//
//   npm run bench:queries -- [--database-url URL --extracts DIR] [--users 1,50]
//                            [--sessions N] [--steps N] [--pool N] [--json]
//
// --database-url and --extracts go together: the extracts must have been
// published from that database (the benchmark checks the answers agree).
// Without them it generates a small utility (--customers/--months/--seed/--end)
// through the real ETL into an embedded PostgreSQL it keeps under
// .gridlens/bench/ (bench/queries/utility.ts). The PostgreSQL side only reads.
//
// Exit codes: 0 measured (whether or not the goals are met), 1 failed or the
// two sides' answers differ, 2 bad usage.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runQueryBench } from './queries/bench.ts';
import { formatQueryReport } from './queries/report.ts';
import { benchUtility, type BenchUtility } from './queries/utility.ts';

const USAGE = `usage: npm run bench:queries -- [--database-url URL --extracts DIR] [--users 1,50] [--sessions N] [--steps N]
                                [--pool N] [--duration S] [--statement-timeout S] [--explain N] [--json]
                                [--customers N] [--months M] [--seed S] [--end YYYY-MM]
  --database-url URL  PostgreSQL with the marts (read only)   --extracts DIR  extracts published from it
  --users LIST        users levels of the PostgreSQL side (default 1,50)
  --sessions N        scripted sessions each user plays (default 1)
  --steps N           scripted interactions per session (default 43: one tour of every view)
  --pool N            the BI server's connection pool (default min(users, 15), Metabase's default)
  --duration S        users levels above 1 start no new step after S seconds (default: sessions in full)
  --statement-timeout S  per PostgreSQL query (default 300)
  --explain N         EXPLAIN ANALYZE the N slowest questions (default 3)
  --customers/--months/--seed/--end   the generated utility (default 2000 × 12, seed 1, ending 2026-10)
  --json              the result as JSON on stdout (progress stays on stderr)`;

function fail(message: string): never {
  process.stderr.write(`bench:queries: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function int(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'database-url': { type: 'string' }, extracts: { type: 'string' }, users: { type: 'string' }, sessions: { type: 'string' },
        steps: { type: 'string' }, pool: { type: 'string' }, duration: { type: 'string' }, 'statement-timeout': { type: 'string' }, explain: { type: 'string' },
        customers: { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' },
        json: { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (Boolean(values['database-url']) !== Boolean(values.extracts)) fail('--database-url and --extracts go together (extracts published from that database)');
  const users = (values.users ?? '1,50').split(',').map((u) => int(u.trim(), 'users', 1));
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

  let utility: BenchUtility | undefined;
  try {
    if (!values['database-url']) {
      utility = await benchUtility({
        customers: int(values.customers, 'customers', 2000),
        months: int(values.months, 'months', 12),
        seed: int(values.seed, 'seed', 1),
        end: values.end ?? '2026-10',
        log,
      });
    }
    const result = await runQueryBench({
      databaseUrl: values['database-url'] ?? utility!.url,
      extracts: values.extracts ? resolve(values.extracts) : utility!.extracts,
      users,
      sessions: int(values.sessions, 'sessions', 1),
      steps: int(values.steps, 'steps', 43),
      pool: values.pool === undefined ? undefined : int(values.pool, 'pool', 1),
      durationMs: values.duration === undefined ? undefined : int(values.duration, 'duration', 1) * 1000,
      statementTimeoutMs: int(values['statement-timeout'], 'statement-timeout', 300) * 1000,
      explain: int(values.explain, 'explain', 3, 0),
      log,
    });
    process.stdout.write((values.json ? JSON.stringify(result, null, 2) : formatQueryReport(result)) + '\n');
    return result.answersMatch ? 0 : 1;
  } finally {
    await utility?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:queries failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
