// The data layer's contract with the views (issue 4). Views import only from
// here; dashboard/src/data/ implements it over DuckDB-WASM and the extracts.
//
// - A query is built by a pure function (dashboard/src/data/queries/*.ts) that
//   returns SQL text with `?` placeholders, its parameters, and the extracts
//   (mart names, as in manifest.json) it reads. Views never splice user input
//   into SQL text: every filter value travels as a parameter.
// - useQuery runs it in DuckDB-WASM (a worker) once those extracts are loaded
//   (fetched lazily, once), and a newer query of the same hook supersedes an
//   older one still in flight: a stale result never overwrites a newer one.

import type { Manifest, ManifestFile, ManifestSummary } from '../../../etl/extract/manifest.ts';

export type { Manifest, ManifestFile, ManifestSummary };

export interface BuiltQuery {
  /** DuckDB SQL with `?` placeholders; table names are the mart names. */
  sql: string;
  params: readonly (string | number | boolean | null)[];
  /** Mart names the query reads (loaded before it runs). */
  extracts: readonly string[];
}

/** Global filters, all in the URL (dashboard/src/state/). Empty list = no filter. */
export interface Filters {
  /** First and last month of the period, 'YYYY-MM-01'. */
  from: string;
  to: string;
  /** Comparison period: the one before of equal length, or the same months a year earlier. */
  compare: 'previous' | 'year';
  segment: string[];
  region: string[];
  tariff: string[];
  band: string[];
  channel: string[];
}

export interface QueryState<T> {
  rows: T[] | null;
  loading: boolean;
  error: Error | null;
}

/** Runs `query` (null: nothing to run) and re-runs when it changes (compared by sql + params). */
export type UseQuery = <T = Record<string, unknown>>(query: BuiltQuery | null) => QueryState<T>;

export interface DataStatus {
  manifest: Manifest | null;
  /** DuckDB started and ready for queries. */
  ready: boolean;
  error: Error | null;
  /**
   * manifest.summary: the Overview's KPI cards of the latest complete month,
   * the month before and a 13-month series, available as soon as the manifest
   * is (before DuckDB is ready); null until then, or when the manifest has none.
   * queries/kpi.ts cardsFromSummary/seriesFromSummary give them the shapes of
   * the kpiCards/kpiSeries query results.
   */
  summary: ManifestSummary | null;
  /** Extracts (mart names) loaded into DuckDB so far. */
  loaded: readonly string[];
}

// The implementation (dashboard/src/data/): hooks for views, runQuery for
// tests and benchmarks. Month and filter helpers: ./sql.ts.
export { useDataStatus, useQuery } from './hooks.ts';
export { runQuery } from './client.ts';
