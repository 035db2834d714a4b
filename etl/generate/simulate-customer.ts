// One customer's life over the run, month by month: consumption, bills and
// payments, service-desk contacts, survey answers, campaign offers, attribute
// changes and churn. Everything the customer experiences (outages, slow
// complaint handling, bill shocks) is carried in a few local variables and
// shapes what they do next, so the data's cause and effect are real.
//
// The customer is simulated alone, start to end, writing each row to the file
// of the month it belongs to: memory does not grow with the number of customers.

import { billAmount, residentialTier, TOU_INDEX_BY_HOUR, type TouSplit } from '../domain/tariffs.ts';
import { formatLocalTimestamp, fromDayNumber, QUARTER_HOUR_LABELS } from './calendar.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { csvLine, formatFen, formatMilli, type OutputFile } from './output.ts';
import { address, customerName, mobileNumber, personName, surveyComment, TICKET_CATEGORIES } from './people.ts';
import { cumulative, Rng, unitHash } from './random.ts';
import type { Tally } from './tally.ts';
import { CLASS_MODEL, DISTRICTS, HOURLY_SHAPES, dayKindFactors } from './utility-model.ts';
import type { CampaignDefinition, MonthInfo, OutageEvent, World } from './world.ts';

export interface MonthFiles {
  usage: OutputFile[];
  billing: OutputFile[];
  tickets: OutputFile[];
  customers: OutputFile[];
  surveys: Map<string, OutputFile>;
  campaigns: Map<string, OutputFile>;
}

export interface SimulationContext {
  seed: number;
  world: World;
  files: MonthFiles;
  tally: Tally;
  surveyRate: number;
}

const TICKET_TYPES = ['inquiry', 'service_request', 'outage', 'complaint', 'suggestion', 'praise'] as const;
type TicketType = (typeof TICKET_TYPES)[number];
const TICKET_TYPE_CUM = cumulative([42, 26, 12, 6, 8, 6]);
const TICKET_CHANNELS = ['hotline', 'app', 'wechat', 'counter', 'web', 'sms', 'email'] as const;
const TICKET_CHANNEL_CUM = cumulative([45, 22, 15, 8, 4, 3, 3]);
const SURVEY_CHANNELS = ['phone', 'sms', 'app', 'wechat', 'web', 'face_to_face'] as const;
const SURVEY_CHANNEL_CUM = cumulative([35, 20, 15, 15, 8, 7]);
const BUSINESS_SURVEY_CHANNEL_CUM = cumulative([35, 10, 10, 10, 15, 20]);

/** First-response SLA in minutes (complaints: 24 h; outages: 45 min). */
export const SLA_MINUTES: Partial<Record<TicketType, number>> = { complaint: 24 * 60, outage: 45 };

interface PendingRow {
  monthOffset: number;
  file: 'billing' | 'tickets';
  line: string;
}

interface TicketPlan {
  type: TicketType;
  day: number;
  secondsOfDay: number;
  category?: string;
  planted?: boolean;
}

