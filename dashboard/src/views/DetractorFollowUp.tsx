// The Satisfaction view's "Detractor follow-up" panel: per survey wave of the
// 12 months to the period's end, the contact rate (bars) and the median and P90 time to contact
// (lines, with the 72 h target), and a sentence comparing the next-wave NPS
// score of contacted and uncontacted detractors with a 95% interval. One
// small query (followUpQuery), one chart; exports like every chart.

import { useMemo } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import { CONTACT_TARGET_HOURS, followUpQuery, nextWaveDifference, type FollowUpRow } from '../data/queries/detractor-followup.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useChartColors } from '../theme.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

export function DetractorFollowUp({ filters }: { filters: Filters }) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const q = useTrackedQuery<FollowUpRow>(useMemo(() => followUpQuery(filters), [filters]));
  const rows = q.rows ?? [];
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted } };

  const option: ChartOption | null = rows.length
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: rows.map((r) => r.wave), ...axis },
        yAxis: [
          { type: 'value', name: t('followup.contact_rate'), min: 0, max: 100, ...axis, splitLine: { lineStyle: { color: colors.grid } } },
          { type: 'value', name: t('followup.hours_axis'), min: 0, ...axis, splitLine: { show: false } },
        ],
        series: [
          { type: 'bar', name: t('followup.contact_rate'), data: rows.map((r) => (r.contact_rate === null ? null : 100 * r.contact_rate)) },
          {
            type: 'line', name: t('followup.median_hours'), yAxisIndex: 1, data: rows.map((r) => r.contact_hours_median),
            markLine: { silent: true, symbol: 'none', data: [{ yAxis: CONTACT_TARGET_HOURS, name: t('followup.target') }], lineStyle: { type: 'dashed', color: colors.muted } },
          },
          { type: 'line', name: t('followup.p90_hours'), yAxisIndex: 1, lineStyle: { type: 'dashed' }, data: rows.map((r) => r.contact_hours_p90) },
        ],
      }
    : null;

  const total = (k: keyof FollowUpRow): number => rows.reduce((a, r) => a + (Number(r[k]) || 0), 0);
  const closed = total('cases') - total('pending');
  const counts = {
    contacted: i18n.fmt(total('contacted'), 'count'), closed: i18n.fmt(closed, 'count'),
    rate: i18n.fmt(closed > 0 ? total('contacted') / closed : null, 'rate'), pending: i18n.fmt(total('pending'), 'count'),
  };
  const d = nextWaveDifference(rows);
  const summary = !rows.length ? '' : d
    ? t('followup.summary', {
        ...counts, c: i18n.fmt(d.contacted.mean, 'score'), nc: d.contacted.n, u: i18n.fmt(d.uncontacted.mean, 'score'), nu: d.uncontacted.n,
        diff: i18n.fmt(d.diff, 'score'), low: i18n.fmt(d.low, 'score'), high: i18n.fmt(d.high, 'score'),
      })
    : t('followup.summary_no_next', counts);

  const col = (key: string, label: string) => ({ key, label });
  const table = rows.map((r) => ({
    ...r,
    next_contacted: r.contacted_next_responses ? r.contacted_next_nps_sum! / r.contacted_next_responses : null,
    next_uncontacted: r.uncontacted_next_responses ? r.uncontacted_next_nps_sum! / r.uncontacted_next_responses : null,
  }));
  return (
    <section className="panel-stack" data-panel="detractor-followup">
      <Chart id="sat-followup" title={t('followup.title')} note={t('followup.note', { target: CONTACT_TARGET_HOURS })} option={option} loading={q.loading} error={q.error}
        data={q.rows ? {
          columns: [
            col('wave', t('measure.wave')), col('cases', t('followup.cases')), col('pending', t('followup.pending')), col('contacted', t('followup.contacted')),
            col('contact_rate', t('followup.contact_rate')), col('contacted_within_target', t('followup.within_target')),
            col('contact_hours_median', t('followup.median_hours')), col('contact_hours_p90', t('followup.p90_hours')),
            col('next_contacted', t('followup.next_contacted')), col('next_uncontacted', t('followup.next_uncontacted')), col('suppressed_cells', t('followup.suppressed')),
          ],
          rows: table,
        } : null} />
      {summary && <p className="note" data-testid="followup-summary">{summary}</p>}
    </section>
  );
}
