// Query builders of the Usage view: monthly consumption by segment (24 months
// to the period's end, for seasonality and year over year), the hour × month
// load heatmap and the workday / weekend-holiday curves (load_profile,
// interval meters only, which carries segment but no region, tariff or band),
// and TOU shares, load factor and peak-valley difference rate by month.
//
// Aggregating ratios across cells: TOU shares are Σ share × kWh ÷ Σ kWh over
// the cells that have a share (cells whose kWh is all interval-metered, as the
// generator and most utilities meter a class one way); load factor and
// peak-valley rate are means over interval customers, so weighted by
// interval_customers, which is exact.

import type { BuiltQuery, Filters } from '../api.ts';
import { addMonths, filterWhere, joinParts, monthRange, type SqlPart } from '../sql.ts';

const SEGMENT_FILTERS = { segment: 'segment', region: 'region', tariff: 'tariff', band: 'band' } as const;

/** The months a trend shows: the period, widened to at least `months` months ending with its last. */
export function trendWindow(filters: Filters, months: number): { from: string; to: string } {
  const earliest = addMonths(filters.to, -(months - 1));
  return { from: filters.from < earliest ? filters.from : earliest, to: filters.to };
}

function where(parts: SqlPart[]): SqlPart {
  return joinParts(parts, ' and ');
}

export interface MonthlyUsageRow {
  month: string;
  segment: string;
  kwh: number | null;
}

/** kWh by month and segment, the 24 months ending with the period (two years: year over year). */
export function monthlyUsageQuery(filters: Filters): BuiltQuery {
  const w = where([monthRange('month', trendWindow(filters, 24)), filterWhere(filters, SEGMENT_FILTERS)]);
  return {
    sql: `select cast(month as VARCHAR) as month, segment, sum(kwh)::DOUBLE as kwh
            from segment_month where ${w.sql}
           group by month, segment order by month, segment`,
    params: w.params,
    extracts: ['segment_month'],
  };
}

export interface HeatmapRow {
  month: string;
  hour: number;
  kwh_per_customer_hour: number | null;
}

/** Average kWh per customer-hour by month × hour of day (12 months to the period's end), all day types. */
export function loadHeatmapQuery(filters: Filters): BuiltQuery {
  const w = where([monthRange('month', trendWindow(filters, 12)), filterWhere(filters, { segment: 'segment' })]);
  return {
    sql: `select cast(month as VARCHAR) as month, hour::INTEGER as hour,
                 sum(kwh) / nullif(sum(customer_days), 0) as kwh_per_customer_hour
            from load_profile where ${w.sql}
           group by month, hour order by month, hour`,
    params: w.params,
    extracts: ['load_profile'],
  };
}

export interface ProfileRow {
  day_type: string;
  hour: number;
  kwh_per_customer_hour: number | null;
}

/** The average day's load curve of workdays and of weekends/holidays in the period. */
export function loadProfileQuery(filters: Filters): BuiltQuery {
  const w = where([monthRange('month', filters), filterWhere(filters, { segment: 'segment' })]);
  return {
    sql: `select day_type, hour::INTEGER as hour,
                 sum(kwh) / nullif(sum(customer_days), 0) as kwh_per_customer_hour
            from load_profile where ${w.sql}
           group by day_type, hour order by day_type, hour`,
    params: w.params,
    extracts: ['load_profile'],
  };
}

export interface LoadShapeRow {
  month: string;
  peak_share: number | null;
  shoulder_share: number | null;
  valley_share: number | null;
  load_factor: number | null;
  peak_valley_rate: number | null;
  interval_customers: number | null;
}

/** TOU shares (0–1), load factor and peak-valley difference rate by month, 12 months to the period's end. */
export function loadShapeQuery(filters: Filters): BuiltQuery {
  const w = where([monthRange('month', trendWindow(filters, 12)), filterWhere(filters, SEGMENT_FILTERS)]);
  const share = (c: string) =>
    `sum(${c} * kwh) / nullif(sum(kwh) filter (where ${c} is not null), 0) as ${c}`;
  return {
    sql: `select cast(month as VARCHAR) as month,
                 ${share('peak_share')}, ${share('shoulder_share')}, ${share('valley_share')},
                 sum(load_factor * interval_customers) / nullif(sum(interval_customers) filter (where load_factor is not null), 0) as load_factor,
                 sum(peak_valley_rate * interval_customers) / nullif(sum(interval_customers) filter (where peak_valley_rate is not null), 0) as peak_valley_rate,
                 sum(interval_customers)::DOUBLE as interval_customers
            from segment_month where ${w.sql}
           group by month order by month`,
    params: w.params,
    extracts: ['segment_month'],
  };
}
