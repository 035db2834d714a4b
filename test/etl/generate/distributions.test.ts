// The demo utility looks like the one docs/demo-data.md describes: class mix,
// load shapes, seasons, holidays, tariffs, bills consistent with the meter data,
// payment behaviour, surveys, service desk and campaigns. Every figure here is
// recomputed from the CSV files; the tariff rules are re-implemented from the
// documented price list, not imported from the generator.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeFile, entityFiles, generatedInbox, loadCustomers, readTruth, scanEntity } from '../../helpers/generated.ts';
import { MAIN_FIXTURE } from './fixtures.ts';

type Row = Record<string, any>;
const CLASSES = ['large_industrial', 'commercial', 'residential', 'agricultural'] as const;

let dir: string;
let truth: any;
let customers: Map<string, Row>;
/** customer → list of [file month, tariff] in file order (attribute history). */
const tariffHistory = new Map<string, [string, string][]>();
const kwhByClass: Record<string, number> = {};
const intervalsByClass: Record<string, Set<number>> = {};
/** usage per customer per YYYY-MM: total milli-kWh and energy charge by hour under TOU prices. */
const usageMilli = new Map<string, number>();
const touEnergy = new Map<string, { com: number; li: number }>();
const commercialHour = { workday: new Float64Array(24), weekendSum: 0, workdaySum: 0, weekendDays: 0, workdayDays: 0 };
const valleyShare = { tou: [0, 0], flat: [0, 0] };
const residentialMonthly = new Map<string, number>();
const industrialDaily = new Map<string, number>();
const bills = new Map<string, Row>();
let surveys: Row[] = [];
let tickets: Row[] = [];
let contacts: Row[] = [];

const TOU_PRICE = {
  commercial: { peak: 1.0145, shoulder: 0.6418, valley: 0.3021 },
  large_industrial: { peak: 0.9623, shoulder: 0.6135, valley: 0.2938 },
};
const period = (h: number): 'peak' | 'shoulder' | 'valley' => (h < 8 ? 'valley' : h < 12 || (h >= 17 && h < 21) ? 'peak' : 'shoulder');

function weekday(date: string): number {
  return new Date(date + 'T00:00:00Z').getUTCDay(); // 0 Sunday
}

beforeAll(() => {
  dir = generatedInbox(MAIN_FIXTURE);
  truth = readTruth(dir);
  customers = loadCustomers(dir);
  scanEntity(dir, 'customers', (row, file) => {
    const month = file.slice(-11, -4);
    const h = tariffHistory.get(row.customer_id) ?? [];
    h.push([month, row.tariff]);
    tariffHistory.set(row.customer_id, h);
  });
  // Usage: read the lines directly (the generator writes plain, unquoted usage rows).
  for (const file of entityFiles(dir, 'usage')) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const col = Object.fromEntries(lines[0].split(',').map((c, i) => [c, i]));
    for (let i = 1; i < lines.length; i++) {
      if (!lines[i]) continue;
      const f = lines[i].split(',');
      const id = f[col.customer_id];
      const ts = f[col.reading_start];
      const interval = Number(f[col.interval_minutes]);
      const milli = Math.round(Number(f[col.kwh]) * 1000);
      const c = customers.get(id)!;
      const cls = c.customer_class;
      kwhByClass[cls] = (kwhByClass[cls] ?? 0) + milli / 1000;
      (intervalsByClass[cls] ??= new Set()).add(interval);
      const month = ts.slice(0, 7);
      const key = id + '|' + month;
      usageMilli.set(key, (usageMilli.get(key) ?? 0) + milli);
      const hour = Number(ts.slice(11, 13));
      const date = ts.slice(0, 10);
      if (interval < 1440) {
        const e = touEnergy.get(key) ?? { com: 0, li: 0 };
        e.com += (milli / 1000) * TOU_PRICE.commercial[period(hour)];
        e.li += (milli / 1000) * TOU_PRICE.large_industrial[period(hour)];
        touEnergy.set(key, e);
      }
      if (cls === 'commercial') {
        const wd = weekday(date);
        const weekend = wd === 0 || wd === 6;
        if (!weekend) commercialHour.workday[hour] += milli;
        if (weekend) commercialHour.weekendSum += milli; else commercialHour.workdaySum += milli;
        const tariff = c.tariff === 'tou' ? 'tou' : 'flat';
        valleyShare[tariff][0] += hour < 8 ? milli : 0;
        valleyShare[tariff][1] += milli;
      }
      if (cls === 'residential') residentialMonthly.set(month, (residentialMonthly.get(month) ?? 0) + milli / 1000);
      if (cls === 'large_industrial') industrialDaily.set(date, (industrialDaily.get(date) ?? 0) + milli / 1000);
    }
  }
  // Workday/weekend day counts for commercial averages.
  for (const date of industrialDaily.keys()) {
    const wd = weekday(date);
    if (wd === 0 || wd === 6) commercialHour.weekendDays++;
    else commercialHour.workdayDays++;
  }
  scanEntity(dir, 'billing', (row) => bills.set(row.bill_id, row)); // later file wins
  scanEntity(dir, 'surveys', (row) => surveys.push(row));
  scanEntity(dir, 'tickets', (row) => tickets.push(row));
  scanEntity(dir, 'campaigns', (row) => contacts.push(row));
}, 300_000);

