// Campaign offers: who is eligible and selected, the random holdout, and the
// treated and organic acceptance that make each campaign's true uplift.

import { formatDay } from './calendar.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { csvLine } from './output.ts';
import type { Rng } from './random.ts';
import type { SimulationContext } from './simulation-context.ts';
import type { CampaignDefinition } from './world.ts';

export interface OfferState {
  tariff: string;
  greenPlan: boolean;
  contractType: string;
  contractEndDay: number | null;
}

/** Offer a campaign if the customer is eligible and selected; true when they adopt the offered thing. */
export function offerCampaign(ctx: SimulationContext, p: CustomerProfile, rng: Rng, c: CampaignDefinition, s: OfferState): boolean {
  let select = 0;
  let pTreated = 0;
  let pHoldout = 0;
  let channel: string = p.preferredChannel;
  switch (c.kind) {
    case 'green':
      if ((p.cls === 'residential' || p.cls === 'commercial') && !s.greenPlan) {
        select = p.cls === 'residential' ? 0.04 * (0.4 + p.greenAffinity) : 0.3;
        pTreated = 0.03 + 0.14 * p.greenAffinity;
        pHoldout = 0.008 + 0.02 * p.greenAffinity;
        channel = p.cls === 'residential' ? (p.preferredChannel === 'wechat' ? 'wechat' : 'app') : 'email';
      }
      break;
    case 'tou_switch':
      if (p.cls === 'commercial' && s.tariff === 'flat') {
        select = 0.6;
        pTreated = 0.06 + 0.22 * p.priceSensitivity;
        pHoldout = 0.015 + 0.02 * p.priceSensitivity;
        channel = rng.chance(0.5) ? 'hotline' : 'email';
      }
      break;
    case 'renewal': {
      const endsSoon = s.contractEndDay !== null && s.contractEndDay >= c.sentDay && s.contractEndDay <= c.sentDay + 270;
      if ((p.cls === 'large_industrial' || (p.cls === 'commercial' && p.annualKwh > 50_000)) && (s.contractType === 'standard' || endsSoon)) {
        select = 1;
        pTreated = 0.6;
        pHoldout = 0.4;
        channel = 'counter';
      }
      break;
    }
    case 'audit':
      if (p.cls === 'commercial' && p.annualKwh >= 15_000 && p.annualKwh <= 300_000) {
        select = 0.35;
        pTreated = 0.12 + 0.15 * p.priceSensitivity;
        pHoldout = 0.02;
        channel = rng.chance(0.5) ? 'hotline' : 'wechat';
      }
      break;
    case 'points':
      if (p.cls === 'residential' && (p.preferredChannel === 'app' || p.preferredChannel === 'wechat')) {
        select = 0.12;
        pTreated = 0.22 + 0.1 * p.greenAffinity;
        pHoldout = 0.04;
        channel = p.preferredChannel;
      }
      break;
  }
  if (select === 0 || rng.next() >= select) return false;
  const holdout = rng.next() < c.holdoutShare;
  const sent = c.sentDay + rng.int(5);
  let accepted: boolean;
  let respondedDay: number | null = null;
  if (holdout) {
    accepted = rng.next() < pHoldout;
  } else {
    accepted = rng.next() < pTreated;
    if (accepted || rng.next() < 0.12) respondedDay = sent + rng.between(1, 25);
  }
  ctx.files.campaigns.get(c.id)!.row(csvLine([
    `${c.id}-${p.id}`, c.id, c.name, c.offerType, p.id, formatDay(sent), channel, holdout,
    respondedDay === null ? '' : formatDay(respondedDay), holdout || respondedDay !== null ? accepted : false,
  ]));
  ctx.tally.contact(c, p, holdout, accepted, respondedDay !== null, pTreated - pHoldout);
  return accepted;
}
