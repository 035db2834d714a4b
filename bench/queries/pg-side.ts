// The live-query BI side: the same questions asked of the PostgreSQL mart views
// over connections, as Metabase or Superset would, by N simulated users at
// once, each playing the scripted session(s) with its questions back to back.
//
// The users share one connection pool, as a BI server's users do (its pool to
// the warehouse), opened before the clock starts. A question's latency is what
// its user waits: for a free connection (pool wait, reported on its own) plus
// the query. Meanwhile a sampler reads pg_stat_activity every 100 ms: what the
// benchmark's active backends are waiting on (none = running on a CPU).

import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { Manifest } from '../../dashboard/src/data/api.ts';
import type { Row } from '../../dashboard/src/data/engine.ts';
import { answerKey } from '../../dashboard/src/data/source.ts';
import { typeParsers } from '../../etl/db/connection.ts';
import { describeMart, planExtract } from '../../etl/extract/mart-query.ts';
import { MARTS } from '../../etl/transform/mart-catalog.ts';
import type { QuestionSample, StepSample } from './duckdb-side.ts';
import { pgQuestion, type MartSources, type PgQuery } from './pg-dialect.ts';
import type { PlannedStep } from './plan.ts';

export const APPLICATION_NAME = 'gridlens-bench-queries';

export interface PgRunOptions {
  url: string;
  users: number;
  /** Connections of the BI server's pool. */
  pool: number;
  sessions: number;
  /** Utility time zone (session TimeZone, as the ETL's pool sets it). */
  tz: string;
  /** Per query; a question over it fails (counted, not timed). */
  statementTimeoutMs: number;
  /**
   * Users start no new step after this many ms (the step under way finishes):
   * bounds a long rush; what was answered is what is counted.
   */
  durationMs?: number;
}

export interface PgUserRun {
  questions: QuestionSample[];
  steps: StepSample[];
  /** ms each question waited for a connection. */
  poolWaitMs: number[];
  failed: { question: string; message: string }[];
  /** Answers of user 0's first session, by answerKey. */
  answers: Map<string, Row[]>;
  wallMs: number;
  /** Steps not started because durationMs had passed (0: every session played in full). */
  stepsCut: number;
  /** pg_stat_activity samples of the benchmark's active backends: wait event (or 'no wait': on a CPU or in its run queue) → samples. */
  activity: Record<string, number>;
  activitySamples: number;
}

export function newPool(o: { url: string; max: number; tz: string; statementTimeoutMs: number }): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max,
    types: typeParsers,
    options: `-c TimeZone=${o.tz} -c statement_timeout=${Math.round(o.statementTimeoutMs)}`,
    application_name: APPLICATION_NAME,
  });
  pool.on('error', () => undefined); // an idle client dropped: the next query reports it
  return pool;
}

/**
 * Each extract's rows as PostgreSQL computes them from its mart view: the
 * extract's own SQL (suppression with the manifest's K), without the ORDER BY
 * a file needs.
 */
export async function martSources(pool: pg.Pool, manifest: Manifest): Promise<MartSources> {
  const client = await pool.connect();
  try {
    const out = new Map<string, string>();
    for (const spec of MARTS) {
      if (!manifest.files.some((f) => f.name === spec.name)) continue;
      const plan = planExtract(spec, await describeMart(client, spec.name), manifest.suppression.k);
      const orderBy = ` order by ${spec.grain.map((g) => `"${g}"`).join(', ')}`;
      out.set(spec.name, plan.sql.endsWith(orderBy) ? plan.sql.slice(0, -orderBy.length) : plan.sql);
    }
    return out;
  } finally {
    client.release();
  }
}

/** Every question of the plan rendered for PostgreSQL once, by answerKey. */
export function renderPlan(plan: readonly PlannedStep[], marts: MartSources): Map<string, PgQuery> {
  const out = new Map<string, PgQuery>();
  for (const s of plan) for (const q of s.questions) {
    const key = answerKey(q.query);
    if (!out.has(key)) out.set(key, pgQuestion(q.query, marts));
  }
  return out;
}

function startActivitySampler(url: string): { stop(): Promise<{ counts: Record<string, number>; samples: number }> } {
  const client = new pg.Client({ connectionString: url, application_name: `${APPLICATION_NAME}-sampler` });
  client.on('error', () => undefined);
  const counts: Record<string, number> = {};
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const r = await client.query<{ what: string; n: number }>(
        `select coalesce(wait_event_type || ':' || wait_event, 'no wait') as what, count(*)::int as n
           from pg_stat_activity where application_name = $1 and state = 'active' group by 1`,
        [APPLICATION_NAME],
      );
      samples++;
      for (const { what, n } of r.rows) counts[what] = (counts[what] ?? 0) + n;
      await new Promise((res) => setTimeout(res, 100));
    }
  })().catch(() => undefined);
  return {
    async stop() {
      stopped = true;
      await loop;
      await client.end().catch(() => undefined);
      return { counts, samples };
    },
  };
}

