// The report's TOU arithmetic against hand-worked cases at the prices of
// etl/domain/tariffs.ts (commercial TOU: peak 1.0145, shoulder 0.6418, valley
// 0.3021, flat 0.6418; large industrial TOU: peak 0.9623, valley 0.2938).

import { describe, expect, it } from 'vitest';
import { scaledSplit, shiftSaving, touSwitch } from '../../../etl/report/tou-saving.ts';

describe('shiftSaving: moving a share of peak kWh to the valley under the own tariff', () => {
  it('commercial TOU: 10 % of 10,000 peak kWh = 1,000 kWh × (1.0145 − 0.3021) = 712.40 CNY', () => {
    const s = shiftSaving('commercial', 'tou', { peak: 10_000, shoulder: 6_000, valley: 4_000 });
    expect(s.verdict).toBe('saves');
    expect(s.shiftedKwh).toBeCloseTo(1_000, 9);
    expect(s.savingCny).toBe(712.4);
    expect([s.peakPrice, s.valleyPrice]).toEqual([1.0145, 0.3021]);
  });

  it('large industrial TOU, 20 %: 2,000 of 10,000 peak kWh × (0.9623 − 0.2938) = 1,337.00 CNY', () => {
    const s = shiftSaving('large_industrial', 'tou', { peak: 10_000, shoulder: 0, valley: 0 }, 0.2);
    expect(s.savingCny).toBe(1337);
  });

  it('flat and tiered tariffs do not price the hour: no saving', () => {
    expect(shiftSaving('commercial', 'flat', { peak: 10_000, shoulder: 0, valley: 0 })).toMatchObject({ verdict: 'not_time_priced', savingCny: 0, shiftedKwh: 0 });
    expect(shiftSaving('residential', 'tiered', { peak: 500, shoulder: 0, valley: 0 })).toMatchObject({ verdict: 'not_time_priced', savingCny: 0 });
    // A residential account marked 'tou' is billed flat (tariffs.ts billAmount): no TOU prices for it.
    expect(shiftSaving('residential', 'tou', { peak: 500, shoulder: 0, valley: 0 }).verdict).toBe('not_time_priced');
  });

  it('without interval data the peak use is unknown', () => {
    expect(shiftSaving('commercial', 'tou', null)).toMatchObject({ verdict: 'no_interval_data', savingCny: 0 });
  });
});

describe('touSwitch: a flat-tariff business customer on TOU prices, same hours', () => {
  it('peak-heavy commercial: flat 6,418.00 vs TOU 7,602.10 CNY (TOU dearer by 1,184.10)', () => {
    expect(touSwitch('commercial', 'flat', { peak: 5_000, shoulder: 3_000, valley: 2_000 })).toEqual({ flatCny: 6418, touCny: 7602.1, savingCny: -1184.1 });
  });

  it('valley-heavy commercial: flat 6,418.00 vs TOU 5,464.90 CNY (TOU cheaper by 953.10)', () => {
    expect(touSwitch('commercial', 'flat', { peak: 2_000, shoulder: 3_000, valley: 5_000 })).toEqual({ flatCny: 6418, touCny: 5464.9, savingCny: 953.1 });
  });

  it('only flat-tariff large industrial and commercial customers with a split', () => {
    expect(touSwitch('commercial', 'tou', { peak: 1, shoulder: 1, valley: 1 })).toBeNull();
    expect(touSwitch('residential', 'flat', { peak: 1, shoulder: 1, valley: 1 })).toBeNull();
    expect(touSwitch('agricultural', 'flat', { peak: 1, shoulder: 1, valley: 1 })).toBeNull();
    expect(touSwitch('commercial', 'flat', null)).toBeNull();
  });
});

describe('scaledSplit: the interval days\' split scaled to all kWh', () => {
  it('scales by kWh ÷ interval kWh, keeping the shares', () => {
    expect(scaledSplit(1_200, 1_000, 500, 300, 200)).toEqual({ peak: 600, shoulder: 360, valley: 240 });
  });
  it('is null without interval kWh', () => {
    expect(scaledSplit(1_200, null, null, null, null)).toBeNull();
    expect(scaledSplit(1_200, 0, 0, 0, 0)).toBeNull();
  });
});
