// The demo utility: a province-like service territory with 12 districts and
// the load behaviour of each customer class. Every number here is documented in
// docs/demo-data.md; change both together.

import type { CustomerClass } from '../domain/tariffs.ts';

export const CUSTOMER_CLASSES: readonly CustomerClass[] = ['large_industrial', 'commercial', 'residential', 'agricultural'];

export interface District {
  /** Name as the CIS exports it (the contract's `region`). */
  name: string;
  kind: 'urban' | 'suburban' | 'industrial' | 'rural';
  /** Relative weight of customers of each class living in the district. */
  weight: Record<CustomerClass, number>;
  /** Expected grid outage events per month (feeder-level). */
  outageEventsPerMonth: number;
}

export const DISTRICTS: readonly District[] = [
  { name: '江城区', kind: 'urban', weight: { residential: 16, commercial: 24, large_industrial: 4, agricultural: 0 }, outageEventsPerMonth: 1.0 },
  { name: '临湖区', kind: 'urban', weight: { residential: 13, commercial: 16, large_industrial: 3, agricultural: 0 }, outageEventsPerMonth: 1.0 },
  { name: '南湾区', kind: 'urban', weight: { residential: 12, commercial: 14, large_industrial: 4, agricultural: 0 }, outageEventsPerMonth: 1.2 },
  { name: '东港区', kind: 'industrial', weight: { residential: 7, commercial: 8, large_industrial: 26, agricultural: 2 }, outageEventsPerMonth: 1.5 },
  { name: '高新区', kind: 'industrial', weight: { residential: 6, commercial: 10, large_industrial: 22, agricultural: 0 }, outageEventsPerMonth: 1.0 },
  { name: '西山区', kind: 'suburban', weight: { residential: 9, commercial: 7, large_industrial: 8, agricultural: 6 }, outageEventsPerMonth: 1.8 },
  { name: '北塘区', kind: 'suburban', weight: { residential: 9, commercial: 6, large_industrial: 9, agricultural: 6 }, outageEventsPerMonth: 1.8 },
  { name: '青溪县', kind: 'rural', weight: { residential: 7, commercial: 4, large_industrial: 6, agricultural: 20 }, outageEventsPerMonth: 2.5 },
  { name: '白石县', kind: 'rural', weight: { residential: 6, commercial: 3, large_industrial: 5, agricultural: 18 }, outageEventsPerMonth: 2.5 },
  { name: '云岭县', kind: 'rural', weight: { residential: 5, commercial: 3, large_industrial: 4, agricultural: 16 }, outageEventsPerMonth: 3.0 },
  { name: '枫桥县', kind: 'rural', weight: { residential: 5, commercial: 3, large_industrial: 5, agricultural: 17 }, outageEventsPerMonth: 2.5 },
  { name: '望海县', kind: 'rural', weight: { residential: 5, commercial: 2, large_industrial: 4, agricultural: 15 }, outageEventsPerMonth: 2.8 },
];

export interface ClassModel {
  /** Share of customer accounts. */
  customerShare: number;
  /** Annual kWh: log-normal median and log-sd. */
  annualKwhMedian: number;
  annualKwhSigma: number;
  /** Default meter read interval in minutes (configurable per run). */
  defaultIntervalMinutes: 15 | 30 | 60 | 1440;
  /** Day-to-day noise: log-sd of the AR(1) innovation, and its persistence. */
  dailyNoise: number;
  dailyPersistence: number;
  /** Seasonal amplitudes: summer cooling, winter heating, summer irrigation. */
  cooling: number;
  heating: number;
  irrigation: number;
  /** Monthly probability of a service-desk contact (any type) in a normal month. */
  ticketRate: number;
  /** Monthly base probability of closing the account. */
  churnHazard: number;
}

export const CLASS_MODEL: Record<CustomerClass, ClassModel> = {
  large_industrial: {
    customerShare: 0.006, annualKwhMedian: 330_000, annualKwhSigma: 0.9, defaultIntervalMinutes: 15,
    dailyNoise: 0.05, dailyPersistence: 0.7, cooling: 0.08, heating: 0.04, irrigation: 0,
    ticketRate: 0.12, churnHazard: 0.0008,
  },
  commercial: {
    customerShare: 0.09, annualKwhMedian: 11_500, annualKwhSigma: 1.15, defaultIntervalMinutes: 60,
    dailyNoise: 0.1, dailyPersistence: 0.5, cooling: 0.4, heating: 0.12, irrigation: 0,
    ticketRate: 0.05, churnHazard: 0.003,
  },
  residential: {
    customerShare: 0.88, annualKwhMedian: 2_150, annualKwhSigma: 0.5, defaultIntervalMinutes: 1440,
    dailyNoise: 0.18, dailyPersistence: 0.6, cooling: 0.65, heating: 0.3, irrigation: 0,
    ticketRate: 0.022, churnHazard: 0.0012,
  },
  agricultural: {
    customerShare: 0.024, annualKwhMedian: 10_500, annualKwhSigma: 0.85, defaultIntervalMinutes: 1440,
    dailyNoise: 0.25, dailyPersistence: 0.7, cooling: 0, heating: 0, irrigation: 1.6,
    ticketRate: 0.03, churnHazard: 0.001,
  },
};

/** Order of classes on the cumulative customer-share axis. */
export const CLASS_BY_SHARE: readonly CustomerClass[] = ['large_industrial', 'commercial', 'agricultural', 'residential'];

