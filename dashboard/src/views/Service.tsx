// Service: tickets by channel and by type over time, first response and
// resolution times by type against the SLA, unresolved tickets (backlog) by
// month opened, complaints per 10k customers by region, post-resolution
// satisfaction. Clicking a channel or a region filters the page to it.

import { useMemo } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import type { RegionComplaintsRow, ResponseTimeRow, ServiceMonthRow, TicketTrendRow } from '../data/queries/service.ts';
import { serviceQuestions } from '../data/queries/view-questions.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { ScreenState } from '../state/url-state.ts';
import { useChartColors } from '../theme.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  filters: Filters;
  onChange: (patch: Partial<ScreenState>) => void;
}

export function Service({ filters, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted } };
  const split = { splitLine: { lineStyle: { color: colors.grid } } };
  const base = { grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true }, legend: { top: 0, textStyle: { color: colors.text }, type: 'scroll' as const } };
  const questions = useMemo(() => serviceQuestions(filters), [filters]);
  const byChannel = useTrackedQuery<TicketTrendRow>(questions.byChannel);
  const byType = useTrackedQuery<TicketTrendRow>(questions.byType);
  const monthly = useTrackedQuery<ServiceMonthRow>(questions.monthly);
  const times = useTrackedQuery<ResponseTimeRow>(questions.times);
  const regions = useTrackedQuery<RegionComplaintsRow>(questions.regions);

  const stacked = (rows: TicketTrendRow[]): { option: ChartOption | null; keys: string[] } => {
    const months = [...new Set(rows.map((r) => r.month))].sort();
    const keys = [...new Set(rows.map((r) => r.key))].sort();
    const at = new Map(rows.map((r) => [`${r.month}|${r.key}`, r.tickets]));
    return {
      keys,
      option: rows.length
        ? {
            ...base,
            tooltip: { trigger: 'axis' },
            xAxis: { type: 'category', data: months.map(i18n.month), ...axis },
            yAxis: { type: 'value', name: t('measure.tickets'), ...axis, ...split },
            series: keys.map((k) => ({ type: 'bar', stack: 'tickets', name: i18n.code(k), data: months.map((m) => at.get(`${m}|${k}`) ?? null), cursor: 'pointer' })),
          }
        : null,
    };
  };
  const channelChart = stacked(byChannel.rows ?? []);
  const typeChart = stacked(byType.rows ?? []);

  const tRows = times.rows ?? [];
  const timesOption: ChartOption | null = tRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => i18n.fmt(v as number, 'hours') },
        xAxis: { type: 'category', data: tRows.map((r) => i18n.code(r.type)), ...axis },
        yAxis: { type: 'log', name: t('usage.hour'), ...axis, ...split },
        series: [
          { type: 'bar', name: t('service.median_first'), data: tRows.map((r) => r.median_first_response_hours) },
          { type: 'bar', name: t('service.p90_first'), data: tRows.map((r) => r.p90_first_response_hours) },
          { type: 'bar', name: t('service.median_resolution'), data: tRows.map((r) => r.median_resolution_hours) },
        ],
      }
    : null;

  const mRows = monthly.rows ?? [];
  const mMonths = mRows.map((r) => i18n.month(r.month));
  const slaOption: ChartOption | null = mRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: mMonths, ...axis },
        yAxis: [
          { type: 'value', name: t('measure.within_sla'), min: 0, max: 100, ...axis, ...split },
          { type: 'value', name: t('service.post_sat'), min: 1, max: 5, ...axis, splitLine: { show: false } },
        ],
        series: [
          { type: 'line', name: t('measure.within_sla'), data: mRows.map((r) => r.within_sla_pct) },
          { type: 'line', name: t('service.post_sat'), yAxisIndex: 1, data: mRows.map((r) => r.post_resolution_satisfaction) },
        ],
      }
    : null;
  const backlogOption: ChartOption | null = mRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: mMonths, ...axis },
        yAxis: { type: 'value', name: t('measure.tickets'), ...axis, ...split },
        series: [{ type: 'bar', name: t('measure.unresolved'), data: mRows.map((r) => r.unresolved) }],
      }
    : null;

  const rRows = regions.rows ?? [];
  const regionOption: ChartOption | null = rRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => i18n.fmt(v as number, 'plain') },
        xAxis: { type: 'category', data: rRows.map((r) => i18n.code(r.region)), ...axis, axisLabel: { color: colors.text, interval: 0, rotate: rRows.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', ...axis, ...split },
        series: [{ type: 'bar', name: i18n.kpi('complaints_per_10k'), data: rRows.map((r) => r.complaints_per_10k), cursor: 'pointer' }],
      }
    : null;

  const col = (key: string, label: string) => ({ key, label });
  const trendCols = [col('month', t('measure.month')), col('key', t('measure.value')), col('tickets', t('measure.tickets'))];
  const asRows = (rows: unknown[]) => rows as Record<string, unknown>[];
  return (
    <div className="view view-service">
      <div className="grid-2">
        <Chart id="service-channel" title={t('service.by_channel')} option={channelChart.option} loading={byChannel.loading} error={byChannel.error}
          data={byChannel.rows ? { columns: trendCols, rows: asRows(byChannel.rows) } : null}
          onSelect={(s) => { const k = channelChart.keys.find((x) => i18n.code(x) === s.seriesName); if (k) onChange({ channel: [k] }); }} />
        <Chart id="service-type" title={t('service.by_type')} option={typeChart.option} loading={byType.loading} error={byType.error}
          data={byType.rows ? { columns: trendCols, rows: asRows(byType.rows) } : null} />
        <Chart id="service-times" title={t('service.response')} option={timesOption} loading={times.loading} error={times.error}
          data={times.rows ? { columns: [col('type', t('measure.type')), col('tickets', t('measure.tickets')), col('median_first_response_hours', t('service.median_first')), col('p90_first_response_hours', t('service.p90_first')), col('median_resolution_hours', t('service.median_resolution')), col('within_sla_pct', t('measure.within_sla'))], rows: asRows(tRows) } : null} />
        <Chart id="service-sla" title={`${t('service.sla')} · ${t('service.post_sat')}`} option={slaOption} loading={monthly.loading} error={monthly.error}
          data={monthly.rows ? { columns: [col('month', t('measure.month')), col('tickets', t('measure.tickets')), col('sla_tickets', t('measure.sla_tickets')), col('within_sla_pct', t('measure.within_sla')), col('post_resolution_satisfaction', t('service.post_sat'))], rows: asRows(mRows) } : null} />
        <Chart id="service-backlog" title={t('service.backlog')} option={backlogOption} loading={monthly.loading} error={monthly.error}
          data={monthly.rows ? { columns: [col('month', t('measure.month')), col('tickets', t('measure.tickets')), col('unresolved', t('measure.unresolved'))], rows: asRows(mRows) } : null} />
        <Chart id="service-complaints-region" title={t('service.complaints_region')} option={regionOption} loading={regions.loading} error={regions.error}
          data={regions.rows ? { columns: [col('region', t('col.region')), col('complaints', i18n.kpi('complaints')), col('customers', t('measure.customers')), col('complaints_per_10k', i18n.kpi('complaints_per_10k'))], rows: asRows(rRows) } : null}
          onSelect={(s) => { const r = rRows[s.dataIndex]; if (r) onChange({ region: [r.region] }); }} />
      </div>
    </div>
  );
}
