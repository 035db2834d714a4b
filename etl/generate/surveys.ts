// A customer's answer to a survey wave, driven by what they experienced.

import { formatDay } from './calendar.ts';
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

export function writeSurvey(ctx: SimulationContext, p: CustomerProfile, rng: Rng, wave: string, day: number, x: Experience): void {
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
  const nps = rng.next() < 0.03 ? null : Math.min(10, Math.max(0, Math.round(6.0 + 2.2 * (overallLatent - 3) + 1.2 * rng.normal())));
  const name = personName(ctx.seed, p.index);
  const comment = rng.next() < 0.3 ? surveyComment(ctx.seed, p.index * 8 + rng.int(8), overall, name, mobileNumber(ctx.seed, p.index)) : '';
  const r = [item(reliability), item(service), item(price), item(billing), item(communication)];
  ctx.files.surveys.get(wave)!.row(csvLine([`SV${wave.replace('-', '')}${p.id}`, p.id, formatDay(day), wave, channel, nps, overall, ...r, comment]));
  ctx.tally.survey(p, wave, overall, r[0], nps);
}
