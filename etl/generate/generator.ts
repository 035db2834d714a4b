// The demo utility generator: writes the six entities of the data contract for
// N customers over M months, plus truth.json with what was planted.
// Deterministic per (options): the same options give byte-identical files.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CustomerClass } from '../domain/tariffs.ts';
import { formatDay, formatLocalTimestamp, formatYearMonth, type YearMonth } from './calendar.ts';
import { buildProfile, classOf, type ProfileOptions } from './customer-profile.ts';
import { FOLLOW_UP } from './detractor-followup.ts';
import { actionsCsv, actionsTruth, planImprovementActions } from './improvement-actions.ts';
import { DefectInjector, HEADERS, type EntityName } from './dirty.ts';
import { csvLine, OutputFile } from './output.ts';
import { TICKET_CATEGORIES } from './people.ts';
import { Rng } from './random.ts';
import { simulateCustomer } from './simulate-customer.ts';
import type { MonthFiles, SimulationContext } from './simulation-context.ts';
import { round, Tally } from './tally.ts';
import { CLASS_MODEL, CUSTOMER_CLASSES, DISTRICTS, monthlySeasonalFactors } from './utility-model.ts';
import { buildWorld, type World } from './world.ts';

export interface GenerateOptions {
  customers: number;
  months: number;
  seed: number;
  out: string;
  end: YearMonth;
  dirty: boolean;
  /** Read interval per class in minutes. */
  intervals: Record<CustomerClass, 15 | 30 | 60 | 1440>;
  /** Share of active customers answering each quarterly survey wave. */
  surveyRate: number;
  /** Plant abnormal usage (usage-anomalies.ts); default true. Off only to test that planting changes nothing else. */
  plantUsageAnomalies?: boolean;
  /** Plant high bills (high-bills.ts); default true. Off only to test that planting changes nothing else. */
  plantHighBills?: boolean;
  /** Plant the detractor follow-up (detractor-followup.ts); default true. Off only to test that planting changes nothing else. */
  plantDetractorFollowUp?: boolean;
  /** Plant improvement actions and their register actions/actions.csv (improvement-actions.ts); default true. */
  plantImprovementActions?: boolean;
  /** Called every few thousand customers (for a progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_INTERVALS: Record<CustomerClass, 15 | 30 | 60 | 1440> = Object.fromEntries(
  CUSTOMER_CLASSES.map((c) => [c, CLASS_MODEL[c].defaultIntervalMinutes]),
) as Record<CustomerClass, 15 | 30 | 60 | 1440>;

export interface GenerateResult {
  files: { file: string; entity: string; rows: number; encoding: string }[];
  rows: Record<EntityName, number>;
  truthPath: string;
  seconds: number;
}

export function generateUtility(options: GenerateOptions): GenerateResult {
  const started = performance.now();
  const world = buildWorld(options.seed, options.end, options.months);
  const tally = new Tally(options.months);
  const all: OutputFile[] = [];
  let fileNumber = 0;
  // In a dirty run one monthly customers file comes as a GBK export (as from a
  // Windows CIS client): valid per the contract, but it must be detected.
  const gbkMonth = options.dirty ? Math.floor(options.months / 2) : -1;
  const open = (entity: EntityName, relative: string, encoding: 'utf-8' | 'gbk' = 'utf-8'): OutputFile => {
    const f = new OutputFile(options.out, relative, entity, HEADERS[entity], encoding);
    fileNumber++;
    if (options.dirty) f.defects = new DefectInjector(options.seed, fileNumber, entity);
    all.push(f);
    return f;
  };
  mkdirSync(options.out, { recursive: true });
  const files: MonthFiles = {
    customers: world.months.map((m) => open('customers', `customers/customers_${m.label}.csv`, m.offset === gbkMonth ? 'gbk' : 'utf-8')),
    usage: world.months.map((m) => open('usage', `usage/usage_${m.label}.csv`)),
    billing: world.months.map((m) => open('billing', `billing/billing_${m.label}.csv`)),
    tickets: world.months.map((m) => open('tickets', `tickets/tickets_${m.label}.csv`)),
    surveys: new Map(world.waves.map((w) => [w.label, open('surveys', `surveys/survey_${w.label}.csv`)])),
    campaigns: new Map(world.campaigns.map((c) => [c.id, open('campaigns', `campaigns/campaign_${c.id}.csv`)])),
  };

  const ctx: SimulationContext = { seed: options.seed, world, files, tally, surveyRate: options.surveyRate, plantUsageAnomalies: options.plantUsageAnomalies ?? true, plantHighBills: options.plantHighBills ?? true, plantDetractorFollowUp: options.plantDetractorFollowUp ?? true, actions: (options.plantImprovementActions ?? true) ? planImprovementActions(world) : null };
  const profileOptions: ProfileOptions = { intervals: options.intervals, newShare: Math.min(0.5, 0.025 * (options.months / 12)) };
  const ordinals: Record<CustomerClass, number> = { large_industrial: 0, commercial: 0, residential: 0, agricultural: 0 };
  for (let i = 0; i < options.customers; i++) {
    const cls = classOf(options.seed, i);
    const profile = buildProfile(options.seed, i, ordinals[cls]++, world, profileOptions);
    simulateCustomer(ctx, profile);
    if (options.onProgress && (i + 1) % 2000 === 0 && i + 1 < options.customers) options.onProgress(i + 1, options.customers);
  }
  writeAnonymousTickets(ctx, options.customers);
  writeAnonymousSurveys(ctx);
  for (const f of all) f.close();
  // The register is our own addition to the contract (README): not a contract entity, so not in `all`.
  if (ctx.actions) {
    mkdirSync(join(options.out, 'actions'), { recursive: true });
    writeFileSync(join(options.out, 'actions', 'actions.csv'), actionsCsv(ctx.actions));
  }
  options.onProgress?.(options.customers, options.customers);

  const rows = { customers: 0, usage: 0, billing: 0, surveys: 0, tickets: 0, campaigns: 0 } as Record<EntityName, number>;
  for (const f of all) rows[f.stats.entity as EntityName] += f.stats.rows;
  const truthPath = join(options.out, 'truth.json');
  const truth = buildTruth(options, world, tally, all, rows) as { planted: Record<string, unknown> };
  truth.planted.improvement_actions = actionsTruth(ctx.actions ?? null);
  writeFileSync(truthPath, JSON.stringify(truth, null, 2) + '\n');
  return { files: all.map((f) => ({ ...f.stats })), rows, truthPath, seconds: (performance.now() - started) / 1000 };
}

/** Walk-in and unidentified contacts: tickets without a customer. */
function writeAnonymousTickets(ctx: SimulationContext, customers: number): void {
  const { world, files, seed } = ctx;
  for (const m of world.months) {
    const rng = new Rng(seed, 300, m.offset);
    const count = rng.poisson(customers * 0.002);
    for (let k = 0; k < count; k++) {
      const day = m.firstDay + rng.int(m.days);
      const type = rng.chance(0.7) ? 'inquiry' : rng.chance(0.6) ? 'suggestion' : 'complaint';
      const opened = 8 * 3600 + rng.int(10 * 3600);
      const first = opened + 60 * rng.between(1, type === 'complaint' ? 600 : 30);
      const resolved = first + (type === 'inquiry' ? 0 : 60 * rng.between(30, 2000));
      const monthEnd = (m.lastDay - day + 1) * 86_400;
      const known = resolved < monthEnd;
      files.tickets[m.offset].row(csvLine([
        `GDA${m.compact}${String(k + 1).padStart(6, '0')}`, '', formatLocalTimestamp(day, opened), rng.chance(0.6) ? 'counter' : 'hotline', type,
        rng.pick(TICKET_CATEGORIES[type]), first < monthEnd ? formatLocalTimestamp(day, first) : '', known ? formatLocalTimestamp(day, resolved) : '', '',
      ]));
      ctx.tally.ticketsByType[type] = (ctx.tally.ticketsByType[type] ?? 0) + 1;
    }
  }
}

/** Anonymous responses from open web/app links: about a tenth of each wave. */
function writeAnonymousSurveys(ctx: SimulationContext): void {
  const { world, files, seed } = ctx;
  world.waves.forEach((w, k) => {
    const rng = new Rng(seed, 301, k);
    // Sized on the natural named responses: the planted re-surveys (detractor-followup.ts) add none.
    const count = Math.round(((ctx.tally.surveyResponses[w.label] ?? 0) - (ctx.tally.resurveys[w.label] ?? 0)) / 9);
    const score = (mean: number): number => Math.min(5, Math.max(1, Math.round(mean + 0.8 * rng.normal())));
    for (let r = 0; r < count; r++) {
      const latent = 3.9 + 0.5 * rng.normal();
      files.surveys.get(w.label)!.row(csvLine([
        `SVA${w.label.replace('-', '')}${String(r + 1).padStart(6, '0')}`, '', formatDay(w.firstDay + rng.int(w.lastDay - w.firstDay + 1)), w.label,
        rng.chance(0.5) ? 'web' : 'app', Math.min(10, Math.max(0, Math.round(6 + 2.2 * (latent - 3) + 1.2 * rng.normal()))),
        score(latent), score(latent + 0.2), score(latent), score(latent - 0.4), score(latent + 0.1), score(latent), '',
      ]));
    }
    ctx.tally.surveyResponses[w.label] = (ctx.tally.surveyResponses[w.label] ?? 0) + count;
  });
}

function buildTruth(options: GenerateOptions, world: World, tally: Tally, all: OutputFile[], rows: Record<EntityName, number>): object {
  const totalAccounts = CUSTOMER_CLASSES.reduce((s, c) => s + tally.accounts[c], 0);
  const totalKwh = CUSTOMER_CLASSES.reduce((s, c) => s + tally.kwh[c], 0);
  const incident = world.incident;
  let incidentFacts: object | null = null;
  if (incident) {
    const m = incident.monthOffset;
    const others = tally.outageTickets.filter((_, k) => k !== incident.district).map((perMonth) => perMonth[m]);
    incidentFacts = {
      description: `A reliability problem in ${DISTRICTS[incident.district].name} during ${world.months[m].label}: ten feeder outages hitting 30–50% of the district's customers for 3–9 hours each, with overloaded crews (slower outage responses). The district's outage tickets that month are several times any other district's; in survey wave ${incident.waveAfter} its mean reliability score and its NPS fall below every other district's and below its own wave ${incident.waveBefore}.`,
      district: DISTRICTS[incident.district].name,
      month: world.months[m].label,
      outage_events: world.outages[incident.district][m].length,
      outage_tickets_in_district_that_month: tally.outageTickets[incident.district][m],
      max_outage_tickets_other_districts_that_month: Math.max(...others),
      wave_before: incident.waveBefore,
      wave_after: incident.waveAfter,
    };
  }
  const perFile = all.map((f) => ({
    file: f.stats.file,
    entity: f.stats.entity,
    encoding: f.stats.encoding,
    rows: f.stats.rows,
    defects: f.defects ? { ...f.defects.counts } : {},
  }));
  const defectTotals: Record<string, number> = {};
  for (const f of perFile) for (const [k, v] of Object.entries(f.defects)) defectTotals[k] = (defectTotals[k] ?? 0) + (v as number);
  return {
    generator: 'gridlens demo utility v1',
    options: {
      customers: options.customers,
      months: options.months,
      seed: options.seed,
      end: formatYearMonth(options.end),
      dirty: options.dirty,
      intervals: options.intervals,
      survey_rate: options.surveyRate,
    },
    period: { first_month: world.months[0].label, last_month: world.months[world.months.length - 1].label, data_as_of: formatDay(world.lastDay) },
    districts: DISTRICTS.map((d) => ({ name: d.name, kind: d.kind })),
    segments: Object.fromEntries(CUSTOMER_CLASSES.map((c) => [c, {
      accounts: tally.accounts[c],
      account_share: round(tally.accounts[c] / totalAccounts, 4),
      kwh: round(tally.kwh[c], 3),
      kwh_share: round(tally.kwh[c] / totalKwh, 4),
      active_at_start: tally.activeAtStart[c],
      opened_during_run: tally.opened[c],
      closed_during_run: tally.closedCount[c],
      active_at_end: tally.activeAtEnd[c],
      tou_kwh: { peak: round(tally.touKwh[c].peak, 3), shoulder: round(tally.touKwh[c].shoulder, 3), valley: round(tally.touKwh[c].valley, 3) },
    }])),
    monthly: world.months.map((m) => ({ month: m.label, kwh: round(tally.kwhByMonth[m.offset], 3), billed_amount: round(tally.revenueFenByMonth[m.offset] / 100, 2) })),
    billing: { bills: tally.bills, paid_late: tally.lateBills, overdue_unpaid_at_as_of: tally.overdueUnpaidBills, credit_notes: tally.creditNotes, bill_shocks: tally.billShocks, bill_shocks_with_tier_jump: tally.billShocksWithTierJump },
    tickets: { by_type: tally.ticketsByType, first_response_sla_breaches: tally.slaBreaches },
    surveys: { waves: world.waves.map((w) => w.label), responses_by_wave: tally.surveyResponses },
    planted: {
      reliability_incident: incidentFacts,
      campaigns: tally.campaignSummaries(),
      seasonal_usage: {
        description: 'The seasonal structure of consumption (etl/generate/utility-model.ts): each class\'s daily seasonal factor (cooling, heating and irrigation bumps; the year averages 1) averaged over each calendar month, January first. A customer\'s expected daily kWh is its own level × this factor × its day-kind factor (weekend, holiday, Spring Festival) × a weather anomaly (AR(1), mean 0) × noise; the class totals also grow and shrink with accounts opened and closed.',
        monthly_factor_by_class: Object.fromEntries(CUSTOMER_CLASSES.map((c) => [c, monthlySeasonalFactors(CLASS_MODEL[c]).map((f) => round(f, 4))])),
      },
      usage_anomalies: {
        description: 'Abnormal usage planted in the readings of the last 30 days: spike (every reading of the days × magnitude), zero (a meter reading 0), flat (a stuck meter repeating one reading, magnitude kWh per reading), night_load (added load in the hours 00–05 of a business, magnitude × the day\'s busiest hour, per hour). Days are the first and last planted day, inclusive (a customer closing meanwhile ends it early).',
        cases: tally.usageAnomalies.map((a) => ({ ...a, first_day: formatDay(a.first_day), last_day: formatDay(a.last_day) })),
      },
      high_bills: {
        description: 'High bills planted in the last month (etl/generate/high-bills.ts): tier_jump (a residential tiered account with a daily meter whose every daily read gets the same added kWh, (factor − 1) × the month\'s expected daily kWh, carrying its year\'s kWh across a tier boundary) and peak_shift (a TOU business whose peak-hour readings × factors[0] and other readings × factors[1]), sized to target × the usual bill (median of the last three). billed_* is the planted month\'s bill, usual_* the usual one, expected_driver the larger part of the difference (etl/domain/high-bill.ts decompose).',
        cases: tally.highBills,
      },
      detractor_followup: {
        description: 'Detractor follow-up planted (etl/generate/detractor-followup.ts): of the detractor responses (NPS 0–6 or reliability/service/price ≤ 2) of customers outside the incident district and without planted abnormal usage, a hashed share is planted; the service desk calls back a hashed half of them (a hotline service_request, category 满意度回访, 0–10 days after the response day) and every planted customer is re-surveyed in the next wave, where the called ones answer NPS + lift.nps (capped at 10) and service + lift.service (capped at 5). contacted / hours_to_contact follow the mart rule: the first ticket of the customer opened within window_days from the start of the response day (the planted call or the customer\'s own ticket).',
        lift: FOLLOW_UP.lift,
        window_days: FOLLOW_UP.windowDays,
        cases: tally.followUps,
      },
    },
    files: perFile,
    rows,
    dirty: options.dirty ? {
      description: 'Defect rows added next to clean rows. Every code except duplicate_key is a rejection reason; duplicate_key rows are exact repeats of a key within the file (superseded).',
      totals: defectTotals,
      gbk_files: perFile.filter((f) => f.encoding === 'gbk').map((f) => f.file),
    } : null,
  };
}
