// Pure figures of the query benchmark: latency summaries, the ratio of the
// live PostgreSQL p95 to the DuckDB-WASM p95, and the goal checks.

import { percentile } from '../browser/stats.ts';

/** Latency summary in ms (nearest-rank percentiles: always one of the samples). */
export interface Latency {
  n: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

const round = (v: number): number => Math.round(v * 1000) / 1000;

export function latency(values: readonly number[]): Latency {
  if (values.length === 0) throw new Error('latency of no samples');
  const sum = values.reduce((a, v) => a + v, 0);
  return {
    n: values.length,
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    max: round(Math.max(...values)),
    mean: round(sum / values.length),
  };
}

/** The goals: interaction p95 ≤ 100 ms in the browser, and ≥ 10× lower than live PostgreSQL under 50 users. */
export const QUERY_GOALS = { interactionP95Ms: 100, ratioAtLeast: 10, users: 50 } as const;

export interface RatioGoal {
  name: string;
  /** p95 of PostgreSQL at `users` ÷ p95 of DuckDB-WASM (same measure: interactions or queries). */
  ratio: number;
  limit: number;
  pass: boolean;
}

/** How many times lower the DuckDB p95 is (null when DuckDB's p95 is 0: no meaningful ratio). */
export function p95Ratio(pg: Latency, duck: Latency): number | null {
  return duck.p95 > 0 ? round(pg.p95 / duck.p95) : null;
}

export interface LimitGoal {
  name: string;
  value: number;
  limit: number;
  pass: boolean;
}

export function limitGoal(name: string, value: number, limit: number): LimitGoal {
  return { name, value, limit, pass: value <= limit };
}

export function ratioGoal(name: string, ratio: number | null, limit: number): RatioGoal | null {
  return ratio === null ? null : { name, ratio, limit, pass: ratio >= limit };
}
