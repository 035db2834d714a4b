// Overview (executives): KPI cards with the period's value, the change against
// the comparison period and a 13-month sparkline; "what moved" for one KPI;
// the data-freshness panel. With the default filters the cards paint from the
// manifest's precomputed summary before DuckDB is ready (first paint), then
// from DuckDB.

import { useEffect, useMemo } from 'react';
import type { ChartOption } from '../charts/echarts.ts';
import { Chart } from '../charts/LazyChart.tsx';
import type { Filters, ManifestSummary } from '../data/api.ts';
import { ADDITIVE_KPIS, cardsFromSummary, seriesFromSummary, type AdditiveKpi, type Kpi, type KpiCard, type KpiSeriesRow, type MovedRow } from '../data/queries/kpi.ts';
import { movedKpiOf, overviewQuestions } from '../data/queries/view-questions.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import type { ValueKind } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { ScreenState } from '../state/url-state.ts';
import { useChartColors } from '../theme.tsx';
import { markFirstPaint } from '../timing.ts';
import { Freshness } from './Freshness.tsx';
import { ForecastPanel } from './ForecastPanel.tsx';
import { Sparkline } from './Sparkline.tsx';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';
import { useViewVisible } from './visibility.ts';

/** The cards, in order, and how each value reads. */
export const CARDS: { kpi: Kpi; kind: ValueKind; /** a rise is good news (colours the change) */ upIsGood: boolean | null }[] = [
  { kpi: 'active_customers', kind: 'count', upIsGood: true },
  { kpi: 'kwh', kind: 'kwh', upIsGood: null },
  { kpi: 'revenue', kind: 'money', upIsGood: true },
  { kpi: 'avg_price', kind: 'price', upIsGood: null },
  { kpi: 'arrears_rate', kind: 'rate', upIsGood: false },
  { kpi: 'dso_days', kind: 'days', upIsGood: false },
  { kpi: 'csat_pct', kind: 'pct', upIsGood: true },
  { kpi: 'nps', kind: 'points', upIsGood: true },
  { kpi: 'complaints_per_10k', kind: 'plain', upIsGood: false },
  { kpi: 'first_response_within_sla_pct', kind: 'pct', upIsGood: true },
  { kpi: 'offer_acceptance_pct', kind: 'pct', upIsGood: true },
];

const KIND: Record<string, ValueKind> = Object.fromEntries(CARDS.map((c) => [c.kpi, c.kind]));
KIND.billed_kwh = 'kwh';
KIND.arrears_amount = 'money';

/** Whether the filters are the default screen the manifest summary describes. */
export function summaryAnswers(filters: Filters, summary: ManifestSummary | null): boolean {
  if (!summary) return false;
  const dims = filters.segment.length + filters.region.length + filters.tariff.length + filters.band.length;
  return dims === 0 && filters.compare === 'previous' && filters.from === summary.month && filters.to === summary.month;
}

interface Props {
  state: ScreenState;
  filters: Filters;
  summary: ManifestSummary | null;
  onChange: (patch: Partial<ScreenState>) => void;
}

