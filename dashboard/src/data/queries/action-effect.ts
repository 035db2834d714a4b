// Query builder of the Satisfaction view's "Improvement actions" panel: one
// row per action of the register from the action_effect extract (the DiD and
// its interval are computed in the mart: sql/marts/action_effect.sql,
// docs/metrics.md). Actions whose date is in the period or whose after-window
// overlaps it; the region filter keeps actions treating a selected region.
// A handful of rows: cheap whatever the filters.

import type { BuiltQuery, Filters } from '../api.ts';

export const ACTION_EFFECT_COLUMNS = [
  'action_id', 'action_date', 'target', 'regions', 'segments', 'description', 'before_start', 'after_end',
  'treated_before_n', 'treated_before_mean', 'treated_after_n', 'treated_after_mean',
  'untreated_before_n', 'untreated_before_mean', 'untreated_after_n', 'untreated_after_mean',
  'treated_change', 'untreated_change', 'did', 'did_se', 'did_low', 'did_high', 'outcome', 'min_cell_responses', 'suppressed',
] as const;

export interface ActionEffectRow {
  action_id: string;
  action_date: string;
  target: string;
  regions: string;
  segments: string | null;
  description: string | null;
  before_start: string | null;
  after_end: string | null;
  treated_before_n: number | null;
  treated_before_mean: number | null;
  treated_after_n: number | null;
  treated_after_mean: number | null;
  untreated_before_n: number | null;
  untreated_before_mean: number | null;
  untreated_after_n: number | null;
  untreated_after_mean: number | null;
  treated_change: number | null;
  untreated_change: number | null;
  did: number | null;
  did_se: number | null;
  did_low: number | null;
  did_high: number | null;
  outcome: 'improved' | 'worsened' | 'no_change' | null;
  min_cell_responses: number | null;
  suppressed: boolean;
}

const DATES = new Set(['action_date', 'before_start', 'after_end']);
const INTS = new Set(['treated_before_n', 'treated_after_n', 'untreated_before_n', 'untreated_after_n', 'min_cell_responses']);
const DOUBLES = new Set(['treated_before_mean', 'treated_after_mean', 'untreated_before_mean', 'untreated_after_mean', 'treated_change', 'untreated_change', 'did', 'did_se', 'did_low', 'did_high']);

const select = (c: string): string =>
  DATES.has(c) ? `cast(${c} as VARCHAR) as ${c}` : INTS.has(c) ? `${c}::INTEGER as ${c}` : DOUBLES.has(c) ? `${c}::DOUBLE as ${c}` : c;

export function actionEffectQuery(filters: Pick<Filters, 'from' | 'to' | 'region'>): BuiltQuery {
  // Action dated by the period's last day, and its after-window reaching into the period.
  const params: string[] = [filters.to, filters.from];
  let where = `action_date < cast(? as DATE) + INTERVAL 1 MONTH and after_end > cast(? as DATE)`;
  if (filters.region.length > 0) {
    where += ` and (${filters.region.map(() => `list_contains(string_split(regions, ';'), ?)`).join(' or ')})`;
    params.push(...filters.region);
  }
  return {
    sql: `select ${ACTION_EFFECT_COLUMNS.map(select).join(', ')} from action_effect where ${where} order by action_date desc, action_id`,
    params,
    extracts: ['action_effect'],
  };
}
