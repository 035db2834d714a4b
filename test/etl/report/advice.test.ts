// Each saving-advice rule (etl/report/advice.ts, docs/metrics.md) on hand-made
// facts: it fires when its condition holds, with the figures its text needs,
// and does not fire just outside it.

import { describe, expect, it } from 'vitest';
import { ADVICE_RULES, chooseAdvice, RULES, type AdviceFacts, type AdviceId } from '../../../etl/report/advice.ts';
import { tierPosition } from '../../../etl/report/tier-position.ts';
import { shiftSaving, touSwitch } from '../../../etl/report/tou-saving.ts';

/** A customer no rule fires for: residential tiered, tier 1 all year, like its peers, flat year on year. */
const quiet: AdviceFacts = {
  customerClass: 'residential',
  tariff: 'tiered',
  peers: { kwh: 2_000, medianKwh: 2_000, efficientKwh: 1_600 },
  yearOnYear: { kwh: 2_000, kwhLastYear: 2_000 },
  peakShare: null,
  loadFactor: null,
  shift: shiftSaving('residential', 'tiered', null),
  touSwitch: null,
  tier: tierPosition(2026, 1_500, 2_000),
};

/** Business customer with interval data; no rule fires either. */
const quietBusiness: AdviceFacts = {
  customerClass: 'commercial',
  tariff: 'tou',
  peers: { kwh: 100_000, medianKwh: 100_000, efficientKwh: 80_000 },
  yearOnYear: { kwh: 100_000, kwhLastYear: 100_000 },
  peakShare: 0.25,
  loadFactor: 0.5,
  shift: shiftSaving('commercial', 'tou', { peak: 25_000, shoulder: 45_000, valley: 30_000 }),
  touSwitch: null,
  tier: null,
};

const ids = (f: AdviceFacts): AdviceId[] => RULES.map((r) => r.rule(f)).filter((a) => a !== null).map((a) => a!.id);
const fire = (id: AdviceId, f: AdviceFacts) => RULES.find((r) => r.id === id)!.rule(f);

describe('the quiet baselines', () => {
  it('fire no rule, and the report then gives the fallback advice only', () => {
    expect(ids(quiet)).toEqual([]);
    expect(ids(quietBusiness)).toEqual([]);
    expect(chooseAdvice(quiet)).toEqual([{ id: 'keep_track' }]);
  });
});

describe('switch_to_tou', () => {
  it('fires for a flat commercial customer whose same hours cost ≥ 2 % less on TOU', () => {
    const sw = touSwitch('commercial', 'flat', { peak: 2_000, shoulder: 3_000, valley: 5_000 })!; // 953.10 of 6,418.00
    expect(fire('switch_to_tou', { ...quietBusiness, tariff: 'flat', touSwitch: sw })).toEqual({ id: 'switch_to_tou', savingCny: 953.1, flatCny: 6418, touCny: 5464.9 });
  });
  it('does not fire when TOU is dearer, or cheaper by less than 2 %', () => {
    const dearer = touSwitch('commercial', 'flat', { peak: 5_000, shoulder: 3_000, valley: 2_000 })!;
    expect(fire('switch_to_tou', { ...quietBusiness, tariff: 'flat', touSwitch: dearer })).toBeNull();
    const slight = { flatCny: 10_000, touCny: 9_850, savingCny: 150 }; // 1.5 %
    expect(fire('switch_to_tou', { ...quietBusiness, tariff: 'flat', touSwitch: slight })).toBeNull();
    expect(fire('switch_to_tou', { ...quietBusiness, tariff: 'flat', touSwitch: { ...slight, touCny: 9_800, savingCny: 200 } })).not.toBeNull();
  });
});

describe('shift_peak', () => {
  it('fires on a TOU tariff with a peak share of 30 % or more, with the saving of shifting 10 %', () => {
    const shift = shiftSaving('commercial', 'tou', { peak: 40_000, shoulder: 40_000, valley: 20_000 });
    const a = fire('shift_peak', { ...quietBusiness, peakShare: 0.4, shift });
    expect(a).toEqual({ id: 'shift_peak', peakShare: 0.4, shiftShare: 0.1, shiftedKwh: 4_000, savingCny: 2849.6 });
    expect(fire('shift_peak', { ...quietBusiness, peakShare: ADVICE_RULES.shiftMinPeakShare, shift })).not.toBeNull();
  });
  it('does not fire under 30 % peak, nor on a tariff that does not price the hour', () => {
    const shift = shiftSaving('commercial', 'tou', { peak: 29_000, shoulder: 41_000, valley: 30_000 });
    expect(fire('shift_peak', { ...quietBusiness, peakShare: 0.29, shift })).toBeNull();
    expect(fire('shift_peak', { ...quietBusiness, tariff: 'flat', peakShare: 0.5, shift: shiftSaving('commercial', 'flat', { peak: 50, shoulder: 25, valley: 25 }) })).toBeNull();
  });
});

