// A customer's answer to a survey wave, driven by what they experienced.

import { formatDay } from './calendar.ts';
import { applyActionEffects } from './improvement-actions.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { csvLine } from './output.ts';
import { mobileNumber, personName, surveyComment } from './people.ts';
import { cumulative, type Rng } from './random.ts';
import { clampScore, type SimulationContext } from './simulation-context.ts';

const SURVEY_CHANNELS = ['phone', 'sms', 'app', 'wechat', 'web', 'face_to_face'] as const;
const SURVEY_CHANNEL_CUM = cumulative([35, 20, 15, 15, 8, 7]);
const BUSINESS_SURVEY_CHANNEL_CUM = cumulative([35, 10, 10, 10, 15, 20]);

export interface Experience {
  outageRecent: number;
  serviceBad: number;
  billShock: number;
  tou: boolean;
}

/** What a response said (for the planted detractor follow-up, detractor-followup.ts). */
export interface SurveyAnswer {
  day: number;
  nps: number | null;
  reliability: number | null;
  service: number | null;
  price: number | null;
  /** The NPS before a planted lift (equal to nps without one). */
  naturalNps: number | null;
}

/** A planted improvement added to a response after it is drawn (no extra random draws). */
export interface SurveyLift {
  nps: number;
  service: number;
}

export function writeSurvey(ctx: SimulationContext, p: CustomerProfile, rng: Rng, wave: string, day: number, x: Experience, lift: SurveyLift | null = null): SurveyAnswer {
  const business = p.cls !== 'residential';
  const channel = SURVEY_CHANNELS[rng.pickCumulative(business ? BUSINESS_SURVEY_CHANNEL_CUM : SURVEY_CHANNEL_CUM)];
  // A few respondents are disgruntled whatever happened (real surveys have a tail of 1s).
  const bias = 0.3 * rng.normal() - (rng.next() < 0.06 ? 1.6 : 0);
  const reliability = 4.35 - 0.55 * Math.min(3.5, x.outageRecent) * (0.7 + 0.6 * p.reliabilitySensitivity) + bias;
  const service = 4.25 - 0.8 * Math.min(2, x.serviceBad) + bias;
  const price = 3.55 - 0.7 * x.billShock - 0.5 * (p.priceSensitivity - 0.5) + (x.tou ? 0.15 : 0) + bias;
  const billing = 4.1 - 0.3 * x.billShock - (p.payer > 0 ? 0.4 : 0) + bias;
  const communication = 3.95 - 0.25 * Math.min(3, x.outageRecent) + bias;
  const overallLatent = 0.3 * reliability + 0.25 * service + 0.2 * price + 0.1 * billing + 0.15 * communication + 0.25 * rng.normal();
  const item = (v: number): number | null => (rng.next() < 0.04 ? null : clampScore(v + 0.55 * rng.normal()));
  const overall = clampScore(overallLatent + 0.45 * rng.normal());
  const naturalNps = rng.next() < 0.03 ? null : Math.min(10, Math.max(0, Math.round(6.0 + 2.2 * (overallLatent - 3) + 1.2 * rng.normal())));
  const nps = lift && naturalNps !== null ? Math.min(10, naturalNps + lift.nps) : naturalNps;
  const name = personName(ctx.seed, p.index);
  const comment = rng.next() < 0.3 ? surveyComment(ctx.seed, p.index * 8 + rng.int(8), overall, name, mobileNumber(ctx.seed, p.index)) : '';
  const r = [item(reliability), item(service), item(price), item(billing), item(communication)];
  if (lift && r[1] !== null) r[1] = Math.min(5, r[1] + lift.service);
  // Planted improvement action (improvement-actions.ts): after the draws, from its own hash stream.
  applyActionEffects(ctx.actions ?? null, ctx.seed, p, ctx.world.waves.findIndex((w) => w.label === wave), day, r);
  ctx.files.surveys.get(wave)!.row(csvLine([`SV${wave.replace('-', '')}${p.id}`, p.id, formatDay(day), wave, channel, nps, overall, ...r, comment]));
  ctx.tally.survey(p, wave, overall, r[0], nps);
  return { day, nps, reliability: r[0], service: r[1], price: r[2], naturalNps };
}
