// The suite's goals (issue 6), checked from the scenarios' own results. Pure:
// tested in test/bench/suite-goals.test.ts. A goal whose scenario did not run
// (or failed) is reported as not measured, never as passed.

export type Verdict = 'pass' | 'falls short' | 'not measured';

export interface SuiteGoal {
  scenario: string;
  name: string;
  /** The measured figure in `unit`, or null when not measured. */
  measured: number | null;
  /** The goal: measured ≤ limit ('max') or ≥ limit ('min'). */
  limit: number;
  kind: 'max' | 'min';
  unit: string;
  verdict: Verdict;
}

/** The parts of each scenario's JSON result the goals read (bench/*.bench.ts --json). */
export interface GoalInputs {
  generate?: { sizes: { usage_rows_per_s: { median: number } }[] } | null;
  etl?: {
    ingest: { ratio: number } | null;
    nightly: { nightly: { seconds: number; detectorsMs?: number }; ratio: number | null } | null;
  } | null;
  queries?: { postgres: { users: number; ratio: { interactions: number | null } }[]; duckdb: { interactions: { p95: number } }; answersMatch: boolean } | null;
  browser?: {
    firstPaintMs: { median: number };
    interactiveMs: { median: number };
    interactionMs: { p95: number } | null;
    bytes: { extracts: { median: number }; app: { median: number } };
  } | null;
}

export const SUITE_GOALS = {
  generatorUsageRowsPerS: 500_000,
  ingestShareOfCopy: 0.5,
  nightlySeconds: 60,
  nightlyShareOfFull: 0.1,
  /** Issue 8: what the insight detectors add to a night. */
  detectorsSeconds: 10,
  firstPaintMs: 1000,
  interactiveMs: 2500,
  interactionP95Ms: 100,
  liveQueryRatio: 10,
  liveQueryUsers: 50,
  firstViewBytesWithoutEngine: 5_000_000,
} as const;

function goal(scenario: string, name: string, measured: number | null | undefined, limit: number, kind: 'max' | 'min', unit: string): SuiteGoal {
  const m = measured === undefined || measured === null || !Number.isFinite(measured) ? null : measured;
  const verdict: Verdict = m === null ? 'not measured' : (kind === 'max' ? m <= limit : m >= limit) ? 'pass' : 'falls short';
  return { scenario, name, measured: m, limit, kind, unit, verdict };
}

export function suiteGoals(r: GoalInputs): SuiteGoal[] {
  const G = SUITE_GOALS;
  const slowestGenerator = r.generate ? Math.min(...r.generate.sizes.map((s) => s.usage_rows_per_s.median)) : null;
  // The 10× goal compares like with like: DuckDB-WASM per user vs PostgreSQL at 50 users,
  // each an interaction's questions back to back; meaningless if the answers differ.
  const at50 = r.queries?.answersMatch ? r.queries.postgres.find((l) => l.users === G.liveQueryUsers) : undefined;
  const b = r.browser;
  return [
    goal('generate', 'usage rows/s (slowest size, median)', slowestGenerator, G.generatorUsageRowsPerS, 'min', 'rows/s'),
    goal('ingest', 'backfill ingest ÷ plain COPY', r.etl?.ingest?.ratio, G.ingestShareOfCopy, 'min', 'ratio'),
    goal('nightly', 'nightly run, one new day', r.etl?.nightly?.nightly.seconds, G.nightlySeconds, 'max', 's'),
    goal('nightly', 'nightly ÷ full rebuild', r.etl?.nightly?.ratio, G.nightlyShareOfFull, 'max', 'ratio'),
    goal('nightly', 'detectors within the night (sql/alerts)', r.etl?.nightly?.nightly.detectorsMs === undefined ? null : r.etl.nightly.nightly.detectorsMs / 1000, G.detectorsSeconds, 'max', 's'),
    goal('browser', 'first paint (median of cold starts)', b?.firstPaintMs.median, G.firstPaintMs, 'max', 'ms'),
    goal('browser', 'interactive (median of cold starts)', b?.interactiveMs.median, G.interactiveMs, 'max', 'ms'),
    goal('browser', 'interaction p95', b?.interactionMs?.p95, G.interactionP95Ms, 'max', 'ms'),
    goal('browser', 'first-view transfer without the DuckDB engine', b ? b.bytes.extracts.median + b.bytes.app.median : null, G.firstViewBytesWithoutEngine, 'max', 'bytes'),
    goal('queries', `live PostgreSQL p95 at ${G.liveQueryUsers} users ÷ DuckDB-WASM p95 (interactions)`, at50?.ratio.interactions, G.liveQueryRatio, 'min', '×'),
  ];
}
