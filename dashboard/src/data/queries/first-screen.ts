// The questions the default screen asks (the Overview with the default
// filters: the latest complete month against the month before, nothing
// selected), as the views build them. The ETL answers them at publish time
// with DuckDB-WASM over the very extracts it has just written, and the
// manifest carries the answers (`answers`, etl/extract/first-answers.ts); the
// data source keeps them as if DuckDB had answered in this page. So the first
// screen needs no extract fetched and no query run: the page is interactive as
// soon as DuckDB has started, instead of after the first inserts and queries,
// which on a slow machine mostly compile wasm code lazily (docs/performance.md).
//
// An answer is used only for the exact SQL and parameters it was computed for
// (data/source.ts answerKey): a dashboard build whose builders differ from the
// ETL's simply asks DuckDB, as before.

import type { BuiltQuery, ManifestFile } from '../api.ts';
import { defaultFilters } from '../sql.ts';
import { forecastQuery } from './forecast.ts';
import { DEFAULT_MOVED_KPI, kpiCards, kpiSeries, whatMoved } from './kpi.ts';
import { monthsQuery } from './segments.ts';

/**
 * The default screen's questions for a version of the extracts: the Overview's
 * cards, sparklines, "what moved" (its default KPI) and forecast (when the
 * version has the extract), and the period picker's months. Only those whose
 * extracts the version has.
 */
export function firstScreenQueries(m: { data_as_of: string; files: readonly Pick<ManifestFile, 'name'>[] }): BuiltQuery[] {
  const filters = defaultFilters(m.data_as_of);
  const queries = [
    kpiCards(filters),
    kpiSeries(filters),
    whatMoved(filters, DEFAULT_MOVED_KPI),
    forecastQuery({ segment: filters.segment, region: filters.region }),
    monthsQuery(),
  ];
  const offered = new Set(m.files.map((f) => f.name));
  return queries.filter((q) => q.extracts.every((e) => offered.has(e)));
}
