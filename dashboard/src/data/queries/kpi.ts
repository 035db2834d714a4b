// The Overview's query builders: KPI cards (value for the period and for the
// comparison period), monthly series for the sparklines, and "what moved"
// (each segment's and region's contribution to a KPI's change).
//
// Monthly figures are kpi_month's (sql/marts/kpi_month.sql, docs/metrics.md).
// A period of several months combines them so that a one-month period gives
// exactly the kpi_month figure:
//   flows (kwh, billed_kwh, revenue, new/closed customers, surveys, tickets,
//     complaints, sla_tickets, offers)           Σ over the months
//   stocks (active_customers, receivable_amount,
//     arrears_amount)                            the period's last month
//   avg_price            = Σ revenue ÷ Σ billed_kwh
//   arrears_rate         = arrears at the period's end ÷ mean monthly revenue
//   dso_days             = receivable at the period's end ÷ Σ revenue × days in the period
//   csat_pct             = survey_responses-weighted mean of the months
//   nps                  = nps_responses-weighted mean of the months (= 100 × (Σ promoters
//                          − Σ detractors) ÷ Σ NPS answers: exact over any period)
//   complaints_per_10k   = 10,000 × Σ complaints ÷ Σ active customers (per customer-month)
//   first_response_within_sla_pct = sla_tickets-weighted mean
//   offer_acceptance_pct = 100 × Σ accepted ÷ Σ sent
// With a segment, region, tariff or band filter, company KPIs cannot be split
// (kpi_month has no such columns): the cards then come from segment_month for
// the KPIs it carries (SEGMENT_KPIS), over its unsuppressed cells, and the
// others are absent. The channel filter does not apply to the Overview.

import type { BuiltQuery, Filters, ManifestSummary } from '../api.ts';
import { addMonths, comparisonPeriod, filterWhere, literal, quoteIdent, type Param, type Period } from '../sql.ts';

/** Every KPI of kpi_month, in the order of the Overview's cards. */
export const KPIS = [
  'active_customers', 'new_customers', 'closed_customers', 'kwh', 'billed_kwh', 'revenue', 'avg_price',
  'receivable_amount', 'arrears_amount', 'arrears_rate', 'dso_days', 'survey_responses', 'csat_pct', 'nps_responses', 'nps',
  'tickets', 'complaints', 'complaints_per_10k', 'sla_tickets', 'first_response_within_sla_pct',
  'offers_sent', 'offers_accepted', 'offer_acceptance_pct',
] as const;
export type Kpi = (typeof KPIS)[number];

/** KPIs that segment_month can answer for a filtered selection (cards and "what moved"). */
export const SEGMENT_KPIS = ['active_customers', 'kwh', 'billed_kwh', 'revenue', 'avg_price', 'arrears_amount', 'arrears_rate'] as const;

/** KPIs that add up over segments and regions, so their change splits into contributions. */
export const ADDITIVE_KPIS = ['active_customers', 'kwh', 'billed_kwh', 'revenue', 'arrears_amount'] as const;
export type AdditiveKpi = (typeof ADDITIVE_KPIS)[number];
/** The KPI "what moved" explains until the user picks another (the URL's `kpi`). */
export const DEFAULT_MOVED_KPI: AdditiveKpi = 'revenue';

/** A KPI card: the period's value, the comparison period's, and the difference. */
export interface KpiCard {
  kpi: Kpi;
  value: number | null;
  comparison: number | null;
  /** value − comparison (null when either is null). */
  change: number | null;
}

/** One month of the sparkline series; a KPI's column is absent when the source cannot answer it. */
export type KpiSeriesRow = { month: string } & Partial<Record<Kpi, number | null>>;

export interface MovedRow {
  dimension: 'segment' | 'region';
  /** The segment or region; null = what the listed members do not explain (suppressed cells, accounts outside segment_month). */
  member: string | null;
  value: number | null;
  comparison: number | null;
  change: number | null;
}

const SEGMENT_FILTERS = { segment: 'segment', region: 'region', tariff: 'tariff', band: 'band' } as const;

/** True when the filters select part of the company (segment_month answers then, not kpi_month). */
export function isSegmentSelection(filters: Filters): boolean {
  return filters.segment.length + filters.region.length + filters.tariff.length + filters.band.length > 0;
}