// Hour-of-day load shapes (relative; normalised to sum 1 at use).
const RESIDENTIAL_WORKDAY = [0.35, 0.28, 0.25, 0.24, 0.24, 0.28, 0.5, 0.75, 0.6, 0.5, 0.48, 0.55, 0.6, 0.5, 0.45, 0.48, 0.55, 0.8, 1.1, 1.35, 1.4, 1.3, 1.0, 0.6];
const RESIDENTIAL_WEEKEND = [0.4, 0.32, 0.27, 0.25, 0.25, 0.27, 0.38, 0.55, 0.7, 0.75, 0.75, 0.8, 0.8, 0.72, 0.65, 0.65, 0.7, 0.9, 1.15, 1.35, 1.4, 1.3, 1.05, 0.65];
const COMMERCIAL_WORKDAY = [0.2, 0.18, 0.18, 0.18, 0.18, 0.2, 0.25, 0.45, 0.85, 1.1, 1.2, 1.2, 1.05, 1.1, 1.2, 1.2, 1.15, 1.05, 0.9, 0.75, 0.6, 0.45, 0.3, 0.22];
const COMMERCIAL_WEEKEND = [0.2, 0.18, 0.18, 0.18, 0.18, 0.2, 0.22, 0.3, 0.5, 0.65, 0.75, 0.78, 0.75, 0.72, 0.72, 0.72, 0.7, 0.68, 0.62, 0.55, 0.45, 0.35, 0.25, 0.2];
const INDUSTRIAL_THREE_SHIFT = [0.92, 0.9, 0.9, 0.9, 0.9, 0.92, 0.95, 1.02, 1.08, 1.1, 1.1, 1.05, 0.98, 1.05, 1.1, 1.1, 1.08, 1.04, 1.0, 0.98, 0.97, 0.96, 0.95, 0.93];
const INDUSTRIAL_TWO_SHIFT = [0.25, 0.22, 0.22, 0.22, 0.22, 0.25, 0.4, 0.9, 1.3, 1.4, 1.4, 1.3, 1.1, 1.3, 1.4, 1.4, 1.35, 1.3, 1.25, 1.2, 1.15, 1.1, 0.9, 0.4];
const AGRICULTURAL = [0.3, 0.3, 0.3, 0.3, 0.35, 0.5, 0.9, 1.3, 1.5, 1.5, 1.5, 1.4, 1.2, 1.3, 1.5, 1.5, 1.4, 1.2, 0.9, 0.6, 0.45, 0.4, 0.35, 0.3];

export type ShapeKey = 'residential_workday' | 'residential_weekend' | 'commercial_workday' | 'commercial_weekend'
  | 'industrial_three_shift' | 'industrial_two_shift' | 'agricultural';

export const HOURLY_SHAPES: Record<ShapeKey, readonly number[]> = {
  residential_workday: RESIDENTIAL_WORKDAY,
  residential_weekend: RESIDENTIAL_WEEKEND,
  commercial_workday: COMMERCIAL_WORKDAY,
  commercial_weekend: COMMERCIAL_WEEKEND,
  industrial_three_shift: INDUSTRIAL_THREE_SHIFT,
  industrial_two_shift: INDUSTRIAL_TWO_SHIFT,
  agricultural: AGRICULTURAL,
};

/**
 * Level of a day relative to an average day, by class and kind of day.
 * Index: [workday, weekend, holiday, spring festival].
 */
export function dayKindFactors(cls: CustomerClass, threeShift: boolean): readonly [number, number, number, number] {
  switch (cls) {
    case 'residential': return [0.97, 1.08, 1.1, 0.9];
    case 'commercial': return [1.1, 0.72, 0.65, 0.4];
    case 'large_industrial': return threeShift ? [1.01, 0.97, 0.9, 0.35] : [1.12, 0.75, 0.55, 0.2];
    case 'agricultural': return [1.0, 1.0, 1.0, 0.8];
  }
}

/**
 * Seasonal factor for a day of the year (0–365), before normalisation:
 * cooling peaks late July, heating mid-January, irrigation early July.
 */
export function rawSeasonalFactor(model: ClassModel, dayOfYear: number): number {
  const bump = (centre: number, width: number): number => {
    let d = Math.abs(dayOfYear - centre);
    d = Math.min(d, 365 - d);
    return Math.exp(-0.5 * (d / width) ** 2);
  };
  return 1 + model.cooling * bump(205, 28) + model.heating * bump(12, 30) + model.irrigation * bump(185, 40);
}

/** 366 seasonal factors per class, normalised so the year averages 1. */
export function seasonalTable(model: ClassModel): Float64Array {
  const t = new Float64Array(366);
  let sum = 0;
  for (let d = 0; d < 366; d++) sum += t[d] = rawSeasonalFactor(model, d);
  const mean = sum / 366;
  for (let d = 0; d < 366; d++) t[d] /= mean;
  return t;
}

/**
 * A class's seasonal factor averaged over the days of each calendar month
 * (January first; day of year as world.ts counts it, a common year): the
 * planted seasonal structure written to truth.json.
 */
export function monthlySeasonalFactors(model: ClassModel): number[] {
  const table = seasonalTable(model);
  const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  let day = 0;
  return lengths.map((len) => {
    let sum = 0;
    for (let i = 0; i < len; i++) sum += table[day++];
    return sum / len;
  });
}

/** Share of peak-hour load a TOU customer moves to valley hours, by class. */
export const TOU_SHIFT = { large_industrial: [0.08, 0.25], commercial: [0.05, 0.18] } as const;

/** Standard transformer sizes (kVA) used for contracted capacity. */
export const KVA_SIZES = [8, 16, 30, 50, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000];