export function simulateCustomer(ctx: SimulationContext, p: CustomerProfile): void {
  const { world, files, tally, seed } = ctx;
  const rng = new Rng(seed, 200, p.index);
  const model = CLASS_MODEL[p.cls];
  const district = DISTRICTS[p.district];
  const rural = district.kind === 'rural';
  const kindFactor = dayKindFactors(p.cls, p.threeShift);
  const seasonal = world.seasonal[p.cls];
  const weatherSensitivity = p.cls === 'residential' ? 0.07 : p.cls === 'commercial' ? 0.04 : p.cls === 'agricultural' ? 0.03 : 0.01;
  const shapes = customerShapes(p);
  const interval = p.intervalMinutes;
  const stepsPerHour = interval === 1440 ? 0 : 60 / interval;
  const labelStride = interval === 1440 ? 0 : interval / 15;
  const rowPrefix = p.id + ',';
  const rowInterval = ',' + interval + ',';
  const noiseAmp = p.cls === 'large_industrial' ? 0.08 : p.cls === 'commercial' ? 0.2 : 0.3;

  let tariff = p.tariff;
  let greenPlan = p.greenPlan;
  let contractType = p.contractType;
  let contractEndDay = p.contractEndDay;
  let efficiency = 1;
  let ar = 0;
  let outageRecent = 0;
  let serviceBad = 0;
  let billShock = 0;
  // Grievance: slowly fading memory of everything that went wrong (complaints
  // filed, contacts handled badly, outages, bill shocks). It drives churn.
  let grievance = 0;
  let closedDay: number | null = null;
  let changeEffectiveMonth = -1;
  let pendingChange: (() => void) | null = null;
  const recentBills: number[] = [];
  const pending: PendingRow[] = [];
  let scheduledTickets: TicketPlan[] = [];
  let ticketSeq = 0;

  const openedBeforeRun = p.openedDay < world.firstDay;
  let kwhThisYear = openedBeforeRun ? (p.annualKwh * (world.months[0].ym.month - 1)) / 12 : 0;
  tally.customer(p, openedBeforeRun);

  for (const month of world.months) {
    const m = month.offset;
    // Rows whose final state became known this month (payments, resolutions).
    for (let k = pending.length - 1; k >= 0; k--) {
      if (pending[k].monthOffset === m) {
        files[pending[k].file][m].row(pending[k].line);
        pending.splice(k, 1);
      }
    }
    if (closedDay !== null || p.openedDay > month.lastDay) continue;

    const newThisMonth = p.openedDay >= month.firstDay || (m === 0 && openedBeforeRun);
    let customerRowDue = newThisMonth;
    if (changeEffectiveMonth === m && pendingChange) {
      pendingChange();
      pendingChange = null;
      customerRowDue = true;
    }
    if (month.ym.month === 1) kwhThisYear = 0;

    const activeFirst = Math.max(month.firstDay, p.openedDay);
    let activeLast = month.lastDay;
    // Churn: more likely after outages, poor service and bill shocks.
    if (p.openedDay < month.firstDay) {
      const hazard = model.churnHazard * (1 + 8 * grievance + (p.payer === 2 ? 1 : 0));
      if (rng.next() < hazard) {
        closedDay = month.firstDay + rng.int(month.days);
        activeLast = closedDay;
        customerRowDue = true;
        tally.closed(p);
      }
    }

    // Outage events on this customer's feeders this month.
    const hits: OutageEvent[] = [];
    for (const e of world.outages[p.district][m]) {
      if (e.day >= activeFirst && e.day <= activeLast && unitHash(seed, p.index, 1000 + e.id) < e.share) hits.push(e);
    }
    outageRecent += hits.length;
    grievance += 0.3 * hits.length;

    // ---- usage ----
    const vacant = p.vacancy !== null && m >= p.vacancy[0] && m < p.vacancy[0] + p.vacancy[1];
    const baseDaily = (p.annualKwh / 365) * efficiency;
    const usageFile = files.usage[m];
    let totalMilli = 0;
    const tou: TouSplit = { peak: 0, shoulder: 0, valley: 0 };
    const touMilli = [0, 0, 0];
    const outageMask = new Uint8Array(24);
    let hitIndex = 0;
    for (let day = activeFirst; day <= activeLast; day++) {
      const d = day - world.firstDay;
      const kind = world.dayKinds[d];
      ar = model.dailyPersistence * ar + model.dailyNoise * rng.normal();
      let level = baseDaily * seasonal[d] * kindFactor[kind] * Math.exp(ar) * Math.max(0.5, 1 + weatherSensitivity * world.weather[p.district][d]);
      if (world.sfRamp[d] > 0 && (p.cls === 'large_industrial' || p.cls === 'commercial')) level *= 0.5 + 0.05 * world.sfRamp[d];
      if (vacant) level = 0.25 + 0.1 * rng.next();
      let outageHours = 0;
      outageMask.fill(0);
      while (hitIndex < hits.length && hits[hitIndex].day === day) {
        const e = hits[hitIndex++];
        for (let h = e.startHour; h < Math.min(24, e.startHour + e.hours); h++) outageMask[h] = 1;
      }
      for (let h = 0; h < 24; h++) outageHours += outageMask[h];
      const shape = kind === 0 ? shapes.workday : shapes.weekend;
      const dayLabel = world.dayLabels[d] + ' ';
      if (stepsPerHour === 0) {
        const kwh = level * (1 - outageHours / 24);
        const milli = Math.round(kwh * 1000);
        totalMilli += milli;
        for (let h = 0; h < 24; h++) if (!outageMask[h]) touMilli[TOU_INDEX_BY_HOUR[h]] += milli * shape[h] / (1 - shapeShareOut(shape, outageMask));
        usageFile.row(rowPrefix + dayLabel + '00:00' + rowInterval + formatMilli(milli) + (rng.next() < 0.003 ? ',estimated\n' : ',\n'));
      } else {
        for (let h = 0; h < 24; h++) {
          const hourKwh = outageMask[h] ? 0 : level * shape[h];
          const t = TOU_INDEX_BY_HOUR[h];
          for (let s = 0; s < stepsPerHour; s++) {
            const milli = hourKwh === 0 ? 0 : Math.round((hourKwh / stepsPerHour) * (1 + noiseAmp * (rng.next() - 0.5)) * 1000);
            totalMilli += milli;
            touMilli[t] += milli;
            usageFile.row(rowPrefix + dayLabel + QUARTER_HOUR_LABELS[(h * stepsPerHour + s) * labelStride] + rowInterval + formatMilli(milli) + (rng.next() < 0.002 ? ',estimated\n' : ',\n'));
          }
        }
      }
    }
    const kwh = totalMilli / 1000;
    tou.peak = touMilli[0] / 1000;
    tou.shoulder = touMilli[1] / 1000;
    tou.valley = touMilli[2] / 1000;
    tally.usage(p, m, kwh, tou);

    // ---- bill ----
    const amount = billAmount({
      customerClass: p.cls, tariff, kwh, tou, kwhBeforeThisYear: kwhThisYear, capacityKva: p.capacityKva,
      monthFraction: (activeLast - activeFirst + 1) / month.days,
    });
    const tierBefore = residentialTier(kwhThisYear);
    kwhThisYear += kwh;
    const fen = Math.round(amount * 100);
    const billId = month.compact + p.id;
    const issued = activeLast;
    const due = issued + 15;
    const late = rng.next() < [0.012, 0.35, 0.5][p.payer];
    const unpaid = rng.next() < [0.0008, 0.03, 0.3][p.payer];
    const paidDay = unpaid ? null : late ? due + rng.between(1, 40) : issued + rng.between(1, 15);
    const billFields = (paid: boolean): string =>
      csvLine([billId, p.id, label(world, activeFirst), label(world, activeLast), formatMilli(totalMilli), formatFen(fen), label(world, issued), dayText(due),
        paid && paidDay !== null ? dayText(paidDay) : '', paid && paidDay !== null ? formatFen(fen) : '']);
    files.billing[m].row(billFields(false));
    if (paidDay !== null && paidDay <= world.lastDay) pending.push({ monthOffset: monthOffsetOfDay(world, paidDay), file: 'billing', line: billFields(true) });
    tally.bill(p, m, fen, late && paidDay !== null && paidDay <= world.lastDay, due < world.lastDay && (paidDay === null || paidDay > world.lastDay));
    if (m + 1 < world.months.length && rng.next() < 0.003) {
      // Credit note (退补): a correction issued on the 10th of the next month, applied at once.
      const next = world.months[m + 1];
      const credit = -Math.max(1, Math.round(fen * (0.05 + 0.25 * rng.next())));
      const day = dayText(next.firstDay + 9);
      pending.push({ monthOffset: m + 1, file: 'billing', line: csvLine([billId + 'CR', p.id, label(world, activeFirst), label(world, activeLast), '0.000', formatFen(credit), day, day, day, formatFen(credit)]) });
      tally.creditNote();
    }
    // Bill shock: well above the customer's recent bills (summer + a tier jump, typically).
    const avg = recentBills.length >= 3 ? recentBills.reduce((a, b) => a + b, 0) / recentBills.length : 0;
    const shocked = avg > 0 && fen > 1.5 * avg && fen > 10_000;
    if (shocked) {
      billShock = 1;
      grievance += 0.5;
      tally.billShock(p, m, p.cls === 'residential' && residentialTier(kwhThisYear) > tierBefore);
    }
    recentBills.push(fen);
    if (recentBills.length > 6) recentBills.shift();

    // ---- service desk ----
    const incidentMonth = world.incident !== null && world.incident.district === p.district && world.incident.monthOffset === m;
    const plans: TicketPlan[] = scheduledTickets.filter((t) => t.day >= activeFirst && t.day <= activeLast);
    scheduledTickets = [];
    if (rng.next() < model.ticketRate * (1 + 0.5 * serviceBad)) {
      plans.push({ type: TICKET_TYPES[rng.pickCumulative(TICKET_TYPE_CUM)], day: activeFirst + rng.int(activeLast - activeFirst + 1), secondsOfDay: daytimeSeconds(rng) });
    }
    for (const e of hits) {
      if (rng.next() < (p.cls === 'residential' ? 0.12 : 0.45)) {
        plans.push({ type: 'outage', day: e.day, secondsOfDay: e.startHour * 3600 + rng.between(300, 3600), planted: e.planted });
      }
      if (rng.next() < (e.planted ? 0.06 : 0.015) && e.day + 1 <= activeLast) {
        plans.push({ type: 'complaint', day: e.day + 1, secondsOfDay: daytimeSeconds(rng), category: rng.chance(0.5) ? '频繁停电' : '抢修时长', planted: e.planted });
      }
    }
    for (const plan of plans.slice(0, 6)) {
      const outcome = writeTicket(ctx, p, rng, month, plan, ++ticketSeq, incidentMonth, pending);
      if (outcome.breached || (outcome.satisfaction !== null && outcome.satisfaction <= 2)) {
        serviceBad += 1;
        grievance += 1;
      }
      if (plan.type === 'complaint') grievance += 1;
    }
    if (shocked && m + 1 < world.months.length) {
      const next = world.months[m + 1];
      if (rng.next() < 0.04) scheduledTickets.push({ type: 'complaint', day: next.firstDay + rng.int(10), secondsOfDay: daytimeSeconds(rng), category: '电费争议' });
      else if (rng.next() < 0.15) scheduledTickets.push({ type: 'inquiry', day: next.firstDay + rng.int(10), secondsOfDay: daytimeSeconds(rng), category: '电费查询' });
    }

    // ---- survey ----
    const wave = world.waves.find((w) => w.monthOffset === m);
    if (wave && rng.next() < ctx.surveyRate) {
      const first = Math.max(wave.firstDay, activeFirst);
      const last = Math.min(wave.lastDay, activeLast);
      if (first <= last) {
        writeSurvey(ctx, p, rng, wave.label, first + rng.int(last - first + 1), { outageRecent, serviceBad, billShock, tou: tariff === 'tou' });
      }
    }

    // ---- campaigns ----
    for (const c of world.campaigns) {
      if (c.monthOffset !== m || c.sentDay < activeFirst || c.sentDay > activeLast) continue;
      const adopted = offerCampaign(ctx, p, rng, c, { tariff, greenPlan, contractType, contractEndDay });
      if (adopted && m + 1 < world.months.length) {
        changeEffectiveMonth = m + 1;
        switch (c.kind) {
          case 'green': pendingChange = () => { greenPlan = true; }; break;
          case 'tou_switch': pendingChange = () => { tariff = 'tou'; }; break;
          case 'renewal': pendingChange = () => { contractType = 'long_term'; contractEndDay = c.sentDay + 3 * 365; }; break;
          case 'audit': pendingChange = null; changeEffectiveMonth = -1; efficiency *= 0.92; break;
          case 'points': pendingChange = null; changeEffectiveMonth = -1; break;
        }
      }
    }

    if (customerRowDue) {
      files.customers[m].row(csvLine([
        p.id,
        customerName(seed, p.index, p.cls, district.name),
        mobileNumber(seed, p.index),
        address(seed, p.index, district.name, rural),
        p.cls, district.name, tariff, p.voltageKv, p.capacityKva,
        contractType, contractEndDay === null ? '' : dayText(contractEndDay),
        greenPlan, p.preferredChannel, dayText(p.openedDay), closedDay === null ? '' : dayText(closedDay),
      ]));
    }

    outageRecent *= 0.6;
    serviceBad *= 0.7;
    billShock *= 0.5;
    grievance *= 0.92;
  }
  tally.customerEnd(p, closedDay === null, tariff, greenPlan);
}

