// Running totals the generator keeps while it writes, for truth.json: what was
// planted and how big each part of the utility came out. Sizes grow with
// months, classes and campaigns, never with customers. Tests compare these
// statements with what they recompute from the CSVs themselves.

import type { CustomerClass, Tariff, TouSplit } from '../domain/tariffs.ts';
import { capacityCharge, decompose, type HighBillDriver } from '../domain/high-bill.ts';
import type { HighBillKind, HighBillPlan } from './high-bills.ts';
import type { CustomerProfile } from './customer-profile.ts';
import type { FollowUpCase } from './detractor-followup.ts';
import { CUSTOMER_CLASSES, DISTRICTS } from './utility-model.ts';
import type { CampaignDefinition } from './world.ts';

/** A planted high bill as truth.json states it (high-bills.ts). */
export interface HighBillCase {
  customer_id: string;
  class: CustomerClass;
  tariff: Tariff;
  interval_minutes: number;
  kind: HighBillKind;
  /** YYYY-MM */
  month: string;
  factors: number[];
  target: number;
  usual_amount: number;
  usual_kwh: number;
  billed_amount: number;
  billed_kwh: number;
  tier_before: number;
  tier_after: number;
  expected_driver: HighBillDriver;
}

type ByClass<T> = Record<CustomerClass, T>;
const byClass = <T>(make: () => T): ByClass<T> =>
  Object.fromEntries(CUSTOMER_CLASSES.map((c) => [c, make()])) as ByClass<T>;

interface CampaignTally {
  campaign_id: string;
  name: string;
  kind: string;
  offer_type: string;
  targeted: number;
  holdout: number;
  treated_accepted: number;
  holdout_accepted: number;
  responded: number;
  /** Sum over targeted customers of P(accept | treated) − P(adopt | holdout). */
  upliftSum: number;
}

export class Tally {
  readonly accounts = byClass(() => 0);
  readonly activeAtStart = byClass(() => 0);
  readonly activeAtEnd = byClass(() => 0);
  readonly opened = byClass(() => 0);
  readonly closedCount = byClass(() => 0);
  readonly kwh = byClass(() => 0);
  readonly touKwh = byClass((): TouSplit => ({ peak: 0, shoulder: 0, valley: 0 }));
  readonly kwhByMonth: number[];
  readonly revenueFenByMonth: number[];
  bills = 0;
  lateBills = 0;
  /** Bills past their due date and still unpaid at the data as-of. */
  overdueUnpaidBills = 0;
  creditNotes = 0;
  billShocks = 0;
  billShocksWithTierJump = 0;
  readonly ticketsByType: Record<string, number> = {};
  readonly slaBreaches: Record<string, number> = {};
  /** Outage tickets per district per month offset. */
  readonly outageTickets: number[][];
  plantedOutageTickets = 0;
  readonly surveyResponses: Record<string, number> = {};
  readonly campaigns = new Map<string, CampaignTally>();
  touAtEnd = 0;
  greenAtEnd = 0;
  /** Planted abnormal usage (usage-anomalies.ts), in customer order. */
  /** Planted high bills (high-bills.ts), in customer order. */
  readonly highBills: HighBillCase[] = [];
  /** Planted detractor follow-up cases (detractor-followup.ts), in customer order. */
  readonly followUps: FollowUpCase[] = [];
  /** Planted re-survey answers per wave (detractor-followup.ts): answers the main stream did not draw. */
  readonly resurveys: Record<string, number> = {};
  readonly usageAnomalies: { customer_id: string; class: string; interval_minutes: number; type: string; first_day: number; last_day: number; magnitude: number }[] = [];

  constructor(months: number) {
    this.kwhByMonth = new Array(months).fill(0);
    this.revenueFenByMonth = new Array(months).fill(0);
    this.outageTickets = DISTRICTS.map(() => new Array(months).fill(0));
  }

  customer(p: CustomerProfile, openedBeforeRun: boolean): void {
    this.accounts[p.cls]++;
    if (openedBeforeRun) this.activeAtStart[p.cls]++;
    else this.opened[p.cls]++;
  }

  closed(p: CustomerProfile): void {
    this.closedCount[p.cls]++;
  }

  customerEnd(p: CustomerProfile, active: boolean, tariff: string, green: boolean): void {
    if (!active) return;
    this.activeAtEnd[p.cls]++;
    if (tariff === 'tou') this.touAtEnd++;
    if (green) this.greenAtEnd++;
  }