/** Period aggregate of each KPI over kpi_month rows `k` of the period (see the header). */
const COMPANY_AGGREGATES: Record<Kpi, string> = {
  active_customers: 'arg_max_null(k.active_customers, k.month)',
  new_customers: 'sum(k.new_customers)',
  closed_customers: 'sum(k.closed_customers)',
  kwh: 'sum(k.kwh)',
  billed_kwh: 'sum(k.billed_kwh)',
  revenue: 'sum(k.revenue)',
  avg_price: 'sum(k.revenue) / nullif(sum(k.billed_kwh), 0)',
  receivable_amount: 'arg_max_null(k.receivable_amount, k.month)',
  arrears_amount: 'arg_max_null(k.arrears_amount, k.month)',
  arrears_rate: 'arg_max_null(k.arrears_amount, k.month) / nullif(avg(k.revenue), 0)',
  dso_days: 'arg_max_null(k.receivable_amount, k.month) / nullif(sum(k.revenue), 0) * sum(day(last_day(k.month)))',
  survey_responses: 'sum(k.survey_responses)',
  csat_pct: 'sum(k.csat_pct * k.survey_responses) / nullif(sum(k.survey_responses) filter (where k.csat_pct is not null), 0)',
  nps_responses: 'sum(k.nps_responses)',
  nps: 'sum(k.nps * k.nps_responses) / nullif(sum(k.nps_responses) filter (where k.nps is not null), 0)',
  tickets: 'sum(k.tickets)',
  complaints: 'sum(k.complaints)',
  complaints_per_10k: '10000.0 * sum(k.complaints) / nullif(sum(k.active_customers) filter (where k.complaints is not null), 0)',
  sla_tickets: 'sum(k.sla_tickets)',
  first_response_within_sla_pct:
    'sum(k.first_response_within_sla_pct * k.sla_tickets) / nullif(sum(k.sla_tickets) filter (where k.first_response_within_sla_pct is not null), 0)',
  offers_sent: 'sum(k.offers_sent)',
  offers_accepted: 'sum(k.offers_accepted)',
  offer_acceptance_pct: '100.0 * sum(k.offers_accepted) / nullif(sum(k.offers_sent), 0)',
};

/**
 * Period aggregate over segment_month cells `s` (unsuppressed cells only: a
 * suppressed cell's measures are null). Stocks are the last month's total:
 * Σ over the cells of the period's last month.
 */
const SEGMENT_AGGREGATES: Record<(typeof SEGMENT_KPIS)[number], string> = {
  active_customers: 'sum(s.customers) filter (where s.month = p.p_to)',
  kwh: 'sum(s.kwh)',
  billed_kwh: 'sum(s.billed_kwh)',
  revenue: 'sum(s.revenue)',
  avg_price: 'sum(s.revenue) / nullif(sum(s.billed_kwh), 0)',
  arrears_amount: 'sum(s.arrears_amount) filter (where s.month = p.p_to)',
  arrears_rate: 'sum(s.arrears_amount) filter (where s.month = p.p_to) / nullif(sum(s.revenue) / (date_diff(\'month\', p.p_from, p.p_to) + 1), 0)',
};

/** The two periods as a VALUES list (which, p_from, p_to) with their parameters. */
function periodsValues(filters: Filters): { sql: string; params: Param[] } {
  const period: Period = { from: filters.from, to: filters.to };
  const cmp = comparisonPeriod(period, filters.compare);
  return {
    sql: `periods(which, p_from, p_to) as (values ('value', ?::DATE, ?::DATE), ('comparison', ?::DATE, ?::DATE))`,
    params: [period.from, period.to, cmp.from, cmp.to],
  };
}

/**
 * KPI cards for the filters' period against the comparison period. Rows
 * `KpiCard`, in KPIS order (only SEGMENT_KPIS under a segment selection).
 */
export function kpiCards(filters: Filters): BuiltQuery {
  const periods = periodsValues(filters);
  let names: readonly Kpi[];
  let agg: string;
  let params: Param[];
  let extracts: string[];
  if (isSegmentSelection(filters)) {
    names = SEGMENT_KPIS;
    const where = filterWhere(filters, SEGMENT_FILTERS);
    agg = `select p.which, ${names.map((n) => `(${SEGMENT_AGGREGATES[n as keyof typeof SEGMENT_AGGREGATES]})::DOUBLE as ${quoteIdent(n)}`).join(', ')}
      from periods p left join segment_month s on s.month between p.p_from and p.p_to and ${where.sql}
      group by p.which, p.p_from, p.p_to`;
    params = [...periods.params, ...where.params];
    extracts = ['segment_month'];
  } else {
    names = KPIS;
    agg = `select p.which, ${names.map((n) => `(${COMPANY_AGGREGATES[n]})::DOUBLE as ${quoteIdent(n)}`).join(', ')}
      from periods p left join kpi_month k on k.month between p.p_from and p.p_to
      group by p.which`;
    params = periods.params;
    extracts = ['kpi_month'];
  }
  const list = `[${names.map(literal).join(', ')}]`;
  const sql = `with ${periods.sql},
agg as (${agg}),
kpi_long as (select which, unnest(${list}) as kpi, unnest([${names.map(quoteIdent).join(', ')}]) as v from agg)
select kpi,
       max(v) filter (where which = 'value') as value,
       max(v) filter (where which = 'comparison') as comparison,
       max(v) filter (where which = 'value') - max(v) filter (where which = 'comparison') as change
from kpi_long group by kpi order by list_position(${list}, kpi)`;
  return { sql, params, extracts };
}

/**
 * Monthly series for the sparklines: `months` months ending with the period's
 * last month, oldest first, one row per month (`KpiSeriesRow`, month as
 * 'YYYY-MM-01'); kpi_month's monthly figures, or segment_month's under a
 * segment selection. Months without data are absent.
 */
