// Query builders of the Segments view: the groups at the current drill level
// (segment → region → tariff → band), their size, value, satisfaction and need
// tags, and the customer list at the end of the drill path. Pure functions
// returning BuiltQuery; every filter and drill value is a bound parameter, and
// the only identifiers placed in SQL come from the fixed lists below.
//
// Periods: customers and arrears are those of the period's last month (a
// stock), kWh and revenue the sums over the period (flows). Suppressed cells
// (fewer than K customers) carry nulls and so drop out of the sums; the view
// says so.

import type { BuiltQuery, Filters } from '../api.ts';
import { filterWhere, joinParts, levelWhere, monthRange, type Param, type SqlPart } from '../sql.ts';
import { SURVEY_DIMENSIONS } from './satisfaction.ts';

export const DRILL_COLUMNS = ['segment', 'region', 'tariff', 'band'] as const;
export type DrillColumn = (typeof DRILL_COLUMNS)[number];

/** The drill path as column = value conditions (level i is DRILL_COLUMNS[i]). */
function drillWhere(drill: readonly string[]): SqlPart {
  const parts = drill.slice(0, DRILL_COLUMNS.length).map((value, i) => ({ sql: `${DRILL_COLUMNS[i]} = ?`, params: [value] as Param[] }));
  return parts.length ? joinParts(parts, ' and ') : { sql: 'true', params: [] };
}

const SEGMENT_FILTERS = { segment: 'segment', region: 'region', tariff: 'tariff', band: 'band' } as const;
const CUSTOMER_FILTERS = { ...SEGMENT_FILTERS, channel: 'preferred_channel' } as const;
const SURVEY_FILTERS = { segment: 'segment', region: 'region', channel: 'channel' } as const;

export interface SegmentGroupRow {
  key: string;
  customers: number | null;
  kwh: number | null;
  revenue: number | null;
  arrears: number | null;
  /** 0–100; null when surveys cannot be cut this way (tariff, band) or no response. */
  csat_pct: number | null;
  survey_responses: number | null;
  need_green: number;
  need_reliability: number;
  need_price: number;
  suppressed_cells: number;
}

/**
 * Groups at the level after `drill` (drill.length < 4). Satisfaction joins in
 * only where surveys carry the dimensions in play (segment, region): a tariff
 * or band filter or level leaves it null rather than wrong. `needs: false`
 * (a role without the customer extract) leaves the need tags at 0 and the
 * customer extract out.
 */
export function segmentGroupsQuery(filters: Filters, drill: readonly string[], o: { needs?: boolean } = {}): BuiltQuery {
  const level = DRILL_COLUMNS[drill.length];
  if (!level) throw new Error(`drill path ${JSON.stringify(drill)} is at the customer list: use customerPageQuery`);
  const period = { from: filters.from, to: filters.to };
  const path = drillWhere(drill);
  const cells = joinParts([monthRange('month', period), filterWhere(filters, SEGMENT_FILTERS), path], ' and ');
  const people = joinParts([{ sql: `status = 'active'`, params: [] }, filterWhere(filters, CUSTOMER_FILTERS), path], ' and ');
  const surveysApply = (level === 'segment' || level === 'region') && drill.length <= 2 && filters.tariff.length === 0 && filters.band.length === 0;
  const withNeeds = o.needs ?? true;
  const extracts = withNeeds ? ['segment_month', 'customer'] : ['segment_month'];
  let survey: SqlPart = { sql: `select null::VARCHAR as key, null::DOUBLE as csat_pct, null::DOUBLE as survey_responses where false`, params: [] };
  if (surveysApply) {
    extracts.push('satisfaction_month_totals');
    // The level of satisfaction_month_totals with this breakdown, the drill path and the filters.
    const surveyLevel = levelWhere(SURVEY_DIMENSIONS, filters, [level, ...DRILL_COLUMNS.slice(0, drill.length)]);
    const w = joinParts([monthRange('month', period), filterWhere(filters, SURVEY_FILTERS), path, surveyLevel], ' and ');
    survey = {
      sql: `select ${level} as key,
                   sum(csat_pct * responses) / nullif(sum(responses) filter (where csat_pct is not null), 0) as csat_pct,
                   sum(responses)::DOUBLE as survey_responses
              from satisfaction_month_totals where ${w.sql} group by 1`,
      params: w.params,
    };
  }
  const sql = `
with cells as (
  select ${level} as key,
         sum(customers) filter (where month = ?::DATE)::DOUBLE as customers,
         sum(kwh)::DOUBLE as kwh,
         sum(revenue)::DOUBLE as revenue,
         sum(arrears_amount) filter (where month = ?::DATE)::DOUBLE as arrears,
         count(*) filter (where suppressed)::INTEGER as suppressed_cells
    from segment_month where ${cells.sql} group by 1
),
needs as (${withNeeds ? `
  select ${level} as key,
         count(*) filter (where need_green)::INTEGER as need_green,
         count(*) filter (where need_reliability)::INTEGER as need_reliability,
         count(*) filter (where need_price)::INTEGER as need_price
    from customer where ${people.sql} group by 1` : `select null::VARCHAR as key, 0 as need_green, 0 as need_reliability, 0 as need_price where false`}
),
surveys as (${survey.sql})
select cells.key, cells.customers, cells.kwh, cells.revenue, cells.arrears,
       surveys.csat_pct, surveys.survey_responses,
       coalesce(needs.need_green, 0)::INTEGER as need_green,
       coalesce(needs.need_reliability, 0)::INTEGER as need_reliability,
       coalesce(needs.need_price, 0)::INTEGER as need_price,
       cells.suppressed_cells
  from cells
  left join needs on needs.key = cells.key
  left join surveys on surveys.key = cells.key
 order by cells.revenue desc nulls last, cells.key`;
  return { sql, params: [filters.to, filters.to, ...cells.params, ...(withNeeds ? people.params : []), ...survey.params], extracts };
}

