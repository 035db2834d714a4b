// The Alerts view's pure parts: its URL state (ast, aty, asort) round-trips,
// and the tab shows only when the manifest offers the usage_alert extract.

import { describe, expect, it } from 'vitest';
import { DEFAULT_STATE, formatState, parseState } from '../../../dashboard/src/state/url-state.ts';
import { viewAllowed } from '../../../dashboard/src/workbench/access.ts';

describe('Alerts URL state', () => {
  it('defaults: open alerts, every type, most severe first; nothing in the URL', () => {
    const s = parseState('view=alerts');
    expect(s).toMatchObject({ view: 'alerts', alertStatus: 'open', alertTypes: [], alertSort: 'severity', alertSortDesc: true });
    expect(formatState(s)).toBe('view=alerts');
  });

  it('round-trips status, types and order; malformed values fall back', () => {
    const s = { ...DEFAULT_STATE, view: 'alerts' as const, alertStatus: 'all' as const, alertTypes: ['zero', 'flat'], alertSort: 'first_seen', alertSortDesc: false };
    const q = formatState(s);
    expect(q).toBe('view=alerts&ast=all&aty=zero&aty=flat&asort=first_seen');
    expect(parseState(q)).toEqual(s);
    expect(parseState('view=alerts&ast=bogus&asort=').alertStatus).toBe('open');
    expect(parseState('view=alerts&asort=-last_seen')).toMatchObject({ alertSort: 'last_seen', alertSortDesc: true });
  });
});

describe('Alerts tab', () => {
  const files = (...names: string[]) => names.map((name) => ({ name }));
  it('shows only when the manifest offers usage_alert', () => {
    expect(viewAllowed('alerts', null)).toBe(false);
    expect(viewAllowed('alerts', { files: files('kpi_month', 'usage_alert') })).toBe(true);
    // An executive's manifest: the per-customer extracts are cut.
    expect(viewAllowed('alerts', { access: { user: 'x', role: 'executive', regions: null, permissions: ['extracts.aggregate'] }, files: files('kpi_month') } as never)).toBe(false);
    expect(viewAllowed('overview', { files: [] })).toBe(true);
  });
});
