// Query builders of the Satisfaction view: survey item means and NPS
// (promoters / passives / detractors) by month and by survey wave, CSAT and
// NPS by segment, region or survey channel, and the latest answers of
// customers who had an outage report or a complaint against those who did not.
//
// They read satisfaction_month_totals (satisfaction_month's measures per month
// at every level of segment × region × survey channel), each at the level of
// its question (levelWhere), so small-cell suppression hides only what is
// small at that level. Item means are averaged over cells weighted by
// responses (each cell's mean is over the responses that answered the item:
// close, not exact, when an item was skipped). CSAT weighted by responses and
// NPS from the summed counts are exact. Surveys have no tariff or band: those
// filters do not apply here (the view says so).

import type { BuiltQuery, Filters } from '../api.ts';
import { filterWhere, joinParts, levelWhere, monthRange, type SqlPart } from '../sql.ts';
import { trendWindow } from './usage.ts';

const SURVEY_FILTERS = { segment: 'segment', region: 'region', channel: 'channel' } as const;
/** The CUBE dimensions of satisfaction_month_totals. */
export const SURVEY_DIMENSIONS = ['segment', 'region', 'channel'] as const;

/** The period, the filters, and the level with `by` and the filtered dimensions. */
function surveyWhere(filters: Filters, period: { from: string; to: string }, by: readonly string[] = []): SqlPart {
  return joinParts([monthRange('month', period), filterWhere(filters, SURVEY_FILTERS), levelWhere(SURVEY_DIMENSIONS, filters, by)], ' and ');
}
export const SURVEY_ITEMS = ['overall', 'reliability', 'service', 'price', 'billing', 'communication'] as const;
export const BREAKDOWNS = ['segment', 'region', 'channel'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

const measures = `
  ${SURVEY_ITEMS.map((i) => `sum(${i}_mean * responses) / nullif(sum(responses) filter (where ${i}_mean is not null), 0) as ${i}_mean`).join(',\n  ')},
  sum(csat_pct * responses) / nullif(sum(responses) filter (where csat_pct is not null), 0) as csat_pct,
  100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(nps_responses), 0) as nps,
  sum(responses)::DOUBLE as responses,
  sum(promoters)::DOUBLE as promoters,
  sum(passives)::DOUBLE as passives,
  sum(detractors)::DOUBLE as detractors`;

export interface SatisfactionRow {
  overall_mean: number | null;
  reliability_mean: number | null;
  service_mean: number | null;
  price_mean: number | null;
  billing_mean: number | null;
  communication_mean: number | null;
  csat_pct: number | null;
  nps: number | null;
  responses: number | null;
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
}

/** A row of satisfactionTrendAndWavesQuery: a month's (wave null) or a survey wave's (month null). */
export type TrendOrWaveRow = SatisfactionRow & { month: string | null; wave: string | null };
export type SatisfactionMonthRow = SatisfactionRow & { month: string };
export type SatisfactionWaveRow = SatisfactionRow & { wave: string };

/**
 * By month, 12 months to the period's end, and by survey wave, 8 quarters to
 * the period's end, in one question: waves are quarterly (fieldwork inside
 * the quarter), so a wave is the quarter of the response month, 'YYYY-Qn'.
 * One scan grouped two ways (grouping sets); month rows first, by month, then
 * wave rows, by wave (splitTrendAndWaves). As two questions they cost the
 * DuckDB worker 13.4–20.0 ms per Satisfaction filter change against
 * 8.3–12.5 ms as one (100k customers, Node; docs/performance.md).
 */
export function satisfactionTrendAndWavesQuery(filters: Filters): BuiltQuery {
  const w = surveyWhere(filters, trendWindow(filters, 24));
  return {
    sql: `select case when grouping(month) = 0 then cast(month as VARCHAR) end as month,
                 case when grouping(wave) = 0 then wave end as wave, ${measures}
            from (select *, cast(year(month) as VARCHAR) || '-Q' || cast(quarter(month) as VARCHAR) as wave
                    from satisfaction_month_totals where ${w.sql}) cells
           group by grouping sets ((month), (wave))
          having grouping(month) = 1 or month >= cast(? as DATE)
           order by wave nulls first, month`,
    params: [...w.params, trendWindow(filters, 12).from],
    extracts: ['satisfaction_month_totals'],
  };
}

/** The month rows and the wave rows of satisfactionTrendAndWavesQuery's answer, each in its order. */
export function splitTrendAndWaves(rows: readonly TrendOrWaveRow[]): { months: SatisfactionMonthRow[]; waves: SatisfactionWaveRow[] } {
  const months: SatisfactionMonthRow[] = [];
  const waves: SatisfactionWaveRow[] = [];
  for (const { month, wave, ...measures } of rows) {
    if (month !== null) months.push({ month, ...measures });
    else if (wave !== null) waves.push({ wave, ...measures });
  }
  return { months, waves };
}

/** CSAT, NPS and reliability over the period by segment, region or survey channel. */
export function satisfactionBreakdownQuery(filters: Filters, by: Breakdown): BuiltQuery {
  const column: Breakdown = (BREAKDOWNS as readonly string[]).includes(by) ? by : 'region';
  const w = surveyWhere(filters, filters, [column]);
  return {
    sql: `select ${column} as key, ${measures}
            from satisfaction_month_totals where ${w.sql} group by 1 order by csat_pct nulls last, key`,
    params: w.params,
    extracts: ['satisfaction_month_totals'],
  };
}

export interface ExperienceRow {
  experience: 'outage_12m' | 'complaint_12m';
  had: boolean;
  customers: number;
  overall_mean: number | null;
  reliability_mean: number | null;
  detractor_share: number | null;
}

/**
 * Latest survey answer of customers with / without an outage report (or a
 * complaint) in their last 12 months (customer extract: tickets_12m counts
 * and the latest response; every customer filter applies, channel as the
 * preferred channel). One scan of the customer extract, grouped two ways
 * (grouping sets) instead of a union of two scans: on the 100k-customer
 * extract in DuckDB-WASM (Node) 9.0–10.5 ms against 11.4–15.7 ms, paid on
 * every Satisfaction filter change (docs/performance.md).
 */
export function experienceQuery(filters: Filters): BuiltQuery {
  const w = joinParts(
    [
      { sql: 'overall is not null', params: [] },
      filterWhere(filters, { segment: 'segment', region: 'region', tariff: 'tariff', band: 'band', channel: 'preferred_channel' }),
    ],
    ' and ',
  );
  return {
    sql: `select case when grouping(had_outage) = 0 then 'outage_12m' else 'complaint_12m' end as experience,
                 case when grouping(had_outage) = 0 then had_outage else had_complaint end as had, count(*)::INTEGER as customers,
                 avg(overall)::DOUBLE as overall_mean, avg(reliability)::DOUBLE as reliability_mean,
                 (count(*) filter (where nps_class = 'detractor'))::DOUBLE / nullif(count(nps_class), 0) as detractor_share
            from (select outages_12m > 0 as had_outage, complaints_12m > 0 as had_complaint, overall, reliability, nps_class
                    from customer where ${w.sql}) answered
           group by grouping sets ((had_outage), (had_complaint))
           order by experience, had`,
    params: w.params,
    extracts: ['customer'],
  };
}