export function kpiSeries(filters: Filters, months = 13): BuiltQuery {
  const from = addMonths(filters.to, -(months - 1));
  if (isSegmentSelection(filters)) {
    const where = filterWhere(filters, SEGMENT_FILTERS);
    const cols = SEGMENT_KPIS.map((n) => {
      // One month: its own cells are the "last month", so the period aggregates apply as they are.
      const e = SEGMENT_AGGREGATES[n].replaceAll('p.p_to', 's.month').replaceAll('p.p_from', 's.month');
      return `(${e})::DOUBLE as ${quoteIdent(n)}`;
    });
    return {
      sql: `select strftime(s.month, '%Y-%m-%d') as month, ${cols.join(', ')}
from segment_month s where s.month between ?::DATE and ?::DATE and ${where.sql}
group by s.month order by s.month`,
      params: [from, filters.to, ...where.params],
      extracts: ['segment_month'],
    };
  }
  return {
    sql: `select strftime(k.month, '%Y-%m-%d') as month, ${KPIS.map((n) => `k.${quoteIdent(n)}::DOUBLE as ${quoteIdent(n)}`).join(', ')}
from kpi_month k where k.month between ?::DATE and ?::DATE order by k.month`,
    params: [from, filters.to],
    extracts: ['kpi_month'],
  };
}

/** segment_month's column of each additive KPI. */
const SEGMENT_COLUMN: Record<AdditiveKpi, string> = {
  active_customers: 'customers', kwh: 'kwh', billed_kwh: 'billed_kwh', revenue: 'revenue', arrears_amount: 'arrears_amount',
};
const STOCKS: ReadonlySet<AdditiveKpi> = new Set(['active_customers', 'arrears_amount']);

/**
 * "What moved": the change of `kpi` between the comparison period and the
 * period, split by segment and by region (segment_month), largest absolute
 * change first within each dimension. Without a segment selection each
 * dimension also gets a row with member null: the company's change
 * (kpi_month) minus the members' — suppressed cells and anything segment_month
 * does not see — so a dimension's rows add up to the card's change.
 */
export function whatMoved(filters: Filters, kpi: AdditiveKpi): BuiltQuery {
  const periods = periodsValues(filters);
  const column = `s.${quoteIdent(SEGMENT_COLUMN[kpi])}`;
  const stock = STOCKS.has(kpi);
  const where = filterWhere(filters, SEGMENT_FILTERS);
  const monthCondition = stock ? 's.month = p.p_to' : 's.month between p.p_from and p.p_to';
  const members = (dim: 'segment' | 'region') => `select '${dim}' as dimension, ${dim}::VARCHAR as member,
    sum(x) filter (where which = 'value') as value, sum(x) filter (where which = 'comparison') as comparison
    from cells group by ${dim}`;
  let sql = `with ${periods.sql},
cells as (select p.which, s.segment, s.region, ${column}::DOUBLE as x
          from periods p join segment_month s on ${monthCondition} where ${where.sql}),
moved as (${members('segment')} union all ${members('region')})`;
  const params: Param[] = [...periods.params, ...where.params];
  const extracts = ['segment_month'];
  if (!isSegmentSelection(filters)) {
    const total = COMPANY_AGGREGATES[kpi];
    sql += `,
total as (select sum(t.v) filter (where t.which = 'value') as value, sum(t.v) filter (where t.which = 'comparison') as comparison
          from (select p.which, (${total})::DOUBLE as v from periods p left join kpi_month k on k.month between p.p_from and p.p_to group by p.which) t),
rest as (select m.dimension, null::VARCHAR as member, any_value(t.value) - coalesce(sum(m.value), 0) as value,
                any_value(t.comparison) - coalesce(sum(m.comparison), 0) as comparison
         from moved m, total t group by m.dimension),
moved_rows as (select * from moved union all select * from rest)`;
    extracts.push('kpi_month');
  } else {
    sql += `,
moved_rows as (select * from moved)`;
  }
  sql += `
select dimension, member, value, comparison, coalesce(value, 0) - coalesce(comparison, 0) as change
from moved_rows order by dimension desc, member is null, abs(coalesce(value, 0) - coalesce(comparison, 0)) desc, member`;
  return { sql, params, extracts };
}

/** The cards from the manifest summary (latest complete month vs the month before), before DuckDB is ready. */
export function cardsFromSummary(summary: ManifestSummary): KpiCard[] {
  return KPIS.filter((k) => k in summary.values).map((kpi) => {
    const value = summary.values[kpi] ?? null;
    const comparison = summary.previous?.[kpi] ?? null;
    return { kpi, value, comparison, change: value !== null && comparison !== null ? value - comparison : null };
  });
}

/** The sparkline series from the manifest summary, shaped like kpiSeries rows. */
export function seriesFromSummary(summary: ManifestSummary): KpiSeriesRow[] {
  return summary.series.months.map((month, i) => {
    const row: KpiSeriesRow = { month };
    for (const kpi of KPIS) {
      const values = summary.series.values[kpi];
      if (values) row[kpi] = values[i] ?? null;
    }
    return row;
  });
}
