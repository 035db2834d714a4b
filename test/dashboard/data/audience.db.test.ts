// The campaign planner's audience SQL (data/queries/audience.ts) end to end:
// a generated utility through the real ETL into PostgreSQL and published
// extracts, the extracts served by the product's server and loaded into
// DuckDB-WASM (Node) by the dashboard's data source; every audience's
// customers must be exactly those a hand-written PostgreSQL query selects
// from mart.customer, its by-segment figures and the offer type's past rates
// those PostgreSQL computes, and the overlap counts those of the key sets.
// Also: mart.customer's last_offer_* columns against core.campaign_contact.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, type AudienceDefinition } from '../../../dashboard/src/campaigns/audience.ts';
import { runQuery, setDataSource } from '../../../dashboard/src/data/client.ts';
import { httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import {
  audienceBySegmentQuery, audienceCompositionQuery, audienceOverlapQuery, audienceRowsQuery, type AudienceSegmentRow, type TargetRow,
} from '../../../dashboard/src/data/queries/audience.ts';
import { audienceOptionsQuery, campaignResultsQuery, type CampaignRow } from '../../../dashboard/src/data/queries/campaigns.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../../etl/run/pipeline-helpers.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

let p: Pipeline;
let server: RunningServer;
let dist: string;
let asOf: string;

beforeAll(async () => {
  // 14 months: the year's campaigns (Mar green plan … Sep energy audit) have been sent and answered.
  const inbox = generatedInbox({ customers: 500, months: 14, seed: 53, end: '2026-10' });
  p = await pipelineDatabase('audience');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: '1' });
  expect(r.code, r.stderr).toBe(0);
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-dist-'));
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts });
  const source = createDataSource({ engine: startNodeEngine, fetcher: httpExtractFetcher(new URL('extracts/', server.url)) });
  setDataSource(source);
  asOf = (await source.manifest()).data_as_of;
}, 600_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
});

async function pgKeys(where: string, params: unknown[] = []): Promise<number[]> {
  const { rows } = await p.pool.query<{ customer_key: number }>(`select customer_key from mart.customer where ${where} order by customer_key`, params);
  return rows.map((r) => r.customer_key);
}

async function duckKeys(def: AudienceDefinition): Promise<number[]> {
  return (await runQuery<TargetRow>(audienceRowsQuery(def, asOf))).map((r) => r.customer_key);
}

const def = (o: Partial<AudienceDefinition>): AudienceDefinition => ({ ...DEFAULT_AUDIENCE, ...o });

