// The URL ⇄ screen state conversions: every screen survives a round trip,
// malformed parameters fall back to defaults, and the default period rule.

import { describe, expect, it } from 'vitest';
import {
  addMonths, DEFAULT_STATE, drillPairs, filtersOf, formatState, latestCompleteMonth, nextDrillLevel, parseState, type ScreenState,
} from '../../../dashboard/src/state/url-state.ts';

describe('url state', () => {
  it('round-trips a full screen, Chinese values and repeated filters included', () => {
    const s: ScreenState = {
      ...DEFAULT_STATE, view: 'segments', from: '2026-07', to: '2026-10', compare: 'year',
      segment: ['residential', 'sme'], region: ['云岭县'], tariff: ['tou'], band: ['high'], channel: ['wechat'],
      drill: ['residential', '云岭县'], sort: 'revenue_12m', sortDesc: false, kpi: 'kwh', by: 'channel', lang: 'zh-CN', theme: 'dark',
    };
    expect(parseState('?' + formatState(s))).toEqual(s);
  });

  it('leaves defaults out of the URL', () => {
    expect(formatState(DEFAULT_STATE)).toBe('');
    expect(formatState({ ...DEFAULT_STATE, from: '2026-10', to: '2026-10' })).toBe('from=2026-10&to=2026-10');
  });

  it('falls back to defaults on malformed parameters and orders a reversed period', () => {
    const s = parseState('?view=nope&from=2026-13&to=x&cmp=later&by=tariff&lang=fr&theme=blue&sort=');
    expect(s).toEqual(DEFAULT_STATE);
    expect(parseState('?from=2026-10&to=2026-07')).toMatchObject({ from: '2026-07', to: '2026-10' });
    expect(parseState('?from=2026-10')).toMatchObject({ from: '2026-10', to: '2026-10' });
    expect(parseState('?drill=a&drill=b&drill=c&drill=d&drill=e').drill).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads the sort direction from a leading minus', () => {
    expect(parseState('?sort=-arrears')).toMatchObject({ sort: 'arrears', sortDesc: true });
    expect(parseState('?sort=arrears')).toMatchObject({ sort: 'arrears', sortDesc: false });
  });

  it('latest complete month: the as-of month when it ends the month, else the one before', () => {
    expect(latestCompleteMonth('2026-10-31')).toBe('2026-10');
    expect(latestCompleteMonth('2026-11-25')).toBe('2026-10');
    expect(latestCompleteMonth('2024-02-29')).toBe('2024-02');
    expect(latestCompleteMonth('2026-01-15')).toBe('2025-12');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 13)).toBe('2027-01');
  });

  it('turns the state into the data layer filters, with the default month filled in', () => {
    const f = filtersOf({ ...DEFAULT_STATE, segment: ['sme'] }, '2026-10');
    expect(f).toEqual({ from: '2026-10-01', to: '2026-10-01', compare: 'previous', segment: ['sme'], region: [], tariff: [], band: [], channel: [] });
  });

  it('names the drill levels in order; after the band comes the customer list', () => {
    expect(drillPairs(['sme', '江城区'])).toEqual([{ level: 'segment', value: 'sme' }, { level: 'region', value: '江城区' }]);
    expect(nextDrillLevel([])).toBe('segment');
    expect(nextDrillLevel(['a', 'b', 'c'])).toBe('band');
    expect(nextDrillLevel(['a', 'b', 'c', 'd'])).toBeNull();
  });
});