describe('demo utility: customers', () => {
  it('has the documented class mix of accounts (88 / 9 / 0.6 / 2.4 %)', () => {
    const counts: Record<string, number> = {};
    for (const c of customers.values()) counts[c.customer_class] = (counts[c.customer_class] ?? 0) + 1;
    const share = (k: string): number => counts[k] / customers.size;
    expect(share('residential')).toBeCloseTo(0.88, 2);
    expect(share('commercial')).toBeCloseTo(0.09, 2);
    expect(Math.abs(share('large_industrial') - 0.006)).toBeLessThan(0.002);
    expect(Math.abs(share('agricultural') - 0.024)).toBeLessThan(0.004);
  });

  it('has the documented kWh mix (residential 30 %, commercial 25 %, large industrial 40 %, agricultural 5 %) within 5 points', () => {
    const total = Object.values(kwhByClass).reduce((a, b) => a + b, 0);
    const target = { residential: 0.3, commercial: 0.25, large_industrial: 0.4, agricultural: 0.05 };
    for (const cls of CLASSES) expect(Math.abs(kwhByClass[cls] / total - target[cls]), cls).toBeLessThan(0.05);
  });

  it('spreads customers over 12 districts, with new and closed accounts during the run', () => {
    const regions = new Set([...customers.values()].map((c) => c.region));
    expect(regions.size).toBe(12);
    const first = truth.period.first_month + '-01';
    const opened = [...customers.values()].filter((c) => c.opened_on >= first).length;
    const closed = [...customers.values()].filter((c) => c.closed_on).length;
    expect(opened / customers.size).toBeGreaterThan(0.01);
    expect(closed / customers.size).toBeGreaterThan(0.005);
    expect(closed / customers.size).toBeLessThan(0.05);
  });

  it('uses 15-minute curves for large industrial, hourly for commercial, daily reads for the rest', () => {
    expect([...intervalsByClass.large_industrial]).toEqual([15]);
    expect([...intervalsByClass.commercial]).toEqual([60]);
    expect([...intervalsByClass.residential]).toEqual([1440]);
    expect([...intervalsByClass.agricultural]).toEqual([1440]);
  });
});

