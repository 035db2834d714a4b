// The global filter bar: period (from / to month), comparison, and the
// dimension filters (segment, region, tariff, consumption band, channel), each
// a labelled, keyboard-usable multi-select (a disclosure of checkboxes).
// Options come from the extracts once the page is interactive (or as soon as
// a list is opened): before that the DuckDB worker serves the open view's
// first answers, and the channel list alone would fetch two extracts the
// Overview does not read. The months fall back to the manifest summary's.

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ManifestSummary } from '../data/api.ts';
import { dimensionValuesQuery, monthsQuery } from '../data/queries/segments.ts';
import { channelValuesQuery } from '../data/queries/service.ts';
import { useQuery } from '../data/hooks.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { FILTER_DIMENSIONS, type FilterDimension, type ScreenState } from '../state/url-state.ts';
import { isInteractive, subscribeInteractive } from '../timing.ts';

const useInteractive = (): boolean => useSyncExternalStore(subscribeInteractive, isInteractive, isInteractive);

interface Props {
  state: ScreenState;
  from: string;
  to: string;
  summary: ManifestSummary | null;
  onChange: (patch: Partial<ScreenState>) => void;
}

export function FilterBar({ state, from, to, summary, onChange }: Props) {
  const { t, month } = useI18n();
  const interactive = useInteractive();
  const monthsQ = useQuery<{ month: string }>(useMemo(() => (interactive ? monthsQuery() : null), [interactive]));
  const months = (monthsQ.rows?.map((r) => r.month) ?? summary?.series.months ?? []).map((m) => m.slice(0, 7));
  // The selected months are always offered, even before the list is known.
  const options = [...new Set([...months, from, to])].sort();
  const anyFilter = FILTER_DIMENSIONS.some((d) => state[d].length > 0);

  return (
    <form className="filter-bar" aria-label={t('filter.label')} onSubmit={(e) => e.preventDefault()}>
      <label className="control">
        <span>{t('filter.from')}</span>
        <select name="from" value={from} onChange={(e) => onChange({ from: e.target.value, to: e.target.value > to ? e.target.value : to })}>
          {options.map((m) => <option key={m} value={m}>{month(m)}</option>)}
        </select>
      </label>
      <label className="control">
        <span>{t('filter.to')}</span>
        <select name="to" value={to} onChange={(e) => onChange({ to: e.target.value, from: e.target.value < from ? e.target.value : from })}>
          {options.map((m) => <option key={m} value={m}>{month(m)}</option>)}
        </select>
      </label>
      <label className="control">
        <span>{t('filter.compare')}</span>
        <select name="compare" value={state.compare} onChange={(e) => onChange({ compare: e.target.value as ScreenState['compare'] })}>
          <option value="previous">{t('filter.compare.previous')}</option>
          <option value="year">{t('filter.compare.year')}</option>
        </select>
      </label>
      {FILTER_DIMENSIONS.map((dim) => (
        <MultiSelect key={dim} dim={dim} selected={state[dim]} interactive={interactive} onChange={(values) => onChange({ [dim]: values, drill: [] })} />
      ))}
      <button type="button" className="clear" disabled={!anyFilter}
        onClick={() => onChange({ segment: [], region: [], tariff: [], band: [], channel: [], drill: [] })}>
        {t('filter.clear')}
      </button>
    </form>
  );
}

function MultiSelect({ dim, selected, interactive, onChange }: { dim: FilterDimension; selected: string[]; interactive: boolean; onChange: (values: string[]) => void }) {
  const { t, code } = useI18n();
  const [opened, setOpened] = useState(false);
  const wanted = interactive || opened;
  const query = useMemo(() => (wanted ? (dim === 'channel' ? channelValuesQuery() : dimensionValuesQuery(dim)) : null), [dim, wanted]);
  const q = useQuery<{ value: string }>(query);
  const values = [...new Set([...(q.rows?.map((r) => r.value) ?? []), ...selected])];
  const label = t(`filter.${dim}` as MessageKey);
  const details = useRef<HTMLDetailsElement>(null);
  const summaryText = selected.length === 0 ? t('filter.all') : selected.length === 1 ? code(selected[0]) : t('filter.selected', { n: selected.length });
  const toggle = (v: string, on: boolean): void => onChange(on ? [...selected, v] : selected.filter((x) => x !== v));

  // A click anywhere else closes the list, as a native select would.
  useEffect(() => {
    const close = (e: PointerEvent): void => {
      const d = details.current;
      if (d?.open && e.target instanceof Node && !d.contains(e.target)) d.open = false;
    };
    document.addEventListener('pointerdown', close);
    return () => document.removeEventListener('pointerdown', close);
  }, []);

  return (
    <details className="control multi" ref={details} data-filter={dim} onToggle={(e) => { if (e.currentTarget.open) setOpened(true); }}
      onKeyDown={(e) => { if (e.key === 'Escape' && details.current) { details.current.open = false; details.current.querySelector('summary')?.focus(); } }}>
      <summary aria-label={`${label}: ${summaryText}`}>
        <span className="control-label">{label}</span> <span className="control-value">{summaryText}</span>
      </summary>
      <fieldset className="multi-options">
        <legend className="sr-only">{label}</legend>
        {(q.loading || !wanted) && values.length === 0 ? <span className="status-loading">{t('state.loading')}</span> : null}
        {q.error ? <span className="status-error">{q.error.message}</span> : null}
        {values.map((v) => (
          <label key={v} className="option">
            <input type="checkbox" name={dim} value={v} checked={selected.includes(v)} onChange={(e) => toggle(v, e.target.checked)} /> {code(v)}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