describe('tier_next_soon', () => {
  it('fires within 10 % of the next tier\'s start (2,760 → from 2,484 kWh)', () => {
    expect(fire('tier_next_soon', { ...quiet, tier: tierPosition(2026, 2_600, 2_000) })).toEqual({ id: 'tier_next_soon', kwhToNextTier: 160, nextTierPrice: 0.588 });
    expect(fire('tier_next_soon', { ...quiet, tier: tierPosition(2026, 4_500, 2_000) })).toMatchObject({ kwhToNextTier: 300, nextTierPrice: 0.838 });
  });
  it('does not fire further away, in tier 3, or without tiers', () => {
    expect(fire('tier_next_soon', { ...quiet, tier: tierPosition(2026, 2_400, 2_000) })).toBeNull();
    expect(fire('tier_next_soon', { ...quiet, tier: tierPosition(2026, 5_000, 2_000) })).toBeNull();
    expect(fire('tier_next_soon', { ...quietBusiness })).toBeNull();
  });
});

describe('tier_surcharge', () => {
  it('fires when a year at the 12 months\' pace reaches tier 2 or 3, with what the upper tiers add', () => {
    expect(fire('tier_surcharge', { ...quiet, tier: tierPosition(2026, 1_000, 5_000) })).toEqual({ id: 'tier_surcharge', projectedKwh: 5_000, projectedTier: 3, surchargeCny: 162 });
  });
  it('does not fire when the year stays in tier 1', () => {
    expect(fire('tier_surcharge', { ...quiet, tier: tierPosition(2026, 1_000, 2_760) })).toBeNull();
    expect(fire('tier_surcharge', { ...quiet, tier: tierPosition(2026, 1_000, null) })).toBeNull();
  });
});

describe('above_peers', () => {
  it('fires above the peers\' median by more than 20 %', () => {
    const a = fire('above_peers', { ...quiet, peers: { kwh: 2_500, medianKwh: 2_000, efficientKwh: 1_600 } });
    expect(a).toMatchObject({ id: 'above_peers', efficientKwh: 1_600 });
    expect((a as { pctAbove: number }).pctAbove).toBeCloseTo(25, 9);
  });
  it('does not fire at exactly 20 % above, or without peer figures', () => {
    expect(fire('above_peers', { ...quiet, peers: { kwh: 2_400, medianKwh: 2_000, efficientKwh: 1_600 } })).toBeNull();
    expect(fire('above_peers', { ...quiet, peers: null })).toBeNull();
  });
});

describe('rising_usage', () => {
  it('fires when the same months used 10 % more than a year before', () => {
    const a = fire('rising_usage', { ...quiet, yearOnYear: { kwh: 2_200, kwhLastYear: 2_000 } });
    expect((a as { pctUp: number }).pctUp).toBeCloseTo(10, 9);
  });
  it('does not fire below 10 %, or without last year', () => {
    expect(fire('rising_usage', { ...quiet, yearOnYear: { kwh: 2_190, kwhLastYear: 2_000 } })).toBeNull();
    expect(fire('rising_usage', { ...quiet, yearOnYear: null })).toBeNull();
  });
});

describe('low_load_factor', () => {
  it('fires for a business customer with a load factor under 0.3', () => {
    expect(fire('low_load_factor', { ...quietBusiness, loadFactor: 0.22 })).toEqual({ id: 'low_load_factor', loadFactor: 0.22 });
    expect(fire('low_load_factor', { ...quietBusiness, customerClass: 'large_industrial', loadFactor: 0.29 })).not.toBeNull();
  });
  it('does not fire at 0.3 or above, for households, or without interval data', () => {
    expect(fire('low_load_factor', { ...quietBusiness, loadFactor: 0.3 })).toBeNull();
    expect(fire('low_load_factor', { ...quiet, loadFactor: 0.1 })).toBeNull();
    expect(fire('low_load_factor', { ...quietBusiness, loadFactor: null })).toBeNull();
  });
});

describe('efficient', () => {
  it('fires at or below the peers\' efficient quartile', () => {
    const a = fire('efficient', { ...quiet, peers: { kwh: 1_600, medianKwh: 2_000, efficientKwh: 1_600 } });
    expect((a as { pctBelowMedian: number }).pctBelowMedian).toBeCloseTo(20, 9);
  });
  it('does not fire above it', () => {
    expect(fire('efficient', { ...quiet, peers: { kwh: 1_601, medianKwh: 2_000, efficientKwh: 1_600 } })).toBeNull();
  });
});

describe('chooseAdvice', () => {
  it('keeps rule order and shows at most four', () => {
    const busy: AdviceFacts = {
      ...quietBusiness,
      tariff: 'flat',
      touSwitch: touSwitch('commercial', 'flat', { peak: 2_000, shoulder: 3_000, valley: 5_000 }),
      peers: { kwh: 150_000, medianKwh: 100_000, efficientKwh: 80_000 },
      yearOnYear: { kwh: 150_000, kwhLastYear: 100_000 },
      loadFactor: 0.2,
    };
    expect(ids(busy)).toEqual(['switch_to_tou', 'above_peers', 'rising_usage', 'low_load_factor']);
    const shown = chooseAdvice({ ...busy, peakShare: 0.5, tariff: 'tou', touSwitch: null, shift: shiftSaving('commercial', 'tou', { peak: 75_000, shoulder: 50_000, valley: 25_000 }) });
    expect(shown.map((a) => a.id)).toEqual(['shift_peak', 'above_peers', 'rising_usage', 'low_load_factor']);
    expect(shown.length).toBeLessThanOrEqual(ADVICE_RULES.maxShown);
  });
});
