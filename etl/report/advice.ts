// Saving advice of the customer usage report (节能建议), chosen by fixed rules
// from the report's facts (pure). Each rule either fires with the figures its
// text needs or does not; the dashboard words each id in zh-CN and en
// (dashboard/src/i18n/messages.ts, 'advice.<id>'). The rules, their
// thresholds and why: docs/metrics.md, "Customer usage report".

import type { CustomerClass, Tariff } from '../domain/tariffs.ts';
import type { ShiftSaving, TouSwitch } from './tou-saving.ts';
import type { TierPosition } from './tier-position.ts';

export interface AdviceFacts {
  customerClass: CustomerClass;
  tariff: Tariff;
  /** The customer's kWh and the peers' median and efficient-quartile kWh over the same months (months with peer figures); null without any. */
  peers: { kwh: number; medianKwh: number; efficientKwh: number } | null;
  /** The customer's kWh over the months that also have a reading a year before, and those months a year before; null without any. */
  yearOnYear: { kwh: number; kwhLastYear: number } | null;
  /** Peak kWh ÷ kWh of the sub-daily-metered days, 12 months; null without interval data. */
  peakShare: number | null;
  /** Mean monthly load factor (负荷率), 12 months; null without interval data. */
  loadFactor: number | null;
  shift: ShiftSaving;
  touSwitch: TouSwitch | null;
  /** Residential tiered customers only. */
  tier: TierPosition | null;
}

export type Advice =
  | { id: 'switch_to_tou'; savingCny: number; flatCny: number; touCny: number }
  | { id: 'shift_peak'; peakShare: number; shiftShare: number; shiftedKwh: number; savingCny: number }
  | { id: 'tier_next_soon'; kwhToNextTier: number; nextTierPrice: number }
  | { id: 'tier_surcharge'; projectedKwh: number; projectedTier: 2 | 3; surchargeCny: number }
  | { id: 'above_peers'; pctAbove: number; efficientKwh: number }
  | { id: 'rising_usage'; pctUp: number }
  | { id: 'low_load_factor'; loadFactor: number }
  | { id: 'efficient'; pctBelowMedian: number }
  | { id: 'keep_track' };

export type AdviceId = Advice['id'];

/** Thresholds of the rules (docs/metrics.md). */
export const ADVICE_RULES = {
  /** switch_to_tou: TOU at least this share cheaper than flat for the same hours. */
  switchMinShare: 0.02,
  /** shift_peak: peak share of kWh at or above this. */
  shiftMinPeakShare: 0.3,
  /** tier_next_soon: the year-to-date kWh within this share of the next tier's start. */
  tierNearShare: 0.1,
  /** above_peers: kWh above the peers' median by more than this share. */
  abovePeersShare: 0.2,
  /** rising_usage: kWh up by at least this share on the same months a year before. */
  risingShare: 0.1,
  /** low_load_factor: business load factor under this. */
  lowLoadFactor: 0.3,
  /** At most this many pieces of advice on the one page, in rule order. */
  maxShown: 4,
} as const;

type Rule = (f: AdviceFacts) => Advice | null;

/** In priority order: money first, then comparisons, then praise. */
export const RULES: readonly { id: AdviceId; rule: Rule }[] = [
  {
    id: 'switch_to_tou',
    rule: (f) => f.touSwitch && f.touSwitch.savingCny >= ADVICE_RULES.switchMinShare * f.touSwitch.flatCny && f.touSwitch.savingCny > 0
      ? { id: 'switch_to_tou', savingCny: f.touSwitch.savingCny, flatCny: f.touSwitch.flatCny, touCny: f.touSwitch.touCny }
      : null,
  },
  {
    id: 'shift_peak',
    rule: (f) => f.shift.verdict === 'saves' && f.peakShare !== null && f.peakShare >= ADVICE_RULES.shiftMinPeakShare && f.shift.savingCny > 0
      ? { id: 'shift_peak', peakShare: f.peakShare, shiftShare: f.shift.shiftShare, shiftedKwh: f.shift.shiftedKwh, savingCny: f.shift.savingCny }
      : null,
  },
  {
    id: 'tier_next_soon',
    rule: (f) => {
      const t = f.tier;
      if (!t || t.kwhToNextTier === null || t.nextTierAtKwh === null || t.nextTierPrice === null) return null;
      return t.kwhToNextTier > 0 && t.kwhToNextTier <= ADVICE_RULES.tierNearShare * t.nextTierAtKwh
        ? { id: 'tier_next_soon', kwhToNextTier: t.kwhToNextTier, nextTierPrice: t.nextTierPrice }
        : null;
    },
  },
  {
    id: 'tier_surcharge',
    rule: (f) => {
      const t = f.tier;
      if (!t || t.projectedKwh === null || t.projectedTier === null || t.projectedTier === 1 || t.projectedTierSurchargeCny === null) return null;
      return { id: 'tier_surcharge', projectedKwh: t.projectedKwh, projectedTier: t.projectedTier, surchargeCny: t.projectedTierSurchargeCny };
    },
  },
  {
    id: 'above_peers',
    rule: (f) => f.peers && f.peers.medianKwh > 0 && f.peers.kwh > (1 + ADVICE_RULES.abovePeersShare) * f.peers.medianKwh
      ? { id: 'above_peers', pctAbove: (f.peers.kwh / f.peers.medianKwh - 1) * 100, efficientKwh: f.peers.efficientKwh }
      : null,
  },
  {
    id: 'rising_usage',
    rule: (f) => f.yearOnYear && f.yearOnYear.kwhLastYear > 0 && f.yearOnYear.kwh >= (1 + ADVICE_RULES.risingShare) * f.yearOnYear.kwhLastYear
      ? { id: 'rising_usage', pctUp: (f.yearOnYear.kwh / f.yearOnYear.kwhLastYear - 1) * 100 }
      : null,
  },
  {
    id: 'low_load_factor',
    rule: (f) => (f.customerClass === 'large_industrial' || f.customerClass === 'commercial') && f.loadFactor !== null && f.loadFactor < ADVICE_RULES.lowLoadFactor
      ? { id: 'low_load_factor', loadFactor: f.loadFactor }
      : null,
  },
  {
    id: 'efficient',
    rule: (f) => f.peers && f.peers.medianKwh > 0 && f.peers.kwh <= f.peers.efficientKwh
      ? { id: 'efficient', pctBelowMedian: (1 - f.peers.kwh / f.peers.medianKwh) * 100 }
      : null,
  },
];

/** The advice that fires, in rule order, at most ADVICE_RULES.maxShown; 'keep_track' when none does. */
export function chooseAdvice(f: AdviceFacts): Advice[] {
  const fired = RULES.map((r) => r.rule(f)).filter((a): a is Advice => a !== null);
  return fired.length ? fired.slice(0, ADVICE_RULES.maxShown) : [{ id: 'keep_track' }];
}
