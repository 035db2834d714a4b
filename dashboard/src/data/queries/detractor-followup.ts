// Query builder of the Satisfaction view's "Detractor follow-up" panel: per
// survey wave of the 12 months to the period's end, follow-up cases, contacts within 30 days, time
// to contact, and the next-wave NPS of contacted vs uncontacted detractors
// (detractor_followup extract; definitions in docs/metrics.md).
//
// One small query at the level of the segment/region filters (levelWhere, as
// the satisfaction queries). Counts and sums add up over cells; percentiles do
// not: a wave's median/p90 is shown only when one cell answers it (no filter,
// or one value per filtered dimension), else null. The interval of the
// difference is computed from the summed sums and squares (nextWaveDifference).

import type { BuiltQuery, Filters } from '../api.ts';
import { filterWhere, joinParts, levelWhere, monthRange } from '../sql.ts';
import { trendWindow } from './usage.ts';

export const FOLLOWUP_DIMENSIONS = ['segment', 'region'] as const;
/** Target: a detractor is contacted within 72 hours of the response day's start (the mart's contacted_within_target). */
export const CONTACT_TARGET_HOURS = 72;

export interface FollowUpRow {
  wave: string;
  month: string;
  cases: number | null;
  pending: number | null;
  contacted: number | null;
  contacted_within_target: number | null;
  contact_rate: number | null;
  contact_hours_median: number | null;
  contact_hours_p90: number | null;
  contacted_next_responses: number | null;
  contacted_next_nps_sum: number | null;
  contacted_next_nps_sumsq: number | null;
  uncontacted_next_responses: number | null;
  uncontacted_next_nps_sum: number | null;
  uncontacted_next_nps_sumsq: number | null;
  /** Cells of the wave withheld by small-cell suppression. */
  suppressed_cells: number;
}

const SUMS = ['cases', 'pending', 'contacted', 'contacted_within_target', 'contacted_next_responses', 'contacted_next_nps_sum', 'contacted_next_nps_sumsq',
  'uncontacted_next_responses', 'uncontacted_next_nps_sum', 'uncontacted_next_nps_sumsq'] as const;

/** Waves are quarterly: the waves of the 12 months to the period's end (or of the period, when longer), like the wave chart. */
export function followUpQuery(filters: Filters): BuiltQuery {
  const w = joinParts([monthRange('month', trendWindow(filters, 12)), filterWhere(filters, { segment: 'segment', region: 'region' }), levelWhere(FOLLOWUP_DIMENSIONS, filters)], ' and ');
  return {
    sql: `select wave, cast(min(month) as VARCHAR) as month,
            ${SUMS.map((c) => `sum(${c})::DOUBLE as ${c}`).join(', ')},
            sum(contacted)::DOUBLE / nullif(sum(cases) - sum(pending), 0) as contact_rate,
            case when count(*) = 1 then max(contact_hours_median) end::DOUBLE as contact_hours_median,
            case when count(*) = 1 then max(contact_hours_p90) end::DOUBLE as contact_hours_p90,
            (count(*) filter (where suppressed))::INTEGER as suppressed_cells
          from detractor_followup where ${w.sql} group by wave order by min(month), wave`,
    params: w.params,
    extracts: ['detractor_followup'],
  };
}

export interface Difference {
  contacted: { n: number; mean: number };
  uncontacted: { n: number; mean: number };
  /** contacted − uncontacted mean next-wave NPS score (0–10), with its 95% interval (Welch, normal approximation). */
  diff: number;
  low: number;
  high: number;
}

/** Next-wave mean NPS score of contacted vs uncontacted over the rows; null when a group has fewer than 2 answers. */
export function nextWaveDifference(rows: readonly FollowUpRow[]): Difference | null {
  const total = (k: keyof FollowUpRow): number => rows.reduce((a, r) => a + (Number(r[k]) || 0), 0);
  const nc = total('contacted_next_responses');
  const nu = total('uncontacted_next_responses');
  if (nc < 2 || nu < 2) return null;
  const group = (n: number, sum: number, sq: number): { n: number; mean: number; variance: number } =>
    ({ n, mean: sum / n, variance: Math.max(0, (sq - (sum * sum) / n) / (n - 1)) });
  const c = group(nc, total('contacted_next_nps_sum'), total('contacted_next_nps_sumsq'));
  const u = group(nu, total('uncontacted_next_nps_sum'), total('uncontacted_next_nps_sumsq'));
  const diff = c.mean - u.mean;
  const se = Math.sqrt(c.variance / c.n + u.variance / u.n);
  return { contacted: { n: c.n, mean: c.mean }, uncontacted: { n: u.n, mean: u.mean }, diff, low: diff - 1.96 * se, high: diff + 1.96 * se };
}
