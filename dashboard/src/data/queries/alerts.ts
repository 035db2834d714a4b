// Query builders of the Alerts view (异常用电预警) over the usage_alert extract
// (mart.usage_alert: one row per alert, pseudonymous key; rules in
// docs/metrics.md "Abnormal-usage alerts"). Pure: SQL text plus bound values.
//
// "Today" is the detectors' as_of (the latest reading day they have seen);
// an alert is open on day d when first_seen ≤ d and it was not resolved by
// then (resolved_on is null or later than d). The filter bar's segment and
// region apply (the alert's account in the month of last_seen); the period,
// tariff, band and channel do not (alerts have their own horizon).

import type { BuiltQuery, Filters } from '../api.ts';
import { filterWhere, joinParts, type Param, type SqlPart } from '../sql.ts';

// high_bill: the high-bill warning (高额电费预警), with its own figures (projected_amount, usual_amount, driver).
export const ALERT_TYPES = ['spike', 'zero', 'flat', 'night_load', 'high_bill'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export const ALERT_STATUSES = ['open', 'all'] as const;
export type AlertStatusChoice = (typeof ALERT_STATUSES)[number];

const ALERT_FILTERS = { segment: 'segment', region: 'region' } as const;

/** The list's own choices: open alerts only (default) or all in the horizon, and which types (empty: every type). */
export interface AlertListOptions {
  status: AlertStatusChoice;
  types: readonly string[];
}

export const DEFAULT_ALERT_LIST: AlertListOptions = { status: 'open', types: [] };

/** The filter bar's segment/region, plus the list's status and types. */
export function alertWhere(filters: Filters, o: AlertListOptions = DEFAULT_ALERT_LIST): SqlPart {
  const types = o.types.filter((t) => (ALERT_TYPES as readonly string[]).includes(t));
  const parts: SqlPart[] = [filterWhere(filters, ALERT_FILTERS)];
  if (o.status === 'open') parts.push({ sql: `status = 'open'`, params: [] });
  if (types.length) parts.push({ sql: `alert_type in (${types.map(() => '?').join(', ')})`, params: types });
  return joinParts(parts, ' and ');
}

export interface AlertSummaryRow {
  as_of: string | null;
  open_alerts: number;
  open_customers: number;
  high: number;
  new_today: number;
  resolved_alerts: number;
}

/** As-of day, open alerts and customers, open high-severity alerts, alerts first seen on the as-of day, resolved alerts in the horizon. */
export function alertSummaryQuery(filters: Filters): BuiltQuery {
  const w = alertWhere(filters, { status: 'all', types: [] });
  return {
    sql: `select cast(max(as_of) as VARCHAR) as as_of,
                 count(*) filter (where status = 'open')::DOUBLE as open_alerts,
                 count(distinct customer_key) filter (where status = 'open')::DOUBLE as open_customers,
                 count(*) filter (where status = 'open' and severity = 3)::DOUBLE as high,
                 count(*) filter (where first_seen = as_of)::DOUBLE as new_today,
                 count(*) filter (where status = 'resolved')::DOUBLE as resolved_alerts
            from usage_alert where ${w.sql}`,
    params: w.params,
    extracts: ['usage_alert'],
  };
}

export interface AlertTypeSeverityRow {
  alert_type: string;
  severity: number;
  alerts: number;
}

/** Open alerts by type × severity (only the combinations present). */
export function openByTypeSeverityQuery(filters: Filters): BuiltQuery {
  const w = alertWhere(filters);
  return {
    sql: `select alert_type, severity::INTEGER as severity, count(*)::DOUBLE as alerts
            from usage_alert where ${w.sql}
           group by 1, 2 order by 1, 2`,
    params: w.params,
    extracts: ['usage_alert'],
  };
}

export interface AlertBreakdownRow {
  key: string;
  alerts: number;
  customers: number;
  high: number;
}

/** Open alerts by segment or region: alerts, customers with one, high-severity alerts; most alerts first. */
export function openByDimensionQuery(filters: Filters, by: 'segment' | 'region'): BuiltQuery {
  const w = alertWhere(filters);
  const column = by === 'segment' ? 'segment' : 'region';
  return {
    sql: `select coalesce(${column}, 'unknown') as key, count(*)::DOUBLE as alerts,
                 count(distinct customer_key)::DOUBLE as customers,
                 count(*) filter (where severity = 3)::DOUBLE as high
            from usage_alert where ${w.sql}
           group by 1 order by alerts desc, key`,
    params: w.params,
    extracts: ['usage_alert'],
  };
}

export interface AlertTrendRow {
  /** Monday of the week, 'YYYY-MM-DD'. */
  week: string;
  new_alerts: number;
  resolved: number;
  /** Open at the week's last day (or at as_of for the current week). */
  open_at_end: number;
}

/**
 * Per week (Monday to Sunday) from the week of the earliest first_seen to the
 * as-of day's: alerts first seen, alerts resolved (resolved_on in the week) and
 * alerts open at the week's end (its Sunday, or as_of when earlier). Alerts
 * that fell out of the detectors' horizon are no longer in the extract, so the
 * earliest weeks undercount.
 */
export function alertTrendQuery(filters: Filters): BuiltQuery {
  const w = alertWhere(filters, { status: 'all', types: [] });
  return {
    sql: `with a as (select first_seen, resolved_on from usage_alert where ${w.sql}),
               s as (select max(as_of) as as_of from usage_alert),
               weeks as (
                 select cast(unnest(generate_series(cast(date_trunc('week', (select min(first_seen) from a)) as TIMESTAMP),
                                                    cast((select as_of from s) as TIMESTAMP), interval 7 day)) as DATE) as week
               ),
               wk as (select week, least(week + 6, (select as_of from s)) as week_end from weeks where week is not null)
          select cast(wk.week as VARCHAR) as week,
                 count(a.first_seen) filter (where a.first_seen >= wk.week and a.first_seen < wk.week + 7)::DOUBLE as new_alerts,
                 count(a.first_seen) filter (where a.resolved_on >= wk.week and a.resolved_on < wk.week + 7)::DOUBLE as resolved,
                 count(a.first_seen) filter (where a.first_seen <= wk.week_end and (a.resolved_on is null or a.resolved_on > wk.week_end))::DOUBLE as open_at_end
            from wk left join a on true
           group by wk.week order by wk.week`,
    params: w.params,
    extracts: ['usage_alert'],
  };
}

/** The list's columns, in the extract's words. */
export const ALERT_LIST_COLUMNS = [
  'customer_key', 'segment', 'region', 'alert_type', 'severity', 'first_seen', 'last_seen', 'flagged_days', 'status', 'resolved_on',
  'projected_amount', 'usual_amount', 'driver', 'reason',
] as const;
export type AlertListColumn = (typeof ALERT_LIST_COLUMNS)[number];
export const ALERT_SORTABLE: readonly AlertListColumn[] = ALERT_LIST_COLUMNS.filter((c) => c !== 'reason');

export interface AlertRow {
  customer_key: number;
  segment: string | null;
  region: string | null;
  alert_type: string;
  severity: number;
  first_seen: string;
  last_seen: string;
  flagged_days: number;
  status: string;
  resolved_on: string | null;
  /** The mart's reason, one English sentence (the view words its own from the figures below). */
  reason: string;
  worst_day: string;
  baseline: number | null;
  observed: number | null;
  threshold: number | null;
  /** high_bill only (null otherwise): the month projected ('YYYY-MM-DD', its first day), projected and usual bill (CNY), main driver. */
  bill_month: string | null;
  projected_amount: number | null;
  usual_amount: number | null;
  driver: string | null;
}

export interface AlertSort {
  column: string | null;
  desc: boolean;
}

/** The list's default order: most severe first, then the newest. */
export const DEFAULT_ALERT_SORT: AlertSort = { column: 'severity', desc: true };

function orderBy(sort: AlertSort): string {
  const column = (ALERT_SORTABLE as readonly string[]).includes(sort.column ?? '') ? sort.column! : 'severity';
  // Ties: the newest, then key and type, so pages never overlap.
  return `${column} ${sort.desc ? 'desc' : 'asc'} nulls last, first_seen desc, customer_key, alert_type`;
}

const SELECT = `customer_key::INTEGER as customer_key, segment, region, alert_type, severity::INTEGER as severity,
                cast(first_seen as VARCHAR) as first_seen, cast(last_seen as VARCHAR) as last_seen, flagged_days::INTEGER as flagged_days,
                status, cast(resolved_on as VARCHAR) as resolved_on, reason,
                cast(worst_day as VARCHAR) as worst_day, baseline::DOUBLE as baseline, observed::DOUBLE as observed, threshold::DOUBLE as threshold,
                cast(bill_month as VARCHAR) as bill_month, projected_amount::DOUBLE as projected_amount, usual_amount::DOUBLE as usual_amount, driver`;

export function alertCountQuery(filters: Filters, o: AlertListOptions): BuiltQuery {
  const w = alertWhere(filters, o);
  return { sql: `select count(*)::INTEGER as n from usage_alert where ${w.sql}`, params: w.params, extracts: ['usage_alert'] };
}

/** One page of the list (page null: every row, for exports). */
export function alertPageQuery(filters: Filters, o: AlertListOptions, sort: AlertSort, page: { offset: number; limit: number } | null): BuiltQuery {
  const w = alertWhere(filters, o);
  const params: Param[] = [...w.params];
  let limit = '';
  if (page) {
    limit = ' limit ? offset ?';
    params.push(Math.max(1, Math.floor(page.limit)), Math.max(0, Math.floor(page.offset)));
  }
  return {
    sql: `select ${SELECT} from usage_alert where ${w.sql} order by ${orderBy(sort)}${limit}`,
    params,
    extracts: ['usage_alert'],
  };
}
