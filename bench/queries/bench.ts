// The dashboard's questions in DuckDB-WASM against the same questions asked of
// live PostgreSQL marts (issue 6, scenario 5): runQueryBench plans the scripted
// session's questions (plan.ts), times them on one DuckDB-WASM engine (one
// user's browser: the in-browser side does not share a server, so more users
// do not slow it), then on PostgreSQL with each users level in turn, all
// users sharing a BI server's pool; checks that both sides give the same
// answers; explains the slowest questions. Returns a JSON-serialisable result.

import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import type { Row } from '../../dashboard/src/data/engine.ts';
import { answerKey } from '../../dashboard/src/data/source.ts';
import { redactUrl } from '../../etl/db/connection.ts';
import { planSession } from '../browser/session-plan.ts';
import { extractsFacts, readManifest, type ExtractsFacts } from '../browser/extracts.ts';
import { monthsQuery } from '../../dashboard/src/data/queries/segments.ts';
import { compareAnswers } from './compare.ts';
import { runDuckSessions, startDuckSide, type QuestionSample, type StepSample } from './duckdb-side.ts';
import { explainQuestion, martSources, newPool, renderPlan, runPgUsers, type ExplainResult } from './pg-side.ts';
import { distinctQuestions, planQuestions, type PlannedStep } from './plan.ts';
import { latency, limitGoal, p95Ratio, QUERY_GOALS, ratioGoal, type Latency, type LimitGoal, type RatioGoal } from './stats.ts';

/** Metabase's default pool to a data warehouse (MB_JDBC_DATA_WAREHOUSE_MAX_CONNECTION_POOL_SIZE). */
export const BI_POOL_DEFAULT = 15;

export interface QueryBenchOptions {
  /** PostgreSQL holding the marts the extracts were published from. */
  databaseUrl: string;
  /** Extracts folder (current/manifest.json) published from that database. */
  extracts: string;
  /** Users levels for the PostgreSQL side (default [1, 50]). */
  users?: number[];
  /** Sessions each user plays (default 1). */
  sessions?: number;
  /** Scripted interactions per session (planSession; default 43 = one tour of every view). */
  steps?: number;
  /** The BI server's pool size (default min(users, 15)). */
  pool?: number;
  /** Users levels above 1 start no new step after this many ms (default: every session in full). */
  durationMs?: number;
  /** Per PostgreSQL query (default 300 s). */
  statementTimeoutMs?: number;
  /** EXPLAIN ANALYZE the N slowest questions (by PostgreSQL time at the first users level; default 3). */
  explain?: number;
  log?: (line: string) => void;
}

export interface SideFigures {
  /** Every question (the session's opening included). */
  queries: Latency;
  /** Scripted steps that asked something: their questions back to back. */
  interactions: Latency;
  byQuestion: Record<string, Latency>;
  wallMs: number;
}

/** 1-minute load average before and after a phase (the machine is shared). */
export interface MachineLoad {
  before: number;
  after: number;
}

export interface PgLevel extends SideFigures {
  users: number;
  load: MachineLoad;
  pool: number;
  sessions: number;
  poolWait: Latency;
  questionsAnswered: number;
  questionsFailed: number;
  /** Steps the users did not start because the level's duration had passed. */
  stepsCut: number;
  errors: string[];
  /** Answered questions per second over the level's wall time. */
  throughputQps: number;
  /** pg_stat_activity samples of active benchmark backends: share of each wait event ('no wait' = none: running on a CPU or waiting for one). */
  activeBackends: { mean: number; waits: Record<string, number> };
  ratio: { interactions: number | null; queries: number | null };
}

export interface QueryBenchResult {
  when: string;
  machine: { cpu: string; cores: number; memory_gb: number; node: string; postgres: string };
  database: string;
  extracts: ExtractsFacts;
  options: { users: number[]; sessions: number; steps: number; pool: number | null; statementTimeoutMs: number; durationMs: number | null };
  plan: { steps: number; questionsPerSession: number; distinctQuestions: number; stepsWithoutQuestions: number; byView: Record<string, number> };
  duckdb: SideFigures & {
    loadMs: number;
    sessions: number;
    /** The untimed first session on a fresh engine (wasm not yet optimised), for reference. */
    cold: { queries: Latency; interactions: Latency };
    load: MachineLoad;
  };
  postgres: PgLevel[];
  answers: { compared: number; same: number; orderDiffers: number; mismatches: { question: string; detail: string }[] };
  /** True when every compared answer was the same (else the comparison is meaningless). */
  answersMatch: boolean;
  goals: (LimitGoal | RatioGoal)[];
  explain: ExplainResult[];
}

