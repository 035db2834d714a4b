// Planted detractor follow-up (issue 8, item 3): the service desk calls back
// a known subset of the customers who answered a survey wave as detractors,
// and re-surveys the planted customers in the next wave; those it called
// answer that wave better by a known amount (FOLLOW_UP.lift).
//
// Confined to the planted customers: selection is counter-based hashing
// (unitHash, its own stream ids 7301/7302) and every extra draw (call delay,
// a re-survey the customer would not have answered) comes from this module's
// own Rng stream (500), so the main stream of every customer is untouched.
// The lift is added to an answer after it is drawn. Customers of the district
// with the planted reliability incident and customers with planted abnormal
// usage are never planted (their figures are other tests' facts).

import type { CustomerProfile } from './customer-profile.ts';
import { Rng, unitHash } from './random.ts';
import type { SurveyAnswer, SurveyLift } from './surveys.ts';
import { planUsageAnomaly } from './usage-anomalies.ts';
import type { World } from './world.ts';

export const FOLLOW_UP = {
  /** Share of eligible detractor responses that are planted (followed up or not). */
  plantedShare: 0.25,
  /** Share of the planted ones the service desk calls back. */
  contactedShare: 0.5,
  /** The call: 0…maxDelayDays days after the response day, a service request by hotline. */
  maxDelayDays: 10,
  type: 'service_request' as const,
  channel: 'hotline',
  category: '满意度回访',
  /** Added to the next wave's answers of the customers called back (NPS capped at 10, items at 5). */
  lift: { nps: 2, service: 1 } satisfies SurveyLift,
  /** A ticket counts as the contact when opened within this many days from the response day (sql/marts/base_detractor_case.sql). */
  windowDays: 30,
} as const;

/** A follow-up case: NPS 0–6, or reliability, service or price ≤ 2 (the same rule as the SQL). */
export function isDetractorAnswer(a: Pick<SurveyAnswer, 'nps' | 'reliability' | 'service' | 'price'>): boolean {
  return (a.nps !== null && a.nps <= 6) || [a.reliability, a.service, a.price].some((v) => v !== null && v <= 2);
}

/** Whether the customer can be planted at all (not another planted fact's customer). */
export function followUpEligible(seed: number, p: CustomerProfile, world: World): boolean {
  if (world.incident !== null && world.incident.district === p.district) return false;
  return planUsageAnomaly(seed, p, world) === null;
}

/** null: not planted; else whether the service desk calls back the detractor of wave `waveIndex`. */
export function plantFollowUp(seed: number, p: CustomerProfile, waveIndex: number): { called: boolean } | null {
  if (unitHash(seed, p.index, 7301, waveIndex) >= FOLLOW_UP.plantedShare) return null;
  return { called: unitHash(seed, p.index, 7302, waveIndex) < FOLLOW_UP.contactedShare };
}

/** This module's own random stream for a customer. */
export function followUpRng(seed: number, p: CustomerProfile): Rng {
  return new Rng(seed, 500, p.index);
}

/** A planted case as the simulation tracks it until the customer's end. */
export interface PlantedFollowUp {
  wave: string;
  nextWave: string;
  responseDay: number;
  called: boolean;
  /** Local seconds since day 0 of the planted call, if any. */
  callAt: number | null;
  next: SurveyAnswer | null;
}

/** A planted case as truth.json states it. */
export interface FollowUpCase {
  customer_id: string;
  wave: string;
  responded_on: string;
  /** The service desk's planted call-back. */
  called: boolean;
  /** Contacted by the mart's rule: any ticket within the window (the call, or one the customer opened). */
  contacted: boolean;
  /** Hours from the start of the response day to the first ticket in the window. */
  hours_to_contact: number | null;
  next_wave: string;
  next_nps: number | null;
  /** The next wave's NPS without the planted lift. */
  next_nps_unlifted: number | null;
}

/** A case's truth from the customer's ticket openings (local seconds since day 0, any order). */
export function followUpCase(customerId: string, c: PlantedFollowUp, ticketOpenings: readonly number[], formatDay: (day: number) => string): FollowUpCase {
  const from = c.responseDay * 86_400;
  const to = (c.responseDay + FOLLOW_UP.windowDays) * 86_400;
  let first = Infinity;
  for (const t of ticketOpenings) if (t >= from && t < to && t < first) first = t;
  const contacted = Number.isFinite(first);
  return {
    customer_id: customerId, wave: c.wave, responded_on: formatDay(c.responseDay), called: c.called, contacted,
    hours_to_contact: contacted ? (first - from) / 3600 : null,
    next_wave: c.nextWave, next_nps: c.next?.nps ?? null, next_nps_unlifted: c.next?.naturalNps ?? null,
  };
}
