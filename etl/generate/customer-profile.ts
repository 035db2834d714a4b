// A customer's starting attributes, derived only from (seed, customer index)
// and the customer's ordinal within its class, so any customer can be
// regenerated alone and the run needs no per-customer table.

import type { CustomerClass, Tariff } from '../domain/tariffs.ts';
import { cumulative, hash32, normalQuantile, pickWithUnit, unitHash, weyl } from './random.ts';
import { CLASS_BY_SHARE, CLASS_MODEL, DISTRICTS, KVA_SIZES, TOU_SHIFT } from './utility-model.ts';
import type { World } from './world.ts';

export type Channel = 'hotline' | 'app' | 'web' | 'wechat' | 'sms' | 'email' | 'counter';

export interface CustomerProfile {
  index: number;
  id: string;
  cls: CustomerClass;
  district: number;
  openedDay: number; // day number
  annualKwh: number;
  tariff: Tariff;
  voltageKv: number;
  capacityKva: number | null;
  contractType: 'standard' | 'long_term';
  contractEndDay: number | null;
  greenPlan: boolean;
  preferredChannel: Channel;
  intervalMinutes: 15 | 30 | 60 | 1440;
  /** Latent needs (0–1) that drive responses to offers and survey answers. */
  greenAffinity: number;
  reliabilitySensitivity: number;
  priceSensitivity: number;
  /** Payment behaviour: 0 good, 1 sometimes late, 2 chronic arrears. */
  payer: 0 | 1 | 2;
  threeShift: boolean;
  /** Share of peak load moved to valley hours when on TOU. */
  touShift: number;
  /** Hour shift of the residential evening peak (−1, 0, +1). */
  peakShift: number;
  /** Residential vacancy: [first month offset, months] or null. */
  vacancy: [number, number] | null;
}

const CLASS_CUMULATIVE = cumulative(CLASS_BY_SHARE.map((c) => CLASS_MODEL[c].customerShare));
const DISTRICT_CUMULATIVE: Record<CustomerClass, number[]> = {
  large_industrial: cumulative(DISTRICTS.map((d) => d.weight.large_industrial)),
  commercial: cumulative(DISTRICTS.map((d) => d.weight.commercial)),
  residential: cumulative(DISTRICTS.map((d) => d.weight.residential)),
  agricultural: cumulative(DISTRICTS.map((d) => d.weight.agricultural)),
};
const RESIDENTIAL_CHANNELS: readonly Channel[] = ['app', 'wechat', 'hotline', 'counter', 'sms', 'web'];
const RESIDENTIAL_CHANNEL_CUM = cumulative([45, 25, 17, 7, 3, 3]);
const BUSINESS_CHANNELS: readonly Channel[] = ['hotline', 'app', 'counter', 'email', 'wechat', 'web'];
const BUSINESS_CHANNEL_CUM = cumulative([33, 25, 15, 14, 9, 4]);

export function customerId(index: number): string {
  return '33' + String(index + 1).padStart(8, '0');
}

/**
 * Class of the i-th account. A golden-ratio sequence rather than a hash: the
 * class shares then match the model within about 1/N for any N, so a small demo
 * utility still has its dozen large industrial customers.
 */
export function classOf(seed: number, index: number): CustomerClass {
  return CLASS_BY_SHARE[pickWithUnit(CLASS_CUMULATIVE, weyl(index, unitHash(seed, 0, 1)))];
}

export interface ProfileOptions {
  intervals: Record<CustomerClass, 15 | 30 | 60 | 1440>;
  /** Share of accounts opened during the run (new customers joining). */
  newShare: number;
}

