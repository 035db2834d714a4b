// Alerts (异常用电预警): today's (the detectors' as_of) open abnormal-usage
// alerts by type and severity, by segment and by region, alerts per week, and
// the list of alerts (AlertList.tsx: pseudonymous, virtualised, sortable, with
// the audited export for the service team). Reads only the usage_alert
// extract, loaded when the view is first opened (not prefetched). The filter
// bar's segment and region apply; clicking a segment or region bar filters to
// it, clicking a type bar shows that type in the list. State is in the URL
// (state/url-state.ts: ast, aty, asort).

import { useMemo } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import {
  ALERT_TYPES, alertSummaryQuery, alertTrendQuery, openByDimensionQuery, openByTypeSeverityQuery,
  type AlertBreakdownRow, type AlertSummaryRow, type AlertTrendRow, type AlertTypeSeverityRow,
} from '../data/queries/alerts.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { ScreenState } from '../state/url-state.ts';
import { useChartColors } from '../theme.tsx';
import { AlertList } from './AlertList.tsx';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  state: ScreenState;
  filters: Filters;
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

const SEVERITIES = [3, 2, 1] as const;
const SUMMARY = [
  ['open_alerts', 'alerts.kpi.open'], ['open_customers', 'alerts.kpi.customers'], ['high', 'alerts.kpi.high'],
  ['new_today', 'alerts.kpi.new_today'], ['resolved_alerts', 'alerts.kpi.resolved'],
] as const;

