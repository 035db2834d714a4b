// Satisfaction: survey item means and NPS (promoters / passives / detractors)
// by month and by wave, CSAT and NPS by segment, region or survey channel, and
// customers who had an outage or a complaint against those who did not.
// Clicking a breakdown bar filters the page to that member.

import { useMemo } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import { splitTrendAndWaves, SURVEY_ITEMS, type ExperienceRow, type SatisfactionRow, type TrendOrWaveRow } from '../data/queries/satisfaction.ts';
import { satisfactionQuestions } from '../data/queries/view-questions.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { ScreenState } from '../state/url-state.ts';
import { useChartColors } from '../theme.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';
import { ImprovementActions } from './ImprovementActions.tsx';
import { DetractorFollowUp } from './DetractorFollowUp.tsx';
import { useDataStatus } from '../data/hooks.ts';

interface Props {
  state: ScreenState;
  filters: Filters;
  onChange: (patch: Partial<ScreenState>) => void;
}

type KeyRow = SatisfactionRow & { key: string };

export function Satisfaction({ state, filters, onChange }: Props) {
  const { manifest } = useDataStatus();
  const offered = (name: string): boolean => !!manifest?.files?.some((f) => f.name === name);
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted } };
  const split = { splitLine: { lineStyle: { color: colors.grid } } };
  const base = { grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true }, legend: { top: 0, textStyle: { color: colors.text } } };
  // The month trend and the waves are one question (one scan; satisfaction.ts), split here.
  const questions = useMemo(() => satisfactionQuestions(filters, state.by), [filters, state.by]);
  const trendAndWaves = useTrackedQuery<TrendOrWaveRow>(questions.trendAndWaves);
  const byKind = useMemo(() => (trendAndWaves.rows ? splitTrendAndWaves(trendAndWaves.rows) : null), [trendAndWaves.rows]);
  const trend = { rows: byKind?.months ?? null, loading: trendAndWaves.loading, error: trendAndWaves.error };
  const waves = { rows: byKind?.waves ?? null, loading: trendAndWaves.loading, error: trendAndWaves.error };
  const breakdown = useTrackedQuery<KeyRow>(questions.breakdown);
  const experience = useTrackedQuery<ExperienceRow>(questions.experience);

  const tRows = trend.rows ?? [];
  const months = tRows.map((r) => i18n.month(r.month));
  const itemsOption: ChartOption | null = tRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'score') },
        xAxis: { type: 'category', data: months, ...axis },
        yAxis: { type: 'value', min: 1, max: 5, ...axis, ...split },
        series: SURVEY_ITEMS.map((item) => ({ type: 'line', name: i18n.code(item), data: tRows.map((r) => r[`${item}_mean`]) })),
      }
    : null;
  const npsOption: ChartOption | null = tRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: months, ...axis },
        yAxis: [
          { type: 'value', name: t('measure.customers'), ...axis, ...split },
          { type: 'value', name: t('measure.nps'), min: -100, max: 100, ...axis, splitLine: { show: false } },
        ],
        series: [
          { type: 'bar', stack: 'nps', name: i18n.code('promoters'), data: tRows.map((r) => r.promoters), itemStyle: { color: '#10b981' } },
          { type: 'bar', stack: 'nps', name: i18n.code('passives'), data: tRows.map((r) => r.passives), itemStyle: { color: '#9ca3af' } },
          { type: 'bar', stack: 'nps', name: i18n.code('detractors'), data: tRows.map((r) => r.detractors), itemStyle: { color: '#ef4444' } },
          { type: 'line', name: t('measure.nps'), yAxisIndex: 1, data: tRows.map((r) => r.nps), itemStyle: { color: colors.series[0] } },
        ],
      }
    : null;

  const wRows = waves.rows ?? [];
  const waveOption: ChartOption | null = wRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: wRows.map((r) => r.wave), ...axis },
        yAxis: [
          { type: 'value', min: 1, max: 5, ...axis, ...split },
          { type: 'value', name: t('measure.nps'), min: -100, max: 100, ...axis, splitLine: { show: false } },
        ],
        series: [
          ...(['overall', 'reliability'] as const).map((item) => ({ type: 'bar' as const, name: i18n.code(item), data: wRows.map((r) => r[`${item}_mean`]) })),
          { type: 'line', name: t('measure.nps'), yAxisIndex: 1, data: wRows.map((r) => r.nps) },
        ],
      }
    : null;

  const bRows = breakdown.rows ?? [];
  const byLabel = t(`col.${state.by === 'channel' ? 'preferred_channel' : state.by}` as 'col.segment');
  const breakdownOption: ChartOption | null = bRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'category', data: bRows.map((r) => i18n.code(r.key)), ...axis, axisLabel: { color: colors.text, interval: 0, rotate: bRows.length > 6 ? 30 : 0 } },
        yAxis: [
          { type: 'value', name: t('measure.csat'), min: 0, max: 100, ...axis, ...split },
          { type: 'value', name: t('measure.nps'), min: -100, max: 100, ...axis, splitLine: { show: false } },
          { type: 'value', name: i18n.code('reliability'), min: 1, max: 5, position: 'right', offset: 48, ...axis, splitLine: { show: false } },
        ],
        series: [
          { type: 'bar', name: t('measure.csat'), data: bRows.map((r) => r.csat_pct), cursor: 'pointer' },
          { type: 'line', name: t('measure.nps'), yAxisIndex: 1, data: bRows.map((r) => r.nps) },
          { type: 'line', name: i18n.code('reliability'), yAxisIndex: 2, lineStyle: { type: 'dashed' }, data: bRows.map((r) => r.reliability_mean) },
        ],
      }
    : null;

  const eRows = experience.rows ?? [];
  const experienceOption: ChartOption | null = eRows.length
    ? {
        ...base,
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => i18n.fmt(v as number, 'score') },
        xAxis: { type: 'category', data: ['outage_12m', 'complaint_12m'].map((k) => i18n.code(k)), ...axis },
        yAxis: { type: 'value', name: t('sat.overall_mean'), min: 1, max: 5, ...axis, ...split },
        series: [true, false].map((had) => ({
          type: 'bar', name: had ? t('sat.with') : t('sat.without'),
          data: ['outage_12m', 'complaint_12m'].map((k) => eRows.find((r) => r.experience === k && r.had === had)?.overall_mean ?? null),
        })),
      }
    : null;

  const col = (key: string, label: string) => ({ key, label });
  const measureCols = [
    ...SURVEY_ITEMS.map((i) => col(`${i}_mean`, i18n.code(i))), col('csat_pct', t('measure.csat')), col('nps', t('measure.nps')),
    col('responses', t('measure.responses')), col('promoters', i18n.code('promoters')), col('passives', i18n.code('passives')), col('detractors', i18n.code('detractors')),
  ];
  const asRows = (rows: unknown[]) => rows as Record<string, unknown>[];
  return (
    <div className="view view-satisfaction">
      <div className="grid-2">
        <Chart id="sat-items" title={t('sat.items')} option={itemsOption} loading={trend.loading} error={trend.error}
          data={trend.rows ? { columns: [col('month', t('measure.month')), ...measureCols], rows: asRows(tRows) } : null} />
        <Chart id="sat-nps" title={t('sat.nps')} option={npsOption} loading={trend.loading} error={trend.error}
          data={trend.rows ? { columns: [col('month', t('measure.month')), ...measureCols], rows: asRows(tRows) } : null} />
        <Chart id="sat-waves" title={t('sat.waves')} option={waveOption} loading={waves.loading} error={waves.error}
          data={waves.rows ? { columns: [col('wave', t('measure.wave')), ...measureCols], rows: asRows(wRows) } : null} />
        <section className="panel-stack">
          <label className="inline-control">
            {t('sat.by')}{' '}
            <select value={state.by} onChange={(e) => onChange({ by: e.target.value as ScreenState['by'] })}>
              <option value="segment">{t('col.segment')}</option>
              <option value="region">{t('col.region')}</option>
              <option value="channel">{t('filter.channel')}</option>
            </select>
          </label>
          <Chart id="sat-breakdown" title={t('sat.breakdown', { by: byLabel })} option={breakdownOption} loading={breakdown.loading} error={breakdown.error}
            data={breakdown.rows ? { columns: [col('key', byLabel), ...measureCols], rows: asRows(bRows) } : null}
            onSelect={(s) => { const r = bRows[s.dataIndex]; if (r) onChange({ [state.by]: [r.key] } as Partial<ScreenState>); }} />
        </section>
        <Chart id="sat-experience" title={t('sat.experience')} note={t('sat.experience_note')} option={experienceOption} loading={experience.loading} error={experience.error}
          data={experience.rows ? { columns: [col('experience', t('measure.experience')), col('had', t('measure.had')), col('customers', t('measure.customers')), col('overall_mean', i18n.code('overall')), col('reliability_mean', i18n.code('reliability')), col('detractor_share', i18n.code('detractors'))], rows: asRows(eRows) } : null} />
        {/* Only when this version of the extracts has them (published before issue 8's marts, they are absent). */}
        {offered('detractor_followup') ? <DetractorFollowUp filters={filters} /> : null}
        {offered('action_effect') ? <ImprovementActions filters={filters} /> : null}
      </div>
    </div>
  );
}
