// Planted improvement actions (etl/generate/improvement-actions.ts): the
// register is written to actions/actions.csv, and planting changes nothing but
// the target answers of treated respondents on or after the action date, each
// by +1 from 3 or 4; truth.json's effect is the exact rise of the treated
// after-window mean, recomputed here from the files.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CsvParser } from '../../../etl/ingest/csv-parser.ts';
import { generateUtility } from '../../../etl/generate/generator.ts';
import { TMP, toGenerateOptions, readTruth } from '../../helpers/generated.ts';
import { mkdirSync, rmSync } from 'node:fs';

const DAILY = { large_industrial: 1440, commercial: 1440, residential: 1440, agricultural: 1440 } as const;
const FIXTURE = { customers: 800, months: 15, seed: 5, end: '2026-09', surveyRate: 0.3, intervals: DAILY };
const base = join(TMP, `improvement-actions-${process.pid}`);
const withActions = join(base, 'on');
const without = join(base, 'off');

beforeAll(() => {
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  generateUtility(toGenerateOptions(FIXTURE, withActions));
  generateUtility({ ...toGenerateOptions(FIXTURE, without), plantImprovementActions: false });
}, 300_000);

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.csv'))
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

const rows = (text: string): string[][] => { const p = new CsvParser(); return [...p.push(text), ...p.end()].map((r) => r.fields); };

describe('planted improvement actions', () => {
  it('writes the register, and every other file is byte-identical except survey answers of treated respondents after the date', () => {
    const truth = readTruth(withActions).planted.improvement_actions;
    expect(truth.cases.map((c: any) => c.action_id)).toEqual(['IA01', 'IA02']);
    expect(readTruth(without).planted.improvement_actions).toBeNull();
    expect(existsSync(join(without, 'actions'))).toBe(false);
    const register = rows(readFileSync(join(withActions, 'actions/actions.csv'), 'utf8'));
    expect(register[0]).toEqual(['action_id', 'action_date', 'regions', 'segments', 'target', 'description']);
    expect(register.slice(1).map((r) => [r[0], r[1], r[2], r[4]])).toEqual(truth.cases.map((c: any) => [c.action_id, c.action_date, c.regions.join(';'), c.target]));

    expect(files(withActions).filter((f) => !f.startsWith('actions/'))).toEqual(files(without));
    const ia01 = truth.cases[0];
    // Region of each customer (clean fixture: the customers files agree).
    const region = new Map<string, string>();
    for (const f of files(withActions).filter((f) => f.startsWith('customers/'))) {
      const [h, ...rs] = rows(readFileSync(join(withActions, f), 'utf8'));
      for (const r of rs) region.set(r[h.indexOf('customer_id')], r[h.indexOf('region')]);
    }
    let changed = 0;
    let added = 0;
    let responses = 0;
    const windowEnd = truth.window_months === 6 ? addMonths(ia01.action_date, 6) : '';
    for (const f of files(without)) {
      const a = readFileSync(join(withActions, f), 'utf8');
      const b = readFileSync(join(without, f), 'utf8');
      if (!f.startsWith('surveys/')) {
        expect(a === b, f).toBe(true);
        continue;
      }
      const [h, ...ra] = rows(a);
      const [, ...rb] = rows(b);
      expect(ra.length).toBe(rb.length);
      const rel = h.indexOf('reliability');
      ra.forEach((r, i) => {
        const o = rb[i];
        const treated = ia01.regions.includes(region.get(r[1]) ?? '') && r[2] >= ia01.action_date;
        if (treated && r[2] < windowEnd && r[rel] !== '') responses++;
        if (r.join(',') === o.join(',')) return;
        changed++;
        expect(treated, `${f} ${r[0]}`).toBe(true);
        expect(r.map((v, k) => (k === rel ? '' : v)), `${f} ${r[0]}`).toEqual(o.map((v, k) => (k === rel ? '' : v)));
        expect(['3', '4']).toContain(o[rel]);
        expect(Number(r[rel])).toBe(Number(o[rel]) + 1);
        if (r[2] < windowEnd) added++;
      });
    }
    expect(changed).toBeGreaterThan(0);
    expect(responses).toBe(ia01.treated_responses_after);
    expect(added).toBe(ia01.points_added);
    expect(ia01.effect).toBeCloseTo(added / responses, 6);
    console.log('planted IA01', JSON.stringify({ responses, added, effect: ia01.effect, changedRows: changed }));
  });
});

function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1 + months, d));
  return t.toISOString().slice(0, 10);
}
