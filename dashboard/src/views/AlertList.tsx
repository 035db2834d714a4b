// The Alerts view's list: one row per alert under the customer's pseudonymous
// key (a link to the customer's usage report), sortable by any column header,
// virtualised (only the rows in view are in the DOM, fetched a page at a
// time). The list shows open alerts or all alerts of the horizon, of every
// type or the chosen ones, under the filter bar's segment and region. Exports:
// the list as it is (pseudonymous; CSV/XLSX/Parquet through ExportMenu), and
// the alert list for the service team with account numbers, through the
// campaign target list's audited endpoint (ReidentifiedExport.tsx,
// alerts/alert-list.ts). Test hooks: [data-alert-row] rows with
// data-customer, data-type, data-first-seen, data-last-seen, data-status; [data-alert-count].

import { useMemo, useState } from 'react';
import { ALERT_FILE_COLUMNS, alertAudience, alertFileRows, alertListRequest, alertReason } from '../alerts/alert-list.ts';
import { runQuery } from '../data/client.ts';
import type { Filters } from '../data/api.ts';
import { ALERT_SORTABLE, ALERT_TYPES, alertCountQuery, alertPageQuery, type AlertListOptions, type AlertRow } from '../data/queries/alerts.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { reportHref } from '../report/report-url.ts';
import type { ScreenState } from '../state/url-state.ts';
import { ReidentifiedExport, type ReidentifiedList } from './ReidentifiedExport.tsx';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';
import { pageKeysHandler } from './vtable-keys.ts';

const ROW_HEIGHT = 32;
const VIEWPORT_ROWS = 16;
const PAGE = 100;

type Column = { key: keyof AlertRow; label: MessageKey; width: number; num?: boolean };
const COLUMNS: Column[] = [
  { key: 'customer_key', label: 'col.customer_key', width: 120 },
  { key: 'segment', label: 'col.segment', width: 120 },
  { key: 'region', label: 'col.region', width: 80 },
  { key: 'alert_type', label: 'alerts.col.type', width: 150 },
  { key: 'severity', label: 'alerts.col.severity', width: 70 },
  { key: 'first_seen', label: 'alerts.col.first_seen', width: 110 },
  { key: 'last_seen', label: 'alerts.col.last_seen', width: 110 },
  { key: 'flagged_days', label: 'alerts.col.flagged_days', width: 100, num: true },
  { key: 'status', label: 'col.status', width: 80 },
  { key: 'projected_amount', label: 'alerts.col.projected_amount', width: 110, num: true },
  { key: 'usual_amount', label: 'alerts.col.usual_amount', width: 110, num: true },
  { key: 'driver', label: 'alerts.col.driver', width: 120 },
  { key: 'reason', label: 'alerts.col.reason', width: 420 },
];