function shapeShareOut(shape: Float64Array, mask: Uint8Array): number {
  let s = 0;
  for (let h = 0; h < 24; h++) if (mask[h]) s += shape[h];
  return Math.min(0.999, s);
}

/** Per-customer hourly shapes (sum 1): class shape, evening-peak shift, TOU load shifting. */
function customerShapes(p: CustomerProfile): { workday: Float64Array; weekend: Float64Array } {
  const pick = (weekend: boolean): readonly number[] => {
    switch (p.cls) {
      case 'residential': return weekend ? HOURLY_SHAPES.residential_weekend : HOURLY_SHAPES.residential_workday;
      case 'commercial': return weekend ? HOURLY_SHAPES.commercial_weekend : HOURLY_SHAPES.commercial_workday;
      case 'large_industrial': return p.threeShift ? HOURLY_SHAPES.industrial_three_shift : HOURLY_SHAPES.industrial_two_shift;
      case 'agricultural': return HOURLY_SHAPES.agricultural;
    }
  };
  const build = (weekend: boolean): Float64Array => {
    const base = pick(weekend);
    const s = new Float64Array(24);
    for (let h = 0; h < 24; h++) s[h] = base[(h - p.peakShift + 24) % 24];
    if (p.tariff === 'tou' && p.touShift > 0) {
      // Move a share of peak-hour load into the valley hours, evenly.
      let moved = 0;
      for (let h = 0; h < 24; h++) if (TOU_INDEX_BY_HOUR[h] === 0) { moved += s[h] * p.touShift; s[h] *= 1 - p.touShift; }
      for (let h = 0; h < 8; h++) s[h] += moved / 8;
    }
    const total = s.reduce((a, b) => a + b, 0);
    for (let h = 0; h < 24; h++) s[h] /= total;
    return s;
  };
  return { workday: build(false), weekend: build(true) };
}

