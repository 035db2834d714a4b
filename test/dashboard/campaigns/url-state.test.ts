// The Campaigns view's part of the URL: audience, saved audiences, overlap,
// holdout settings and campaign survive a round trip; bad values fall back.

import { describe, expect, it } from 'vitest';
import { decodeAudience, encodeAudience, encodeSaved, DEFAULT_AUDIENCE } from '../../../dashboard/src/campaigns/audience.ts';
import { DEFAULT_STATE, formatState, parseState, type ScreenState } from '../../../dashboard/src/state/url-state.ts';

describe('campaigns url state', () => {
  it('round-trips the planner\'s screen', () => {
    const def = { ...DEFAULT_AUDIENCE, segment: ['residential'], region: ['云岭县'], churn: { min: 0.1, max: null }, excludeContactedDays: 90 };
    const s: ScreenState = {
      ...DEFAULT_STATE, view: 'campaigns', audience: encodeAudience(def),
      saved: [encodeSaved({ name: 'A 组', def }), encodeSaved({ name: 'B', def: DEFAULT_AUDIENCE })],
      overlap: ['A 组', 'B'], holdoutPct: 25, holdoutSeed: 'spring', holdoutStratify: false, campaign: 'CMP202605',
    };
    const back = parseState('?' + formatState(s));
    expect(back).toEqual(s);
    expect(decodeAudience(back.audience)).toEqual(def);
  });

  it('leaves the defaults out and falls back on bad values', () => {
    expect(formatState({ ...DEFAULT_STATE, view: 'campaigns' })).toBe('view=campaigns');
    const s = parseState('?view=campaigns&hs=95&hseed=&ov=a&ov=a&ov=b&ov=c&ov=d');
    expect(s).toMatchObject({ holdoutPct: 10, holdoutSeed: '1', holdoutStratify: true, overlap: ['a', 'b', 'c'] });
    expect(parseState('?hs=abc').holdoutPct).toBe(10);
    expect(parseState('?hs=0&hstrat=0')).toMatchObject({ holdoutPct: 0, holdoutStratify: false });
  });
});