/** Columns of the customer list (the customer extract: pseudonymous key and profile, no personal data). */
export const CUSTOMER_COLUMNS = [
  'customer_key', 'segment', 'region', 'tariff', 'band', 'status', 'tenure_months', 'preferred_channel',
  'annual_kwh', 'revenue_12m', 'arrears', 'load_factor', 'churn_risk', 'value_tier', 'nps_class',
  'need_green', 'need_reliability', 'need_price',
] as const;
export type CustomerColumn = (typeof CUSTOMER_COLUMNS)[number];
export type CustomerRow = Record<CustomerColumn, string | number | boolean | null>;

/** Columns the list can be sorted by (an identifier from this list, never from the URL as such). */
export const SORTABLE_COLUMNS: readonly CustomerColumn[] = CUSTOMER_COLUMNS.filter((c) => !c.startsWith('need_'));

export function customerWhere(filters: Filters, drill: readonly string[]): SqlPart {
  return joinParts([filterWhere(filters, CUSTOMER_FILTERS), drillWhere(drill)], ' and ');
}

export function customerCountQuery(filters: Filters, drill: readonly string[]): BuiltQuery {
  const w = customerWhere(filters, drill);
  return { sql: `select count(*)::INTEGER as n from customer where ${w.sql}`, params: w.params, extracts: ['customer'] };
}

/** One page of the list; `sort` outside SORTABLE_COLUMNS falls back to revenue. Ties broken by key, so pages never overlap. */
export function customerPageQuery(
  filters: Filters,
  drill: readonly string[],
  sort: { column: string | null; desc: boolean },
  page: { offset: number; limit: number },
): BuiltQuery {
  const column = (SORTABLE_COLUMNS as readonly string[]).includes(sort.column ?? '') ? (sort.column as CustomerColumn) : 'revenue_12m';
  const w = customerWhere(filters, drill);
  const select = CUSTOMER_COLUMNS.join(', ');
  return {
    sql: `select ${select} from customer where ${w.sql}
           order by ${column} ${sort.desc ? 'desc' : 'asc'} nulls last, customer_key
           limit ? offset ?`,
    params: [...w.params, Math.max(1, Math.floor(page.limit)), Math.max(0, Math.floor(page.offset))],
    extracts: ['customer'],
  };
}

/** Values of a filter dimension present in the data, for the filter bar. */
export function dimensionValuesQuery(dimension: DrillColumn): BuiltQuery {
  if (!(DRILL_COLUMNS as readonly string[]).includes(dimension)) throw new Error(`not a segment dimension: ${dimension}`);
  return {
    sql: `select distinct ${dimension} as value from segment_month where ${dimension} is not null order by 1`,
    params: [],
    extracts: ['segment_month'],
  };
}

/** Months the extracts cover ('YYYY-MM-01', oldest first), for the period picker. */
export function monthsQuery(): BuiltQuery {
  return { sql: `select distinct cast(month as VARCHAR) as month from kpi_month order by 1`, params: [], extracts: ['kpi_month'] };
}
