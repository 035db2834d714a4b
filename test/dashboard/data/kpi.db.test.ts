// The Overview's query builders end to end: a generated utility goes through
// the real ETL (CLI) into a scratch database and published extracts; the
// dashboard server (etl/serve) serves them; the data layer (manifest, lazy
// fetch, IPC insert, prepared statements) runs each builder in DuckDB-WASM
// (Node blocking bundle); every figure must equal the one PostgreSQL computes
// from the marts — the extract's own suppressed rows where the builder reads
// segment_month.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters, Manifest } from '../../../dashboard/src/data/api.ts';
import { runQuery, setDataSource } from '../../../dashboard/src/data/client.ts';
import { httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import { experienceQuery, satisfactionBreakdownQuery, satisfactionTrendAndWavesQuery, splitTrendAndWaves, type ExperienceRow, type TrendOrWaveRow } from '../../../dashboard/src/data/queries/satisfaction.ts';
import { TICKET_DIMENSIONS, ticketTrendQuery } from '../../../dashboard/src/data/queries/service.ts';
import { cardsFromSummary, KPIS, kpiCards, kpiSeries, SEGMENT_KPIS, seriesFromSummary, whatMoved, type KpiCard, type KpiSeriesRow, type MovedRow } from '../../../dashboard/src/data/queries/kpi.ts';
import { firstScreenQueries } from '../../../dashboard/src/data/queries/first-screen.ts';
import { questionsOfView } from '../../../dashboard/src/data/queries/view-questions.ts';
import { answerKey, createDataSource, type DataSource } from '../../../dashboard/src/data/source.ts';
import { addMonths, defaultFilters, levelMaskWhere, levelWhere } from '../../../dashboard/src/data/sql.ts';
import { describeMart, planExtract } from '../../../etl/extract/mart-query.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { MARTS } from '../../../etl/transform/mart-catalog.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../../etl/run/pipeline-helpers.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

// Small K so that segment_month keeps unsuppressed cells at test scale (the suppression itself is tested in test/etl/extract).
const K = 3;
let p: Pipeline;
let server: RunningServer;
let dist: string;
let source: DataSource;
let engine: Awaited<ReturnType<typeof startNodeEngine>>;
let manifest: Manifest;
let base: Filters;
let segmentSql: string;

beforeAll(async () => {
  // A survey rate high enough that a year holds responses without an NPS answer (3 % of them).
  const inbox = generatedInbox({ customers: 400, months: 14, seed: 31, end: '2026-10', surveyRate: 0.5 });
  p = await pipelineDatabase('dashkpi');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: String(K) });
  expect(r.code, r.stderr).toBe(0);
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-dist-'));
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts });
  source = createDataSource({
    engine: async () => (engine = await startNodeEngine()),
    fetcher: httpExtractFetcher(new URL('extracts/', server.url)),
  });
  setDataSource(source);
  manifest = await source.manifest();
  base = defaultFilters(manifest.data_as_of);
  const client = await p.pool.connect();
  try {
    const spec = MARTS.find((m) => m.name === 'segment_month')!;
    segmentSql = planExtract(spec, await describeMart(client, 'segment_month'), K).sql;
  } finally {
    client.release();
  }
}, 600_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
});

/** Equal up to float noise (a weighted mean of one month is x·n/n). */
function expectSame(actual: number | null | undefined, expected: number | null | undefined, label: string): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

async function pgRows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await p.pool.query(sql, params)).rows as T[];
}

/** kpi_month rows from PostgreSQL, every KPI as float8, keyed by month. */
async function pgKpiMonths(): Promise<Map<string, Record<string, number | null>>> {
  const rows = await pgRows<Record<string, number | null> & { month: string }>(
    `select month::text as month, ${KPIS.map((k) => `${k}::float8 as ${k}`).join(', ')} from mart.kpi_month order by month`,
  );
  return new Map(rows.map((r) => [r.month, r]));
}