export function Overview({ state, filters, summary, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const moveKpi = movedKpiOf(state.kpi);
  const questions = useMemo(() => overviewQuestions(filters, moveKpi), [filters, moveKpi]);
  const cardsQ = useTrackedQuery<KpiCard>(questions.cards);
  const seriesQ = useTrackedQuery<KpiSeriesRow>(questions.series);
  const fromSummary = summaryAnswers(filters, summary);
  const cards = cardsQ.rows ?? (fromSummary && summary ? cardsFromSummary(summary) : null);
  const series = seriesQ.rows ?? (fromSummary && summary ? seriesFromSummary(summary) : null);
  const byKpi = new Map((cards ?? []).map((c) => [c.kpi, c]));
  const shown = CARDS.filter((c) => byKpi.has(c.kpi));

  const visible = useViewVisible();
  useEffect(() => {
    if (visible && cards && cards.some((c) => c.value !== null)) markFirstPaint();
  }, [cards, visible]);

  const movedQ = useTrackedQuery<MovedRow>(questions.moved);

  const vs = filters.compare === 'year' ? t('kpi.vs_year') : t('kpi.vs_previous');
  const cardsTable = () => {
    const rows = (cards ?? []).map((c) => ({ kpi: c.kpi, name: i18n.kpi(c.kpi), value: c.value, comparison: c.comparison, change: c.change }));
    const cols = [
      { key: 'kpi', label: 'kpi', type: 'text' as const }, { key: 'name', label: t('moved.kpi'), type: 'text' as const }, { key: 'value', label: t('measure.value'), type: 'number' as const },
      { key: 'comparison', label: t('measure.previous'), type: 'number' as const }, { key: 'change', label: t('moved.contribution'), type: 'number' as const },
    ];
    return { columns: cols, rows };
  };

  return (
    <div className="view view-overview">
      <section className="panel" aria-labelledby="kpi-heading">
        <div className="panel-head">
          <h2 id="kpi-heading">{t('view.overview')}</h2>
          <span className="panel-note">
            {i18n.month(filters.from)}
            {filters.to !== filters.from ? ` – ${i18n.month(filters.to)}` : ''} · {vs}
          </span>
          <span className="panel-actions">
            <ExportMenu title={t('view.overview')} disabled={!cards} table={cardsTable} />
          </span>
        </div>
        {/* Summary cards may still show while the query failed: say so rather than pass them off as current. */}
        {cards && cardsQ.error ? <StatusMessage error={cardsQ.error} /> : null}
        <StatusMessage loading={!cards && cardsQ.loading} error={cards ? null : cardsQ.error} empty={cards !== null && shown.length === 0}>
          <div className="kpi-grid" aria-busy={cardsQ.loading ? 'true' : 'false'}>
            {shown.map(({ kpi, kind, upIsGood }) => {
              const c = byKpi.get(kpi)!;
              const direction = c.change === null || c.change === 0 ? 'flat' : c.change > 0 ? 'up' : 'down';
              const tone = upIsGood === null || direction === 'flat' ? 'neutral' : (direction === 'up') === upIsGood ? 'good' : 'bad';
              const newC = byKpi.get('new_customers')?.value;
              const closedC = byKpi.get('closed_customers')?.value;
              return (
                <article key={kpi} className="kpi-card" data-kpi={kpi} data-value={c.value ?? ''} aria-label={i18n.kpi(kpi)}>
                  <h3 className="kpi-name">{i18n.kpi(kpi)}</h3>
                  <div className="kpi-value">{i18n.fmt(c.value, kind)}</div>
                  <div className={`kpi-change tone-${tone}`} title={`${vs}: ${i18n.fmt(c.comparison, kind)}`}>
                    {i18n.change(c.value, c.comparison, kind)} <span className="kpi-vs">{vs}</span>
                  </div>
                  {kpi === 'active_customers' && newC != null && closedC != null ? (
                    <div className="kpi-sub">{t('kpi.new_closed', { new: i18n.fmt(newC, 'count'), closed: i18n.fmt(closedC, 'count') })}</div>
                  ) : null}
                  <Sparkline values={(series ?? []).map((r) => (r[kpi] as number | null | undefined) ?? null)} label={`${i18n.kpi(kpi)} – 13`} />
                </article>
              );
            })}
          </div>
        </StatusMessage>
      </section>
      <div className="grid-overview">
        <WhatMoved kpi={moveKpi} rows={movedQ.rows} loading={movedQ.loading} error={movedQ.error} onChange={onChange} />
        <Freshness />
      </div>
      {/* kWh and revenue forecast (issue 8), below the existing panels: asks only once the cards are on screen
          (from the manifest's summary on the default screen, so its extract loads while DuckDB starts). */}
      <ForecastPanel filters={filters} ready={cards !== null || cardsQ.error !== null} />
    </div>
  );
}

function WhatMoved({ kpi, rows, loading, error, onChange }: { kpi: AdditiveKpi; rows: MovedRow[] | null; loading: boolean; error: Error | null; onChange: (p: Partial<ScreenState>) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const kind = KIND[kpi] ?? 'plain';
  const chart = (dimension: 'segment' | 'region') => {
    const list = (rows ?? []).filter((r) => r.dimension === dimension);
    const label = (r: MovedRow) => (r.member === null ? t('moved.rest') : i18n.code(r.member));
    // Largest first from the top: ECharts draws a category axis bottom-up.
    const ordered = [...list].reverse();
    const option: ChartOption | null = list.some((r) => r.change !== null && r.change !== 0)
      ? {
          grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => i18n.fmt(v as number, kind) },
          xAxis: { type: 'value', splitNumber: 3, axisLabel: { color: colors.muted, hideOverlap: true, formatter: (v: number) => i18n.fmt(v, kind, { unit: false }) }, splitLine: { lineStyle: { color: colors.grid } } },
          yAxis: { type: 'category', data: ordered.map(label), axisLabel: { color: colors.text } },
          series: [{
            type: 'bar',
            name: t('moved.contribution'),
            data: ordered.map((r) => ({ value: r.change, itemStyle: { color: (r.change ?? 0) >= 0 ? '#10b981' : '#ef4444' } })),
          }],
        }
      : null;
    return {
      option,
      data: {
        columns: [
          { key: 'member', label: dimension === 'segment' ? t('col.segment') : t('col.region') },
          { key: 'value', label: t('measure.value') }, { key: 'comparison', label: t('measure.previous') }, { key: 'change', label: t('moved.contribution') },
        ],
        rows: list.map((r) => ({ ...r, member: label(r) })),
      },
      list,
    };
  };
  const seg = chart('segment');
  const reg = chart('region');
  return (
    <section className="panel what-moved" aria-labelledby="moved-heading">
      <div className="panel-head">
        <h2 id="moved-heading">{t('moved.title')}</h2>
        <label className="inline-control">
          {t('moved.kpi')}{' '}
          <select value={kpi} onChange={(e) => onChange({ kpi: e.target.value })}>
            {ADDITIVE_KPIS.map((k) => (
              <option key={k} value={k}>{i18n.kpi(k)}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="panel-note">{t('moved.hint', { kpi: i18n.kpi(kpi) })}</p>
      <div className="grid-2 tight">
        <Chart id="moved-segment" title={`${t('moved.by_segment')} · ${i18n.kpi(kpi)}`} option={seg.option} data={seg.data} loading={loading} error={error} height={220}
          onSelect={(s) => { const r = [...seg.list].reverse()[s.dataIndex]; if (r?.member) onChange({ segment: [r.member] }); }} />
        <Chart id="moved-region" title={`${t('moved.by_region')} · ${i18n.kpi(kpi)}`} option={reg.option} data={reg.data} loading={loading} error={error} height={300}
          onSelect={(s) => { const r = [...reg.list].reverse()[s.dataIndex]; if (r?.member) onChange({ region: [r.member] }); }} />
      </div>
    </section>
  );
}