export function Alerts({ state, filters, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted } };
  const split = { splitLine: { lineStyle: { color: colors.grid } } };
  const base = { grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true }, legend: { top: 0, textStyle: { color: colors.text }, type: 'scroll' as const } };
  const typeName = (type: string): string => ((ALERT_TYPES as readonly string[]).includes(type) ? t(`alerts.type.${type}` as MessageKey) : type);
  const sevName = (s: number): string => t(`alerts.severity.${s}` as MessageKey);

  const summary = useTrackedQuery<AlertSummaryRow>(useMemo(() => alertSummaryQuery(filters), [filters]));
  const byType = useTrackedQuery<AlertTypeSeverityRow>(useMemo(() => openByTypeSeverityQuery(filters), [filters]));
  const bySegment = useTrackedQuery<AlertBreakdownRow>(useMemo(() => openByDimensionQuery(filters, 'segment'), [filters]));
  const byRegion = useTrackedQuery<AlertBreakdownRow>(useMemo(() => openByDimensionQuery(filters, 'region'), [filters]));
  const trend = useTrackedQuery<AlertTrendRow>(useMemo(() => alertTrendQuery(filters), [filters]));

  const s = summary.rows?.[0] ?? null;
  const tRows = byType.rows ?? [];
  const types = ALERT_TYPES.filter((ty) => tRows.some((r) => r.alert_type === ty));
  const count = (type: string, sev: number): number => tRows.find((r) => r.alert_type === type && r.severity === sev)?.alerts ?? 0;
  const typeOption: ChartOption | null = tRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'category', data: types.map(typeName), ...axis, axisLabel: { color: colors.text, interval: 0 } },
        yAxis: { type: 'value', name: t('alerts.col.alerts'), minInterval: 1, ...axis, ...split },
        series: SEVERITIES.map((sev) => ({ type: 'bar', stack: 'sev', name: sevName(sev), data: types.map((ty) => count(ty, sev) || null), cursor: 'pointer' })),
      }
    : null;

  const breakdown = (rows: AlertBreakdownRow[]): ChartOption | null =>
    rows.length
      ? {
          ...base,
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          xAxis: { type: 'category', data: rows.map((r) => i18n.code(r.key)), ...axis, axisLabel: { color: colors.text, interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
          yAxis: { type: 'value', name: t('alerts.col.alerts'), minInterval: 1, ...axis, ...split },
          series: [
            { type: 'bar', name: t('alerts.col.alerts'), data: rows.map((r) => r.alerts), cursor: 'pointer' },
            { type: 'bar', name: t('alerts.col.high'), data: rows.map((r) => r.high), cursor: 'pointer' },
          ],
        }
      : null;
  const segRows = bySegment.rows ?? [];
  const regRows = byRegion.rows ?? [];

  const wRows = trend.rows ?? [];
  const trendOption: ChartOption | null = wRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: wRows.map((r) => i18n.day(r.week)), ...axis },
        yAxis: { type: 'value', name: t('alerts.col.alerts'), minInterval: 1, ...axis, ...split },
        series: [
          { type: 'bar', name: t('alerts.new'), data: wRows.map((r) => r.new_alerts) },
          { type: 'bar', name: t('alerts.resolved'), data: wRows.map((r) => r.resolved) },
          { type: 'line', name: t('alerts.open_at_end'), data: wRows.map((r) => r.open_at_end) },
        ],
      }
    : null;

  const col = (key: string, label: string, type?: 'text' | 'integer' | 'number' | 'date') => ({ key, label, ...(type ? { type } : {}) });
  const asRows = (rows: unknown[]) => rows as Record<string, unknown>[];
  const breakdownCols = (label: string) => [col('key', label), col('alerts', t('alerts.col.alerts'), 'integer'), col('customers', t('alerts.col.customers'), 'integer'), col('high', t('alerts.col.high'), 'integer')];

  return (
    <div className="view view-alerts" data-view-name="alerts">
      <section className="panel" aria-labelledby="alerts-heading" data-panel="alerts-summary" aria-busy={summary.loading ? 'true' : 'false'}>
        <div className="panel-head">
          <h2 id="alerts-heading">{t('view.alerts')}</h2>
          {s?.as_of ? <span className="panel-note" data-as-of={s.as_of}>{t('alerts.as_of', { day: i18n.day(s.as_of) })}</span> : null}
        </div>
        <p className="panel-note">{t('alerts.note')}</p>
        <StatusMessage loading={summary.loading && !summary.rows} error={summary.error}>
          <div className="kpi-grid">
            {SUMMARY.map(([k, label]) => (
              <article key={k} className="kpi-card" data-alert-kpi={k} data-value={s ? s[k] : ''} aria-label={t(label)}>
                <h3 className="kpi-name">{t(label)}</h3>
                <div className="kpi-value">{i18n.fmt(s ? s[k] : null, 'count')}</div>
              </article>
            ))}
          </div>
          {tRows.length ? (
            <table className="data-table" data-table="alerts-type-severity">
              <thead>
                <tr>
                  <th scope="col">{t('alerts.col.type')}</th>
                  {SEVERITIES.map((sev) => <th key={sev} scope="col" className="num">{sevName(sev)}</th>)}
                  <th scope="col" className="num">{t('alerts.col.alerts')}</th>
                </tr>
              </thead>
              <tbody>
                {types.map((ty) => (
                  <tr key={ty} data-type={ty} data-alerts={SEVERITIES.reduce((n, sev) => n + count(ty, sev), 0)}>
                    <th scope="row">{typeName(ty)}</th>
                    {SEVERITIES.map((sev) => <td key={sev} className="num" data-severity={sev} data-alerts={count(ty, sev)}>{i18n.fmt(count(ty, sev), 'count')}</td>)}
                    <td className="num">{i18n.fmt(SEVERITIES.reduce((n, sev) => n + count(ty, sev), 0), 'count')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </StatusMessage>
      </section>
      <div className="grid-2">
        <Chart id="alerts-type" title={t('alerts.by_type')} option={typeOption} loading={byType.loading} error={byType.error}
          data={byType.rows ? { columns: [col('alert_type', t('alerts.col.type')), col('severity', t('alerts.col.severity'), 'integer'), col('alerts', t('alerts.col.alerts'), 'integer')], rows: asRows(tRows) } : null}
          onSelect={(sel) => { const ty = types[sel.dataIndex]; if (ty) onChange({ alertTypes: [ty] }); }} />
        <Chart id="alerts-trend" title={t('alerts.trend')} note={t('alerts.trend_note')} option={trendOption} loading={trend.loading} error={trend.error}
          data={trend.rows ? { columns: [col('week', t('alerts.week'), 'date'), col('new_alerts', t('alerts.new'), 'integer'), col('resolved', t('alerts.resolved'), 'integer'), col('open_at_end', t('alerts.open_at_end'), 'integer')], rows: asRows(wRows) } : null} />
        <Chart id="alerts-segment" title={t('alerts.by_segment')} option={breakdown(segRows)} loading={bySegment.loading} error={bySegment.error}
          data={bySegment.rows ? { columns: breakdownCols(t('col.segment')), rows: asRows(segRows) } : null}
          onSelect={(sel) => { const r = segRows[sel.dataIndex]; if (r && r.key !== 'unknown') onChange({ segment: [r.key] }); }} />
        <Chart id="alerts-region" title={t('alerts.by_region')} option={breakdown(regRows)} loading={byRegion.loading} error={byRegion.error}
          data={byRegion.rows ? { columns: breakdownCols(t('col.region')), rows: asRows(regRows) } : null}
          onSelect={(sel) => { const r = regRows[sel.dataIndex]; if (r && r.key !== 'unknown') onChange({ region: [r.key] }); }} />
      </div>
      <AlertList state={state} filters={filters} asOf={s?.as_of ?? null} onChange={onChange} />
    </div>
  );
}