describe('data layer: loading', () => {
  it('fetches nothing before a query needs it, then only the extracts the query reads', async () => {
    expect(source.status().loaded).toEqual([]);
    // The default screen's cards come with the manifest (first answers): nothing to load.
    await runQuery(kpiCards(base));
    expect(source.status().loaded).toEqual([]);
    await runQuery(kpiCards({ ...base, compare: 'year' }));
    expect(source.status().loaded).toEqual(['kpi_month']);
    expect(source.status().ready).toBe(true);
    expect(source.status().manifest?.version).toBe(manifest.version);
  });

  it('binds filter values through prepared statements, never in the SQL text', async () => {
    const q = kpiCards({ ...base, segment: ["residential' or 1=1 --"] });
    expect(q.sql).not.toContain('residential');
    expect(q.params).toContain("residential' or 1=1 --");
    const before = engine.statementsPrepared();
    const rows = await runQuery<KpiCard>(q);
    expect(engine.statementsPrepared()).toBe(before + 1);
    // No such segment: nothing is selected.
    expect(rows.find((r) => r.kpi === 'kwh')?.value ?? null).toBeNull();
  });

  it('does not run a query that was superseded while it waited', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(runQuery(kpiSeries({ ...base, segment: ['sme'] }), { signal: abort.signal })).rejects.toThrow(/abort/i);
  });

  it('loads an extract once for queries racing for it, and never runs one superseded meanwhile', async () => {
    let fresh!: Awaited<ReturnType<typeof startNodeEngine>>;
    const other = createDataSource({
      engine: async () => (fresh = await startNodeEngine()),
      fetcher: httpExtractFetcher(new URL('extracts/', server.url)),
    });
    const older = new AbortController();
    const superseded = other.run(kpiCards({ ...base, segment: ['residential'] }), { signal: older.signal });
    older.abort();
    const newer = other.run<KpiCard>(kpiCards({ ...base, segment: ['residential', 'sme'] }));
    await expect(superseded).rejects.toThrow(/abort/i);
    expect((await newer).map((c) => c.kpi)).toEqual([...SEGMENT_KPIS]);
    expect(fresh.statementsPrepared()).toBe(1);
    expect(other.status().loaded).toEqual(['segment_month']);
  });
});

describe('hidden views catching up in the background (App.tsx after each interaction)', () => {
  it('every question of the hidden views is answered once in DuckDB; showing a view then asks DuckDB nothing; a newer change drops those not started', async () => {
    const asked: string[] = [];
    const http = httpExtractFetcher(new URL('extracts/', server.url));
    const fresh = createDataSource({
      engine: async () => {
        const e = await startNodeEngine();
        return { insertIPC: (t, b) => e.insertIPC(t, b), query: (sql, params) => (sql.startsWith('select count(*)') ? null : asked.push(sql), e.query(sql, params)) };
      },
      fetcher: http,
    });
    const m = await fresh.manifest();
    const offered = (name: string): boolean => m.files.some((f) => f.name === name);
    const views = ['overview', 'segments', 'usage', 'satisfaction', 'service'];
    const questionsFor = (filters: Filters) =>
      views.flatMap((view) => questionsOfView({ view, kpi: null, by: 'region', drill: [] }, filters, { offered, customerReadable: true }));

    const filters = { ...base, segment: ['residential'], compare: 'year' as const };
    const questions = questionsFor(filters);
    const distinct = new Set(questions.map(answerKey));
    // The filtered views ask 16 questions between them (3 Overview + forecast, 1 Segments, 4 Usage, 3 Satisfaction + follow-up/effect when offered, 5 Service).
    expect(questions.length).toBeGreaterThanOrEqual(16);
    const hidden = new AbortController();
    setMaxListeners(100, hidden.signal); // one signal for all the catch-up's questions, as in the app
    const answered = await Promise.all(questions.map((q) => fresh.run(q, { background: true, signal: hidden.signal })));
    expect(asked).toHaveLength(distinct.size);
    expect(answered.every((rows) => Array.isArray(rows))).toBe(true);
    for (const q of questions) expect(fresh.peek(q), q.sql.slice(0, 60)).toBeDefined();
    // The user opens each view: its answers are known, DuckDB is not asked again.
    for (const q of questions) await fresh.run(q);
    expect(asked).toHaveLength(distinct.size);
    // Each known answer is DuckDB's answer to that question (the shared source asks its own engine).
    for (const q of questions.slice(0, 6)) expect(fresh.peek(q), q.sql.slice(0, 60)).toEqual(await runQuery(q));

    // The next change aborts the catch-up before its turn came: nothing of it reaches DuckDB.
    const next = new AbortController();
    setMaxListeners(100, next.signal);
    const nextQuestions = questionsFor({ ...filters, segment: ['sme'] });
    const pending = nextQuestions.map((q) => fresh.run(q, { background: true, signal: next.signal }).catch((e: unknown) => e));
    next.abort();
    const outcomes = await Promise.all(pending);
    // Aborted, unless the question does not depend on the segment and its answer is known already.
    const dropped = outcomes.filter((o, i) => (o as Error)?.name === 'AbortError' || !distinct.has(answerKey(nextQuestions[i])));
    for (const [i, o] of outcomes.entries()) if (!distinct.has(answerKey(nextQuestions[i]))) expect((o as Error)?.name, nextQuestions[i].sql.slice(0, 60)).toBe('AbortError');
    expect(dropped.length).toBeGreaterThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 50));
    expect(asked).toHaveLength(distinct.size);
  });
});

