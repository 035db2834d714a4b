// The alert list for the service team (pure): the Alerts view's list rows
// (pseudonymous, from DuckDB) re-identified by the same audited endpoint as
// the campaign planner's target list (POST /api/target-list,
// campaigns/target-list.ts). The request's `audience` says what the list is —
// {"kind": "usage_alerts", status, types, segment, region, as_of, sort} — so
// the audit record (ops.target_list_export) names it; the keys are the list's
// customers, each once (a customer may have alerts of two types); no holdout.

import type { AlertListOptions, AlertRow, AlertSort } from '../data/queries/alerts.ts';
import type { Filters } from '../data/api.ts';
import { withAccountNumbers, type TargetListReply, type TargetListRequestBody } from '../campaigns/target-list.ts';

export const ALERT_LIST_KIND = 'usage_alerts';

/** What the list holds, as the audit record keeps it (filters that are not set are left out). */
export function alertAudience(filters: Pick<Filters, 'segment' | 'region'>, o: AlertListOptions, sort: AlertSort, asOf: string | null): Record<string, unknown> {
  const a: Record<string, unknown> = { kind: ALERT_LIST_KIND, status: o.status };
  if (o.types.length) a.types = [...o.types];
  if (filters.segment.length) a.segment = [...filters.segment];
  if (filters.region.length) a.region = [...filters.region];
  if (asOf) a.as_of = asOf;
  a.sort = `${sort.desc ? '-' : ''}${sort.column ?? 'severity'}`;
  return a;
}

export function alertListRequest(name: string | null, audience: Record<string, unknown>, rows: readonly Pick<AlertRow, 'customer_key'>[]): TargetListRequestBody {
  return { name, audience, holdout: null, keys: [...new Set(rows.map((r) => r.customer_key))], holdoutKeys: [] };
}

/** The file's columns, in order: account number, pseudonymous key, then the alert. */
export const ALERT_FILE_COLUMNS = [
  { key: 'customer_id', label: 'camp.col.customer_id', type: 'text' },
  { key: 'customer_key', label: 'col.customer_key', type: 'integer' },
  { key: 'alert_type', label: 'alerts.col.type', type: 'text' },
  { key: 'severity', label: 'alerts.col.severity', type: 'integer' },
  { key: 'first_seen', label: 'alerts.col.first_seen', type: 'date' },
  { key: 'last_seen', label: 'alerts.col.last_seen', type: 'date' },
  { key: 'flagged_days', label: 'alerts.col.flagged_days', type: 'integer' },
  { key: 'status', label: 'col.status', type: 'text' },
  { key: 'projected_amount', label: 'alerts.col.projected_amount', type: 'number' },
  { key: 'usual_amount', label: 'alerts.col.usual_amount', type: 'number' },
  { key: 'driver', label: 'alerts.col.driver', type: 'text' },
  { key: 'segment', label: 'col.segment', type: 'text' },
  { key: 'region', label: 'col.region', type: 'text' },
  { key: 'reason', label: 'alerts.col.reason', type: 'text' },
] as const;

export type AlertFileRow = AlertRow & { customer_id: string };

/** One file row per alert, each with its customer's account number from the reply and the reason in the reader's words. */
export function alertFileRows(rows: readonly AlertRow[], reply: TargetListReply, reason: (r: AlertRow) => string = (r) => r.reason): AlertFileRow[] {
  return withAccountNumbers(rows, reply).map((r) => ({ ...r, reason: reason(r) }));
}

type Translate = (key: string, vars: Record<string, string | number>) => string;

/**
 * An alert's reason from its figures (mart.usage_alert: baseline, observed,
 * threshold of the worst day), in the locale: the same sentence as the mart's
 * English `reason`. Numbers to one decimal (the stuck reading to three), shares in %.
 */
export function alertReason(r: AlertRow, t: Translate, locale: string, day: (d: string) => string): string {
  const num = (v: number | null, digits = 1): string => (v === null ? '–' : new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits, useGrouping: false }).format(v));
  const pct = (v: number | null): string => num(v === null ? null : 100 * v);
  const whole = (v: number | null): string => (v === null ? '–' : String(Math.round(v)));
  const days = Math.round((Date.parse(r.last_seen) - Date.parse(r.first_seen)) / 86_400_000) + 1;
  switch (r.alert_type) {
    case 'spike':
      return t('alerts.reason.spike', { observed: num(r.observed), day: day(r.worst_day), baseline: num(r.baseline), threshold: num(r.threshold) });
    case 'zero':
      return t('alerts.reason.zero', { days, first: day(r.first_seen), baseline: num(r.baseline), threshold: whole(r.threshold) });
    case 'flat':
      return t('alerts.reason.flat', { baseline: whole(r.baseline), first: day(r.first_seen), observed: num(r.observed, 3), threshold: whole(r.threshold) });
    case 'night_load':
      return t('alerts.reason.night_load', { observed: pct(r.observed), day: day(r.worst_day), baseline: pct(r.baseline), threshold: pct(r.threshold) });
    case 'high_bill':
      return t('alerts.reason.high_bill', {
        projected: num(r.projected_amount, 2), month: (r.bill_month ?? '').slice(0, 7), usual: num(r.usual_amount, 2), threshold: num(r.threshold, 2),
        driver: t(`alerts.driver.${r.driver ?? 'more_kwh'}`, {}),
      });
    default:
      return r.reason;
  }
}