/**
 * `users` users play the plan `sessions` times each, all starting together;
 * user u starts its session u/users of the way in (and wraps around), so the
 * users are not in lockstep on the same view: the rush mixes every view's
 * questions throughout. User 0 starts at the beginning.
 */
export async function runPgUsers(plan: readonly PlannedStep[], rendered: ReadonlyMap<string, PgQuery>, o: PgRunOptions): Promise<PgUserRun> {
  const pool = newPool({ url: o.url, max: o.pool, tz: o.tz, statementTimeoutMs: o.statementTimeoutMs });
  const questions: QuestionSample[] = [];
  const steps: StepSample[] = [];
  const poolWaitMs: number[] = [];
  const failed: PgUserRun['failed'] = [];
  const answers = new Map<string, Row[]>();
  try {
    // A BI server's pool is open before its users arrive: connect every connection first.
    const clients = await Promise.all(Array.from({ length: o.pool }, () => pool.connect()));
    for (const c of clients) c.release();

    let stepsCut = 0;
    let start = 0;
    const user = async (u: number): Promise<void> => {
      const offset = Math.floor((u * plan.length) / o.users);
      for (let session = 0; session < o.sessions; session++) {
        for (let i = 0; i < plan.length; i++) {
          const s = plan[(i + offset) % plan.length]!;
          if (o.durationMs !== undefined && performance.now() - start > o.durationMs) {
            stepsCut++;
            continue;
          }
          let stepMs = 0;
          let answered = 0;
          for (const q of s.questions) {
            const key = answerKey(q.query);
            const sql = rendered.get(key)!;
            const t0 = performance.now();
            const client = await pool.connect();
            const t1 = performance.now();
            try {
              const r = await client.query(sql.text, sql.values);
              const ms = performance.now() - t0;
              stepMs += ms;
              answered++;
              questions.push({ session: u * o.sessions + session, step: s.index, name: q.name, ms });
              poolWaitMs.push(t1 - t0);
              if (u === 0 && session === 0) answers.set(key, r.rows as Row[]);
            } catch (err) {
              failed.push({ question: q.name, message: (err as Error).message });
            } finally {
              client.release();
            }
          }
          if (answered === s.questions.length) steps.push({ session: u * o.sessions + session, step: s.index, label: s.step, ms: stepMs, questions: answered });
        }
      }
    };

    const sampler = startActivitySampler(o.url);
    start = performance.now();
    await Promise.all(Array.from({ length: o.users }, (_, u) => user(u)));
    const wallMs = performance.now() - start;
    const activity = await sampler.stop();
    return { questions, steps, poolWaitMs, failed, answers, wallMs, stepsCut, activity: activity.counts, activitySamples: activity.samples };
  } finally {
    await pool.end();
  }
}

/** The node of a plan that took the most time of its own (its time less its children's). */
export interface PlanHotspot {
  node: string;
  selfMs: number;
}

export interface ExplainResult {
  question: string;
  executionMs: number;
  planningMs: number;
  /** Nodes by time of their own, largest first (top 4). */
  hotspots: PlanHotspot[];
  sharedHitBlocks: number;
  sharedReadBlocks: number;
  tempWrittenBlocks: number;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'CTE Name'?: string;
  Strategy?: string;
  'Actual Total Time'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** Per node: its actual time (total × loops) less its children's: where the time went. */
export function planHotspots(root: PlanNode): PlanHotspot[] {
  const out: PlanHotspot[] = [];
  const total = (n: PlanNode) => (n['Actual Total Time'] ?? 0) * (n['Actual Loops'] ?? 1);
  const walk = (n: PlanNode): void => {
    const children = n.Plans ?? [];
    const self = total(n) - children.reduce((a, c) => a + total(c), 0);
    const what = [n['Node Type'], n.Strategy, n['Relation Name'] ?? n['CTE Name']].filter(Boolean).join(' ');
    out.push({ node: what, selfMs: Math.round(Math.max(0, self) * 10) / 10 });
    children.forEach(walk);
  };
  walk(root);
  return out.sort((a, b) => b.selfMs - a.selfMs);
}

/** EXPLAIN (ANALYZE, BUFFERS) of a question, alone on the server. */
export async function explainQuestion(url: string, tz: string, name: string, q: PgQuery): Promise<ExplainResult> {
  const pool = newPool({ url, max: 1, tz, statementTimeoutMs: 600_000 });
  try {
    const r = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode & Record<string, number>; 'Execution Time': number; 'Planning Time': number }] }>(
      `explain (analyze, buffers, format json) ${q.text}`,
      q.values,
    );
    const [top] = r.rows[0]!['QUERY PLAN'];
    return {
      question: name,
      executionMs: top['Execution Time'],
      planningMs: top['Planning Time'],
      hotspots: planHotspots(top.Plan).slice(0, 4),
      sharedHitBlocks: top.Plan['Shared Hit Blocks'] ?? 0,
      sharedReadBlocks: top.Plan['Shared Read Blocks'] ?? 0,
      tempWrittenBlocks: top.Plan['Temp Written Blocks'] ?? 0,
    };
  } finally {
    await pool.end();
  }
}