/** Each audience with the same selection written by hand for PostgreSQL ($1 = as-of day). */
const CASES: { name: string; def: Partial<AudienceDefinition>; pg: string }[] = [
  { name: 'everyone active', def: {}, pg: `status = 'active'` },
  { name: 'closed accounts too', def: { includeClosed: true }, pg: `true` },
  { name: 'residential with a green need', def: { segment: ['residential'], needs: ['green'] }, pg: `status = 'active' and segment = 'residential' and need_green` },
  { name: 'reliability need, TOU or flat', def: { needs: ['reliability'], tariff: ['tou', 'flat'] }, pg: `status = 'active' and need_reliability and tariff in ('tou', 'flat')` },
  { name: 'two needs', def: { needs: ['green', 'price'] }, pg: `status = 'active' and need_green and need_price` },
  { name: 'churn ≥ 10 %, high or medium value', def: { churn: { min: 0.1, max: null }, valueTier: ['high', 'medium'] }, pg: `status = 'active' and churn_risk >= 0.1 and value_tier in ('high', 'medium')` },
  { name: 'detractors or no NPS answer', def: { npsClass: ['detractor', 'none'] }, pg: `status = 'active' and (nps_class = 'detractor' or nps_class is null)` },
  { name: 'overall ≤ 3, tenure ≥ 12, ≤ 25 % late, ≥ 1 ticket, no complaint', def: { overall: { min: null, max: 3 }, tenureMonths: { min: 12, max: null }, latePayment: { min: null, max: 0.25 }, tickets12m: { min: 1, max: null }, complaints12m: { min: null, max: 0 } },
    pg: `status = 'active' and overall <= 3 and tenure_months >= 12 and coalesce(late_payment_ratio, 0) <= 0.25 and tickets_12m >= 1 and complaints_12m <= 0` },
  { name: 'contract ends within 12 months', def: { contractEndsWithinMonths: 12 }, pg: `status = 'active' and contract_end > $1::date and contract_end <= ($1::date + interval '12 months')::date` },
  { name: 'contract ends within 60 months', def: { contractEndsWithinMonths: 60, includeClosed: true }, pg: `contract_end > $1::date and contract_end <= ($1::date + interval '60 months')::date` },
  { name: 'never offered', def: { pastOffer: 'never' }, pg: `status = 'active' and last_offer_on is null` },
  { name: 'offered, not contacted in the last 60 days', def: { pastOffer: 'offered', excludeContactedDays: 60 }, pg: `status = 'active' and last_offer_on is not null and last_offer_on < $1::date - 60` },
  { name: 'last offer a green plan, responded', def: { pastOffer: 'responded', pastOfferType: ['green_plan'] }, pg: `status = 'active' and last_offer_responded and last_offer_type = 'green_plan'` },
  { name: 'offered and not accepted', def: { pastOffer: 'not_accepted' }, pg: `status = 'active' and last_offer_on is not null and not last_offer_accepted` },
  { name: 'accepted', def: { pastOffer: 'accepted' }, pg: `status = 'active' and last_offer_accepted` },
  { name: 'residential or SME, high band', def: { segment: ['residential', 'sme'], band: ['high'] }, pg: `status = 'active' and segment in ('residential', 'sme') and band = 'high'` },
];

