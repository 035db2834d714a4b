// Detractor follow-up (sql/marts/base_detractor_case.sql, detractor_followup.sql)
// on a generated utility: every planted case (truth.json) is classified as the
// generator states it; contact rate and time to contact per wave equal the
// figures recomputed here in TypeScript from the CSVs; the next-wave NPS
// difference of contacted vs uncontacted detractors contains the planted lift.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedInbox, readTruth, scanEntity } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, readCurrentExtracts, type Pipeline } from '../run/pipeline-helpers.ts';

const SECRET = { GRIDLENS_PSEUDONYM_SECRET: 'detractor-followup-test-secret-0123' };
export const FOLLOWUP_FIXTURE = { customers: 4000, months: 9, seed: 23, end: '2026-10', surveyRate: 0.4 };
const TZ_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai, the generator's and the ETL's default
const DAY_MS = 86_400_000;

type Row = Record<string, any>;
interface Case { response_id: string; customer_id: string; wave: string; contacted: boolean; hours_to_contact: number | null; pending: boolean; next_nps: number | null }

const localMidnight = (day: string): number => Date.parse(`${day}T00:00:00Z`) - TZ_OFFSET_MS;
const localDay = (ms: number): string => new Date(ms + TZ_OFFSET_MS).toISOString().slice(0, 10);

/** percentile_cont, as PostgreSQL computes it. */
function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const x = p * (s.length - 1);
  const lo = Math.floor(x);
  return lo + 1 < s.length ? s[lo] + (x - lo) * (s[lo + 1] - s[lo]) : s[lo];
}

/** The cases, contacts and next-wave answers from the CSVs alone (docs/metrics.md's rule, written again). */
function casesFromCsv(dir: string): { cases: Case[]; waves: string[] } {
  const surveys: Row[] = [];
  scanEntity(dir, 'surveys', (r) => surveys.push(r));
  const latest = new Map<string, Row>(); // later file wins
  for (const s of surveys) latest.set(s.response_id, s);
  const tickets = new Map<string, Row>();
  scanEntity(dir, 'tickets', (r) => tickets.set(r.ticket_id, r));
  const opened = new Map<string, number[]>();
  let asOfMs = 0;
  for (const t of tickets.values()) {
    asOfMs = Math.max(asOfMs, t.opened_at);
    if (!t.customer_id) continue;
    (opened.get(t.customer_id) ?? opened.set(t.customer_id, []).get(t.customer_id)!).push(t.opened_at);
  }
  const asOf = localDay(asOfMs);
  const firstDay = new Map<string, string>();
  for (const s of latest.values()) if (s.wave && (!firstDay.has(s.wave) || s.responded_on < firstDay.get(s.wave)!)) firstDay.set(s.wave, s.responded_on);
  const waves = [...firstDay].sort((a, b) => (a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] < b[1] ? -1 : 1)).map(([w]) => w);
  const answerIn = new Map<string, Row>();
  for (const s of [...latest.values()].sort((a, b) => (a.responded_on === b.responded_on ? (a.response_id < b.response_id ? -1 : 1) : a.responded_on < b.responded_on ? -1 : 1))) {
    if (s.customer_id && s.wave && !answerIn.has(`${s.customer_id}|${s.wave}`)) answerIn.set(`${s.customer_id}|${s.wave}`, s);
  }
  const low = (v: number | null, limit: number): boolean => v !== null && v <= limit;
  const cases: Case[] = [];
  for (const s of latest.values()) {
    if (!s.customer_id || !s.wave) continue;
    if (!(low(s.nps, 6) || low(s.reliability, 2) || low(s.service, 2) || low(s.price, 2))) continue;
    const from = localMidnight(s.responded_on);
    const to = from + 30 * DAY_MS;
    const inWindow = (opened.get(s.customer_id) ?? []).filter((t) => t >= from && t < to);
    const first = inWindow.length ? Math.min(...inWindow) : null;
    const endDay = localDay(to);
    const next = waves[waves.indexOf(s.wave) + 1];
    cases.push({
      response_id: s.response_id, customer_id: s.customer_id, wave: s.wave, contacted: first !== null,
      hours_to_contact: first === null ? null : (first - from) / 3_600_000,
      pending: first === null && endDay > asOf,
      next_nps: next === undefined ? null : answerIn.get(`${s.customer_id}|${next}`)?.nps ?? null,
    });
  }
  return { cases, waves };
}

