// One customer's life over the run, month by month: consumption, bills and
// payments, service-desk contacts, survey answers, campaign offers, attribute
// changes and churn. Everything the customer experiences (outages, slow
// complaint handling, bill shocks) is carried in a few local variables and
// shapes what they do next, so the data's cause and effect are real.
//
// The customer is simulated alone, start to end, writing each row to the file
// of the month it belongs to: memory does not grow with the number of customers.

import { billAmount, residentialTier, TOU_INDEX_BY_HOUR, type TouSplit } from '../domain/tariffs.ts';
import { formatDay, QUARTER_HOUR_LABELS } from './calendar.ts';
import { offerCampaign } from './campaign-offers.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { customerShapes, shapeShareOut } from './load-shapes.ts';
import { csvLine, formatFen, formatMilli } from './output.ts';
import { address, customerName, mobileNumber } from './people.ts';
import { Rng, unitHash } from './random.ts';
import { plantedMilli, planUsageAnomaly } from './usage-anomalies.ts';
import { planHighBill, type HighBillPlan } from './high-bills.ts';
import { daytimeSeconds, monthOffsetOfDay, type PendingRow, type SimulationContext } from './simulation-context.ts';
import { writeSurvey } from './surveys.ts';
import { FOLLOW_UP, followUpCase, followUpEligible, followUpRng, isDetractorAnswer, plantFollowUp, type PlantedFollowUp } from './detractor-followup.ts';
import { TICKET_TYPE_CUM, TICKET_TYPES, writeTicket, type TicketPlan } from './tickets.ts';
import { CLASS_MODEL, DISTRICTS, dayKindFactors } from './utility-model.ts';
import type { OutageEvent, World } from './world.ts';

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
  // Planted abnormal usage (usage-anomalies.ts): rewrites readings only. The
  // customer's behaviour (bill shock, grievance, churn) follows the consumption
  // simulated without it, so nothing else of the run changes.
  const anomaly = ctx.plantUsageAnomalies ? planUsageAnomaly(seed, p, world) : null;
  let plantedFirst = -1;
  let plantedLast = -1;
  // Planted detractor follow-up (detractor-followup.ts): its own hash and Rng
  // streams; the customer's ticket openings (local seconds) state the truth.
  const followUpOk = ctx.plantDetractorFollowUp && followUpEligible(seed, p, world);
  let fRng: Rng | null = null;
  const followUps: PlantedFollowUp[] = [];
  const ticketOpenings: number[] = [];

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
  // Unplanted monthly bills (CNY, kWh), the last three: the usual bill a planted high bill is sized against (high-bills.ts).
  const lastBills: { amount: number; kwh: number }[] = [];
  const pending: PendingRow[] = [];
  let scheduledTickets: TicketPlan[] = [];
  let ticketSeq = 0;

  const openedBeforeRun = p.openedDay < world.firstDay;
  let kwhThisYear = openedBeforeRun ? (p.annualKwh * (world.months[0].ym.month - 1)) / 12 : 0;
  let naturalKwhThisYear = kwhThisYear;
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
    if (month.ym.month === 1) kwhThisYear = naturalKwhThisYear = 0;

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
    // Planted high bill (high-bills.ts): the last month, open all of it, no planted anomaly; draws no random numbers.
    const highBill = ctx.plantHighBills && m === world.months.length - 1 && activeFirst === month.firstDay && activeLast === month.lastDay
      ? plannedHighBill(ctx, p, month.firstDay, month.lastDay, baseDaily, shapes, kindFactor, seasonal, weatherSensitivity, tariff, kwhThisYear, lastBills)
      : null;
    const usageFile = files.usage[m];
    let totalMilli = 0;
    const tou: TouSplit = { peak: 0, shoulder: 0, valley: 0 };
    const touMilli = [0, 0, 0];
    // Without the planted anomaly (equal to the above when there is none).
    let naturalMilli = 0;
    const naturalTouMilli = [0, 0, 0];
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
      const plant = anomaly !== null && day >= anomaly.firstDay && day <= anomaly.lastDay ? anomaly : null;
      if (plant) {
        if (plantedFirst < 0) plantedFirst = day;
        plantedLast = day;
        // A stuck meter repeats the reading it had when it stuck.
        if (plant.type === 'flat' && plant.magnitude === 0) plant.magnitude = Math.max(0.001, Math.round(level / (stepsPerHour === 0 ? 1 : 24 * stepsPerHour) * 1000) / 1000);
      }
      if (stepsPerHour === 0) {
        const kwh = level * (1 - outageHours / 24);
        const natural = Math.round(kwh * 1000);
        // A planted high bill adds the same load every day (high-bills.ts), except in outage hours.
        const milli = plant ? plantedMilli(plant, natural, 0, 1, 0) : highBill ? natural + Math.round(highBill.dailyKwh * (1 - outageHours / 24) * 1000) : natural;
        totalMilli += milli;
        naturalMilli += natural;
        for (let h = 0; h < 24; h++) {
          if (outageMask[h]) continue;
          const out = 1 - shapeShareOut(shape, outageMask);
          touMilli[TOU_INDEX_BY_HOUR[h]] += milli * shape[h] / out;
          naturalTouMilli[TOU_INDEX_BY_HOUR[h]] += natural * shape[h] / out;
        }
        usageFile.row(rowPrefix + dayLabel + '00:00' + rowInterval + formatMilli(milli) + (rng.next() < 0.003 ? ',estimated\n' : ',\n'));
      } else {
        const busiest = plant ? level * Math.max(...shape) : 0;
        for (let h = 0; h < 24; h++) {
          const hourKwh = outageMask[h] ? 0 : level * shape[h];
          const t = TOU_INDEX_BY_HOUR[h];
          for (let s = 0; s < stepsPerHour; s++) {
            const natural = hourKwh === 0 ? 0 : Math.round((hourKwh / stepsPerHour) * (1 + noiseAmp * (rng.next() - 0.5)) * 1000);
            const milli = plant ? plantedMilli(plant, natural, h, 24 * stepsPerHour, busiest) : highBill ? Math.round(natural * highBill.factors[t]) : natural;
            totalMilli += milli;
            touMilli[t] += milli;
            naturalMilli += natural;
            naturalTouMilli[t] += natural;
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
    const sameAsNatural = naturalMilli === totalMilli && naturalKwhThisYear === kwhThisYear;
    kwhThisYear += kwh;
    const fen = Math.round(amount * 100);
    // The bill the customer would have had without a planted anomaly: what
    // their reactions (bill shock) are simulated from.
    const naturalFen = sameAsNatural ? fen : Math.round(billAmount({
      customerClass: p.cls, tariff, kwh: naturalMilli / 1000,
      tou: { peak: naturalTouMilli[0] / 1000, shoulder: naturalTouMilli[1] / 1000, valley: naturalTouMilli[2] / 1000 },
      kwhBeforeThisYear: naturalKwhThisYear, capacityKva: p.capacityKva, monthFraction: (activeLast - activeFirst + 1) / month.days,
    }) * 100);
    const tierBefore = residentialTier(naturalKwhThisYear);
    naturalKwhThisYear += naturalMilli / 1000;
    const billId = month.compact + p.id;
    const issued = activeLast;
    const due = issued + 15;
    const late = rng.next() < [0.012, 0.35, 0.5][p.payer];
    const unpaid = rng.next() < [0.0008, 0.03, 0.3][p.payer];
    const paidDay = unpaid ? null : late ? due + rng.between(1, 40) : issued + rng.between(1, 15);
    const billFields = (paid: boolean): string =>
      csvLine([billId, p.id, label(world, activeFirst), label(world, activeLast), formatMilli(totalMilli), formatFen(fen), label(world, issued), formatDay(due),
        paid && paidDay !== null ? formatDay(paidDay) : '', paid && paidDay !== null ? formatFen(fen) : '']);
    files.billing[m].row(billFields(false));
    if (paidDay !== null && paidDay <= world.lastDay) pending.push({ monthOffset: monthOffsetOfDay(world, paidDay), file: 'billing', line: billFields(true) });
    tally.bill(p, m, fen, late && paidDay !== null && paidDay <= world.lastDay, due < world.lastDay && (paidDay === null || paidDay > world.lastDay));
    if (m + 1 < world.months.length && rng.next() < 0.003) {
      // Credit note (退补): a correction issued on the 10th of the next month, applied at once.
      const next = world.months[m + 1];
      const credit = -Math.max(1, Math.round(fen * (0.05 + 0.25 * rng.next())));
      const day = formatDay(next.firstDay + 9);
      pending.push({ monthOffset: m + 1, file: 'billing', line: csvLine([billId + 'CR', p.id, label(world, activeFirst), label(world, activeLast), '0.000', formatFen(credit), day, day, day, formatFen(credit)]) });
      tally.creditNote();
    }
    // Bill shock: well above the customer's recent bills (summer + a tier jump, typically).
    const avg = recentBills.length >= 3 ? recentBills.reduce((a, b) => a + b, 0) / recentBills.length : 0;
    const shocked = avg > 0 && naturalFen > 1.5 * avg && naturalFen > 10_000;
    if (shocked) {
      billShock = 1;
      grievance += 0.5;
      tally.billShock(p, m, p.cls === 'residential' && residentialTier(naturalKwhThisYear) > tierBefore);
    }
    recentBills.push(naturalFen);
    if (recentBills.length > 6) recentBills.shift();
    if (highBill) tally.highBill(p, month.label, tariff, highBill, { amount: fen / 100, kwh }, tierBefore, residentialTier(kwhThisYear));
    lastBills.push({ amount: naturalFen / 100, kwh: naturalMilli / 1000 });
    if (lastBills.length > 3) lastBills.shift();

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
      if (followUpOk) ticketOpenings.push(plan.day * 86_400 + plan.secondsOfDay);
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
    // A planted detractor of the previous wave is re-surveyed in this one, from
    // the follow-up stream when the main stream would not have drawn them.
    const resurvey = wave ? followUps.find((f) => f.nextWave === wave.label) : undefined;
    const drawn = wave !== undefined && rng.next() < ctx.surveyRate;
    if (wave && (drawn || resurvey)) {
      const r = drawn ? rng : (fRng ??= followUpRng(seed, p));
      const first = Math.max(wave.firstDay, activeFirst);
      const last = Math.min(wave.lastDay, activeLast);
      if (first <= last) {
        const answer = writeSurvey(ctx, p, r, wave.label, first + r.int(last - first + 1), { outageRecent, serviceBad, billShock, tou: tariff === 'tou' },
          resurvey?.called ? FOLLOW_UP.lift : null);
        if (resurvey) resurvey.next = answer;
        if (!drawn) tally.resurvey(wave.label);
        const waveIndex = world.waves.indexOf(wave);
        const plant = followUpOk && waveIndex + 1 < world.waves.length && isDetractorAnswer(answer) ? plantFollowUp(seed, p, waveIndex) : null;
        if (plant) {
          const c: PlantedFollowUp = { wave: wave.label, nextWave: world.waves[waveIndex + 1].label, responseDay: answer.day, called: false, callAt: null, next: null };
          if (plant.called) {
            const fr = (fRng ??= followUpRng(seed, p));
            const day = answer.day + fr.int(FOLLOW_UP.maxDelayDays + 1);
            const secondsOfDay = daytimeSeconds(fr);
            if (day <= world.lastDay) {
              writeTicket(ctx, p, fr, world.months[monthOffsetOfDay(world, day)],
                { type: FOLLOW_UP.type, day, secondsOfDay, category: FOLLOW_UP.category, channel: FOLLOW_UP.channel, idSuffix: 'FU' }, 0, false, pending);
              c.called = true;
              c.callAt = day * 86_400 + secondsOfDay;
              ticketOpenings.push(c.callAt);
            }
          }
          followUps.push(c);
        }
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
        contractType, contractEndDay === null ? '' : formatDay(contractEndDay),
        greenPlan, p.preferredChannel, formatDay(p.openedDay), closedDay === null ? '' : formatDay(closedDay),
      ]));
    }

    outageRecent *= 0.6;
    serviceBad *= 0.7;
    billShock *= 0.5;
    grievance *= 0.92;
  }
  tally.customerEnd(p, closedDay === null, tariff, greenPlan);
  if (anomaly && plantedFirst >= 0) tally.usageAnomaly(p, anomaly.type, plantedFirst, plantedLast, anomaly.magnitude);
  for (const c of followUps) tally.followUp(followUpCase(p.id, c, ticketOpenings, formatDay));
}

