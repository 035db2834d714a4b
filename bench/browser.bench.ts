// The dashboard in a browser: `npm run bench:browser -- [--extracts DIR] [--runs 3]
// [--interactions 60] [--json]` (issue 4; docs/performance.md).
//
// Serves the production build with the product's own server (etl/serve/, the
// code `npm start` runs: brotli/gzip, ETags, cache policy) over an extracts
// folder on 127.0.0.1, and drives headless Debian Chromium (/usr/bin/chromium
// or GRIDLENS_CHROMIUM, through playwright-core; never `playwright install`).
// Per cold start (fresh profile, empty cache): time to the User Timing marks
// gridlens:first-paint and gridlens:interactive, bytes of the first view
// (DuckDB engine vs the rest), the JS heap; then a scripted session of filter
// changes, view switches, drills and selectors, each timed by the app's
// gridlens:interaction measure (p50/p95/max). Goals: first paint ≤ 1.0 s,
// interactive ≤ 2.5 s, interaction p95 ≤ 100 ms.
//
// Without --extracts it generates a small utility (--customers/--months/--seed)
// and runs it through the real ETL on an embedded PostgreSQL (bench/browser/extracts.ts).
//
// Exit codes: 0 measured (whether or not the goals are met), 1 failed, 2 bad usage.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBrowserBench } from './browser/bench.ts';
import { generateExtracts } from './browser/extracts.ts';
import { formatReport } from './browser/report.ts';

const USAGE = `usage: npm run bench:browser -- [--extracts DIR] [--runs N] [--interactions N] [--settle MS] [--query Q] [--json]
                                [--customers N] [--months M] [--seed S] [--end YYYY-MM] [--dist DIR [--no-build]]
  --extracts DIR     a folder holding current/manifest.json (else a utility is generated)
  --runs N           cold starts, each with a fresh Chromium profile (default 3)
  --interactions N   scripted interactions per cold start (default 60; 0: load only)
  --query Q          extra query string of the first page, e.g. view=segments
  --customers/--months/--seed/--end   the generated utility (default 2000 × 12, seed 1, ending 2026-10)
  --dist DIR         the dashboard build to serve (default dist/dashboard, built when stale)
  --no-build         serve --dist as it is (e.g. a build of another revision) instead of building into it
  --settle MS        before the session, wait up to MS for the app's background loads
                     (mark gridlens:data:prefetched; default 10000)
  --think MS         pause before each scripted step after the first, as a user reading
                     the charts (default 0: back to back)
  --profile PREFIX   main-thread CPU profiles of the first cold start: PREFIX-load.cpuprofile
                     and PREFIX-session.cpuprofile (open in Chrome DevTools)
  --trace FILE       a Chrome trace of the first cold start's load and session (script, style,
                     layout, paint, V8's compilers); summarise it per interaction:
                     npx tsx bench/browser/trace-summary.ts FILE [BENCH.json] [--each]
  --timeout MS       per page load and per interaction (default 120000)
  --json             the result as JSON on stdout (progress stays on stderr)`;

function fail(message: string): never {
  process.stderr.write(`bench:browser: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function int(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}, not ${JSON.stringify(value)}`);
  return n;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        extracts: { type: 'string' }, runs: { type: 'string' }, interactions: { type: 'string' }, query: { type: 'string' },
        customers: { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, end: { type: 'string' },
        dist: { type: 'string' }, 'no-build': { type: 'boolean' }, settle: { type: 'string' }, think: { type: 'string' }, profile: { type: 'string' }, trace: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const extracts = values.extracts
    ? resolve(values.extracts)
    : await generateExtracts({
        customers: int(values.customers, 'customers', 2000),
        months: int(values.months, 'months', 12),
        seed: int(values.seed, 'seed', 1),
        end: values.end ?? '2026-10',
        log,
      });
  const result = await runBrowserBench({
    extracts,
    runs: int(values.runs, 'runs', 3),
    interactions: int(values.interactions, 'interactions', 60, 0),
    query: values.query,
    dist: values.dist ? resolve(values.dist) : undefined,
    noBuild: values['no-build'] ?? false,
    tmpRoot: resolve('.gridlens/bench/chromium'),
    timeoutMs: int(values.timeout, 'timeout', 120_000),
    settleMs: int(values.settle, 'settle', 10_000, 0),
    thinkMs: int(values.think, 'think', 0, 0),
    profile: values.profile ? resolve(values.profile) : undefined,
    trace: values.trace ? resolve(values.trace) : undefined,
    log,
  });
  process.stdout.write((values.json ? JSON.stringify(result, null, 2) : formatReport(result)) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:browser failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