export function buildProfile(seed: number, index: number, classOrdinal: number, world: World, options: ProfileOptions): CustomerProfile {
  const cls = classOf(seed, index);
  const u = (stream: number): number => unitHash(seed, index, stream);
  const model = CLASS_MODEL[cls];
  const district = pickWithUnit(DISTRICT_CUMULATIVE[cls], u(2));

  // Size: a well-spread uniform per class ordinal (golden-ratio sequence), so a
  // few dozen large industrial customers already follow the log-normal closely.
  const quantile = Math.min(0.995, Math.max(0.005, weyl(classOrdinal, 0.5 + 0.1 * CLASS_BY_SHARE.indexOf(cls))));
  const annualKwh = model.annualKwhMedian * Math.exp(model.annualKwhSigma * normalQuantile(quantile));

  const opened =
    u(3) < options.newShare
      ? world.firstDay + Math.floor(u(4) * (world.lastDay - world.firstDay))
      : world.firstDay - 30 - Math.floor(Math.pow(u(4), 1.4) * 25 * 365);

  let tariff: Tariff;
  if (cls === 'residential') tariff = 'tiered';
  else if (cls === 'agricultural') tariff = 'flat';
  else if (cls === 'large_industrial') tariff = 'tou';
  else tariff = u(5) < 0.45 ? 'tou' : 'flat';

  const averageKw = annualKwh / 8760;
  let capacityKva: number | null = null;
  let voltageKv = 0.22;
  if (cls === 'residential') {
    capacityKva = u(6) < 0.7 ? 8 : 16;
  } else {
    const needed = averageKw / (cls === 'large_industrial' ? 0.35 : 0.25);
    const min = cls === 'large_industrial' ? 315 : 8;
    capacityKva = KVA_SIZES.find((s) => s >= Math.max(min, needed)) ?? KVA_SIZES[KVA_SIZES.length - 1];
    voltageKv = cls === 'large_industrial' ? (capacityKva >= 8000 ? 110 : capacityKva >= 2000 ? 35 : 10) : capacityKva >= 250 ? 10 : 0.4;
  }

  let contractType: CustomerProfile['contractType'] = 'standard';
  let contractEndDay: number | null = null;
  const longTermShare = cls === 'large_industrial' ? 0.45 : cls === 'commercial' && annualKwh > 50_000 ? 0.2 : 0;
  if (u(7) < longTermShare) {
    contractType = 'long_term';
    // Ends somewhere from six months before the run to two years after it.
    contractEndDay = world.firstDay - 180 + Math.floor(u(8) * (world.lastDay - world.firstDay + 910));
  }

  const greenAffinity = Math.pow(u(9), 1.6);
  const greenShare = cls === 'residential' ? 0.015 : cls === 'agricultural' ? 0.01 : 0.06 + 0.1 * greenAffinity;
  const greenPlan = u(10) < greenShare * (0.5 + greenAffinity);

  const channelUnit = u(11);
  const preferredChannel =
    cls === 'residential'
      ? RESIDENTIAL_CHANNELS[pickWithUnit(RESIDENTIAL_CHANNEL_CUM, channelUnit)]
      : BUSINESS_CHANNELS[pickWithUnit(BUSINESS_CHANNEL_CUM, channelUnit)];

  const payerUnit = u(12);
  const payer: CustomerProfile['payer'] = payerUnit < 0.008 ? 2 : payerUnit < 0.05 ? 1 : 0;

  const shiftRange = cls === 'large_industrial' || cls === 'commercial' ? TOU_SHIFT[cls] : [0, 0];
  const touShift = tariff === 'tou' || cls === 'commercial' ? shiftRange[0] + u(13) * (shiftRange[1] - shiftRange[0]) : 0;

  let vacancy: CustomerProfile['vacancy'] = null;
  if (cls === 'residential' && u(14) < 0.03) {
    vacancy = [Math.floor(u(15) * world.months.length), 1 + Math.floor(u(16) * 4)];
  }

  return {
    index,
    id: customerId(index),
    cls,
    district,
    openedDay: opened,
    annualKwh,
    tariff,
    voltageKv,
    capacityKva,
    contractType,
    contractEndDay,
    greenPlan,
    preferredChannel,
    intervalMinutes: options.intervals[cls],
    greenAffinity,
    reliabilitySensitivity: u(17),
    priceSensitivity: cls === 'residential' ? u(18) : 0.3 + 0.7 * u(18),
    payer,
    threeShift: cls === 'large_industrial' && u(19) < 0.55,
    touShift,
    peakShift: cls === 'residential' ? (hash32(seed, index, 20) % 3) - 1 : 0,
    vacancy,
  };
}
