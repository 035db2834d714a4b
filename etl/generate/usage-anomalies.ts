// Planted abnormal usage (异常用电): a small, known set of customers whose meter
// readings in the last weeks before the end date show a spike, a meter stuck at
// zero, a flat-lining meter or night-time load at a business that normally
// sleeps. The detectors of the nightly ETL (sql/alerts/) must find them; the
// tests compare the alerts with truth.json → planted.usage_anomalies.
//
// Everything here draws from its own streams (unitHash stream 7001/7002 and
// Rng stream 400), never from the customer's simulation stream, and an anomaly
// only rewrites the readings the simulation already produced: every other file
// the generator writes stays byte-identical (the planted customers' bills
// follow their readings, as a bill's kWh is the sum of the month's readings).

import type { CustomerProfile } from './customer-profile.ts';
import { Rng, unitHash } from './random.ts';
import type { World } from './world.ts';

export type UsageAnomalyType = 'spike' | 'zero' | 'flat' | 'night_load';

export interface UsageAnomalyPlan {
  type: UsageAnomalyType;
  /** Day numbers, inclusive. */
  firstDay: number;
  lastDay: number;
  /**
   * spike: factor on the day's readings; zero: 0; flat: the stuck reading in
   * kWh (set on the first planted day); night_load: added load in each hour
   * 00–05 as a share of the day's busiest hour.
   */
  magnitude: number;
  rng: Rng;
}

/** Days before the end date within which anomalies are planted. */
export const ANOMALY_WINDOW_DAYS = 30;

/** Shares of eligible customers planted, per type. */
const NIGHT_LOAD_SHARE = 0.06; // of commercial customers with an interval meter
const OTHER_SHARE = 0.006; // of all eligible customers, for each of spike, zero and flat

/**
 * The anomaly planted in this customer's readings, or null (most customers).
 * Eligible: open at least 150 days before the end (a baseline to depart from),
 * and no household vacancy in the last three months (a vacant home already
 * reads near zero).
 */
export function planUsageAnomaly(seed: number, p: CustomerProfile, world: World): UsageAnomalyPlan | null {
  if (p.openedDay > world.lastDay - 150) return null;
  if (p.vacancy !== null && p.vacancy[0] + p.vacancy[1] > world.months.length - 4) return null;
  const end = world.lastDay;
  const rng = new Rng(seed, 400, p.index);
  const start = (minLength: number): number => end - ANOMALY_WINDOW_DAYS + 1 + rng.int(ANOMALY_WINDOW_DAYS - minLength + 1);
  if (p.cls === 'commercial' && p.intervalMinutes < 1440) {
    if (unitHash(seed, p.index, 7001) >= NIGHT_LOAD_SHARE) return null;
    const first = start(5);
    return { type: 'night_load', firstDay: first, lastDay: Math.min(end, first + 4 + rng.int(10)), magnitude: round2(0.6 + 0.4 * rng.next()), rng };
  }
  const u = unitHash(seed, p.index, 7002);
  if (u < OTHER_SHARE) {
    const first = start(2);
    return { type: 'spike', firstDay: first, lastDay: Math.min(end, first + rng.int(2)), magnitude: round2(4 + 3 * rng.next()), rng };
  }
  if (u < 2 * OTHER_SHARE) {
    const first = start(4);
    return { type: 'zero', firstDay: first, lastDay: Math.min(end, first + 3 + rng.int(7)), magnitude: 0, rng };
  }
  if (u < 3 * OTHER_SHARE) {
    const first = start(4);
    return { type: 'flat', firstDay: first, lastDay: Math.min(end, first + 3 + rng.int(7)), magnitude: 0, rng };
  }
  return null;
}

/**
 * A day's planted reading (thousandths of a kWh) from the simulated one.
 * `steps` = readings per day (1 for a daily meter), `hour` the reading's local
 * hour (0 for a daily read), `busiest` the day's busiest hour in kWh.
 */
export function plantedMilli(plan: UsageAnomalyPlan, milli: number, hour: number, steps: number, busiest: number): number {
  switch (plan.type) {
    case 'spike':
      return Math.round(milli * plan.magnitude);
    case 'zero':
      return 0;
    case 'flat':
      return Math.round(plan.magnitude * 1000);
    case 'night_load': {
      // A reading of an outage hour stays zero: the supply was off.
      if (hour >= 6 || milli === 0) return milli;
      const perReading = (plan.magnitude * busiest * 24) / steps;
      return milli + Math.round(perReading * (1 + 0.1 * (plan.rng.next() - 0.5)) * 1000);
    }
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
