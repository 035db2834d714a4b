// The Satisfaction view's "Improvement actions" panel: the actions of the
// register whose after-window reaches into the period (region filter: those
// treating a selected region), each with the targeted item's mean before and
// after in treated vs untreated regions (the chart), the difference-in-
// differences with its 95% interval and a plain verdict (the list). One tiny
// query over the action_effect extract; the chart's data export is the CSV.

import { useMemo } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import { actionEffectQuery, type ActionEffectRow } from '../data/queries/action-effect.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { useChartColors } from '../theme.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

const VERDICT: Record<string, MessageKey> = { improved: 'actions.improved', worsened: 'actions.worsened', no_change: 'actions.no_change' };

export function ImprovementActions({ filters }: { filters: Filters }) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  const q = useTrackedQuery<ActionEffectRow>(useMemo(() => actionEffectQuery(filters), [filters]));
  const rows = q.rows ?? [];
  const axis = { axisLine: { lineStyle: { color: colors.axis } }, axisLabel: { color: colors.muted } };
  const cells = [
    ['treated_before_mean', 'actions.treated_before'], ['treated_after_mean', 'actions.treated_after'],
    ['untreated_before_mean', 'actions.untreated_before'], ['untreated_after_mean', 'actions.untreated_after'],
  ] as const;

  const option: ChartOption | null = rows.length
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis' },
        xAxis: { type: 'category', data: rows.map((r) => `${r.action_id} · ${i18n.code(r.target)}`), ...axis },
        yAxis: { type: 'value', scale: true, ...axis, splitLine: { lineStyle: { color: colors.grid } } },
        series: cells.map(([k, label]) => ({ type: 'bar' as const, name: t(label), data: rows.map((r) => r[k]) })),
      }
    : null;

  const score = (v: number | null) => i18n.fmt(v, 'score');
  const verdict = (r: ActionEffectRow): string => (r.outcome === null ? t('actions.too_few') : t(VERDICT[r.outcome]));
  const col = (key: string, label: string) => ({ key, label });
  return (
    <section className="panel-stack" data-panel="improvement-actions">
      <Chart id="sat-actions" title={t('actions.title')} note={t('actions.note')} option={option} loading={q.loading} error={q.error}
        data={q.rows ? {
          columns: [
            col('action_id', t('actions.action')), col('action_date', t('actions.date')), col('target', t('actions.target')), col('regions', t('actions.regions')),
            col('segments', t('actions.segments')), col('description', t('actions.description')),
            col('treated_before_n', `${t('actions.treated_before')} n`), col('treated_before_mean', t('actions.treated_before')),
            col('treated_after_n', `${t('actions.treated_after')} n`), col('treated_after_mean', t('actions.treated_after')),
            col('untreated_before_n', `${t('actions.untreated_before')} n`), col('untreated_before_mean', t('actions.untreated_before')),
            col('untreated_after_n', `${t('actions.untreated_after')} n`), col('untreated_after_mean', t('actions.untreated_after')),
            col('did', t('actions.effect')), col('did_low', t('actions.low')), col('did_high', t('actions.high')), col('outcome', t('actions.outcome')),
          ],
          rows: rows.map((r) => ({ ...r })),
        } : null} />
      {q.rows && rows.length === 0 && <p className="note">{t('actions.none')}</p>}
      {rows.length > 0 && (
        <ul className="note" data-testid="action-list">
          {rows.map((r) => (
            <li key={r.action_id} data-action={r.action_id} data-outcome={r.outcome ?? 'too_few'}>
              <strong>{r.action_id}</strong> {r.action_date} · {r.regions.split(';').map((x) => i18n.code(x)).join('、')} · {r.segments ? r.segments.split(';').map((x) => i18n.code(x)).join('、') : t('actions.all_segments')}
              {r.description ? ` · ${r.description}` : ''}
              <br />
              <strong>{verdict(r)}</strong>
              {/* a withheld action's verdict already says why: no second "too few" */}
              {r.suppressed ? null : ' — ' + t('actions.line', {
                target: i18n.code(r.target), tb: score(r.treated_before_mean), ta: score(r.treated_after_mean), ntb: r.treated_before_n ?? 0, nta: r.treated_after_n ?? 0,
                ub: score(r.untreated_before_mean), ua: score(r.untreated_after_mean), nub: r.untreated_before_n ?? 0, nua: r.untreated_after_n ?? 0,
                did: score(r.did), low: score(r.did_low), high: score(r.did_high),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
