// Planted high bills (etl/generate/high-bills.ts): what truth.json states is in
// the files (the planted month's bill, its rise over the usual bill, the tier
// crossed, the peak shift), and planting changes nothing else the generator
// writes (its own hash streams; only the planted customers' readings and the
// bills that sum them differ).

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateUtility } from '../../../etl/generate/generator.ts';
import { RESIDENTIAL_TIERS } from '../../../etl/domain/tariffs.ts';
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

interface Case {
  customer_id: string; class: string; tariff: string; interval_minutes: number; kind: string; month: string; factors: number[]; target: number;
  usual_amount: number; usual_kwh: number; billed_amount: number; billed_kwh: number; tier_before: number; tier_after: number; expected_driver: string;
}

/** Bills by customer (latest row of each bill_id wins, as the contract says). */
function bills(dir: string): Map<string, { month: string; kwh: number; amount: number; credit: boolean }[]> {
  const byId = new Map<string, string[]>();
  for (const f of readdirSync(join(dir, 'billing')).sort()) {
    for (const line of readFileSync(join(dir, 'billing', f), 'utf8').split('\n').slice(1)) if (line) byId.set(line.split(',')[0], line.split(','));
  }
  const out = new Map<string, { month: string; kwh: number; amount: number; credit: boolean }[]>();
  for (const [id, x] of byId) {
    const list = out.get(x[1]) ?? [];
    list.push({ month: x[3].slice(0, 7), kwh: Number(x[4]), amount: Number(x[5]), credit: id.endsWith('CR') });
    out.set(x[1], list);
  }
  return out;
}

describe('planted high bills', () => {
  it('change only the planted customers\' readings and bills', () => {
    const options = { customers: 1500, months: 4, seed: 11, end: '2026-10' };
    const on = mkdtempSync(join(TMP, 'high-bills-on-'));
    const off = mkdtempSync(join(TMP, 'high-bills-off-'));
    made.push(on, off);
    generateUtility(toGenerateOptions(options, on));
    generateUtility({ ...toGenerateOptions(options, off), plantHighBills: false });
    const cases: Case[] = readTruth(on).planted.high_bills.cases;
    expect(readTruth(off).planted.high_bills.cases).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(5);
    const planted = new Set(cases.map((c) => c.customer_id));
    const anomalies = new Set(readTruth(on).planted.usage_anomalies.cases.map((c: { customer_id: string }) => c.customer_id));
    expect([...planted].filter((id) => anomalies.has(id))).toEqual([]);
    expect(files(on)).toEqual(files(off));
    const changed = new Set<string>();
    for (const f of files(on)) {
      if (f === 'truth.json') continue;
      const a = readFileSync(join(on, f), 'utf8');
      const b = readFileSync(join(off, f), 'utf8');
      if (a === b) continue;
      expect(f, 'only the last month\'s usage and billing files differ').toMatch(/^(usage|billing)\/\w+_2026-10\.csv$/);
      const la = a.split('\n');
      const lb = b.split('\n');
      expect(la.length, f).toBe(lb.length);
      for (let i = 0; i < la.length; i++) {
        if (la[i] === lb[i]) continue;
        const id = f.startsWith('usage/') ? la[i].split(',')[0] : la[i].split(',')[1];
        expect(planted.has(id), `${f}:${i + 1} belongs to a planted customer`).toBe(true);
        changed.add(id);
      }
    }
    expect([...changed].sort()).toEqual([...planted].sort());
  });

  it('are in the files as truth.json states them (demo utility, 2,000 × 24 months)', () => {
    const dir = generatedInbox({ customers: 2000, months: 24, seed: 1, end: '2026-10' });
    const truth = readTruth(dir);
    const cases: Case[] = truth.planted.high_bills.cases;
    expect(cases.filter((c) => c.kind === 'tier_jump').length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((c) => c.kind === 'peak_shift').length).toBeGreaterThanOrEqual(5);
    const all = bills(dir);
    for (const c of cases) {
      const list = all.get(c.customer_id)!.filter((b) => !b.credit).sort((a, b) => a.month.localeCompare(b.month));
      const bill = list.find((b) => b.month === c.month)!;
      expect(c.month, c.customer_id).toBe(truth.period.last_month);
      expect(bill.amount, c.customer_id).toBe(c.billed_amount);
      expect(bill.kwh, c.customer_id).toBeCloseTo(c.billed_kwh, 3);
      // the usual bill: the median of the three before, by amount
      const before = list.filter((b) => b.month < c.month).slice(-3).sort((a, b) => a.amount - b.amount);
      expect(before[1].amount, c.customer_id).toBe(c.usual_amount);
      // well above the warning's default margin (+30 %)
      expect(c.billed_amount / c.usual_amount, c.customer_id).toBeGreaterThan(1.35);
      if (c.kind === 'tier_jump') {
        expect([c.class, c.tariff, c.interval_minutes]).toEqual(['residential', 'tiered', 1440]);
        // the year's kWh from this year's bills: before and after the planted month, across a boundary
        const year = c.month.slice(0, 4);
        const kwhBefore = list.filter((b) => b.month.startsWith(year) && b.month < c.month).reduce((s, b) => s + b.kwh, 0);
        const tier = (k: number): number => (k <= RESIDENTIAL_TIERS.tier1UpToKwh ? 1 : k <= RESIDENTIAL_TIERS.tier2UpToKwh ? 2 : 3);
        expect(tier(kwhBefore), c.customer_id).toBe(c.tier_before);
        expect(tier(kwhBefore + c.billed_kwh), c.customer_id).toBe(c.tier_after);
        expect(c.factors[0]).toBeGreaterThanOrEqual(1.2);
        expect(c.factors[0]).toBeLessThanOrEqual(2.2);
      } else {
        expect(['large_industrial', 'commercial']).toContain(c.class);
        expect(c.tariff).toBe('tou');
        expect(c.interval_minutes).toBeLessThan(1440);
        expect(c.factors[1]).toBe(0.5);
      }
    }
    // most tier jumps crossed a boundary (the rest fell just short of the estimate)
    const crossed = cases.filter((c) => c.kind === 'tier_jump' && c.tier_after > c.tier_before).length;
    expect(crossed / cases.filter((c) => c.kind === 'tier_jump').length).toBeGreaterThanOrEqual(0.9);
  });
});
