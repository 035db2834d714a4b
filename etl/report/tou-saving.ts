// Time-of-use arithmetic of the customer usage report (pure): what moving a
// share of peak-hour kWh to valley hours would save under the customer's own
// tariff, and what a flat-tariff business customer's last 12 months would
// have cost on the TOU tariff. Prices: etl/domain/tariffs.ts (the same the
// generator bills with). Formulas: docs/metrics.md, "Customer usage report".

import { FLAT_PRICE, TOU_PRICE, type CustomerClass, type Tariff, type TouSplit } from '../domain/tariffs.ts';

/** The share of peak kWh the report's "shift" scenario moves to the valley. */
export const DEFAULT_SHIFT_SHARE = 0.1;

export type ShiftVerdict =
  | 'saves' // a TOU tariff: shifting is priced
  | 'not_time_priced' // flat or tiered: the price does not depend on the hour
  | 'no_interval_data'; // no sub-daily readings: peak use is not known

export interface ShiftSaving {
  verdict: ShiftVerdict;
  shiftShare: number;
  /** kWh moved from peak to valley hours (share × peak kWh); 0 unless verdict = 'saves'. */
  shiftedKwh: number;
  /** CNY saved over the period the split covers: shiftedKwh × (peak price − valley price). */
  savingCny: number;
  peakPrice: number | null;
  valleyPrice: number | null;
}

function isTouClass(c: CustomerClass): c is 'large_industrial' | 'commercial' {
  return c === 'large_industrial' || c === 'commercial';
}

/**
 * Saving of moving `shiftShare` of the peak kWh in `split` to valley hours.
 * Only a TOU tariff prices the hour (large industrial and commercial have TOU
 * prices; a residential or agricultural 'tou' account is billed flat, as
 * tariffs.ts billAmount does).
 */
export function shiftSaving(customerClass: CustomerClass, tariff: Tariff, split: TouSplit | null, shiftShare = DEFAULT_SHIFT_SHARE): ShiftSaving {
  const none = (verdict: ShiftVerdict): ShiftSaving => ({ verdict, shiftShare, shiftedKwh: 0, savingCny: 0, peakPrice: null, valleyPrice: null });
  if (!split) return none('no_interval_data');
  if (tariff !== 'tou' || !isTouClass(customerClass)) return none('not_time_priced');
  const p = TOU_PRICE[customerClass];
  const shiftedKwh = split.peak * shiftShare;
  return { verdict: 'saves', shiftShare, shiftedKwh, savingCny: round2(shiftedKwh * (p.peak - p.valley)), peakPrice: p.peak, valleyPrice: p.valley };
}

export interface TouSwitch {
  /** Energy charge of the split at the class's flat price. */
  flatCny: number;
  /** The same kWh at the class's TOU prices. */
  touCny: number;
  /** flatCny − touCny: positive when TOU would have been cheaper. */
  savingCny: number;
}

/**
 * A flat-tariff large industrial or commercial customer's energy charge on
 * flat vs TOU prices, for the same kWh in the same hours (no behaviour change).
 * Null for other classes or tariffs, or without a TOU split.
 */
export function touSwitch(customerClass: CustomerClass, tariff: Tariff, split: TouSplit | null): TouSwitch | null {
  if (!split || tariff !== 'flat' || !isTouClass(customerClass)) return null;
  const p = TOU_PRICE[customerClass];
  const kwh = split.peak + split.shoulder + split.valley;
  const flatCny = round2(kwh * FLAT_PRICE[customerClass]);
  const touCny = round2(split.peak * p.peak + split.shoulder * p.shoulder + split.valley * p.valley);
  return { flatCny, touCny, savingCny: round2(flatCny - touCny) };
}

/**
 * The period's TOU split scaled to all its kWh: the split is measured on the
 * sub-daily-metered days only, so a period with some daily-read days has its
 * peak/shoulder/valley kWh scaled by kwh ÷ interval kWh (shares unchanged).
 */
export function scaledSplit(kwh: number, intervalKwh: number | null, peak: number | null, shoulder: number | null, valley: number | null): TouSplit | null {
  if (intervalKwh === null || !(intervalKwh > 0) || peak === null || shoulder === null || valley === null) return null;
  const f = kwh / intervalKwh;
  return { peak: peak * f, shoulder: shoulder * f, valley: valley * f };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
