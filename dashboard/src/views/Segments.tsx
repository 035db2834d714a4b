// Segments: drill segment → region → tariff → consumption band → the customers
// of the cell. Each level shows the groups' size and value (customers, kWh,
// revenue, arrears, CSAT) and need tags; a bar or a row drills down, the
// breadcrumb goes back. The path lives in the URL (drill=…), so back/forward
// walk it too.

import { useMemo, useRef } from 'react';
import { Chart } from '../charts/LazyChart.tsx';
import type { ChartOption } from '../charts/echarts.ts';
import type { Filters } from '../data/api.ts';
import { useDataStatus } from '../data/hooks.ts';
import { segmentGroupsQuery, type SegmentGroupRow } from '../data/queries/segments.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { DRILL_LEVELS, nextDrillLevel, type ScreenState } from '../state/url-state.ts';
import { useChartColors } from '../theme.tsx';
import { CustomerList } from './CustomerList.tsx';
import { StatusMessage } from './Status.tsx';
import { useTrackedQuery } from './use-tracked-query.ts';

interface Props {
  state: ScreenState;
  filters: Filters;
  k: number | null;
  onChange: (patch: Partial<ScreenState>) => void;
}

export function Segments({ state, filters, k, onChange }: Props) {
  const i18n = useI18n();
  const { t } = i18n;
  const level = nextDrillLevel(state.drill);
  const drillTo = (value: string): void => onChange({ drill: [...state.drill, value] });

  return (
    <div className="view view-segments">
      <nav className="breadcrumb" aria-label={t('segments.breadcrumb')}>
        <ol>
          <li>
            {state.drill.length === 0 ? (
              <span aria-current="page">{t('segments.all')}</span>
            ) : (
              <button type="button" className="link" onClick={() => onChange({ drill: [] })}>{t('segments.all')}</button>
            )}
          </li>
          {state.drill.map((value, i) => (
            <li key={i} data-level={DRILL_LEVELS[i]}>
              {i === state.drill.length - 1 ? (
                <span aria-current="page">{i18n.code(value)}</span>
              ) : (
                <button type="button" className="link" onClick={() => onChange({ drill: state.drill.slice(0, i + 1) })}>{i18n.code(value)}</button>
              )}
            </li>
          ))}
        </ol>
        {state.drill.length > 0 ? (
          <button type="button" onClick={() => onChange({ drill: state.drill.slice(0, -1) })}>← {t('segments.back')}</button>
        ) : null}
      </nav>
      {level ? (
        <Groups level={level} filters={filters} drill={state.drill} k={k} onDrill={drillTo} />
      ) : (
        <CustomerList key={state.drill.join('\u0000')} filters={filters} drill={state.drill} sort={state.sort} desc={state.sortDesc} onSort={(sort, sortDesc) => onChange({ sort, sortDesc })} />
      )}
    </div>
  );
}

