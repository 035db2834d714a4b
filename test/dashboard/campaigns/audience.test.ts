// The audience definition survives the URL and storage (encode → decode),
// untrusted input is normalised, and saved audiences merge by name.

import { describe, expect, it } from 'vitest';
import {
  compactAudience, decodeAudience, decodeSaved, DEFAULT_AUDIENCE, encodeAudience, encodeSaved, mergeSaved, normaliseAudience,
  type AudienceDefinition,
} from '../../../dashboard/src/campaigns/audience.ts';
import { expectedValue } from '../../../dashboard/src/campaigns/expected-value.ts';
import { addDays, addMonthsToDay } from '../../../dashboard/src/data/queries/audience.ts';

const FULL: AudienceDefinition = {
  segment: ['residential', 'sme'], region: ['云岭县'], tariff: ['tou'], band: ['high'], needs: ['green', 'price'],
  npsClass: ['detractor', 'none'], overall: { min: 1, max: 3 }, churn: { min: 0.2, max: null }, valueTier: ['high'],
  tenureMonths: { min: 12, max: null }, latePayment: { min: null, max: 0.25 }, tickets12m: { min: 1, max: null },
  complaints12m: { min: null, max: 0 }, contractEndsWithinMonths: 6, pastOffer: 'not_accepted', pastOfferType: ['green_plan'],
  excludeContactedDays: 90, includeClosed: true, offerType: 'green_plan',
};

describe('audience definition', () => {
  it('round-trips through its URL form; the default is empty', () => {
    expect(decodeAudience(encodeAudience(FULL))).toEqual(FULL);
    expect(encodeAudience(DEFAULT_AUDIENCE)).toBe('');
    expect(decodeAudience('')).toEqual(DEFAULT_AUDIENCE);
    expect(compactAudience({ ...DEFAULT_AUDIENCE, churn: { min: 0.5, max: null } })).toEqual({ churn: { min: 0.5 } });
  });

  it('normalises untrusted input: bad values fall back, reversed ranges are ordered, unknown fields dropped', () => {
    expect(decodeAudience('{not json')).toEqual(DEFAULT_AUDIENCE);
    const n = normaliseAudience({
      segment: ['sme', 7, '', 'sme'], needs: ['green', 'free_beer'], overall: { min: 5, max: 2 }, churn: { min: 'x' },
      contractEndsWithinMonths: -3, excludeContactedDays: 30.7, pastOffer: 'maybe', offerType: 'bribe', includeClosed: 'yes', extra: 1,
    });
    expect(n).toEqual({ ...DEFAULT_AUDIENCE, segment: ['sme'], needs: ['green'], overall: { min: 2, max: 5 }, excludeContactedDays: 30 });
  });

  it('saved audiences: name + definition in the URL; merging keeps the later one of a name', () => {
    const s = { name: '春季 绿电', def: FULL };
    expect(decodeSaved(encodeSaved(s))).toEqual(s);
    expect(decodeSaved('\t{}')).toBeNull();
    const merged = mergeSaved([{ name: 'a', def: DEFAULT_AUDIENCE }, { name: 'b', def: DEFAULT_AUDIENCE }], [{ name: 'a', def: FULL }]);
    expect(merged.map((m) => m.name)).toEqual(['a', 'b']);
    expect(merged[0]!.def).toEqual(FULL);
  });

  it('date arithmetic of the relative filters', () => {
    expect(addDays('2026-10-31', -90)).toBe('2026-08-02');
    expect(addMonthsToDay('2026-10-31', 4)).toBe('2027-02-28');
    expect(addMonthsToDay('2026-10-31', 0)).toBe('2026-10-31');
    expect(addMonthsToDay('2024-01-31', 1)).toBe('2024-02-29');
  });
});

describe('expected value', () => {
  it('sums segments with their own rates, counts segments without history', () => {
    const ev = expectedValue([
      { segment: 'sme', customers: 100, revenue_12m: 50_000, kwh_12m: 1e5, p_treated: 0.2, p_holdout: 0.05, rate_source: 'segment' },
      { segment: 'residential', customers: 1000, revenue_12m: 600_000, kwh_12m: 2e6, p_treated: 0.1, p_holdout: 0.04, rate_source: 'offer' },
      { segment: 'agricultural', customers: 10, revenue_12m: 1_000, kwh_12m: 5e3, p_treated: null, p_holdout: null, rate_source: null },
    ], 0.1);
    // contacted = 1110 × 0.9 = 999; A = 90 × 0.2 + 900 × 0.1 = 108; ΔA = 90 × 0.15 + 900 × 0.06 = 67.5
    // RA = 50,000 × 0.9 × 0.2 + 600,000 × 0.9 × 0.1 = 9,000 + 54,000 = 63,000
    expect(ev.customers).toBe(1110);
    expect(ev.contacted).toBeCloseTo(999, 9);
    expect(ev.expectedAcceptances).toBeCloseTo(108, 9);
    expect(ev.incrementalAcceptances).toBeCloseTo(67.5, 9);
    expect(ev.acceptorRevenue).toBeCloseTo(63_000, 6);
    expect(ev.revenue12m).toBe(651_000);
    expect(ev.withoutHistory).toBe(10);
    expect(expectedValue([], 0.1)).toMatchObject({ customers: 0, expectedAcceptances: null });
  });
});
