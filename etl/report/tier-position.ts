// Where a residential customer stands on the annual tiered price (居民阶梯电价,
// etl/domain/tariffs.ts RESIDENTIAL_TIERS): kWh used so far this calendar year,
// the tier reached, kWh left before the next tier starts, and where a year at
// the last 12 months' pace ends. Pure.

import { RESIDENTIAL_TIERS, residentialTier, residentialTieredCharge } from '../domain/tariffs.ts';

export interface TierPosition {
  /** Calendar year the tiers count in. */
  year: number;
  /** kWh used in the year up to and including the report's last month. */
  kwhYearToDate: number;
  tier: 1 | 2 | 3;
  /** Price of the tier reached (CNY/kWh). */
  price: number;
  /** Start of the next tier in annual kWh; null in tier 3. */
  nextTierAtKwh: number | null;
  /** kWh left before the next tier starts; null in tier 3. */
  kwhToNextTier: number | null;
  nextTierPrice: number | null;
  /** Annual kWh at the pace of the last 12 months (the band's annual_kwh). */
  projectedKwh: number | null;
  projectedTier: 1 | 2 | 3 | null;
  /**
   * What the projected year costs above the same kWh all at the tier 1 price
   * (CNY): the part of the bill the upper tiers add.
   */
  projectedTierSurchargeCny: number | null;
}

const PRICES: readonly number[] = [RESIDENTIAL_TIERS.tier1Price, RESIDENTIAL_TIERS.tier2Price, RESIDENTIAL_TIERS.tier3Price];
const STARTS: readonly number[] = [RESIDENTIAL_TIERS.tier1UpToKwh, RESIDENTIAL_TIERS.tier2UpToKwh];

export function tierPosition(year: number, kwhYearToDate: number, projectedKwh: number | null): TierPosition {
  const tier = residentialTier(kwhYearToDate);
  const next = tier < 3 ? STARTS[tier - 1]! : null;
  const projectedTier = projectedKwh === null ? null : residentialTier(projectedKwh);
  return {
    year,
    kwhYearToDate,
    tier,
    price: PRICES[tier - 1]!,
    nextTierAtKwh: next,
    kwhToNextTier: next === null ? null : Math.max(0, next - kwhYearToDate),
    nextTierPrice: tier < 3 ? PRICES[tier]! : null,
    projectedKwh,
    projectedTier,
    projectedTierSurchargeCny: projectedKwh === null ? null
      : Math.round((residentialTieredCharge(0, projectedKwh) - projectedKwh * RESIDENTIAL_TIERS.tier1Price) * 100) / 100,
  };
}