/**
 * The high bill planted in this month, if any (high-bills.ts): the month's
 * expected kWh and TOU shares from the customer's own level, season, day
 * kinds and weather (no noise), for sizing the rise.
 */
function plannedHighBill(ctx: SimulationContext, p: CustomerProfile, first: number, last: number, baseDaily: number,
                         shapes: { workday: Float64Array; weekend: Float64Array }, kindFactor: ArrayLike<number>,
                         seasonal: ArrayLike<number>, weatherSensitivity: number, tariff: CustomerProfile['tariff'],
                         kwhThisYear: number, lastBills: readonly { amount: number; kwh: number }[]): HighBillPlan | null {
  const { world, seed } = ctx;
  if (p.openedDay > world.lastDay - 150) return null;
  if (p.vacancy !== null && p.vacancy[0] + p.vacancy[1] > world.months.length - 4) return null;
  if (planUsageAnomaly(seed, p, world) !== null) return null;
  let expected = 0;
  const shares = [0, 0, 0];
  for (let day = first; day <= last; day++) {
    const d = day - world.firstDay;
    const kind = world.dayKinds[d];
    let level = baseDaily * seasonal[d] * kindFactor[kind] * Math.max(0.5, 1 + weatherSensitivity * world.weather[p.district][d]);
    if (world.sfRamp[d] > 0 && (p.cls === 'large_industrial' || p.cls === 'commercial')) level *= 0.5 + 0.05 * world.sfRamp[d];
    expected += level;
    const shape = kind === 0 ? shapes.workday : shapes.weekend;
    for (let h = 0; h < 24; h++) shares[TOU_INDEX_BY_HOUR[h]] += level * shape[h];
  }
  const total = shares[0] + shares[1] + shares[2];
  return planHighBill({
    seed, index: p.index, cls: p.cls, tariff, intervalMinutes: p.intervalMinutes, capacityKva: p.capacityKva,
    expectedKwh: expected, days: last - first + 1, expectedShares: total > 0 ? [shares[0] / total, shares[1] / total, shares[2] / total] : [0, 1, 0],
    kwhBeforeThisYear: kwhThisYear, lastBills,
  });
}

function label(world: World, day: number): string {
  return world.dayLabels[day - world.firstDay];
}
