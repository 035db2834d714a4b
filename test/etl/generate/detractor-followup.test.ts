// Planted detractor follow-up (etl/generate/detractor-followup.ts): planting
// changes nothing but the planted customers' rows (its own hash and Rng
// streams): their call-back tickets, their re-survey answers in the next
// wave and the lift of those answers; and truth.json states what the CSVs hold.

import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FOLLOW_UP, isDetractorAnswer } from '../../../etl/generate/detractor-followup.ts';
import { generateUtility } from '../../../etl/generate/generator.ts';
import { readTruth, scanEntity, TMP, toGenerateOptions } from '../../helpers/generated.ts';

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

const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');

describe('planted detractor follow-up', () => {
  const options = { customers: 1500, months: 7, seed: 13, end: '2026-10', surveyRate: 0.4 };
  const on = mkdtempSync(join(TMP, 'followup-on-'));
  const off = mkdtempSync(join(TMP, 'followup-off-'));
  made.push(on, off);

  it('changes only the planted customers\' tickets and survey answers', () => {
    generateUtility(toGenerateOptions(options, on));
    generateUtility({ ...toGenerateOptions(options, off), plantDetractorFollowUp: false });
    expect(readTruth(off).planted.detractor_followup.cases).toEqual([]);
    const cases = readTruth(on).planted.detractor_followup.cases;
    expect(cases.length).toBeGreaterThanOrEqual(20);
    const planted = new Set<string>(cases.map((c: { customer_id: string }) => c.customer_id));
    expect(files(on)).toEqual(files(off));
    let added = 0;
    for (const f of files(on)) {
      if (f === 'truth.json') continue;
      const a = lines(join(on, f));
      const b = lines(join(off, f));
      if (a.join('\n') === b.join('\n')) continue;
      expect(f, 'only ticket and survey files differ').toMatch(/^(tickets|surveys)\//);
      // Every row without planting is still there, except planted customers' (lifted answers).
      const inA = new Set(a);
      for (const line of b) if (!inA.has(line)) expect(planted.has(line.split(',')[1]), `${f}: ${line}`).toBe(true);
      const inB = new Set(b);
      for (const line of a) {
        if (inB.has(line)) continue;
        expect(planted.has(line.split(',')[1]), `${f}: ${line}`).toBe(true);
        added++;
      }
    }
    expect(added).toBeGreaterThan(cases.length); // call-back tickets and re-survey answers
  }, 300_000);

  it('is in the CSVs as truth.json states it: detractor answers, call-backs, next-wave answers', () => {
    const cases = readTruth(on).planted.detractor_followup.cases;
    const surveys = new Map<string, Record<string, any>>();
    scanEntity(on, 'surveys', (r) => surveys.set(`${r.customer_id}|${r.wave}`, r));
    const callbacks = new Map<string, Record<string, any>>();
    scanEntity(on, 'tickets', (r) => { if (r.ticket_id.endsWith('FU')) callbacks.set(r.ticket_id, r); });
    let called = 0;
    for (const c of cases) {
      const answer = surveys.get(`${c.customer_id}|${c.wave}`)!;
      expect(answer.responded_on).toBe(c.responded_on);
      expect(isDetractorAnswer(answer as Parameters<typeof isDetractorAnswer>[0]), c.customer_id).toBe(true);
      const calls = [...callbacks.values()].filter((t) => t.customer_id === c.customer_id);
      const start = Date.parse(`${c.responded_on}T00:00:00+08:00`);
      const call = calls.find((t) => t.opened_at >= start && t.opened_at < start + FOLLOW_UP.windowDays * 86_400_000);
      expect(call !== undefined, `${c.customer_id} ${c.wave} called`).toBe(c.called);
      if (call) {
        called++;
        expect(call.type).toBe(FOLLOW_UP.type);
        expect(call.channel).toBe(FOLLOW_UP.channel);
        expect(call.opened_at - start).toBeLessThan((FOLLOW_UP.maxDelayDays + 1) * 86_400_000);
        expect(c.contacted).toBe(true);
      }
      const next = surveys.get(`${c.customer_id}|${c.next_wave}`);
      expect(next?.nps ?? null).toBe(c.next_nps);
      if (c.called && c.next_nps !== null) expect(c.next_nps).toBe(Math.min(10, c.next_nps_unlifted + FOLLOW_UP.lift.nps));
      if (!c.called) expect(c.next_nps).toBe(c.next_nps_unlifted);
    }
    expect(called).toBeGreaterThanOrEqual(10);
    expect(cases.length - called).toBeGreaterThanOrEqual(10);
  });
});