describe('audience SQL in DuckDB-WASM vs PostgreSQL mart.customer', () => {
  it('mart.customer.last_offer_* are the latest contacted (non-holdout) offer of core.campaign_contact', async () => {
    const { rows } = await p.pool.query(`
      with ranked as (
        select cc.*, row_number() over (partition by customer_id order by sent_on desc, contact_id desc) as n
          from core.campaign_contact cc where not holdout
      )
      select count(*)::integer as mismatches,
             (select count(*)::integer from mart.customer where last_offer_on is not null) as offered
        from mart.customer m
        join core.customer_pseudonym p using (customer_key)
        left join ranked r on r.customer_id = p.customer_id and r.n = 1
       where m.last_offer_on is distinct from r.sent_on
          or m.last_offer_type is distinct from r.offer_type
          or m.last_offer_responded is distinct from (case when r.customer_id is not null then r.responded_on is not null end)
          or m.last_offer_accepted is distinct from (case when r.customer_id is not null then coalesce(r.accepted, false) end)`);
    expect(rows[0].offered).toBeGreaterThan(20);
    expect(rows[0].mismatches).toBe(0);
  });

  it('every audience holds exactly the customers the hand-written PostgreSQL filter selects', async () => {
    const sizes: Record<string, number> = {};
    for (const c of CASES) {
      const expected = await pgKeys(c.pg, c.pg.includes('$1') ? [asOf] : []);
      expect(await duckKeys(def(c.def)), c.name).toEqual(expected);
      sizes[c.name] = expected.length;
    }
    // The cases are not vacuous: each selects someone, and the filters narrow.
    // (Only a handful of accounts hold a long-term contract at this size — large customers, ~1 % of accounts — so the contract windows may be empty.)
    for (const [name, n] of Object.entries(sizes)) if (!name.startsWith('contract ends')) expect(n, name).toBeGreaterThan(0);
    expect(sizes['everyone active']).toBeLessThan(sizes['closed accounts too']!);
  });

  it('by segment: customers, revenue and kWh sums, and the offer type\'s past acceptance from mart.campaign_result', async () => {
    const d = def({ needs: ['green'], offerType: 'long_term_contract' });
    const duck = await runQuery<AudienceSegmentRow>(audienceBySegmentQuery(d, asOf));
    const { rows: pg } = await p.pool.query<{ segment: string; customers: number; revenue: number; kwh: number }>(
      `select segment, count(*)::integer as customers, sum(revenue_12m) as revenue, sum(kwh_12m) as kwh from mart.customer where status = 'active' and need_green group by 1`);
    const { rows: rates } = await p.pool.query<{ segment: string | null; p1: number; p0: number }>(
      `select segment, sum(accepted_treated)::float8 / sum(treated) as p1, sum(accepted_holdout)::float8 / nullif(sum(holdout), 0) as p0
         from mart.campaign_result where offer_type = 'long_term_contract' group by rollup (segment)`);
    const overall = rates.find((r) => r.segment === null)!;
    expect(overall.p1).toBeGreaterThan(0);
    expect(duck.map((r) => r.segment).sort()).toEqual(pg.map((r) => r.segment).sort());
    for (const r of duck) {
      const e = pg.find((x) => x.segment === r.segment)!;
      expect(r.customers, r.segment).toBe(e.customers);
      expect(r.revenue_12m).toBeCloseTo(e.revenue, 6);
      expect(r.kwh_12m).toBeCloseTo(e.kwh, 6);
      const own = rates.find((x) => x.segment === r.segment);
      const used = own && own.p0 !== null ? own : overall;
      expect(r.rate_source, r.segment).toBe(own && own.p0 !== null ? 'segment' : 'offer');
      expect(r.p_treated!).toBeCloseTo(used.p1, 12);
      expect(r.p_holdout!).toBeCloseTo(used.p0, 12);
    }
  });

  it('composition by segment, region and band equals PostgreSQL\'s counts', async () => {
    const d = def({ churn: { min: 0.06, max: null } });
    for (const by of ['segment', 'region', 'band'] as const) {
      const duck = await runQuery<{ key: string; customers: number }>(audienceCompositionQuery(d, asOf, by));
      const { rows } = await p.pool.query<{ key: string; customers: number }>(
        `select coalesce(${by}, 'unknown') as key, count(*)::integer as customers from mart.customer where status = 'active' and churn_risk >= 0.06 group by 1`);
      expect(Object.fromEntries(duck.map((r) => [r.key, r.customers])), by).toEqual(Object.fromEntries(rows.map((r) => [r.key, r.customers])));
    }
  });

  it('overlap of three audiences: each region\'s count equals the key-set arithmetic', async () => {
    const defs = [def({ segment: ['residential'] }), def({ needs: ['price'] }), def({ churn: { min: 0.08, max: null } })];
    const sets = await Promise.all(defs.map(async (d) => new Set(await duckKeys(d))));
    const pgSets = [
      new Set(await pgKeys(`status = 'active' and segment = 'residential'`)),
      new Set(await pgKeys(`status = 'active' and need_price`)),
      new Set(await pgKeys(`status = 'active' and churn_risk >= 0.08`)),
    ];
    expect(sets.map((s) => [...s].sort())).toEqual(pgSets.map((s) => [...s].sort()));
    const expected = new Map<number, number>();
    for (const k of new Set(pgSets.flatMap((s) => [...s]))) {
      const mask = pgSets.reduce((m, s, i) => m | (s.has(k) ? 1 << i : 0), 0);
      expected.set(mask, (expected.get(mask) ?? 0) + 1);
    }
    const duck = await runQuery<{ mask: number; customers: number }>(audienceOverlapQuery(defs, asOf));
    expect(new Map(duck.map((r) => [r.mask, r.customers]))).toEqual(expected);
    expect(expected.get(7) ?? 0).toBeGreaterThan(0);
  });

  it('filter options and campaign results load from the extracts', async () => {
    const options = await runQuery<{ dim: string; value: string }>(audienceOptionsQuery());
    const { rows: regions } = await p.pool.query<{ region: string }>(`select distinct region from mart.customer order by 1`);
    expect(options.filter((o) => o.dim === 'region').map((o) => o.value)).toEqual(regions.map((r) => r.region));
    const results = await runQuery<CampaignRow>(campaignResultsQuery());
    const { rows } = await p.pool.query<{ n: number; accepted: number }>(`select count(*)::integer as n, sum(accepted_treated)::integer as accepted from mart.campaign_result`);
    expect(results).toHaveLength(rows[0].n);
    expect(results.reduce((s, r) => s + (r.accepted_treated ?? 0), 0)).toBe(rows[0].accepted);
  });
});