function figures(questions: QuestionSample[], steps: StepSample[], wallMs: number): SideFigures {
  const by = new Map<string, number[]>();
  for (const q of questions) by.set(q.name, [...(by.get(q.name) ?? []), q.ms]);
  const counted = steps.filter((s) => s.step > 0 && s.questions > 0).map((s) => s.ms);
  return {
    queries: latency(questions.map((q) => q.ms)),
    interactions: latency(counted.length ? counted : [0]),
    byQuestion: Object.fromEntries([...by].map(([k, v]) => [k, latency(v)])),
    wallMs: Math.round(wallMs),
  };
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  } catch {
    return cpus()[0]?.model ?? 'unknown';
  }
}

export async function runQueryBench(o: QueryBenchOptions): Promise<QueryBenchResult> {
  const log = o.log ?? (() => undefined);
  const users = o.users ?? [1, 50];
  const sessions = o.sessions ?? 1;
  const stepCount = o.steps ?? 43;
  const statementTimeoutMs = o.statementTimeoutMs ?? 300_000;
  if (users.some((u) => !Number.isInteger(u) || u < 1)) throw new Error(`users levels must be positive integers, not ${users.join(',')}`);

  // The setup pool: server facts, the marts' suppressed sources, the utility's time zone.
  const manifest = readManifest(o.extracts);
  const setup = newPool({ url: o.databaseUrl, max: 1, tz: 'UTC', statementTimeoutMs });
  let tz: string;
  let postgres: string;
  let marts: Awaited<ReturnType<typeof martSources>>;
  try {
    postgres = (await setup.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]!.v;
    tz = (await setup.query<{ tz: string }>(`select time_zone as tz from ops.mart_settings`).catch(() => ({ rows: [{ tz: 'Asia/Shanghai' }] }))).rows[0]?.tz ?? 'Asia/Shanghai';
    marts = await martSources(setup, manifest);
  } finally {
    await setup.end();
  }

  // One engine with every extract loaded, as the page has once its background
  // loads are done; the planner resolves picks (filter values, drill groups) on it.
  const side = await startDuckSide(o.extracts, manifest.files.map((f) => f.name));
  const months = (await side.answer(monthsQuery())).length;
  const steps = planSession(stepCount, { months: Math.max(1, months) });
  const plan: PlannedStep[] = await planQuestions(steps, { dataAsOf: manifest.data_as_of, answer: side.answer });
  const distinct = distinctQuestions(plan);
  const byView: Record<string, number> = {};
  for (const s of plan) byView[s.view] = (byView[s.view] ?? 0) + s.questions.length;
  log(`plan: ${plan.length - 1} steps + opening, ${plan.reduce((a, s) => a + s.questions.length, 0)} questions per session (${distinct.length} distinct)`);

  // DuckDB-WASM: one session untimed first (V8 compiles the wasm with its
  // baseline tier and optimises hot code within the first seconds of use:
  // that session is reported on its own as the cold one), then the sessions.
  const loadBefore = loadavg()[0]!;
  const coldRun = await runDuckSessions(side.engine, plan, 1);
  const duckRun = await runDuckSessions(side.engine, plan, sessions);
  const duckFigures = figures(duckRun.questions, duckRun.steps, duckRun.wallMs);
  const duckCold = figures(coldRun.questions, coldRun.steps, coldRun.wallMs);
  const duckLoad = { before: loadBefore, after: loadavg()[0]! };
  log(`duckdb-wasm: ${duckRun.questions.length} questions, p95 ${duckFigures.queries.p95} ms; interactions p95 ${duckFigures.interactions.p95} ms (cold session ${duckCold.interactions.p95} ms; load ${Math.round(side.loadMs)} ms)`);

  // PostgreSQL: one session untimed first (caches warm, as on a server in use), then each users level.
  const rendered = renderPlan(plan, marts);
  log('postgresql: warm-up session …');
  await runPgUsers(plan, rendered, { url: o.databaseUrl, users: 1, pool: 1, sessions: 1, tz, statementTimeoutMs });
  const levels: PgLevel[] = [];
  const answerSets: Map<string, Row[]>[] = [];
  for (const n of users) {
    const pool = o.pool ?? Math.min(n, BI_POOL_DEFAULT);
    log(`postgresql: ${n} user(s), pool ${pool}, ${sessions} session(s) each …`);
    const before = loadavg()[0]!;
    const durationMs = n > 1 ? o.durationMs : undefined;
    const run = await runPgUsers(plan, rendered, { url: o.databaseUrl, users: n, pool, sessions, tz, statementTimeoutMs, durationMs });
    const load = { before, after: loadavg()[0]! };
    if (run.questions.length === 0) throw new Error(`PostgreSQL answered no question with ${n} users: ${run.failed[0]?.message ?? 'no question asked'}`);
    const f = figures(run.questions, run.steps, run.wallMs);
    const totalActive = Object.values(run.activity).reduce((a, v) => a + v, 0);
    levels.push({
      users: n, pool, sessions, ...f, load,
      poolWait: latency(run.poolWaitMs),
      questionsAnswered: run.questions.length,
      questionsFailed: run.failed.length,
      stepsCut: run.stepsCut,
      errors: [...new Set(run.failed.map((x) => `${x.question}: ${x.message}`))].slice(0, 5),
      throughputQps: Math.round((run.questions.length / (run.wallMs / 1000)) * 100) / 100,
      activeBackends: {
        mean: run.activitySamples ? Math.round((totalActive / run.activitySamples) * 10) / 10 : 0,
        waits: Object.fromEntries(Object.entries(run.activity).sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round((v / Math.max(1, totalActive)) * 1000) / 1000])),
      },
      ratio: { interactions: p95Ratio(f.interactions, duckFigures.interactions), queries: p95Ratio(f.queries, duckFigures.queries) },
    });
    answerSets.push(run.answers);
    log(`postgresql ${n} user(s): p95 ${f.queries.p95} ms; interactions p95 ${f.interactions.p95} ms; ${run.failed.length} failed`);
  }

  // Same answers? Every question user 0's first session got, at every level.
  const answers: QueryBenchResult['answers'] = { compared: 0, same: 0, orderDiffers: 0, mismatches: [] };
  for (const set of answerSets) {
    for (const q of distinct) {
      const pgRows = set.get(answerKey(q.query));
      const duckRows = duckRun.answers.get(answerKey(q.query));
      if (!pgRows || !duckRows) continue;
      answers.compared++;
      const d = compareAnswers(duckRows, pgRows);
      if (d.same) answers.same++;
      if (d.orderDiffers) answers.orderDiffers++;
      if (!d.same) answers.mismatches.push({ question: q.name, detail: d.detail ?? '' });
    }
  }

  const goals: (LimitGoal | RatioGoal)[] = [limitGoal('DuckDB-WASM interaction p95 (ms)', duckFigures.interactions.p95, QUERY_GOALS.interactionP95Ms)];
  const rush = levels.find((l) => l.users === QUERY_GOALS.users) ?? levels[levels.length - 1]!;
  const rg = ratioGoal(`PostgreSQL p95 at ${rush.users} users ÷ DuckDB-WASM p95 (interactions)`, rush.ratio.interactions, QUERY_GOALS.ratioAtLeast);
  if (rg) goals.push(rg);

  // What dominates PostgreSQL's time: the slowest questions, each alone on the server.
  const explain: ExplainResult[] = [];
  const slowest = Object.entries(levels[0]!.byQuestion).sort((a, b) => b[1].p95 - a[1].p95).slice(0, o.explain ?? 3);
  for (const [name] of slowest) {
    const q = distinct.find((x) => x.name === name)!;
    explain.push(await explainQuestion(o.databaseUrl, tz, name, rendered.get(answerKey(q.query))!));
  }

  return {
    when: new Date().toISOString(),
    machine: { cpu: cpuModel(), cores: cpus().length, memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version, postgres },
    database: redactUrl(o.databaseUrl),
    extracts: extractsFacts(o.extracts, manifest),
    options: { users, sessions, steps: stepCount, pool: o.pool ?? null, statementTimeoutMs, durationMs: o.durationMs ?? null },
    plan: {
      steps: plan.length - 1,
      questionsPerSession: plan.reduce((a, s) => a + s.questions.length, 0),
      distinctQuestions: distinct.length,
      stepsWithoutQuestions: plan.filter((s) => s.questions.length === 0).length,
      byView,
    },
    duckdb: { ...duckFigures, loadMs: Math.round(side.loadMs), sessions, cold: { queries: duckCold.queries, interactions: duckCold.interactions }, load: duckLoad },
    postgres: levels,
    answers,
    answersMatch: answers.mismatches.length === 0 && answers.compared > 0,
    goals,
    explain,
  };
}
