// Planted abnormal usage (etl/generate/usage-anomalies.ts): what truth.json
// states is in the readings, and planting changes nothing else the generator
// writes (its own random streams; only the planted customers' readings and
// the bills that sum them differ).

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateUtility } from '../../../etl/generate/generator.ts';
import { plantedMilli, type UsageAnomalyPlan } from '../../../etl/generate/usage-anomalies.ts';
import { Rng } from '../../../etl/generate/random.ts';
import { generatedInbox, readTruth, TMP, toGenerateOptions } from '../../helpers/generated.ts';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}

interface Case { customer_id: string; class: string; interval_minutes: number; type: string; first_day: string; last_day: string; magnitude: number }

/** Readings per customer → day → list of kWh (in file order), and hour-of-day kWh for interval meters. */
function readings(dir: string, ids: Set<string>): Map<string, Map<string, { kwh: number[]; hours: number[] }>> {
  const out = new Map<string, Map<string, { kwh: number[]; hours: number[] }>>();
  for (const f of readdirSync(join(dir, 'usage')).sort()) {
    for (const line of readFileSync(join(dir, 'usage', f), 'utf8').split('\n').slice(1)) {
      if (!line) continue;
      const [id, start, , kwh] = line.split(',');
      if (!ids.has(id)) continue;
      const day = start.slice(0, 10);
      let days = out.get(id);
      if (!days) out.set(id, (days = new Map()));
      let d = days.get(day);
      if (!d) days.set(day, (d = { kwh: [], hours: new Array(24).fill(0) }));
      d.kwh.push(Number(kwh));
      d.hours[Number(start.slice(11, 13))] += Number(kwh);
    }
  }
  return out;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

describe('planted abnormal usage', () => {
  it('changes only the planted customers\' readings and bills', () => {
    const options = { customers: 600, months: 3, seed: 11, end: '2026-10' };
    const withA = mkdtempSync(join(TMP, 'anomalies-on-'));
    const withoutA = mkdtempSync(join(TMP, 'anomalies-off-'));
    made.push(withA, withoutA);
    generateUtility(toGenerateOptions(options, withA));
    generateUtility({ ...toGenerateOptions(options, withoutA), plantUsageAnomalies: false });
    const cases: Case[] = readTruth(withA).planted.usage_anomalies.cases;
    expect(readTruth(withoutA).planted.usage_anomalies.cases).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(4);
    const planted = new Set(cases.map((c) => c.customer_id));
    expect(files(withA)).toEqual(files(withoutA));
    const changedCustomers = new Set<string>();
    for (const f of files(withA)) {
      if (f === 'truth.json') continue;
      const a = readFileSync(join(withA, f), 'utf8');
      const b = readFileSync(join(withoutA, f), 'utf8');
      if (a === b) continue;
      expect(f, 'only usage and billing files differ').toMatch(/^(usage|billing)\//);
      const la = a.split('\n');
      const lb = b.split('\n');
      expect(la.length, f).toBe(lb.length);
      for (let i = 0; i < la.length; i++) {
        if (la[i] === lb[i]) continue;
        const id = f.startsWith('usage/') ? la[i].split(',')[0] : la[i].split(',')[1];
        expect(planted.has(id), `${f}:${i + 1} belongs to a planted customer`).toBe(true);
        changedCustomers.add(id);
      }
    }
    expect([...changedCustomers].sort()).toEqual([...planted].sort());
  });

  it('is in the readings as truth.json states it', () => {
    const dir = generatedInbox({ customers: 2000, months: 4, seed: 1, end: '2026-10' });
    const truth = readTruth(dir);
    const cases: Case[] = truth.planted.usage_anomalies.cases;
    const byType = (t: string): Case[] => cases.filter((c) => c.type === t);
    for (const t of ['spike', 'zero', 'flat', 'night_load']) expect(byType(t).length, t).toBeGreaterThanOrEqual(5);
    expect(byType('night_load').every((c) => c.class === 'commercial' && c.interval_minutes < 1440)).toBe(true);
    const asOf = truth.period.data_as_of;
    const read = readings(dir, new Set(cases.map((c) => c.customer_id)));
    for (const c of cases) {
      expect(c.first_day <= c.last_day && c.last_day <= asOf, c.customer_id).toBe(true);
      const days = read.get(c.customer_id)!;
      const inside = [...days.entries()].filter(([d]) => d >= c.first_day && d <= c.last_day).map(([, v]) => v);
      const before = [...days.entries()].filter(([d]) => d < c.first_day).slice(-28).map(([, v]) => v);
      expect(inside.length, c.customer_id).toBe(Math.round((Date.parse(c.last_day) - Date.parse(c.first_day)) / 86_400_000) + 1);
      const usual = median(before.map((d) => sum(d.kwh)));
      switch (c.type) {
        case 'zero':
          expect(inside.every((d) => d.kwh.every((k) => k === 0)), c.customer_id).toBe(true);
          expect(usual).toBeGreaterThan(0);
          break;
        case 'flat':
          expect(inside.every((d) => d.kwh.every((k) => k === c.magnitude)), c.customer_id).toBe(true);
          break;
        case 'spike':
          for (const d of inside) expect(sum(d.kwh), c.customer_id).toBeGreaterThan(2.5 * usual);
          break;
        case 'night_load': {
          const share = (d: { kwh: number[]; hours: number[] }): number => sum(d.hours.slice(0, 6)) / sum(d.kwh);
          const usualShare = median(before.map(share));
          for (const d of inside) expect(share(d), c.customer_id).toBeGreaterThan(usualShare + 0.1);
          break;
        }
      }
    }
  });
});

describe('plantedMilli', () => {
  const plan = (type: UsageAnomalyPlan['type'], magnitude: number): UsageAnomalyPlan => ({ type, firstDay: 0, lastDay: 0, magnitude, rng: new Rng(1, 400, 0) });
  it('multiplies a spike day, zeroes a dead meter, repeats a stuck reading', () => {
    expect(plantedMilli(plan('spike', 4.5), 1000, 10, 24, 0)).toBe(4500);
    expect(plantedMilli(plan('zero', 0), 1234, 3, 96, 0)).toBe(0);
    expect(plantedMilli(plan('flat', 0.25), 1234, 3, 96, 0)).toBe(250);
    expect(plantedMilli(plan('flat', 0.25), 0, 3, 96, 0)).toBe(250);
  });
  it('adds night load in the hours 00–05 only, never to an outage reading', () => {
    const p = plan('night_load', 0.5);
    // busiest hour 4 kWh, hourly meter: + 0.5 × 4 kWh per hour, ±5 % noise
    const added = plantedMilli(p, 300, 2, 24, 4) - 300;
    expect(added).toBeGreaterThanOrEqual(1900);
    expect(added).toBeLessThanOrEqual(2100);
    // a 15-minute meter gets a quarter of it per reading
    const quarter = plantedMilli(p, 300, 5, 96, 4) - 300;
    expect(quarter).toBeGreaterThanOrEqual(475);
    expect(quarter).toBeLessThanOrEqual(525);
    expect(plantedMilli(p, 300, 6, 24, 4)).toBe(300);
    expect(plantedMilli(p, 0, 1, 24, 4)).toBe(0);
  });
});
