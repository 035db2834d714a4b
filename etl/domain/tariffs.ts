// Tariff model of the demo utility (a Jiangsu/Zhejiang-like catalogue price list).
// Pure: the generator prices bills with it, and later the usage reports and
// high-bill projections price "what if" scenarios with the same numbers.
// All prices CNY/kWh, tax included.

export type CustomerClass = 'large_industrial' | 'commercial' | 'residential' | 'agricultural';
export type Tariff = 'flat' | 'tiered' | 'tou';
export type TouPeriod = 'peak' | 'shoulder' | 'valley';

/**
 * TOU period of each hour of the day (峰/平/谷):
 * peak 08–12 and 17–21, shoulder 12–17 and 21–24, valley 00–08.
 */
export const TOU_PERIOD_BY_HOUR: readonly TouPeriod[] = Array.from({ length: 24 }, (_, h): TouPeriod =>
  h < 8 ? 'valley' : (h < 12 || (h >= 17 && h < 21)) ? 'peak' : 'shoulder',
);

/** 0 = peak, 1 = shoulder, 2 = valley, per hour — for hot loops. */
export const TOU_INDEX_BY_HOUR: Uint8Array = Uint8Array.from(TOU_PERIOD_BY_HOUR, (p) =>
  p === 'peak' ? 0 : p === 'shoulder' ? 1 : 2,
);

/** Residential annual tiers (居民阶梯电价): kWh per calendar year. */
export const RESIDENTIAL_TIERS = {
  tier1UpToKwh: 2760,
  tier2UpToKwh: 4800,
  tier1Price: 0.538,
  tier2Price: 0.588, // +0.05
  tier3Price: 0.838, // +0.30
} as const;

export const FLAT_PRICE: Record<CustomerClass, number> = {
  large_industrial: 0.6135,
  commercial: 0.6418,
  residential: 0.538,
  agricultural: 0.4993,
};

export const TOU_PRICE: Record<'large_industrial' | 'commercial', Record<TouPeriod, number>> = {
  large_industrial: { peak: 0.9623, shoulder: 0.6135, valley: 0.2938 },
  commercial: { peak: 1.0145, shoulder: 0.6418, valley: 0.3021 },
};

/** Capacity (basic) charge for large industrial customers: CNY per kVA per month (基本电费). */
export const CAPACITY_CHARGE_PER_KVA_MONTH = 25;

export interface TouSplit {
  peak: number;
  shoulder: number;
  valley: number;
}

/** Energy charge of `kwh` consumed when `kwhBeforeThisYear` were already used this calendar year. */
export function residentialTieredCharge(kwhBefore: number, kwh: number): number {
  const t = RESIDENTIAL_TIERS;
  const end = kwhBefore + kwh;
  const inTier = (lo: number, hi: number): number => Math.max(0, Math.min(end, hi) - Math.max(kwhBefore, lo));
  return (
    inTier(0, t.tier1UpToKwh) * t.tier1Price +
    inTier(t.tier1UpToKwh, t.tier2UpToKwh) * t.tier2Price +
    inTier(t.tier2UpToKwh, Infinity) * t.tier3Price
  );
}

/** Residential tier (1–3) reached after `kwhThisYear`. */
export function residentialTier(kwhThisYear: number): 1 | 2 | 3 {
  if (kwhThisYear <= RESIDENTIAL_TIERS.tier1UpToKwh) return 1;
  if (kwhThisYear <= RESIDENTIAL_TIERS.tier2UpToKwh) return 2;
  return 3;
}

export interface BillInput {
  customerClass: CustomerClass;
  tariff: Tariff;
  kwh: number;
  tou: TouSplit;
  /** Residential: kWh already billed in this calendar year before this bill. */
  kwhBeforeThisYear: number;
  capacityKva: number | null;
  /** Share of the month the account was open (capacity charge is prorated). */
  monthFraction: number;
}

/** Amount of a monthly bill in CNY, rounded to the fen. */
export function billAmount(input: BillInput): number {
  let energy: number;
  if (input.tariff === 'tiered') {
    energy = residentialTieredCharge(input.kwhBeforeThisYear, input.kwh);
  } else if (input.tariff === 'tou' && (input.customerClass === 'large_industrial' || input.customerClass === 'commercial')) {
    const p = TOU_PRICE[input.customerClass];
    energy = input.tou.peak * p.peak + input.tou.shoulder * p.shoulder + input.tou.valley * p.valley;
  } else {
    energy = input.kwh * FLAT_PRICE[input.customerClass];
  }
  let capacity = 0;
  if (input.customerClass === 'large_industrial' && input.capacityKva) {
    capacity = input.capacityKva * CAPACITY_CHARGE_PER_KVA_MONTH * input.monthFraction;
  }
  return Math.round((energy + capacity) * 100) / 100;
}
