// The manifest's `summary`: the Overview's KPI cards for the latest complete
// month, the month before and a 13-month series, read from the same
// suppressed SQL as the kpi_month extract, in the publish's snapshot. The
// dashboard paints the Overview from it while DuckDB-WASM is still starting
// (issue 4: first paint before DuckDB is ready); the JSON stays a few KB.

import type pg from 'pg';
import type { ManifestSummary } from './manifest.ts';
import { quoteIdent, SUPPRESSED_COLUMN, type ExtractPlan } from './mart-query.ts';

/** The mart the summary is taken from. */
export const SUMMARY_MART = 'kpi_month';
/** Months in the summary's series (a year and the month a year earlier, for a sparkline). */
export const SUMMARY_MONTHS = 13;

/**
 * Builds the summary from `plan` (the kpi_month extract plan, grain `month`).
 * `measures` are the columns to include (the extract's measure columns).
 * Latest complete month = the latest month whose last day ≤ dataAsOf
 * (dashboard/src/data/sql.ts latestCompleteMonth is the same rule). null when
 * the mart has no such month.
 */
export async function readSummary(
  client: pg.ClientBase,
  plan: ExtractPlan,
  measures: readonly string[],
  dataAsOf: string,
): Promise<ManifestSummary | null> {
  const columns = measures.filter((m) => m !== SUPPRESSED_COLUMN && m !== 'month');
  // Measures go through float8 so that pg returns numbers for every type (int4, float8, numeric).
  const select = columns.map((c) => `k.${quoteIdent(c)}::float8 as ${quoteIdent(c)}`).join(', ');
  const { rows } = await client.query<Record<string, number | string | null>>(
    `with k as (${plan.sql}),
          latest as (select max(month) as month from k
                      where (month + interval '1 month' - interval '1 day')::date <= $1::date)
     select k.month::text as month${select ? ', ' + select : ''}
       from k, latest
      where k.month between (latest.month - make_interval(months => $2::int - 1))::date and latest.month
      order by k.month`,
    [dataAsOf, SUMMARY_MONTHS],
  );
  if (rows.length === 0) return null;
  return summaryFromRows(rows as SummaryRow[], columns);
}

type SummaryRow = { month: string } & Record<string, number | null | string>;

/** Pure: the summary from the series rows (oldest first, the last one the latest complete month). */
export function summaryFromRows(rows: readonly SummaryRow[], columns: readonly string[]): ManifestSummary {
  const last = rows[rows.length - 1]!;
  const month = last.month;
  const before = rows.length > 1 ? rows[rows.length - 2]! : null;
  const previousMonth = previousMonthOf(month);
  const prev = before && before.month === previousMonth ? before : null;
  const pick = (r: SummaryRow) => Object.fromEntries(columns.map((c) => [c, asNumber(r[c])]));
  return {
    mart: SUMMARY_MART,
    month,
    previous_month: prev ? prev.month : null,
    values: pick(last),
    previous: prev ? pick(prev) : null,
    series: {
      months: rows.map((r) => r.month),
      values: Object.fromEntries(columns.map((c) => [c, rows.map((r) => asNumber(r[c]))])),
    },
  };
}

function asNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function previousMonthOf(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}