describe('first answers (manifest.answers, computed by the ETL)', () => {
  it('answer every question of the default screen, each exactly as DuckDB-WASM answers it in the dashboard', async () => {
    const answers = manifest.answers ?? [];
    const asked = firstScreenQueries(manifest);
    // cards, sparklines, "what moved", forecast, the period picker's months
    expect(asked).toHaveLength(5);
    expect(answers.map(answerKey)).toEqual(asked.map(answerKey));
    await source.load([...new Set(asked.flatMap((q) => q.extracts))]);
    for (const a of answers) {
      expect(a.rows.length, a.sql.slice(0, 60)).toBeGreaterThan(0);
      expect(a.rows, a.sql.slice(0, 60)).toEqual(await engine.query(a.sql, a.params));
    }
  });

  it('a data source answers the default screen from the manifest without starting DuckDB or fetching an extract', async () => {
    let started = 0;
    const fetched: string[] = [];
    const asked: string[] = [];
    const http = httpExtractFetcher(new URL('extracts/', server.url));
    const fresh = createDataSource({
      engine: async () => {
        started++;
        const e = await startNodeEngine();
        return { insertIPC: (t, b) => e.insertIPC(t, b), query: (sql, params) => (asked.push(sql), e.query(sql, params)) };
      },
      fetcher: { manifest: () => http.manifest(), file: (m, f) => (fetched.push(f.name), http.file(m, f)) },
    });
    const m = await fresh.manifest();
    for (const q of firstScreenQueries(m)) expect(await fresh.run(q), q.sql.slice(0, 60)).toEqual(m.answers!.find((a) => answerKey(a) === answerKey(q))!.rows);
    const filters = defaultFilters(m.data_as_of);
    const cards = await fresh.run<KpiCard>(kpiCards(filters));
    expect(cards.map((c) => c.kpi)).toEqual([...KPIS]);
    expect(started).toBe(0);
    expect(fetched).toEqual([]);
    // Another question starts the engine as before.
    await fresh.run(kpiCards({ ...filters, compare: 'year' }));
    expect(started).toBe(1);
    expect(fetched).toEqual(['kpi_month']);
    expect(asked.filter((sql) => !sql.startsWith('select count(*)'))).toHaveLength(1);
    // Once idle, the background prefetch has DuckDB run the manifest's questions once (warming its code paths).
    await fresh.prefetch(['kpi_month', 'segment_month', 'forecast_month']);
    for (const a of m.answers!) expect(asked, a.sql.slice(0, 60)).toContain(a.sql);
  });
});