function daytimeSeconds(rng: Rng): number {
  // Contacts cluster in the working day and the evening.
  return Math.floor((7.5 + 14.5 * Math.pow(rng.next(), 1.1)) * 3600);
}

export function dayText(day: number): string {
  const { year, month, day: d } = fromDayNumber(day);
  return `${year}-${month < 10 ? '0' : ''}${month}-${d < 10 ? '0' : ''}${d}`;
}

function label(world: World, day: number): string {
  return world.dayLabels[day - world.firstDay];
}

export function monthOffsetOfDay(world: World, day: number): number {
  const { year, month } = fromDayNumber(day);
  const first = world.months[0].ym;
  return (year - first.year) * 12 + month - first.month;
}

interface TicketOutcome {
  breached: boolean;
  satisfaction: number | null;
}

function writeTicket(ctx: SimulationContext, p: CustomerProfile, rng: Rng, month: MonthInfo, plan: TicketPlan, seq: number, incidentMonth: boolean, pending: PendingRow[]): TicketOutcome {
  const { world, tally } = ctx;
  const type = plan.type;
  const channel = type === 'outage' ? (rng.chance(0.7) ? 'hotline' : rng.chance(0.5) ? 'app' : 'wechat')
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
  const ticketId = `GD${month.compact}${p.id}${String(seq).padStart(2, '0')}`;
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

function clampScore(x: number): number {
  return Math.min(5, Math.max(1, Math.round(x)));
}

interface Experience {
  outageRecent: number;
  serviceBad: number;
  billShock: number;
  tou: boolean;
}

function writeSurvey(ctx: SimulationContext, p: CustomerProfile, rng: Rng, wave: string, day: number, x: Experience): void {
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
  ctx.files.surveys.get(wave)!.row(csvLine([`SV${wave.replace('-', '')}${p.id}`, p.id, dayText(day), wave, channel, nps, overall, ...r, comment]));
  ctx.tally.survey(p, wave, overall, r[0], nps);
}

interface OfferState {
  tariff: string;
  greenPlan: boolean;
  contractType: string;
  contractEndDay: number | null;
}

/** Offer a campaign if the customer is eligible and selected; true when they adopt the offered thing. */
function offerCampaign(ctx: SimulationContext, p: CustomerProfile, rng: Rng, c: CampaignDefinition, s: OfferState): boolean {
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
    `${c.id}-${p.id}`, c.id, c.name, c.offerType, p.id, dayText(sent), channel, holdout,
    respondedDay === null ? '' : dayText(respondedDay), holdout || respondedDay !== null ? accepted : false,
  ]));
  ctx.tally.contact(c, p, holdout, accepted, respondedDay !== null, pTreated - pHoldout);
  return accepted;
}
