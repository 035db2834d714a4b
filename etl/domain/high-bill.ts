// The high-bill warning's arithmetic (高额电费预警), pure: project a month's
// bill from its month-to-date readings under the customer's own tariff
// (tariffs.ts), compare it with the usual bill and name the main driver of the
// difference. The nightly detector does the same in SQL
// (sql/alerts/high_bill_project.sql, rollup.bill_amount); the tests hold the two
// to each other, and the generator uses this to state in truth.json what each
// planted high bill should be reported with.

import { billAmount, CAPACITY_CHARGE_PER_KVA_MONTH, type CustomerClass, type Tariff, type TouSplit } from './tariffs.ts';

export type HighBillDriver = 'more_kwh' | 'higher_tier' | 'more_peak';

export interface MonthToDate {
  customerClass: CustomerClass;
  tariff: Tariff;
  capacityKva: number | null;
  /** kWh of the days read so far this month. */
  kwh: number;
  /** TOU split of the sub-daily days read (zero for a daily meter). */
  tou: TouSplit;
  /** Days of the month with readings so far, and days in the month. */
  daysRead: number;
  daysInMonth: number;
  /** kWh billed earlier this calendar year (the tiers' position). */
  kwhBeforeThisYear: number;
}

export interface Projection {
  kwh: number;
  tou: TouSplit;
  /** CNY, rounded to the fen, as billAmount() would bill it. */
  amount: number;
  /** The capacity charge inside amount (large industrial). */
  capacity: number;
}

/**
 * The month's bill if the rest of it goes on like the days read: kWh scaled by
 * daysInMonth ÷ daysRead, split into TOU periods in the month-to-date shares
 * (a TOU account with no sub-daily days is priced all at the shoulder price:
 * the split is unknown, and 平 is the middle), priced with billAmount() for a
 * whole month.
 */
export function projectBill(m: MonthToDate): Projection {
  const scale = m.daysInMonth / m.daysRead;
  const kwh = m.kwh * scale;
  const split = m.tou.peak + m.tou.shoulder + m.tou.valley;
  const tou: TouSplit = split > 0
    ? { peak: kwh * (m.tou.peak / split), shoulder: kwh * (m.tou.shoulder / split), valley: kwh * (m.tou.valley / split) }
    : { peak: 0, shoulder: kwh, valley: 0 };
  const amount = billAmount({
    customerClass: m.customerClass, tariff: m.tariff, kwh, tou, kwhBeforeThisYear: m.kwhBeforeThisYear,
    capacityKva: m.capacityKva, monthFraction: 1,
  });
  return { kwh, tou, amount, capacity: capacityCharge(m.customerClass, m.capacityKva) };
}

export function capacityCharge(customerClass: CustomerClass, capacityKva: number | null): number {
  return customerClass === 'large_industrial' && capacityKva ? capacityKva * CAPACITY_CHARGE_PER_KVA_MONTH : 0;
}

export interface Difference {
  /** CNY: (projected kWh − usual kWh) × the usual bill's energy price per kWh. */
  kwhEffect: number;
  /** CNY: the rest of the energy difference: paying more per kWh than usual (a higher tier, more peak use). */
  priceEffect: number;
  driver: HighBillDriver;
}

/**
 * Split projected − usual into its kWh part and its price part. The usual
 * unit price is the usual bill's energy charge (amount − capacity charge) per
 * kWh. The price part is named for the tariff: tiered → higher_tier, TOU →
 * more_peak; a flat tariff has none. The driver is the larger part.
 */
export function decompose(p: { kwh: number; amount: number; capacity: number }, usual: { kwh: number; amount: number },
                          tariff: Tariff, customerClass: CustomerClass): Difference {
  const unit = usual.kwh > 0 ? (usual.amount - p.capacity) / usual.kwh : 0;
  const kwhEffect = (p.kwh - usual.kwh) * unit;
  const priceEffect = (p.amount - p.capacity) - p.kwh * unit;
  const priced: HighBillDriver | null = tariff === 'tiered' ? 'higher_tier'
    : tariff === 'tou' && (customerClass === 'large_industrial' || customerClass === 'commercial') ? 'more_peak' : null;
  const driver = priced !== null && usual.kwh > 0 && priceEffect > kwhEffect ? priced : 'more_kwh';
  return { kwhEffect, priceEffect, driver };
}

/** Severity of a warning: 3 when projected ≥ 2 × threshold, 2 when ≥ 1.3 × threshold, else 1 (as the spike rule). */
export function highBillSeverity(projected: number, threshold: number): 1 | 2 | 3 {
  return projected >= 2 * threshold ? 3 : projected >= 1.3 * threshold ? 2 : 1;
}

/** The usual bill: the median of the last bills by amount (for an even count, the lower middle one). */
export function usualBill<T extends { amount: number }>(bills: readonly T[]): T {
  const sorted = [...bills].sort((a, b) => a.amount - b.amount);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}