describe('KPI builders equal the PostgreSQL marts', () => {
  it('kpiCards, default period (latest complete month vs the month before) = mart.kpi_month, and = the manifest summary', async () => {
    expect(base.from).toBe('2026-10-01');
    const months = await pgKpiMonths();
    const now = months.get(base.from)!;
    const before = months.get(addMonths(base.from, -1))!;
    const cards = await runQuery<KpiCard>(kpiCards(base));
    expect(cards.map((c) => c.kpi)).toEqual([...KPIS]);
    for (const c of cards) {
      expectSame(c.value, now[c.kpi], `${c.kpi} value`);
      expectSame(c.comparison, before[c.kpi], `${c.kpi} comparison`);
    }
    expect(now.kwh).toBeGreaterThan(0);

    const summary = manifest.summary!;
    expect(summary.month).toBe(base.from);
    const fromSummary = cardsFromSummary(summary);
    expect(fromSummary.map((c) => c.kpi)).toEqual([...KPIS]);
    for (const c of fromSummary) {
      const q = cards.find((x) => x.kpi === c.kpi)!;
      expectSame(c.value, q.value, `summary ${c.kpi}`);
      expectSame(c.comparison, q.comparison, `summary ${c.kpi} comparison`);
    }
  });

  it('kpiCards over three months against the same months a year earlier = the period formulas over mart.kpi_month', async () => {
    const filters: Filters = { ...base, from: '2026-07-01', to: '2026-09-01', compare: 'year' };
    const cards = await runQuery<KpiCard>(kpiCards(filters));
    const expected = await pgRows<Record<string, number | null> & { which: string }>(
      `with p(which, f, t) as (values ('value', date '2026-07-01', date '2026-09-01'), ('comparison', date '2025-07-01', date '2025-09-01'))
       select p.which,
         (array_agg(k.active_customers order by k.month desc))[1]::float8 as active_customers,
         sum(k.new_customers)::float8 as new_customers, sum(k.closed_customers)::float8 as closed_customers,
         sum(k.kwh) as kwh, sum(k.billed_kwh) as billed_kwh, sum(k.revenue) as revenue,
         sum(k.revenue) / nullif(sum(k.billed_kwh), 0) as avg_price,
         (array_agg(k.receivable_amount order by k.month desc))[1] as receivable_amount,
         (array_agg(k.arrears_amount order by k.month desc))[1] as arrears_amount,
         (array_agg(k.arrears_amount order by k.month desc))[1] / nullif(avg(k.revenue), 0) as arrears_rate,
         (array_agg(k.receivable_amount order by k.month desc))[1] / nullif(sum(k.revenue), 0)
           * sum(extract(day from (k.month + interval '1 month' - interval '1 day'))) as dso_days,
         sum(k.survey_responses)::float8 as survey_responses,
         sum(k.csat_pct * k.survey_responses) / nullif(sum(k.survey_responses) filter (where k.csat_pct is not null), 0) as csat_pct,
         sum(k.nps_responses)::float8 as nps_responses,
         -- NPS of the period straight from the responses, not from the months' NPS
         (select 100.0 * (count(*) filter (where s.nps_class = 'promoter') - count(*) filter (where s.nps_class = 'detractor'))
                 / nullif(count(s.nps_class), 0)
            from mart_base.survey s where s.month between p.f and p.t) as nps,
         sum(k.tickets)::float8 as tickets, sum(k.complaints)::float8 as complaints,
         10000.0 * sum(k.complaints) / nullif(sum(k.active_customers), 0) as complaints_per_10k,
         sum(k.sla_tickets)::float8 as sla_tickets,
         sum(k.first_response_within_sla_pct * k.sla_tickets)
           / nullif(sum(k.sla_tickets) filter (where k.first_response_within_sla_pct is not null), 0) as first_response_within_sla_pct,
         sum(k.offers_sent)::float8 as offers_sent, sum(k.offers_accepted)::float8 as offers_accepted,
         100.0 * sum(k.offers_accepted) / nullif(sum(k.offers_sent), 0) as offer_acceptance_pct
       from p left join mart.kpi_month k on k.month between p.f and p.t group by p.which, p.f, p.t`,
    );
    const value = expected.find((r) => r.which === 'value')!;
    const comparison = expected.find((r) => r.which === 'comparison')!;
    for (const c of cards) {
      expectSame(c.value, value[c.kpi] === null ? null : Number(value[c.kpi]), `${c.kpi} value`);
      expectSame(c.comparison, comparison[c.kpi] === null ? null : Number(comparison[c.kpi]), `${c.kpi} comparison`);
    }
    // The data starts 2025-09: the comparison period has only its last month.
    expectSame(cards.find((c) => c.kpi === 'kwh')!.comparison, (await pgKpiMonths()).get('2025-09-01')!.kwh, 'partial comparison');
  });

  it('NPS and CSAT over a year of survey waves = the figures taken straight from the responses', async () => {
    const filters: Filters = { ...base, from: '2025-11-01', to: '2026-10-01', compare: 'previous' };
    const cards = await runQuery<KpiCard>(kpiCards(filters));
    const [direct] = await pgRows<{ waves: number; nps: number; csat: number; no_nps: number }>(
      `select count(distinct month)::int as waves, count(*) filter (where nps_class is null)::int as no_nps,
              100.0 * (count(*) filter (where nps_class = 'promoter') - count(*) filter (where nps_class = 'detractor')) / count(nps_class) as nps,
              100.0 * count(*) filter (where satisfied) / count(*) as csat
         from mart_base.survey where month between date '2025-11-01' and date '2026-10-01'`);
    // Several months with answers and some responses without an NPS answer: the weighting matters.
    expect(direct.waves).toBeGreaterThan(1);
    expect(direct.no_nps).toBeGreaterThan(0);
    expectSame(cards.find((c) => c.kpi === 'nps')!.value, Number(direct.nps), 'nps over the year');
    expectSame(cards.find((c) => c.kpi === 'csat_pct')!.value, Number(direct.csat), 'csat over the year');
  });

  it('tickets by channel and NPS by region come from the matching level of the *_totals extracts: exact counts, suppressed only where that level is small', async () => {
    const filters: Filters = { ...base, from: '2026-10-01', to: '2026-10-01' };
    const trend = await runQuery<{ month: string; key: string; tickets: number | null }>(ticketTrendQuery(filters, 'channel'));
    const direct = await pgRows<{ month: string; key: string; tickets: number; customers: number }>(
      `select month::text as month, channel as key, count(*)::int as tickets, count(distinct customer_id)::int as customers
         from mart_base.ticket where month between date '2025-11-01' and date '2026-10-01' group by 1, 2`);
    expect(trend.length).toBe(direct.length);
    const byKey = new Map(trend.map((r) => [`${r.month}|${r.key}`, r.tickets]));
    for (const d of direct) expect(byKey.get(`${d.month}|${d.key}`), `${d.month} ${d.key}`).toBe(d.customers >= K ? d.tickets : null);
    // What summing the finest cells would have shown: fewer tickets wherever a small cell hides some.
    const [fine] = await pgRows<{ kept: number; all: number }>(
      `select (sum(tickets) filter (where customers >= ${K}))::int as kept, sum(tickets)::int as all
         from mart.service_month where month between date '2025-11-01' and date '2026-10-01'`);
    const shown = trend.reduce((n, r) => n + (r.tickets ?? 0), 0);
    expect(shown).toBeGreaterThan(fine.kept);
    expect(shown).toBeLessThanOrEqual(fine.all);

    const year: Filters = { ...base, from: '2025-11-01', to: '2026-10-01' };
    const regions = await runQuery<{ key: string; nps: number | null; responses: number | null }>(satisfactionBreakdownQuery(year, 'region'));
    const surveys = await pgRows<{ key: string; responses: number; nps: number | null }>(
      `select coalesce(cm.region, c.region, 'unknown') as key, count(*)::int as responses,
              100.0 * (count(*) filter (where s.nps_class = 'promoter') - count(*) filter (where s.nps_class = 'detractor')) / nullif(count(s.nps_class), 0) as nps
         from mart_base.survey s
         left join rollup.customer_month cm on cm.customer_id = s.customer_id and cm.month = s.month
         left join core.customer c on c.customer_id = s.customer_id
        where s.month between date '2025-11-01' and date '2026-10-01' group by 1`);
    const got = new Map(regions.map((r) => [r.key, r]));
    for (const sv of surveys) {
      const g = got.get(sv.key)!;
      expect(g, sv.key).toBeDefined();
      // Per month cells of ≥ K responses are kept; a region's year sums its kept months.
      if (g.responses === sv.responses) expectSame(g.nps, sv.nps === null ? null : Number(sv.nps), `nps ${sv.key}`);
    }
    expect(regions.filter((r) => r.responses !== null && r.responses === surveys.find((s) => s.key === r.key)?.responses).length).toBeGreaterThan(0);
  });

  it('satisfactionTrendAndWavesQuery: the 12 months and the 8 quarterly waves to the period\'s end = the survey responses in PostgreSQL', async () => {
    const query = satisfactionTrendAndWavesQuery(base);
    // The month rows start with the 12-month window (bound, not in the SQL text). The 14 months
    // generated here hold no survey month before it, so the comparison below cannot check that bound.
    expect(query.params[query.params.length - 1]).toBe(addMonths(base.to, -11));
    const rows = await runQuery<TrendOrWaveRow>(query);
    const { months, waves } = splitTrendAndWaves(rows);
    // Every row is one or the other, month rows first.
    expect(months.length + waves.length).toBe(rows.length);
    expect(rows.slice(0, months.length).every((r) => r.month !== null && r.wave === null)).toBe(true);
    const measures = `count(*)::int as responses,
        100.0 * (count(*) filter (where nps_class = 'promoter') - count(*) filter (where nps_class = 'detractor')) / nullif(count(nps_class), 0) as nps,
        100.0 * count(*) filter (where satisfied) / count(*) as csat, avg(overall)::float8 as overall`;
    type SurveyFigures = { key: string; responses: number; nps: number | null; csat: number; overall: number };
    const byMonth = await pgRows<SurveyFigures>(
      `select month::text as key, ${measures} from mart_base.survey where month between $1::date and $2::date group by 1 order by 1`,
      [addMonths(base.to, -11), base.to]);
    const byWave = await pgRows<SurveyFigures>(
      `select extract(year from month)::int || '-Q' || extract(quarter from month)::int as key, ${measures}
         from mart_base.survey where month between $1::date and $2::date group by 1 order by 1`,
      [addMonths(base.to, -23), base.to]);
    // Several months and several waves: the grouping is exercised both ways.
    expect(byMonth.length).toBeGreaterThan(1);
    expect(byWave.length).toBeGreaterThan(1);
    expect(months.map((r) => r.month)).toEqual(byMonth.map((r) => r.key));
    expect(waves.map((r) => r.wave)).toEqual(byWave.map((r) => r.key));
    for (const [got, expected, kind] of [[months, byMonth, 'month'], [waves, byWave, 'wave']] as const) {
      for (const [i, e] of expected.entries()) {
        const g = got[i]!;
        expect(g.responses, `${kind} ${e.key} responses`).toBe(e.responses);
        expectSame(g.nps, e.nps === null ? null : Number(e.nps), `${kind} ${e.key} nps`);
        expectSame(g.csat_pct, Number(e.csat), `${kind} ${e.key} csat`);
        // One cell per month at the top level: its item mean is the month's mean.
        if (kind === 'month') expectSame(g.overall_mean, Number(e.overall), `month ${e.key} overall`);
      }
    }
  });

  it('experienceQuery (customers with / without an outage report or a complaint in 12 months) = mart.customer, unfiltered and under a segment filter', async () => {
    const [{ segment }] = await pgRows<{ segment: string }>(
      `select segment from mart.customer where overall is not null group by 1 order by count(*) desc, 1 limit 1`);
    for (const filters of [base, { ...base, segment: [segment] }]) {
      const got = await runQuery<ExperienceRow>(experienceQuery(filters));
      const expected = await pgRows<{ experience: string; had: boolean; customers: number; overall_mean: number; reliability_mean: number; detractor_share: number | null }>(
        `select e.experience, (case e.experience when 'outage_12m' then c.outages_12m else c.complaints_12m end) > 0 as had,
                count(*)::int as customers, avg(c.overall)::float8 as overall_mean, avg(c.reliability)::float8 as reliability_mean,
                (count(*) filter (where c.nps_class = 'detractor'))::float8 / nullif(count(c.nps_class), 0) as detractor_share
           from mart.customer c cross join (values ('outage_12m'), ('complaint_12m')) e(experience)
          where c.overall is not null and ($1::text[] is null or c.segment = any($1))
          group by 1, 2 order by 1, 2`,
        [filters.segment.length ? filters.segment : null]);
      // Both experiences present with both answers at this scale: the grouping is exercised, not two empty lists.
      expect(expected.length, 'rows').toBe(4);
      expect(got.map((r) => [r.experience, r.had, r.customers])).toEqual(expected.map((r) => [r.experience, r.had, r.customers]));
      for (const [i, e] of expected.entries()) {
        const label = `${filters.segment.join(',') || 'all'} ${e.experience} ${e.had}`;
        expectSame(got[i]!.overall_mean, e.overall_mean, `${label} overall`);
        expectSame(got[i]!.reliability_mean, e.reliability_mean, `${label} reliability`);
        expectSame(got[i]!.detractor_share, e.detractor_share, `${label} detractor share`);
      }
    }
  });

  it('service_month_totals.level_mask picks the same rows as the null tests of each of the 16 levels, in PostgreSQL and in the extract (sorted by it)', async () => {
    /** Rows of service_month_totals under `where`: in PostgreSQL's mart, or in the extract (DuckDB-WASM). */
    const rowsOf = async (where: string, side: 'postgres' | 'extract'): Promise<number> => {
      if (side === 'postgres') return (await pgRows<{ n: number }>(`select count(*)::int as n from mart.service_month_totals where ${where}`))[0]!.n;
      const [r] = await runQuery<{ n: number }>({ sql: `select count(*)::INTEGER as n from service_month_totals where ${where}`, params: [], extracts: ['service_month_totals'] });
      return r!.n;
    };
    let levels = 0;
    for (let subset = 0; subset < 16; subset++) {
      // `by` = the dimensions kept at this level; no filters.
      const by = TICKET_DIMENSIONS.filter((_, i) => subset & (1 << i));
      const byNulls = levelWhere(TICKET_DIMENSIONS, base, by).sql;
      const byMask = levelMaskWhere(TICKET_DIMENSIONS, base, by).sql;
      const pg = await rowsOf(byNulls, 'postgres');
      expect(await rowsOf(byMask, 'postgres'), `PostgreSQL: ${byMask} vs ${byNulls}`).toBe(pg);
      expect(await rowsOf(byMask, 'extract'), `extract: ${byMask}`).toBe(pg);
      if (pg > 0) levels += 1;
    }
    expect(levels).toBe(16);
    // A filter keeps its dimension like a breakdown does: channel filtered, by type = mask 0b0011.
    expect(levelMaskWhere(TICKET_DIMENSIONS, { ...base, channel: ['app'] }, ['type']).sql).toBe('level_mask = 3');
    // Sorted by level: each level's rows are one contiguous run of the extract.
    const [runs] = await runQuery<{ changes: number }>({
      sql: `select count(*)::INTEGER as changes from (select level_mask, lag(level_mask) over () as before from service_month_totals) where before is distinct from level_mask`,
      params: [], extracts: ['service_month_totals'],
    });
    expect(runs!.changes).toBe(16);
  });

  it('kpiSeries = the 13 months of mart.kpi_month ending with the period, and = the manifest summary series', async () => {
    const series = await runQuery<KpiSeriesRow>(kpiSeries(base));
    const months = await pgKpiMonths();
    expect(series.map((r) => r.month)).toEqual([...months.keys()].filter((m) => m >= addMonths(base.to, -12) && m <= base.to));
    expect(series).toHaveLength(13);
    for (const r of series) for (const k of KPIS) expectSame(r[k], months.get(r.month)![k], `${r.month} ${k}`);
    const fromSummary = seriesFromSummary(manifest.summary!);
    expect(fromSummary.map((r) => r.month)).toEqual(series.map((r) => r.month));
    for (const [i, r] of fromSummary.entries()) for (const k of KPIS) expectSame(r[k], series[i]![k], `summary ${r.month} ${k}`);
  });

  it('kpiCards under a segment and region selection = the unsuppressed segment_month cells in PostgreSQL', async () => {
    const [{ segment, region }] = await pgRows<{ segment: string; region: string }>(
      `select segment, region from (${segmentSql}) s where not suppressed and month = $1::date
        group by segment, region order by count(*) desc, segment, region limit 1`, [base.to]);
    const filters: Filters = { ...base, segment: [segment], region: [region, 'no-such-region'] };
    const cards = await runQuery<KpiCard>(kpiCards(filters));
    expect(cards.map((c) => c.kpi)).toEqual([...SEGMENT_KPIS]);
    const expected = await pgRows<Record<string, number | null> & { which: string }>(
      `with p(which, f, t) as (values ('value', $1::date, $1::date), ('comparison', $2::date, $2::date))
       select p.which, (sum(s.customers) filter (where s.month = p.t))::float8 as active_customers,
              sum(s.kwh) as kwh, sum(s.billed_kwh) as billed_kwh, sum(s.revenue) as revenue,
              sum(s.revenue) / nullif(sum(s.billed_kwh), 0) as avg_price,
              sum(s.arrears_amount) filter (where s.month = p.t) as arrears_amount,
              sum(s.arrears_amount) filter (where s.month = p.t) / nullif(sum(s.revenue), 0) as arrears_rate
         from p left join (${segmentSql}) s on s.month between p.f and p.t and s.segment = $3 and s.region = any($4)
        group by p.which`,
      [base.to, addMonths(base.to, -1), segment, [region, 'no-such-region']]);
    const value = expected.find((r) => r.which === 'value')!;
    const comparison = expected.find((r) => r.which === 'comparison')!;
    for (const c of cards) {
      expectSame(c.value, value[c.kpi], `${c.kpi} value`);
      expectSame(c.comparison, comparison[c.kpi], `${c.kpi} comparison`);
    }
    expect(value.kwh).toBeGreaterThan(0);
  });

  it('whatMoved: each segment and region contributes its change of segment_month; with the rest they add up to the kpi_month change', async () => {
    for (const kpi of ['kwh', 'active_customers'] as const) {
      const rows = await runQuery<MovedRow>(whatMoved(base, kpi));
      const column = kpi === 'kwh' ? 'kwh' : 'customers';
      const stock = kpi === 'active_customers';
      for (const dimension of ['segment', 'region'] as const) {
        const mine = rows.filter((r) => r.dimension === dimension);
        const expected = await pgRows<{ member: string; value: number | null; comparison: number | null }>(
          `select ${dimension}::text as member,
                  (sum(${column}) filter (where month ${stock ? '= $1::date' : 'between $1::date and $1::date'}))::float8 as value,
                  (sum(${column}) filter (where month = $2::date))::float8 as comparison
             from (${segmentSql}) s where month in ($1::date, $2::date) group by 1`,
          [base.to, addMonths(base.to, -1)]);
        const members = mine.filter((r) => r.member !== null);
        expect(members.map((r) => r.member).sort(), `${kpi} ${dimension} members`).toEqual(expected.map((r) => r.member).sort());
        for (const e of expected) {
          const r = members.find((x) => x.member === e.member)!;
          expectSame(r.value, e.value, `${kpi} ${dimension} ${e.member} value`);
          expectSame(r.comparison, e.comparison, `${kpi} ${dimension} ${e.member} comparison`);
          expectSame(r.change, (e.value ?? 0) - (e.comparison ?? 0), `${kpi} ${dimension} ${e.member} change`);
        }
        // Largest change first, the unexplained rest last.
        const changes = members.map((r) => Math.abs(r.change ?? 0));
        expect(changes).toEqual([...changes].sort((a, b) => b - a));
        expect(mine[mine.length - 1]!.member).toBeNull();
        const months = await pgKpiMonths();
        const total = months.get(base.to)![kpi]! - months.get(addMonths(base.to, -1))![kpi]!;
        expectSame(mine.reduce((s, r) => s + (r.change ?? 0), 0), total, `${kpi} ${dimension} rows add up to the KPI change`);
      }
    }
  });
});
