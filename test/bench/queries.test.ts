// The query benchmark (bench/queries.bench.ts) end to end at a tiny scale: a
// generated utility through the benchmark's own ETL path into a scratch
// database of this run, its extracts in DuckDB-WASM (Node), its mart views on
// the PostgreSQL service. Checks that both sides answered every question, that
// the answers agree, and that the counts and ratios add up — not how fast
// anything is (this machine is shared).

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateExtracts, readManifest } from '../../bench/browser/extracts.ts';
import { runQueryBench } from '../../bench/queries/bench.ts';
import { startDuckSide } from '../../bench/queries/duckdb-side.ts';
import { martSources, newPool } from '../../bench/queries/pg-side.ts';
import { pgQuestion } from '../../bench/queries/pg-dialect.ts';
import { formatQueryReport } from '../../bench/queries/report.ts';
import { kpiSeries } from '../../dashboard/src/data/queries/kpi.ts';
import { customerCountQuery, dimensionValuesQuery } from '../../dashboard/src/data/queries/segments.ts';
import { channelValuesQuery } from '../../dashboard/src/data/queries/service.ts';
import { DEFAULT_STATE, VIEWS } from '../../dashboard/src/state/url-state.ts';
import { compareAnswers } from '../../bench/queries/compare.ts';
import { viewQuestions } from '../../bench/queries/plan.ts';
import { addMonths, defaultFilters } from '../../dashboard/src/data/sql.ts';
import { TMP } from '../helpers/generated.ts';
import { pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';

const BENCH_TMP = join(TMP, 'bench', `queries-${process.pid}`);
const USERS = [1, 3];
const STEPS = 12;

let p: Pipeline | undefined;
let extracts: string;

beforeAll(async () => {
  mkdirSync(BENCH_TMP, { recursive: true });
  p = await pipelineDatabase('qbench');
  extracts = await generateExtracts({ customers: 150, months: 4, seed: 5, end: '2026-10', dir: join(BENCH_TMP, 'utility'), databaseUrl: p.scratch.url });
}, 120_000);

afterAll(async () => {
  await p?.close();
  rmSync(BENCH_TMP, { recursive: true, force: true });
});

it('asks every question of both sides, gets the same answers, and the figures add up', async () => {
  const r = await runQueryBench({ databaseUrl: p!.scratch.url, extracts, users: USERS, steps: STEPS, explain: 1 });
  const perSession = r.plan.questionsPerSession;
  expect(r.plan.steps).toBe(STEPS);
  expect(perSession).toBe(Object.values(r.plan.byView).reduce((a, n) => a + n, 0));
  // The opening asks the filter bar's 6 option lists and the Overview's 3 queries.
  expect(r.plan.distinctQuestions).toBeGreaterThanOrEqual(9);

  // Every question answered by DuckDB-WASM, and by PostgreSQL for every user.
  expect(r.duckdb.queries.n).toBe(perSession);
  expect(Object.values(r.duckdb.byQuestion).reduce((a, l) => a + l.n, 0)).toBe(perSession);
  const interactive = r.duckdb.interactions.n;
  expect(interactive).toBe(STEPS - r.plan.stepsWithoutQuestions);
  expect(r.postgres.map((l) => l.users)).toEqual(USERS);
  for (const l of r.postgres) {
    expect(l.questionsFailed, l.errors.join('; ')).toBe(0);
    expect(l.questionsAnswered).toBe(l.users * perSession);
    expect(l.queries.n).toBe(l.users * perSession);
    expect(l.poolWait.n).toBe(l.users * perSession);
    expect(l.interactions.n).toBe(l.users * interactive);
    expect(Object.values(l.byQuestion).reduce((a, x) => a + x.n, 0)).toBe(l.users * perSession);
    expect(l.pool).toBe(l.users);
    expect(l.queries.p95).toBeGreaterThan(0);
    expect(l.ratio.queries).toBeCloseTo(l.queries.p95 / r.duckdb.queries.p95, 2);
    expect(l.ratio.interactions).toBeCloseTo(l.interactions.p95 / r.duckdb.interactions.p95, 2);
  }

  // The same answers: every distinct question, once per users level.
  expect(r.answers.compared).toBe(USERS.length * r.plan.distinctQuestions);
  expect(r.answers.mismatches).toEqual([]);
  expect(r.answers.same).toBe(r.answers.compared);
  expect(r.answersMatch).toBe(true);

  const [duckGoal, ratioGoal] = r.goals;
  expect(duckGoal).toMatchObject({ limit: 100, pass: r.duckdb.interactions.p95 <= 100 });
  expect(ratioGoal).toMatchObject({ ratio: r.postgres[1]!.ratio.interactions, limit: 10 });
  expect(r.explain).toHaveLength(1);
  expect(r.explain[0]!.executionMs).toBeGreaterThan(0);
  expect(r.explain[0]!.hotspots.length).toBeGreaterThan(0);
  expect(r.machine.postgres).toMatch(/^\d+/);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  expect(formatQueryReport(r)).toMatch(new RegExp(`answers: ${r.answers.compared} of ${r.answers.compared} compared the same`));
}, 120_000);

it('a question rendered for PostgreSQL gives the marts’ own figures, as DuckDB-WASM does from the extracts', async () => {
  const manifest = readManifest(extracts);
  const f = defaultFilters(manifest.data_as_of);
  const series = kpiSeries(f);
  const count = customerCountQuery({ ...f, region: [] }, []);
  const duck = await startDuckSide(extracts, ['kpi_month', 'customer']);
  const pool = newPool({ url: p!.scratch.url, max: 1, tz: 'Asia/Shanghai', statementTimeoutMs: 60_000 });
  try {
    const marts = await martSources(pool, manifest);
    // Computed here from the mart views directly, without the builders.
    const expected = (await pool.query<{ month: string; revenue: number; active_customers: number }>(
      `select to_char(month, 'YYYY-MM-DD') as month, revenue, active_customers from mart.kpi_month where month between $1 and $2 order by month`,
      [addMonths(f.to, -12), f.to],
    )).rows;
    const customers = (await pool.query<{ n: number }>(`select count(*)::int as n from mart.customer`)).rows[0]!.n;
    expect(expected.length).toBeGreaterThan(1);
    expect(customers).toBe(150);

    const pgSeries = (await pool.query(pgQuestion(series, marts).text, pgQuestion(series, marts).values)).rows;
    const duckSeries = await duck.answer(series);
    for (const rows of [pgSeries, duckSeries]) {
      expect(rows.map((x) => x.month)).toEqual(expected.map((x) => x.month));
      expect(rows.map((x) => x.active_customers)).toEqual(expected.map((x) => x.active_customers));
      rows.forEach((x, i) => expect(x.revenue).toBeCloseTo(expected[i]!.revenue, 6));
    }
    const q = pgQuestion(count, marts);
    expect((await pool.query(q.text, q.values)).rows).toEqual([{ n: customers }]);
    expect(await duck.answer(count)).toEqual([{ n: customers }]);
  } finally {
    await pool.end();
  }
}, 60_000);

it('every view’s questions, unfiltered and filtered, get the same answers from both sides', async () => {
  const manifest = readManifest(extracts);
  const duck = await startDuckSide(extracts, manifest.files.map((f) => f.name));
  const pool = newPool({ url: p!.scratch.url, max: 1, tz: 'Asia/Shanghai', statementTimeoutMs: 60_000 });
  try {
    const marts = await martSources(pool, manifest);
    const base = defaultFilters(manifest.data_as_of);
    const first = async (dim: 'segment' | 'region') => String((await duck.answer(dimensionValuesQuery(dim)))[0]!.value);
    const channel = String((await duck.answer(channelValuesQuery()))[0]!.value);
    const filterSets = [
      base,
      { ...base, from: addMonths(base.to, -2), compare: 'year' as const },
      { ...base, segment: [await first('segment')], channel: [channel] },
      { ...base, region: [await first('region')] },
    ];
    let compared = 0;
    for (const f of filterSets) {
      for (const view of VIEWS) {
        const state = { ...DEFAULT_STATE, view, drill: view === 'segments' && f === base ? [await first('segment')] : [] };
        for (const q of viewQuestions(state, f)) {
          const sql = pgQuestion(q.query, marts);
          const d = compareAnswers(await duck.answer(q.query), (await pool.query(sql.text, sql.values)).rows);
          expect(d.same, `${view} ${q.name} ${JSON.stringify(f)}: ${d.detail}`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBe(filterSets.length * 16); // overview 3, segments 1, usage 4, satisfaction 3, service 5
  } finally {
    await pool.end();
  }
}, 60_000);