describe('mart.campaign_result before/after change sums', () => {
  it('equal each contact\'s change in mean monthly kWh and billed amount (3 complete months before vs up to 3 after), worked out here from the rollups', async () => {
    const contacts = (await p.pool.query<{ campaign_id: string; customer_id: string; sent_on: string; holdout: boolean }>(
      `select campaign_id, customer_id, sent_on, holdout from core.campaign_contact`)).rows;
    const months = (await p.pool.query<{ customer_id: string; month: string; kwh: number | null; billed_amount: number | null }>(
      `select customer_id, month, kwh, billed_amount from rollup.customer_month`)).rows;
    const complete = new Set((await p.pool.query<{ month: string }>(`select month from rollup.month_window where month_end <= as_of`)).rows.map((r) => r.month));
    const byCustomer = new Map<string, Map<string, { kwh: number | null; billed_amount: number | null }>>();
    for (const m of months) {
      if (!byCustomer.has(m.customer_id)) byCustomer.set(m.customer_id, new Map());
      byCustomer.get(m.customer_id)!.set(m.month, m);
    }
    const shift = (month: string, n: number): string => {
      const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
      return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
    };
    const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    type Sums = { n: number; sum: number; sq: number };
    const expected = new Map<string, Sums>();
    for (const c of contacts) {
      const m = `${c.sent_on.slice(0, 7)}-01`;
      const own = byCustomer.get(c.customer_id) ?? new Map();
      for (const measure of ['kwh', 'billed_amount'] as const) {
        const values = (offsets: number[]) => offsets.map((o) => shift(m, o)).filter((x) => complete.has(x)).map((x) => own.get(x)?.[measure]).filter((v): v is number => v !== null && v !== undefined);
        const before = mean(values([-3, -2, -1]));
        const after = mean(values([1, 2, 3]));
        if (before === null || after === null) continue;
        const key = `${c.campaign_id}|${c.holdout ? 'holdout' : 'treated'}|${measure === 'kwh' ? 'kwh' : 'revenue'}`;
        const e = expected.get(key) ?? { n: 0, sum: 0, sq: 0 };
        e.n++;
        e.sum += after - before;
        e.sq += (after - before) ** 2;
        expected.set(key, e);
      }
    }
    const { rows } = await p.pool.query(`select campaign_id,
        sum(treated_kwh_n)::integer as treated_kwh_n, sum(treated_kwh_change) as treated_kwh_change, sum(treated_kwh_change_sq) as treated_kwh_change_sq,
        sum(holdout_kwh_n)::integer as holdout_kwh_n, sum(holdout_kwh_change) as holdout_kwh_change, sum(holdout_kwh_change_sq) as holdout_kwh_change_sq,
        sum(treated_revenue_n)::integer as treated_revenue_n, sum(treated_revenue_change) as treated_revenue_change, sum(treated_revenue_change_sq) as treated_revenue_change_sq,
        sum(holdout_revenue_n)::integer as holdout_revenue_n, sum(holdout_revenue_change) as holdout_revenue_change, sum(holdout_revenue_change_sq) as holdout_revenue_change_sq
      from mart.campaign_result group by 1`);
    let measured = 0;
    for (const r of rows) {
      for (const group of ['treated', 'holdout']) {
        for (const measure of ['kwh', 'revenue']) {
          const e = expected.get(`${r.campaign_id}|${group}|${measure}`) ?? { n: 0, sum: 0, sq: 0 };
          const label = `${r.campaign_id} ${group} ${measure}`;
          expect(r[`${group}_${measure}_n`], label).toBe(e.n);
          if (e.n === 0) continue;
          measured++;
          expect(Math.abs(r[`${group}_${measure}_change`] - e.sum), label).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e.sum)));
          expect(Math.abs(r[`${group}_${measure}_change_sq`] - e.sq), label).toBeLessThanOrEqual(1e-6 * Math.max(1, e.sq));
        }
      }
    }
    expect(measured).toBeGreaterThan(8);
  });
});