describe('detractor follow-up on a generated utility', () => {
  let p: Pipeline;
  let inbox: string;
  beforeAll(async () => {
    inbox = generatedInbox(FOLLOWUP_FIXTURE);
    p = await pipelineDatabase('detractor-followup');
    const r = await etl(p, ['run', '--inbox', inbox, '--json'], SECRET);
    expect(r.code, r.stderr).toBe(0);
  }, 900_000);
  afterAll(async () => p?.close());

  it('classifies every planted case as truth.json states it', async () => {
    const truth = readTruth(inbox).planted.detractor_followup;
    const planted: Row[] = truth.cases;
    const { rows } = await p.pool.query<Row>(
      `select customer_id, wave, responded_on::text as responded_on, contacted, hours_to_contact, next_nps from mart_base.detractor_case`);
    const byKey = new Map(rows.map((r) => [`${r.customer_id}|${r.wave}`, r]));
    const counts = { planted: planted.length, called: 0, contacted_by_own_ticket: 0, not_contacted: 0, right: 0 };
    for (const c of planted) {
      const r = byKey.get(`${c.customer_id}|${c.wave}`);
      expect(r, `${c.customer_id} ${c.wave} is a case`).toBeDefined();
      expect(r!.responded_on).toBe(c.responded_on);
      expect(r!.contacted, `${c.customer_id} ${c.wave} contacted`).toBe(c.contacted);
      if (c.contacted) expect(r!.hours_to_contact).toBeCloseTo(c.hours_to_contact, 6);
      else expect(r!.hours_to_contact).toBeNull();
      expect(r!.next_nps).toBe(c.next_nps);
      if (c.called) counts.called++;
      else if (c.contacted) counts.contacted_by_own_ticket++;
      else counts.not_contacted++;
      counts.right++;
    }
    console.log('planted detractor follow-up cases', JSON.stringify(counts));
    expect(counts.called).toBeGreaterThanOrEqual(50);
    expect(counts.not_contacted).toBeGreaterThanOrEqual(50);
    expect(planted.every((c) => !c.called || c.contacted)).toBe(true);
  });

  it('has per wave the contact rate and time to contact recomputed from the CSVs', async () => {
    const { cases, waves } = casesFromCsv(inbox);
    const { rows } = await p.pool.query<Row>(`select * from mart.detractor_followup where segment is null and region is null order by month, wave`);
    expect(rows.map((r) => r.wave)).toEqual(waves.filter((w) => cases.some((c) => c.wave === w)));
    const report: Record<string, unknown> = {};
    for (const r of rows) {
      const w = cases.filter((c) => c.wave === r.wave);
      const contacted = w.filter((c) => c.contacted);
      const hours = contacted.map((c) => c.hours_to_contact!);
      expect(r.cases, r.wave).toBe(w.length);
      expect(r.contacted, r.wave).toBe(contacted.length);
      expect(r.pending, r.wave).toBe(w.filter((c) => c.pending).length);
      expect(r.contacted_within_target, r.wave).toBe(hours.filter((h) => h <= 72).length);
      if (hours.length) {
        expect(r.contact_hours_median, r.wave).toBeCloseTo(percentileCont(hours, 0.5)!, 6);
        expect(r.contact_hours_p90, r.wave).toBeCloseTo(percentileCont(hours, 0.9)!, 6);
      }
      const uncontacted = w.filter((c) => !c.contacted && !c.pending);
      const nextOf = (g: Case[]): number[] => g.map((c) => c.next_nps).filter((v): v is number => v !== null);
      expect(r.contacted_next_responses).toBe(nextOf(contacted).length);
      expect(r.uncontacted_next_responses).toBe(nextOf(uncontacted).length);
      expect(r.contacted_next_nps_sum).toBe(nextOf(contacted).reduce((a, b) => a + b, 0));
      expect(r.uncontacted_next_nps_sum).toBe(nextOf(uncontacted).reduce((a, b) => a + b, 0));
      report[r.wave] = { cases: r.cases, pending: r.pending, contact_rate: +(r.contacted / (r.cases - r.pending || 1)).toFixed(3),
        median_h: r.contact_hours_median && +r.contact_hours_median.toFixed(1), p90_h: r.contact_hours_p90 && +r.contact_hours_p90.toFixed(1) };
    }
    console.log('detractor follow-up per wave', JSON.stringify(report));
  });

  it('shows the planted lift: the 95% interval of next-wave NPS contacted − uncontacted contains it', async () => {
    const truth = readTruth(inbox).planted.detractor_followup;
    const lifted = truth.cases.filter((c: Row) => c.called && c.next_nps !== null);
    const plantedEffect = lifted.reduce((a: number, c: Row) => a + c.next_nps - c.next_nps_unlifted, 0) / lifted.length;
    const { rows: [s] } = await p.pool.query<Row>(
      `select sum(contacted_next_responses)::float8 as nc, sum(contacted_next_nps_sum) as sc, sum(contacted_next_nps_sumsq) as qc,
              sum(uncontacted_next_responses)::float8 as nu, sum(uncontacted_next_nps_sum) as su, sum(uncontacted_next_nps_sumsq) as qu
       from mart.detractor_followup where segment is null and region is null`);
    const mean = (n: number, sum: number): number => sum / n;
    const variance = (n: number, sum: number, sq: number): number => (sq - (sum * sum) / n) / (n - 1);
    const diff = mean(s.nc, s.sc) - mean(s.nu, s.su);
    const se = Math.sqrt(variance(s.nc, s.sc, s.qc) / s.nc + variance(s.nu, s.su, s.qu) / s.nu);
    console.log('next-wave NPS', JSON.stringify({ contacted: { n: s.nc, mean: mean(s.nc, s.sc) }, uncontacted: { n: s.nu, mean: mean(s.nu, s.su) }, diff, ci95: [diff - 1.96 * se, diff + 1.96 * se], plantedEffect, lift: truth.lift }));
    expect(s.nc).toBeGreaterThanOrEqual(40);
    expect(plantedEffect).toBeGreaterThan(0.5);
    expect(diff - 1.96 * se).toBeLessThanOrEqual(plantedEffect);
    expect(diff + 1.96 * se).toBeGreaterThanOrEqual(plantedEffect);
    expect(diff - 1.96 * se).toBeGreaterThan(0); // and the effect is visible
  });

  it('publishes the mart as an aggregate extract with small cells suppressed and no customer column', async () => {
    const { manifest, tables } = readCurrentExtracts(p.extracts);
    const table = tables.get('detractor_followup');
    expect(table).toBeDefined();
    const names = table!.schema.fields.map((f) => f.name);
    expect(names).not.toContain('customer_id');
    expect(names).toContain('suppressed');
    const { rows: [{ n }] } = await p.pool.query<{ n: number }>('select count(*)::int as n from mart.detractor_followup');
    expect(table!.numRows).toBe(n);
    const k: number = manifest.suppression?.k ?? 15;
    for (let i = 0; i < table!.numRows; i++) {
      const row = table!.get(i)!.toJSON() as Row;
      if (row.suppressed) expect(row.contacted).toBeNull();
      else expect(row.cases).toBeGreaterThanOrEqual(k);
    }
  });
});
