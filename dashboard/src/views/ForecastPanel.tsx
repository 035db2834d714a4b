// The Overview's forecast panel: kWh or revenue, the last 12 complete months
// solid and the next 3 months dashed with 80%/95% bands, and the backtest
// MAPE of the model beside that of the seasonal naive (same month last
// year). One query (both measures: switching the measure asks nothing) over
// the tiny forecast_month extract, keyed on segment and region only (period
// changes ask nothing), and only once the cards have painted: it never
// competes with the first paint. Shown only when the manifest offers the
// extract (older versions have none).

import { useMemo, useState } from 'react';
import type { ChartOption } from '../charts/echarts.ts';
import { Chart } from '../charts/LazyChart.tsx';
import type { Filters } from '../data/api.ts';
import { useDataStatus } from '../data/hooks.ts';
import { FORECAST_EXTRACT, forecastQuery, forecastSeries, type ForecastRow } from '../data/queries/forecast.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useChartColors } from '../theme.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

type Measure = ForecastRow['measure'];

/** Line style of each drawn line series, as the e2e test reads it (data-line-styles). */
function lineStyles(option: ChartOption | null): string {
  const series = ((option as { series?: { type?: string; id?: string; lineStyle?: { type?: string; opacity?: number } }[] } | null)?.series ?? []);
  return series.filter((s) => s.type === 'line' && s.lineStyle?.opacity !== 0).map((s) => `${s.id}:${s.lineStyle?.type ?? 'solid'}`).join(',');
}

export function ForecastPanel({ filters, ready }: { filters: Filters; /** the cards have painted: the query may start */ ready: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const { manifest } = useDataStatus();
  const offered = !!manifest?.files?.some((f) => f.name === FORECAST_EXTRACT);
  const [measure, setMeasure] = useState<Measure>('kwh');
  // Latched: once the cards have painted, later filter changes ask at once.
  const [started, setStarted] = useState(false);
  if (ready && !started) setStarted(true);
  const segKey = filters.segment.join('\u0001');
  const regKey = filters.region.join('\u0001');
  // Keyed on segment and region only: a period or tariff change asks nothing.
  const query = useMemo(() => (offered && started ? forecastQuery({ segment: segKey ? segKey.split('\u0001') : [], region: regKey ? regKey.split('\u0001') : [] }) : null), [offered, started, segKey, regKey]);
  const q = useTrackedQuery<ForecastRow>(query);
  const s = useMemo(() => forecastSeries(q.rows ?? [], measure), [q.rows, measure]);
  if (!offered) return null;

  const kind = measure === 'kwh' ? 'kwh' : 'money';
  const name = i18n.kpi(measure);
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted, hideOverlap: true } };
  const fc = colors.series[1];
  // Bands: a transparent lower bound, then the width stacked on it and filled.
  const band = (id: string, lo: (number | null)[], hi: (number | null)[], opacity: number, label: string) => [
    { id: `${id}-lo`, type: 'line' as const, name: label, stack: id, data: lo, symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: fc, opacity }, tooltip: { show: false } },
    {
      id: `${id}-width`, type: 'line' as const, name: label, stack: id, symbol: 'none', lineStyle: { opacity: 0 }, itemStyle: { color: fc, opacity }, areaStyle: { color: fc, opacity }, tooltip: { show: false },
      data: hi.map((h, i) => (h === null || lo[i] === null ? null : h - lo[i]!)),
    },
  ];
  const option: ChartOption | null = s.months.length
    ? {
        grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text }, data: [t('forecast.actual'), t('forecast.point'), t('forecast.band80'), t('forecast.band95')] },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, kind) },
        xAxis: { type: 'category', data: s.months.map((m) => i18n.month(m)), ...axis },
        yAxis: { type: 'value', scale: true, ...axis, axisLabel: { ...axis.axisLabel, formatter: (v: number) => i18n.fmt(v, kind, { unit: false }) }, splitLine: { lineStyle: { color: colors.grid } } },
        series: [
          ...band('band95', s.lo95, s.hi95, 0.15, t('forecast.band95')),
          ...band('band80', s.lo80, s.hi80, 0.3, t('forecast.band80')),
          { id: 'actual', type: 'line', name: t('forecast.actual'), data: s.actual, symbolSize: 4, lineStyle: { color: colors.series[0], width: 2 }, itemStyle: { color: colors.series[0] } },
          { id: 'forecast', type: 'line', name: t('forecast.point'), data: s.point, symbolSize: 4, lineStyle: { color: fc, width: 2, type: 'dashed' }, itemStyle: { color: fc } },
        ],
      }
    : null;
  const data = {
    columns: [
      { key: 'month', label: t('measure.month') }, { key: 'actual', label: t('forecast.actual') }, { key: 'point', label: t('forecast.point') },
      { key: 'lo80', label: t('forecast.lo80') }, { key: 'hi80', label: t('forecast.hi80') }, { key: 'lo95', label: t('forecast.lo95') }, { key: 'hi95', label: t('forecast.hi95') },
    ],
    rows: s.months.map((m, i) => {
      const future = s.forecastMonths.includes(m);
      return { month: m, actual: s.actual[i], point: future ? s.point[i] : null, lo80: future ? s.lo80[i] : null, hi80: future ? s.hi80[i] : null, lo95: future ? s.lo95[i] : null, hi95: future ? s.hi95[i] : null };
    }),
  };
  const several = filters.segment.length > 1 || filters.region.length > 1;
  const ignored = filters.tariff.length + filters.band.length > 0;
  const pct = (v: number | null) => i18n.fmt(v, 'pct');
  return (
    <section className="panel forecast" aria-labelledby="forecast-heading" data-forecast-months={s.forecastMonths.join(',')} data-line-styles={lineStyles(option)}
      data-measure={measure} data-reason={s.reason ?? ''}>
      <div className="panel-head">
        <h2 id="forecast-heading">{t('forecast.title')}</h2>
        <label className="inline-control">
          {t('forecast.measure')}{' '}
          <select value={measure} onChange={(e) => setMeasure(e.target.value as Measure)} data-control="forecast-measure">
            <option value="kwh">{i18n.kpi('kwh')}</option>
            <option value="revenue">{i18n.kpi('revenue')}</option>
          </select>
        </label>
      </div>
      <p className="panel-note">{t('forecast.note')}{several ? ` ${t('forecast.note_sum')}` : ''}{ignored ? ` ${t('forecast.ignores')}` : ''}</p>
      {s.reason && q.rows ? <p className="panel-note" data-fact="forecast-reason">{t(`forecast.reason.${s.reason}` as MessageKey)}</p> : null}
      <div className="grid-overview">
        <Chart id="forecast" title={`${name} · ${t('forecast.point')}`} option={option} data={data} loading={q.loading || (!q.rows && !q.error)} error={q.error} height={260} />
        <dl className="facts forecast-mape" aria-label={t('forecast.mape')}>
          <dt>{t('forecast.mape')}</dt>
          <dd />
          <dt>{t('forecast.mape_model')}</dt>
          <dd data-fact="mape-model" data-value={s.mapeModel ?? ''}>{pct(s.mapeModel)}</dd>
          <dt>{t('forecast.mape_naive')}</dt>
          <dd data-fact="mape-naive" data-value={s.mapeNaive ?? ''}>{pct(s.mapeNaive)}</dd>
          <dd className="panel-note" style={{ gridColumn: '1 / -1' }}>{several ? t('forecast.mape_none') : t('forecast.mape_note')}</dd>
        </dl>
      </div>
    </section>
  );
}
