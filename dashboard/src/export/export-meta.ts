// What an exported file says about the screen it came from (pure): the
// filters in force, in the user's words, as [name, value] pairs for the XLSX
// metadata sheet and the Parquet key-value metadata.

import type { I18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { FILTER_DIMENSIONS, latestCompleteMonth, type ScreenState } from '../state/url-state.ts';

/**
 * The filters of a screen state: period (the default period filled in from
 * the data's as-of date), comparison, every dimension filter set, and the
 * Segments drill path when there is one.
 */
export function filterPairs(state: ScreenState, dataAsOf: string | null, i18n: Pick<I18n, 't' | 'code' | 'month'>): [string, string][] {
  const { t, code, month } = i18n;
  const fallback = dataAsOf ? latestCompleteMonth(dataAsOf) : null;
  const from = state.from ?? fallback;
  const to = state.to ?? fallback;
  const pairs: [string, string][] = [];
  if (from && to) pairs.push([t('export.period'), from === to ? month(from) : `${month(from)} – ${month(to)}`]);
  pairs.push([t('filter.compare'), t(state.compare === 'year' ? 'filter.compare.year' : 'filter.compare.previous')]);
  for (const dim of FILTER_DIMENSIONS) {
    if (state[dim].length > 0) pairs.push([t(`filter.${dim}` as MessageKey), state[dim].map((v) => code(v)).join(', ')]);
  }
  if (state.view === 'segments' && state.drill.length > 0) pairs.push([t('export.drill'), state.drill.map((v) => code(v)).join(' › ')]);
  return pairs;
}
