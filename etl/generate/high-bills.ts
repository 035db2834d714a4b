// Planted high bills (高额电费): a small, known set of monthly-billed customers
// whose last month's consumption rises enough that its bill is well above
// their usual one. The nightly high-bill warning (sql/alerts/high_bill_*.sql)
// must find them; the tests compare its warnings with truth.json →
// planted.high_bills.
//
//   tier_jump   a residential account on the tiered tariff (daily meter) whose use
//               rises steadily, by the same added kWh every day (a new appliance:
//               (f − 1) × the month's expected daily kWh, 1.2 ≤ f ≤ 2.2, so the
//               month ≈ f × its unplanted self),
//               enough to carry its year's cumulative kWh across a tier boundary
//               (2,760 or 4,800 kWh)
//   peak_shift  a large industrial or commercial account on TOU with an interval
//               meter that moves load into the peak hours: every peak-hour
//               reading × a (1.2 ≤ a ≤ 4.5), every other reading × 0.5
//
// The rise is sized against the customer's usual bill (the median of the last
// three), to a target of 1.5–1.75 × it, from the month's expected consumption
// (after a summer, that takes a factor of about 2 in October); so noise
// leaves nearly every planted bill above the warning's default margin (+30 %).
// The rise must not trip the spike rule (3× the median of the same day type
// over six weeks): a multiplied daily read does (a noisy day × 2 is often 3×
// the median; measured: the 99th percentile of a day ÷ its baseline median is
// 1.55), and so did a load proportional to the day's level on the National Day
// holiday; the same added kWh every day does not. Customers with planted
// abnormal usage are not chosen.
//
// Draws only from unitHash streams 7101, 7102 and 7104 (never from the customer's
// simulation stream) and rewrites only the readings of that month: the
// customer's behaviour follows its unplanted consumption, as for the usage
// anomalies, so every other row the generator writes is unchanged.

import { residentialTier, residentialTieredCharge, TOU_PRICE, type CustomerClass, type Tariff } from '../domain/tariffs.ts';
import { capacityCharge, usualBill } from '../domain/high-bill.ts';
import { unitHash } from './random.ts';

export type HighBillKind = 'tier_jump' | 'peak_shift';

export interface HighBillPlan {
  kind: HighBillKind;
  /** Factor on the readings of each TOU period: [peak, shoulder, valley]. */
  factors: [number, number, number];
  /** tier_jump: kWh added to every day's read (before outage hours are taken out); 0 for a peak shift. */
  dailyKwh: number;
  /** The rise aimed at: planted bill ÷ usual bill. */
  target: number;
  usual: { amount: number; kwh: number };
}

/** Shares of eligible customers planted. */
const TIER_SHARE = 1;
const PEAK_SHARE = 0.25;
/**
 * Largest factors: a tier jump adds at most 1.2 × the month's daily level, a peak
 * shift makes a day at most 4.5 × peak share + 0.5 × the rest (≈ 2.2× at a
 * 40 % peak share, and interval meters' days are far less noisy): under the
 * spike rule's 3× the median of the same day type.
 */
const MAX_FACTOR = 2.2;
const MAX_PEAK_FACTOR = 4.5;
/** Off-peak factor of a peak shift. */
const OFF_PEAK = 0.5;

export interface HighBillCandidate {
  seed: number;
  index: number;
  cls: CustomerClass;
  tariff: Tariff;
  intervalMinutes: number;
  capacityKva: number | null;
  /** The month's expected kWh without the plant, its days, and its expected TOU shares [peak, shoulder, valley]. */
  expectedKwh: number;
  days: number;
  expectedShares: [number, number, number];
  /** kWh billed earlier this calendar year. */
  kwhBeforeThisYear: number;
  /** The last three monthly bills (CNY, kWh), oldest first. */
  lastBills: readonly { amount: number; kwh: number }[];
}

/**
 * The plant for this customer's month, or null (most customers). The caller
 * checks the rest of eligibility: the last month of the run, open all of it and
 * for 150 days before, no vacancy in the last months, no planted anomaly.
 */
export function planHighBill(c: HighBillCandidate): HighBillPlan | null {
  if (c.lastBills.length < 3 || c.expectedKwh <= 0) return null;
  const usual = usualBill(c.lastBills.slice(-3));
  if (usual.amount <= 0 || usual.kwh <= 0) return null;
  const target = 1.5 + 0.25 * unitHash(c.seed, c.index, 7101);
  if (c.cls === 'residential' && c.tariff === 'tiered' && c.intervalMinutes === 1440) {
    if (unitHash(c.seed, c.index, 7102) >= TIER_SHARE) return null;
    // the month's kWh whose tiered charge is target × usual (the charge rises with kWh: bisect)
    let lo = 0;
    let hi = 100 * usual.kwh + 1000;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (residentialTieredCharge(c.kwhBeforeThisYear, mid) < target * usual.amount) lo = mid;
      else hi = mid;
    }
    const factor = hi / c.expectedKwh;
    if (factor < 1.2 || factor > MAX_FACTOR) return null;
    if (residentialTier(c.kwhBeforeThisYear + hi) <= residentialTier(c.kwhBeforeThisYear)) return null;
    return { kind: 'tier_jump', factors: [factor, factor, factor], dailyKwh: ((factor - 1) * c.expectedKwh) / c.days, target, usual };
  }
  if (c.tariff === 'tou' && (c.cls === 'large_industrial' || c.cls === 'commercial') && c.intervalMinutes < 1440) {
    if (unitHash(c.seed, c.index, 7104) >= PEAK_SHARE) return null;
    const price = TOU_PRICE[c.cls];
    const [ps, ss, vs] = c.expectedShares;
    const capacity = capacityCharge(c.cls, c.capacityKva);
    const off = OFF_PEAK * c.expectedKwh * (ss * price.shoulder + vs * price.valley);
    const a = (target * usual.amount - capacity - off) / (c.expectedKwh * ps * price.peak);
    if (!(a >= 1.2 && a <= MAX_PEAK_FACTOR)) return null;
    return { kind: 'peak_shift', factors: [a, OFF_PEAK, OFF_PEAK], dailyKwh: 0, target, usual };
  }
  return null;
}