function Groups({ level, filters, drill, k, onDrill }: { level: string; filters: Filters; drill: string[]; k: number | null; onDrill: (v: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const colors = useChartColors();
  // A role without the customer extract (manifest.access.withheld) still gets the groups, without need tags.
  const needs = !useDataStatus().manifest?.access?.withheld.includes('customer');
  const q = useTrackedQuery<SegmentGroupRow>(useMemo(() => segmentGroupsQuery(filters, drill, { needs }), [filters, drill, needs]));
  const rows = q.rows ?? [];
  // While the next level's answer comes, the rows on screen are the previous
  // level's (the data layer keeps them, so the table does not blink): the
  // table names the level of the rows it shows, and their drill buttons wait
  // (a segment row drilled at the region level would add it as a region).
  const answered = useRef<{ rows: SegmentGroupRow[] | null; level: string }>({ rows: q.rows, level });
  if (!q.loading && q.rows !== answered.current.rows) answered.current = { rows: q.rows, level };
  const rowsLevel = answered.current.rows === q.rows ? answered.current.level : level;
  const rowsCurrent = rowsLevel === level;
  const levelName = t(`col.${rowsLevel}` as 'col.segment');
  const title = `${t('segments.size_value')} · ${t('segments.by', { level: levelName })}`;
  const suppressed = rows.some((r) => r.suppressed_cells > 0);

  const option: ChartOption | null = rows.length
    ? {
        grid: { left: 8, right: 16, top: 60, bottom: 8, containLabel: true },
        legend: { top: 0, textStyle: { color: colors.text } },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        xAxis: { type: 'category', data: rows.map((r) => i18n.code(r.key)), axisLabel: { color: colors.text, interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
        yAxis: [
          { type: 'value', name: t('segments.revenue'), axisLabel: { color: colors.muted, formatter: (v: number) => i18n.fmt(v, 'money', { unit: false }) }, splitLine: { lineStyle: { color: colors.grid } } },
          { type: 'value', name: t('segments.customers'), axisLabel: { color: colors.muted, formatter: (v: number) => i18n.fmt(v, 'count', { unit: false }) }, splitLine: { show: false } },
        ],
        series: [
          { type: 'bar', name: t('segments.revenue'), data: rows.map((r) => r.revenue), cursor: 'pointer' },
          { type: 'bar', name: t('segments.customers'), yAxisIndex: 1, data: rows.map((r) => r.customers), cursor: 'pointer' },
        ],
      }
    : null;
  const data = {
    columns: [
      { key: 'key', label: rowsLevel }, { key: 'label', label: levelName }, { key: 'customers', label: t('segments.customers') }, { key: 'kwh', label: t('segments.kwh') },
      { key: 'revenue', label: t('segments.revenue') }, { key: 'arrears', label: t('segments.arrears') }, { key: 'csat_pct', label: t('segments.csat') },
      { key: 'need_green', label: t('segments.need_green') }, { key: 'need_reliability', label: t('segments.need_reliability') }, { key: 'need_price', label: t('segments.need_price') },
    ],
    rows: rows.map((r) => ({ ...r, label: i18n.code(r.key) })),
  };

  return (
    <>
      <Chart id="segment-groups" title={title} option={option} data={q.rows ? data : null} loading={q.loading} error={q.error}
        note={t('segments.drill_hint')} onSelect={(s) => { const r = rows[s.dataIndex]; if (r && rowsCurrent) onDrill(r.key); }} />
      <section className="panel" aria-labelledby="groups-table">
        <div className="panel-head">
          <h3 id="groups-table">{title}</h3>
          <span className="panel-actions"><ExportMenu title={title} disabled={!q.rows?.length} table={() => data} /></span>
        </div>
        {suppressed && k !== null ? <p className="panel-note">{t('state.suppressed', { k })}</p> : null}
        {needs ? null : <p className="panel-note" data-state="needs-withheld">{t('segments.needs_withheld')}</p>}
        <StatusMessage loading={q.loading && !q.rows} error={q.error} empty={q.rows !== null && rows.length === 0}>
          <table className="data-table" data-table="segment-groups" data-level={rowsLevel} aria-busy={rowsCurrent ? undefined : true}>
            <thead>
              <tr>
                <th scope="col">{levelName}</th>
                <th scope="col" className="num">{t('segments.customers')}</th>
                <th scope="col" className="num">{t('segments.kwh')}</th>
                <th scope="col" className="num">{t('segments.revenue')}</th>
                <th scope="col" className="num">{t('segments.arrears')}</th>
                <th scope="col" className="num">{t('segments.csat')}</th>
                <th scope="col">{t('segments.needs')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key} data-group={r.key}>
                  <th scope="row">
                    <button type="button" className="link" data-drill-value={r.key} disabled={!rowsCurrent} onClick={() => onDrill(r.key)}
                      aria-label={`${t('segments.drill')}: ${i18n.code(r.key)}`}>
                      {i18n.code(r.key)} →
                    </button>
                  </th>
                  <td className="num">{r.customers === null ? <span title={k !== null ? t('state.suppressed', { k }) : undefined}>{t('segments.hidden')}</span> : i18n.fmt(r.customers, 'count')}</td>
                  <td className="num">{i18n.fmt(r.kwh, 'kwh')}</td>
                  <td className="num">{i18n.fmt(r.revenue, 'money')}</td>
                  <td className="num">{i18n.fmt(r.arrears, 'money')}</td>
                  <td className="num">{i18n.fmt(r.csat_pct, 'pct')}</td>
                  <td><span className="tags">
                    {r.need_green > 0 ? <span className="tag tag-green">{t('segments.need_green')} {i18n.fmt(r.need_green, 'count')}</span> : null}
                    {r.need_reliability > 0 ? <span className="tag tag-reliability">{t('segments.need_reliability')} {i18n.fmt(r.need_reliability, 'count')}</span> : null}
                    {r.need_price > 0 ? <span className="tag tag-price">{t('segments.need_price')} {i18n.fmt(r.need_price, 'count')}</span> : null}
                  </span></td>
                </tr>
              ))}
            </tbody>
          </table>
        </StatusMessage>
      </section>
    </>
  );
}
