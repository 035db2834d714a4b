// Usage: monthly consumption by segment (seasonality) and year over year, the
// hour × month load heatmap, workday vs weekend-holiday load curves, TOU
// peak/shoulder/valley shares, load factor and peak-valley difference rate.
// Clicking a segment's bars filters the page to it.

import { useMemo } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import type { HeatmapRow, LoadShapeRow, MonthlyUsageRow, ProfileRow } from '../data/queries/usage.ts';
import { usageQuestions } from '../data/queries/view-questions.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { ScreenState } from '../state/url-state.ts';
import { useChartColors } from '../theme.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  filters: Filters;
  onChange: (patch: Partial<ScreenState>) => void;
}

const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function Usage({ filters, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted } };
  const split = { splitLine: { lineStyle: { color: colors.grid } } };
  const questions = useMemo(() => usageQuestions(filters), [filters]);
  const monthly = useTrackedQuery<MonthlyUsageRow>(questions.monthly);
  const heat = useTrackedQuery<HeatmapRow>(questions.heat);
  const profile = useTrackedQuery<ProfileRow>(questions.profile);
  const shape = useTrackedQuery<LoadShapeRow>(questions.shape);

  // Monthly kWh by segment: stacked bars over the last 12 months of the window.
  const mRows = monthly.rows ?? [];
  const allMonths = [...new Set(mRows.map((r) => r.month))].sort();
  const recent = allMonths.slice(-12);
  const segments = [...new Set(mRows.map((r) => r.segment))].sort();
  const kwhAt = new Map(mRows.map((r) => [`${r.month}|${r.segment}`, r.kwh]));
  const monthlyOption: ChartOption | null = mRows.length
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'kwh') },
        xAxis: { type: 'category', data: recent.map(i18n.month), ...axis },
        yAxis: { type: 'value', ...axis, ...split, axisLabel: { color: colors.muted, formatter: (v: number) => i18n.fmt(v, 'kwh', { unit: false }) } },
        series: segments.map((s) => ({ type: 'bar', stack: 'kwh', name: i18n.code(s), data: recent.map((m) => kwhAt.get(`${m}|${s}`) ?? null), cursor: 'pointer' })),
      }
    : null;

  // Year over year: total kWh per calendar month, one line per year.
  const totals = new Map<string, number>();
  for (const r of mRows) totals.set(r.month, (totals.get(r.month) ?? 0) + (r.kwh ?? 0));
  const years = [...new Set(allMonths.map((m) => m.slice(0, 4)))];
  const monthName = new Intl.DateTimeFormat(i18n.locale, { month: 'short', timeZone: 'UTC' });
  const monthNames = Array.from({ length: 12 }, (_, i) => monthName.format(Date.UTC(2000, i, 1)));
  const yoyOption: ChartOption | null = mRows.length
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'kwh') },
        xAxis: { type: 'category', data: monthNames, ...axis },
        yAxis: { type: 'value', ...axis, ...split, axisLabel: { color: colors.muted, formatter: (v: number) => i18n.fmt(v, 'kwh', { unit: false }) } },
        series: years.map((y) => ({ type: 'line', name: y, data: Array.from({ length: 12 }, (_, i) => totals.get(`${y}-${String(i + 1).padStart(2, '0')}-01`) ?? null) })),
      }
    : null;

  // Heatmap hour × month.
  const hRows = heat.rows ?? [];
  const hMonths = [...new Set(hRows.map((r) => r.month))].sort();
  const hValues = hRows.filter((r) => r.kwh_per_customer_hour !== null).map((r) => r.kwh_per_customer_hour!);
  const heatOption: ChartOption | null = hValues.length
    ? {
        grid: { left: 8, right: 16, top: 8, bottom: 72, containLabel: true },
        tooltip: { position: 'top', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'plain') },
        xAxis: { type: 'category', data: HOURS.map(String), name: t('usage.hour'), ...axis },
        yAxis: { type: 'category', data: hMonths.map(i18n.month), ...axis },
        visualMap: { min: Math.min(...hValues, 0), max: Math.max(...hValues, 1), calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: colors.ramp }, textStyle: { color: colors.muted } },
        series: [{ type: 'heatmap', name: t('measure.kwh_per_customer_hour'), data: hRows.map((r) => [r.hour, hMonths.indexOf(r.month), r.kwh_per_customer_hour]) }],
      }
    : null;

  // Workday vs weekend-holiday curves.
  const pRows = profile.rows ?? [];
  const dayTypes = [...new Set(pRows.map((r) => r.day_type))].sort();
  const profileOption: ChartOption | null = pRows.some((r) => r.kwh_per_customer_hour !== null)
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'plain') },
        xAxis: { type: 'category', data: HOURS.map(String), name: t('usage.hour'), ...axis },
        yAxis: { type: 'value', ...axis, ...split },
        series: dayTypes.map((d) => ({
          type: 'line', name: i18n.code(d), smooth: true,
          data: HOURS.map((h) => pRows.find((r) => r.day_type === d && r.hour === h)?.kwh_per_customer_hour ?? null),
        })),
      }
    : null;

  // TOU shares and load shape by month.
  const sRows = shape.rows ?? [];
  const sMonths = sRows.map((r) => i18n.month(r.month));
  const hasShares = sRows.some((r) => r.peak_share !== null);
  const hasLoadFactor = sRows.some((r) => r.load_factor !== null || r.peak_valley_rate !== null);
  const touOption: ChartOption | null = hasShares
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'rate') },
        xAxis: { type: 'category', data: sMonths, ...axis },
        yAxis: { type: 'value', max: 1, ...axis, ...split, axisLabel: { color: colors.muted, formatter: (v: number) => i18n.fmt(v, 'rate') } },
        series: (['peak', 'shoulder', 'valley'] as const).map((p) => ({ type: 'bar', stack: 'tou', name: i18n.code(p), data: sRows.map((r) => r[`${p}_share`]) })),
      }
    : null;
  const lfOption: ChartOption | null = hasLoadFactor
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'rate') },
        xAxis: { type: 'category', data: sMonths, ...axis },
        yAxis: { type: 'value', min: 0, max: 1, ...axis, ...split, axisLabel: { color: colors.muted, formatter: (v: number) => i18n.fmt(v, 'rate') } },
        series: (['load_factor', 'peak_valley_rate'] as const).map((k) => ({ type: 'line', name: i18n.code(k), data: sRows.map((r) => r[k]) })),
      }
    : null;

  const col = (key: string, label: string) => ({ key, label });
  return (
    <div className="view view-usage">
      <p className="panel-note">{t('usage.interval_note')}</p>
      <div className="grid-2">
        <Chart id="usage-monthly" title={t('usage.monthly')} option={monthlyOption} loading={monthly.loading} error={monthly.error}
          data={monthly.rows ? { columns: [col('month', t('measure.month')), col('segment', t('col.segment')), col('kwh', t('measure.kwh'))], rows: mRows } : null}
          onSelect={(s) => { const seg = segments[segments.map(i18n.code).indexOf(s.seriesName ?? '')]; if (seg) onChange({ segment: [seg] }); }} />
        <Chart id="usage-yoy" title={t('usage.yoy')} option={yoyOption} loading={monthly.loading} error={monthly.error}
          data={monthly.rows ? { columns: [col('month', t('measure.month')), col('kwh', t('measure.kwh'))], rows: [...totals].map(([month, kwh]) => ({ month, kwh })) } : null} />
        <Chart id="usage-heatmap" title={t('usage.heatmap')} option={heatOption} loading={heat.loading} error={heat.error} height={340}
          data={heat.rows ? { columns: [col('month', t('measure.month')), col('hour', t('usage.hour')), col('kwh_per_customer_hour', t('measure.kwh_per_customer_hour'))], rows: hRows } : null} />
        <Chart id="usage-profiles" title={t('usage.profiles')} option={profileOption} loading={profile.loading} error={profile.error} height={340}
          data={profile.rows ? { columns: [col('day_type', t('measure.day_type')), col('hour', t('usage.hour')), col('kwh_per_customer_hour', t('measure.kwh_per_customer_hour'))], rows: pRows } : null} />
        <Chart id="usage-tou" title={t('usage.tou')} option={touOption} loading={shape.loading} error={shape.error}
          data={shape.rows ? { columns: [col('month', t('measure.month')), col('peak_share', i18n.code('peak')), col('shoulder_share', i18n.code('shoulder')), col('valley_share', i18n.code('valley'))], rows: sRows as unknown as Record<string, unknown>[] } : null} />
        <Chart id="usage-load-factor" title={t('usage.load_factor')} option={lfOption} loading={shape.loading} error={shape.error}
          data={shape.rows ? { columns: [col('month', t('measure.month')), col('load_factor', i18n.code('load_factor')), col('peak_valley_rate', i18n.code('peak_valley_rate')), col('interval_customers', t('measure.customers'))], rows: sRows as unknown as Record<string, unknown>[] } : null} />
      </div>
    </div>
  );
}
