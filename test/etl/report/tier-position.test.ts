// Residential tier position against hand-worked cases (tiers: ≤ 2,760 kWh at
// 0.538, ≤ 4,800 at 0.588, above at 0.838 CNY/kWh per calendar year).

import { describe, expect, it } from 'vitest';
import { tierPosition } from '../../../etl/report/tier-position.ts';

describe('tierPosition', () => {
  it('2,600 kWh so far: tier 1, 160 kWh before tier 2 at 0.588', () => {
    const t = tierPosition(2026, 2_600, 2_400);
    expect(t).toMatchObject({ year: 2026, tier: 1, price: 0.538, nextTierAtKwh: 2_760, kwhToNextTier: 160, nextTierPrice: 0.588, projectedTier: 1, projectedTierSurchargeCny: 0 });
  });

  it('a 5,000 kWh year costs 2,852.00 CNY: 162.00 above 5,000 × 0.538', () => {
    // 2,760 × 0.538 + 2,040 × 0.588 + 200 × 0.838 = 1,484.88 + 1,199.52 + 167.60
    const t = tierPosition(2026, 3_000, 5_000);
    expect(t).toMatchObject({ tier: 2, price: 0.588, kwhToNextTier: 1_800, nextTierPrice: 0.838, projectedTier: 3, projectedTierSurchargeCny: 162 });
  });

  it('tier 3 has no next tier', () => {
    expect(tierPosition(2026, 4_801, null)).toMatchObject({ tier: 3, price: 0.838, nextTierAtKwh: null, kwhToNextTier: null, nextTierPrice: null, projectedTier: null, projectedTierSurchargeCny: null });
  });
});
