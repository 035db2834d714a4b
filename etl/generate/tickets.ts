// Service-desk tickets of one customer-month: type, channel, response and
// resolution times against the SLA, post-resolution satisfaction, and the
// month file(s) each version of the ticket belongs to.

import { formatLocalTimestamp } from './calendar.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { csvLine } from './output.ts';
import { TICKET_CATEGORIES } from './people.ts';
import { cumulative, type Rng } from './random.ts';
import { clampScore, monthOffsetOfDay, type PendingRow, type SimulationContext } from './simulation-context.ts';
import type { MonthInfo } from './world.ts';

export const TICKET_TYPES = ['inquiry', 'service_request', 'outage', 'complaint', 'suggestion', 'praise'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_TYPE_CUM = cumulative([42, 26, 12, 6, 8, 6]);
const TICKET_CHANNELS = ['hotline', 'app', 'wechat', 'counter', 'web', 'sms', 'email'] as const;
const TICKET_CHANNEL_CUM = cumulative([45, 22, 15, 8, 4, 3, 3]);

/** First-response SLA in minutes (complaints: 24 h; outages: 45 min). */
export const SLA_MINUTES: Partial<Record<TicketType, number>> = { complaint: 24 * 60, outage: 45 };

export interface TicketPlan {
  type: TicketType;
  day: number;
  secondsOfDay: number;
  category?: string;
  planted?: boolean;
  /** Fixed channel (an outbound follow-up call, detractor-followup.ts); else drawn. */
  channel?: string;
  /** Ticket id suffix instead of the customer's sequence number (planted tickets outside the sequence). */
  idSuffix?: string;
}

export interface TicketOutcome {
  breached: boolean;
  satisfaction: number | null;
}

export function writeTicket(ctx: SimulationContext, p: CustomerProfile, rng: Rng, month: MonthInfo, plan: TicketPlan, seq: number, incidentMonth: boolean, pending: PendingRow[]): TicketOutcome {
  const { world, tally } = ctx;
  const type = plan.type;
  const channel = plan.channel !== undefined ? plan.channel : type === 'outage' ? (rng.chance(0.7) ? 'hotline' : rng.chance(0.5) ? 'app' : 'wechat')
    : rng.chance(0.6) && p.preferredChannel !== 'sms' ? p.preferredChannel : TICKET_CHANNELS[rng.pickCumulative(TICKET_CHANNEL_CUM)];
  // Response and resolution times (minutes): log-normal by type; crews are
  // overloaded during the planted incident, so outage responses slow down.
  const overloaded = incidentMonth && (type === 'outage' || type === 'complaint');
  let firstMedian: number;
  let resolveMedian: number;
  switch (type) {
    case 'outage': firstMedian = overloaded ? 60 : 22; resolveMedian = overloaded ? 360 : 120; break;
    case 'complaint': firstMedian = overloaded ? 600 : 240; resolveMedian = 2 * 1440; break;
    case 'inquiry': firstMedian = channel === 'hotline' ? 2 : 45; resolveMedian = rng.chance(0.8) ? 0 : 240; break;
    case 'service_request': firstMedian = 120; resolveMedian = 3 * 1440; break;
    case 'suggestion': firstMedian = 600; resolveMedian = 5 * 1440; break;
    case 'praise': firstMedian = 720; resolveMedian = 1440; break;
  }
  const firstMinutes = Math.max(1, Math.round(rng.logNormal(firstMedian, type === 'complaint' ? 1.1 : 0.75)));
  const resolveMinutes = resolveMedian === 0 ? 0 : Math.max(5, Math.round(rng.logNormal(resolveMedian, 0.8)));
  const openedSec = plan.secondsOfDay;
  const firstSec = openedSec + firstMinutes * 60 + rng.int(60);
  const resolvedSec = firstSec + resolveMinutes * 60;
  const endOfRun = (world.lastDay - plan.day + 1) * 86_400;
  const sla = SLA_MINUTES[type];
  const breached = sla !== undefined && firstMinutes > sla;
  const resolvedKnown = resolvedSec < endOfRun;
  let satisfaction: number | null = null;
  if (resolvedKnown && rng.next() < 0.5) {
    satisfaction = clampScore(4.4 - (breached ? 1.8 : 0) - (overloaded ? 0.5 : 0) + 0.7 * rng.normal());
  }
  const ticketId = `GD${month.compact}${p.id}${plan.idSuffix ?? String(seq).padStart(2, '0')}`;
  const category = plan.category ?? rng.pick(TICKET_CATEGORIES[type]);
  const opened = formatLocalTimestamp(plan.day, openedSec);
  const first = firstSec < endOfRun ? formatLocalTimestamp(plan.day, firstSec) : '';
  const resolved = resolvedKnown ? formatLocalTimestamp(plan.day, resolvedSec) : '';
  const full = csvLine([ticketId, p.id, opened, channel, type, category, first, resolved, satisfaction]);
  // The export of the month the ticket was opened holds what was known by then;
  // the final state arrives in the month it was reached (later file wins).
  const monthEnd = (month.lastDay - plan.day + 1) * 86_400;
  const lastKnownSec = resolved ? resolvedSec : first ? firstSec : openedSec;
  if (lastKnownSec < monthEnd) {
    ctx.files.tickets[month.offset].row(full);
  } else {
    ctx.files.tickets[month.offset].row(csvLine([ticketId, p.id, opened, channel, type, category, firstSec < monthEnd ? first : '', '', '']));
    // lastKnownSec is before the end of the run, so that month is in the run.
    pending.push({ monthOffset: monthOffsetOfDay(world, plan.day + Math.floor(lastKnownSec / 86_400)), file: 'tickets', line: full });
  }
  tally.ticket(p, month.offset, type, breached, plan.planted === true);
  return { breached, satisfaction };
}
