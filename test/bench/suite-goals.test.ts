// The suite's goal checks and report (bench/suite/goals.ts, report.ts): pure.

import { describe, expect, it } from 'vitest';
import { suiteGoals, SUITE_GOALS, type GoalInputs } from '../../bench/suite/goals.ts';
import { totalsOf } from '../../bench/suite/extract-sizes.ts';

const spread = (median: number) => ({ median, min: median, max: median });

function inputs(o: { ingest?: number; nightly?: number; detectors?: number; ratio?: number | null; fp?: number; p95?: number; pg50?: number | null; match?: boolean } = {}): GoalInputs {
  return {
    generate: { sizes: [{ usage_rows_per_s: { median: 900_000 } }, { usage_rows_per_s: { median: 600_000 } }] },
    etl: { ingest: { ratio: o.ingest ?? 0.58 }, nightly: { nightly: { seconds: o.nightly ?? 44, detectorsMs: (o.detectors ?? 6) * 1000 }, ratio: o.ratio === undefined ? 0.075 : o.ratio } },
    queries: { postgres: [{ users: 1, ratio: { interactions: 0.5 } }, { users: 50, ratio: { interactions: o.pg50 === undefined ? 12 : o.pg50 } }], duckdb: { interactions: { p95: 9 } }, answersMatch: o.match ?? true },
    browser: { firstPaintMs: spread(o.fp ?? 230), interactiveMs: spread(1500), interactionMs: { p95: o.p95 ?? 95 }, bytes: { extracts: spread(260_000), app: spread(250_000) } },
  };
}

describe('suite goals', () => {
  it('checks every goal of issue 6 and passes at the limits', () => {
    const g = suiteGoals(inputs({ ingest: SUITE_GOALS.ingestShareOfCopy, nightly: 60, detectors: 10, ratio: 0.1, fp: 1000, p95: 100, pg50: 10 }));
    expect(g.map((x) => [x.scenario, x.verdict])).toEqual([
      ['generate', 'pass'], ['ingest', 'pass'], ['nightly', 'pass'], ['nightly', 'pass'], ['nightly', 'pass'],
      ['browser', 'pass'], ['browser', 'pass'], ['browser', 'pass'], ['browser', 'pass'], ['queries', 'pass'],
    ]);
    expect(g.find((x) => x.name.startsWith('first-view'))!.measured).toBe(510_000);
    expect(g[0]!.measured).toBe(600_000); // the slowest size decides
  });

  it('falls short just past each limit', () => {
    const g = suiteGoals(inputs({ ingest: 0.499, nightly: 60.01, detectors: 10.01, ratio: 0.1001, fp: 1000.1, p95: 100.1, pg50: 9.99 }));
    const short = g.filter((x) => x.verdict === 'falls short').map((x) => x.name);
    expect(short).toEqual([
      'backfill ingest ÷ plain COPY', 'nightly run, one new day', 'nightly ÷ full rebuild', 'detectors within the night (sql/alerts)', 'first paint (median of cold starts)',
      'interaction p95', 'live PostgreSQL p95 at 50 users ÷ DuckDB-WASM p95 (interactions)',
    ]);
  });

  it('reports a scenario that did not run, or answers that differ, as not measured — never as a pass', () => {
    const none = suiteGoals({});
    expect(none.every((x) => x.verdict === 'not measured' && x.measured === null)).toBe(true);
    const differ = suiteGoals(inputs({ match: false }));
    expect(differ.find((x) => x.scenario === 'queries')!.verdict).toBe('not measured');
    const noFull = suiteGoals(inputs({ ratio: null }));
    expect(noFull.find((x) => x.name === 'nightly ÷ full rebuild')!.verdict).toBe('not measured');
    const no50 = suiteGoals({ ...inputs(), queries: { ...inputs().queries!, postgres: [{ users: 1, ratio: { interactions: 30 } }] } });
    expect(no50.find((x) => x.scenario === 'queries')!.verdict).toBe('not measured');
  });
});

describe('extract size totals', () => {
  it('counts a file sent as it is at its raw size', () => {
    const t = totalsOf([
      { name: 'a', rows: 10, bytes: 1000, brotli_bytes: 100, gzip_bytes: 120 },
      { name: 'b', rows: 5, bytes: 300, brotli_bytes: null, gzip_bytes: null },
    ]);
    expect(t).toEqual({ rows: 15, bytes: 1300, brotli_bytes: 400, gzip_bytes: 420 });
  });
});