describe('demo utility: load shapes and calendar', () => {
  it('commercial load follows office hours on workdays and drops at weekends', () => {
    const h = commercialHour.workday;
    const office = (h[10] + h[11] + h[14] + h[15]) / 4;
    const night = (h[1] + h[2] + h[3] + h[4]) / 4;
    expect(office / night).toBeGreaterThan(3);
    const workdayAvg = commercialHour.workdaySum / commercialHour.workdayDays;
    const weekendAvg = commercialHour.weekendSum / commercialHour.weekendDays;
    expect(weekendAvg / workdayAvg).toBeLessThan(0.85);
  });

  it('residential consumption peaks in summer (cooling) and rises in winter (heating)', () => {
    const m = (k: string): number => residentialMonthly.get(k)! / Number(new Date(Date.UTC(Number(k.slice(0, 4)), Number(k.slice(5)), 0)).getUTCDate());
    expect((m('2026-07') + m('2026-08')) / (m('2026-04') + m('2026-05'))).toBeGreaterThan(1.25);
    expect(m('2026-01') / m('2026-04')).toBeGreaterThan(1.05);
  });

  it('large industrial load collapses in the Spring Festival week (2026-02-17) and recovers', () => {
    const avg = (from: string, to: string): number => {
      const v = [...industrialDaily].filter(([d]) => d >= from && d <= to).map(([, k]) => k);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const normal = avg('2026-01-05', '2026-01-30');
    expect(avg('2026-02-17', '2026-02-22') / normal).toBeLessThan(0.5);
    expect(avg('2026-03-09', '2026-03-27') / normal).toBeGreaterThan(0.85);
  });

  it('TOU commercial customers use a larger share of valley hours than flat-tariff ones', () => {
    const tou = valleyShare.tou[0] / valleyShare.tou[1];
    const flat = valleyShare.flat[0] / valleyShare.flat[1];
    expect(tou - flat).toBeGreaterThan(0.02);
  });
});

describe('demo utility: billing', () => {
  const tariffAt = (id: string, month: string): string => {
    let t = '';
    for (const [m, tariff] of tariffHistory.get(id)!) if (m <= month) t = tariff;
    return t;
  };

  it('bills exactly the metered kWh of the customer-month', () => {
    let checked = 0;
    for (const b of bills.values()) {
      if (b.amount < 0) continue;
      const key = b.customer_id + '|' + b.period_start.slice(0, 7);
      expect(Math.round(b.kwh * 1000), b.bill_id).toBe(usageMilli.get(key) ?? 0);
      checked++;
    }
    expect(checked).toBeGreaterThan(50_000);
  });

  it('prices residential bills on the annual tiers (2,760 / 4,800 kWh at 0.538 / 0.588 / 0.838)', () => {
    const tierCharge = (before: number, kwh: number): number => {
      const end = before + kwh;
      const part = (lo: number, hi: number): number => Math.max(0, Math.min(end, hi) - Math.max(before, lo));
      return part(0, 2760) * 0.538 + part(2760, 4800) * 0.588 + part(4800, Infinity) * 0.838;
    };
    const byCustomer = new Map<string, Row[]>();
    for (const b of bills.values()) {
      if (b.amount < 0 || !b.period_start.startsWith('2026')) continue;
      if (customers.get(b.customer_id)!.customer_class !== 'residential') continue;
      (byCustomer.get(b.customer_id) ?? byCustomer.set(b.customer_id, []).get(b.customer_id)!).push(b);
    }
    let checked = 0;
    let pastTier1 = 0;
    for (const list of byCustomer.values()) {
      list.sort((a, b) => (a.period_start < b.period_start ? -1 : 1));
      if (!list[0].period_start.startsWith('2026-01')) continue;
      let cum = 0;
      for (const b of list) {
        expect(b.amount, b.bill_id).toBeCloseTo(Math.round(tierCharge(cum, b.kwh) * 100) / 100, 2);
        cum += b.kwh;
        checked++;
      }
      if (cum > 2760) pastTier1++;
    }
    expect(checked).toBeGreaterThan(30_000);
    expect(pastTier1).toBeGreaterThan(100);
  });

  it('prices business bills on their flat or TOU tariff, plus the capacity charge for large industrial', () => {
    let flat = 0;
    let tou = 0;
    let industrial = 0;
    for (const b of bills.values()) {
      if (b.amount < 0) continue;
      const c = customers.get(b.customer_id)!;
      const month = b.period_start.slice(0, 7);
      const key = b.customer_id + '|' + month;
      if (c.customer_class === 'commercial') {
        if (tariffAt(b.customer_id, month) === 'flat') {
          expect(b.amount, b.bill_id).toBeCloseTo(Math.round(b.kwh * 0.6418 * 100) / 100, 2);
          flat++;
        } else {
          expect(Math.abs(b.amount - touEnergy.get(key)!.com), b.bill_id).toBeLessThan(0.02);
          tou++;
        }
      } else if (c.customer_class === 'large_industrial') {
        const days = Number(b.period_end.slice(8)) - Number(b.period_start.slice(8)) + 1;
        const monthDays = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();
        const capacity = c.capacity_kva * 25 * (days / monthDays);
        expect(Math.abs(b.amount - (touEnergy.get(key)!.li + capacity)), b.bill_id).toBeLessThan(0.02);
        industrial++;
      }
    }
    expect(flat).toBeGreaterThan(1000);
    expect(tou).toBeGreaterThan(1000);
    expect(industrial).toBeGreaterThan(300);
  });

  it('has about 3 % of bills paid late, some unpaid past due, and a few credit notes', () => {
    const asOf = truth.period.data_as_of;
    const due = [...bills.values()].filter((b) => b.amount > 0 && b.due_on < asOf);
    const late = due.filter((b) => b.paid_on && b.paid_on > b.due_on).length;
    const unpaid = due.filter((b) => !b.paid_on).length;
    expect(late / due.length).toBeGreaterThan(0.015);
    expect(late / due.length).toBeLessThan(0.05);
    expect(unpaid).toBeGreaterThan(0);
    expect(unpaid / due.length).toBeLessThan(0.02);
    const credits = [...bills.values()].filter((b) => b.amount < 0);
    expect(credits.length).toBeGreaterThan(20);
    expect(credits.every((b) => b.kwh === 0)).toBe(true);
  });
});

describe('demo utility: surveys, service desk and campaigns', () => {
  it('reaches the configured share of customers each quarterly wave, plus anonymous responses', () => {
    const waves = new Set(surveys.map((s) => s.wave));
    expect(waves.size).toBe(4);
    for (const w of waves) {
      const named = surveys.filter((s) => s.wave === w && s.customer_id).length;
      const anonymous = surveys.filter((s) => s.wave === w && !s.customer_id).length;
      expect(named / customers.size, w).toBeGreaterThan(MAIN_FIXTURE.surveyRate! * 0.8);
      expect(named / customers.size, w).toBeLessThan(MAIN_FIXTURE.surveyRate! * 1.2);
      expect(anonymous / named, w).toBeGreaterThan(0.05);
      expect(anonymous / named, w).toBeLessThan(0.2);
    }
    for (const item of ['overall', 'reliability', 'service', 'price', 'billing', 'communication']) {
      expect(new Set(surveys.map((s) => s[item]).filter((v) => v !== null)), item).toEqual(new Set([1, 2, 3, 4, 5]));
    }
    expect(new Set(surveys.map((s) => s.channel)).size).toBe(6);
    expect(surveys.some((s) => /1[3-9]\d{9}/.test(s.comment ?? ''))).toBe(true); // comments carry personal data
  });

  it('has every ticket channel and type, with realistic response times', () => {
    expect(new Set(tickets.map((t) => t.type)).size).toBe(6);
    expect(new Set(tickets.map((t) => t.channel)).size).toBe(7);
    const median = (v: number[]): number => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
    const minutes = (type: string): number[] =>
      tickets.filter((t) => t.type === type && t.first_response_at !== null).map((t) => (t.first_response_at - t.opened_at) / 60_000);
    expect(median(minutes('outage'))).toBeLessThan(45);
    expect(median(minutes('complaint'))).toBeLessThan(24 * 60);
    expect(median(minutes('complaint'))).toBeGreaterThan(30);
    const unresolved = tickets.filter((t) => t.resolved_at === null).length;
    expect(unresolved).toBeGreaterThan(0);
    expect(unresolved / tickets.length).toBeLessThan(0.05);
  });

  it('runs several offer types a year, each with a random holdout', () => {
    const byCampaign = new Map<string, Row[]>();
    for (const c of contacts) (byCampaign.get(c.campaign_id) ?? byCampaign.set(c.campaign_id, []).get(c.campaign_id)!).push(c);
    expect(new Set(contacts.map((c) => c.offer_type)).size).toBeGreaterThanOrEqual(5);
    for (const [id, rows] of byCampaign) {
      const holdout = rows.filter((r) => r.holdout).length / rows.length;
      if (rows.length >= 100) {
        expect(holdout, id).toBeGreaterThan(0.05);
        expect(holdout, id).toBeLessThan(0.3);
      }
      expect(rows.filter((r) => r.holdout).every((r) => r.responded_on === null), id).toBe(true);
    }
  });

  it('writes the GB18030-free default encoding (UTF-8) for a clean run', () => {
    for (const f of entityFiles(dir, 'customers')) expect(decodeFile(join(dir, f)).encoding).toBe('utf-8');
  });
});