interface Props {
  state: ScreenState;
  filters: Filters;
  asOf: string | null;
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

export function AlertList({ state, filters, asOf, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const [scrollTop, setScrollTop] = useState(0);
  const typesKey = state.alertTypes.join('\n');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- typesKey stands for state.alertTypes
  const options: AlertListOptions = useMemo(() => ({ status: state.alertStatus, types: state.alertTypes }), [state.alertStatus, typesKey]);
  const column = (ALERT_SORTABLE as readonly string[]).includes(state.alertSort) ? state.alertSort : 'severity';
  const desc = state.alertSortDesc;
  const sort = useMemo(() => ({ column, desc }), [column, desc]);
  const countQ = useTrackedQuery<{ n: number }>(useMemo(() => alertCountQuery(filters, options), [filters, options]));
  const total = countQ.rows?.[0]?.n ?? 0;

  const first = Math.floor(scrollTop / ROW_HEIGHT);
  const pageA = Math.floor(first / PAGE);
  const pageB = Math.floor((first + VIEWPORT_ROWS) / PAGE);
  const qa = useTrackedQuery<AlertRow>(useMemo(() => alertPageQuery(filters, options, sort, { offset: pageA * PAGE, limit: PAGE }), [filters, options, sort, pageA]));
  const qb = useTrackedQuery<AlertRow>(
    useMemo(() => (pageB !== pageA ? alertPageQuery(filters, options, sort, { offset: pageB * PAGE, limit: PAGE }) : null), [filters, options, sort, pageA, pageB]),
  );
  const rowAt = (i: number): AlertRow | undefined => {
    const p = Math.floor(i / PAGE);
    if (p === pageA) return qa.rows?.[i - pageA * PAGE];
    if (p === pageB) return qb.rows?.[i - pageB * PAGE];
    return undefined;
  };
  const start = Math.max(0, first - 4);
  const end = Math.min(total, first + VIEWPORT_ROWS + 4);
  const visible: number[] = [];
  for (let i = start; i < end; i++) visible.push(i);

  const typeName = (type: string): string => ((ALERT_TYPES as readonly string[]).includes(type) ? t(`alerts.type.${type}` as MessageKey) : type);
  const reason = (r: AlertRow): string => alertReason(r, (k, v) => t(k as MessageKey, v), i18n.locale, i18n.day);
  const driverName = (d: string | null): string | null => (d === null ? null : t(`alerts.driver.${d}` as MessageKey));
  const cell = (r: AlertRow, c: Column): string => {
    const v = r[c.key];
    switch (c.key) {
      case 'segment':
      case 'region':
        return i18n.code(v as string | null);
      case 'alert_type':
        return typeName(r.alert_type);
      case 'severity':
        return t(`alerts.severity.${r.severity}` as MessageKey);
      case 'first_seen':
      case 'last_seen':
        return i18n.day(v as string);
      case 'flagged_days':
        return i18n.fmt(r.flagged_days, 'count');
      case 'status':
        return t(r.status === 'open' ? 'alerts.status.open' : 'alerts.status.resolved');
      case 'reason':
        return reason(r);
      case 'projected_amount':
      case 'usual_amount':
        return i18n.fmt(v as number | null, 'money');
      case 'driver':
        return driverName(r.driver) ?? '–';
      default:
        return v === null || v === undefined ? '–' : String(v);
    }
  };
  const sortBy = (key: string): void => onChange({ alertSort: key, alertSortDesc: key === column ? !desc : true }, { replace: true });
  const allRows = () => runQuery<AlertRow>(alertPageQuery(filters, options, sort, null));

  // The list as it is (pseudonymous), every row in the list's order, typed.
  const exportTable = async () => {
    const rows = (await allRows()).map((r) => ({ ...r, reason: reason(r), driver: driverName(r.driver) }));
    const columns = COLUMNS.map((c) => ({
      key: c.key,
      label: t(c.label),
      type: c.key === 'customer_key' || c.key === 'severity' || c.key === 'flagged_days' ? ('integer' as const) : c.key.endsWith('_seen') ? ('date' as const)
        : c.key.endsWith('_amount') ? ('number' as const) : ('text' as const),
    }));
    return { columns, rows };
  };

  // The same list with account numbers, re-identified and audited by the server.
  const prepare = async (): Promise<ReidentifiedList> => {
    const rows = await allRows();
    if (rows.length === 0) throw new Error(t('state.empty'));
    const audience = alertAudience(filters, options, sort, asOf);
    const columns = ALERT_FILE_COLUMNS.map((c) => ({ key: c.key, label: t(c.label as MessageKey), type: c.type }));
    return {
      body: alertListRequest(t('alerts.list_title'), audience, rows),
      title: t('alerts.list_title'),
      filters: Object.entries(audience).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
      dataAsOf: asOf ?? '',
      file: (reply) => ({ columns, rows: alertFileRows(rows, reply, reason).map((r) => ({ ...r, driver: driverName(r.driver) })) }),
    };
  };
  const onKey = pageKeysHandler(ROW_HEIGHT, VIEWPORT_ROWS);
  const toggleType = (type: string, on: boolean): void => {
    const next = on ? [...state.alertTypes, type] : state.alertTypes.filter((x) => x !== type);
    onChange({ alertTypes: ALERT_TYPES.filter((x) => next.includes(x)) });
  };

  return (
    <>
      <section className="panel customer-list" aria-labelledby="alert-list-heading" data-panel="alert-list">
        <div className="panel-head">
          <h2 id="alert-list-heading">{t('alerts.list')}</h2>
          <span className="panel-note" data-alert-count={countQ.rows ? total : ''}>{t('alerts.list_count', { n: i18n.fmt(total, 'count') })}</span>
          <span className="panel-actions">
            <ExportMenu title={t('alerts.list')} disabled={!qa.rows?.length} table={exportTable} />
          </span>
        </div>
        <div className="filter-bar alert-options">
          <label className="control inline">
            <span>{t('alerts.show')}</span>
            <select name="alert-status" value={state.alertStatus} onChange={(e) => onChange({ alertStatus: e.target.value === 'all' ? 'all' : 'open' })}>
              <option value="open">{t('alerts.status.open')}</option>
              <option value="all">{t('alerts.status.all')}</option>
            </select>
          </label>
          <fieldset className="control inline" data-alert-types>
            <legend>{t('alerts.types')}</legend>
            {ALERT_TYPES.map((ty) => (
              <label key={ty} className="option">
                <input type="checkbox" value={ty} checked={state.alertTypes.includes(ty)} onChange={(e) => toggleType(ty, e.target.checked)} />
                {typeName(ty)}
              </label>
            ))}
          </fieldset>
        </div>
        <StatusMessage loading={countQ.loading && !countQ.rows} error={countQ.error ?? qa.error} empty={countQ.rows !== null && total === 0}>
          <div className="vtable" role="table" aria-label={t('alerts.list')} aria-rowcount={total + 1}>
            <div className="vtable-head" role="rowgroup">
              <div className="vtable-row" role="row" aria-rowindex={1}>
                {COLUMNS.map((c) => {
                  const sortable = (ALERT_SORTABLE as readonly string[]).includes(c.key);
                  const active = c.key === column;
                  return (
                    <div key={c.key} role="columnheader" style={{ width: c.width }} className={c.num ? 'num' : undefined}
                      aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
                      {sortable ? (
                        <button type="button" className="link" data-sort={c.key} onClick={() => sortBy(c.key)}>
                          {t(c.label)} {active ? (desc ? '↓' : '↑') : ''}
                          {active ? <span className="sr-only">{t(desc ? 'col.sort_desc' : 'col.sort_asc')}</span> : null}
                        </button>
                      ) : t(c.label)}
                    </div>
                  );
                })}
              </div>
            </div>
            <div className="vtable-body" role="rowgroup" tabIndex={0} style={{ height: ROW_HEIGHT * VIEWPORT_ROWS }}
              onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} onKeyDown={onKey}>
              <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>
                {visible.map((i) => {
                  const r = rowAt(i);
                  return (
                    <div key={i} className="vtable-row" role="row" aria-rowindex={i + 2} data-alert-row={i}
                      data-customer={r?.customer_key ?? ''} data-type={r?.alert_type ?? ''} data-first-seen={r?.first_seen ?? ''} data-last-seen={r?.last_seen ?? ''} data-status={r?.status ?? ''}
                      style={{ position: 'absolute', top: i * ROW_HEIGHT, height: ROW_HEIGHT }}>
                      {COLUMNS.map((c) => (
                        <div key={c.key} role="cell" style={{ width: c.width }} className={c.num ? 'num' : undefined} title={r && c.key === 'reason' ? cell(r, c) : undefined}>
                          {!r ? '…' : c.key === 'customer_key'
                            ? <a href={reportHref(r.customer_key, i18n.locale)} data-report-link={String(r.customer_key)} title={t('report.open')}>{cell(r, c)}</a>
                            : cell(r, c)}
                        </div>
                      ))}
                    </div>
                  );
                })}
              </div>
            </div>
          </div>
        </StatusMessage>
      </section>
      <section className="panel" aria-labelledby="alert-export-heading" data-panel="alert-export">
        <div className="panel-head">
          <h2 id="alert-export-heading">{t('alerts.export')}</h2>
        </div>
        <p className="panel-note">{t('alerts.export_note')}</p>
        <ReidentifiedExport
          disabled={total === 0}
          labels={{ csv: t('alerts.export_csv'), xlsx: t('alerts.export_xlsx'), busy: t('camp.exporting'), failed: t('camp.export_failed') }}
          done={(o) => t('alerts.exported', { n: i18n.fmt(total, 'count'), c: i18n.fmt(o.rows, 'count'), id: o.id })}
          prepare={prepare}
        />
      </section>
    </>
  );
}