  usage(p: CustomerProfile, month: number, kwh: number, tou: TouSplit): void {
    this.kwh[p.cls] += kwh;
    this.kwhByMonth[month] += kwh;
    const t = this.touKwh[p.cls];
    t.peak += tou.peak;
    t.shoulder += tou.shoulder;
    t.valley += tou.valley;
  }

  bill(_p: CustomerProfile, month: number, fen: number, paidLate: boolean, overdueAtEnd: boolean): void {
    this.bills++;
    this.revenueFenByMonth[month] += fen;
    if (paidLate) this.lateBills++;
    if (overdueAtEnd) this.overdueUnpaidBills++;
  }

  usageAnomaly(p: CustomerProfile, type: string, firstDay: number, lastDay: number, magnitude: number): void {
    this.usageAnomalies.push({ customer_id: p.id, class: p.cls, interval_minutes: p.intervalMinutes, type, first_day: firstDay, last_day: lastDay, magnitude });
  }

  highBill(p: CustomerProfile, month: string, tariff: Tariff, plan: HighBillPlan, bill: { amount: number; kwh: number }, tierBefore: number, tierAfter: number): void {
    const capacity = capacityCharge(p.cls, p.capacityKva);
    const d = decompose({ kwh: bill.kwh, amount: bill.amount, capacity }, plan.usual, tariff, p.cls);
    this.highBills.push({
      customer_id: p.id, class: p.cls, tariff, interval_minutes: p.intervalMinutes, kind: plan.kind, month,
      factors: plan.factors.map((f) => Math.round(f * 1000) / 1000), target: Math.round(plan.target * 1000) / 1000,
      usual_amount: plan.usual.amount, usual_kwh: plan.usual.kwh, billed_amount: bill.amount, billed_kwh: bill.kwh,
      tier_before: tierBefore, tier_after: tierAfter, expected_driver: d.driver,
    });
  }

  resurvey(wave: string): void {
    this.resurveys[wave] = (this.resurveys[wave] ?? 0) + 1;
  }

  followUp(c: FollowUpCase): void {
    this.followUps.push(c);
  }

  creditNote(): void {
    this.creditNotes++;
  }

  billShock(_p: CustomerProfile, _month: number, tierJump: boolean): void {
    this.billShocks++;
    if (tierJump) this.billShocksWithTierJump++;
  }

  ticket(p: CustomerProfile, month: number, type: string, breached: boolean, planted: boolean): void {
    this.ticketsByType[type] = (this.ticketsByType[type] ?? 0) + 1;
    if (breached) this.slaBreaches[type] = (this.slaBreaches[type] ?? 0) + 1;
    if (type === 'outage') this.outageTickets[p.district][month]++;
    if (planted && type === 'outage') this.plantedOutageTickets++;
  }

  survey(_p: CustomerProfile, wave: string, _overall: number, _reliability: number | null, _nps: number | null): void {
    this.surveyResponses[wave] = (this.surveyResponses[wave] ?? 0) + 1;
  }

  contact(c: CampaignDefinition, _p: CustomerProfile, holdout: boolean, accepted: boolean, responded: boolean, uplift: number): void {
    let t = this.campaigns.get(c.id);
    if (!t) {
      t = { campaign_id: c.id, name: c.name, kind: c.kind, offer_type: c.offerType, targeted: 0, holdout: 0, treated_accepted: 0, holdout_accepted: 0, responded: 0, upliftSum: 0 };
      this.campaigns.set(c.id, t);
    }
    t.targeted++;
    t.upliftSum += uplift;
    if (holdout) {
      t.holdout++;
      if (accepted) t.holdout_accepted++;
    } else if (accepted) t.treated_accepted++;
    if (responded) t.responded++;
  }

  campaignSummaries(): object[] {
    return [...this.campaigns.values()].map((t) => {
      const treated = t.targeted - t.holdout;
      return {
        campaign_id: t.campaign_id,
        name: t.name,
        kind: t.kind,
        offer_type: t.offer_type,
        targeted: t.targeted,
        treated,
        holdout: t.holdout,
        treated_accepted: t.treated_accepted,
        holdout_accepted: t.holdout_accepted,
        responded: t.responded,
        // The effect the generator built in: mean over the audience of
        // P(accept | offered) − P(adopt anyway | holdout). A measured uplift's
        // 95% interval should contain it.
        true_uplift: t.targeted ? round(t.upliftSum / t.targeted, 4) : null,
        observed_uplift: treated && t.holdout ? round(t.treated_accepted / treated - t.holdout_accepted / t.holdout, 4) : null,
      };
    });
  }
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
