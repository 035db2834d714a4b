// Gridlens's side: the questions asked of DuckDB-WASM, as one user's browser
// does: one engine (the Node blocking bundle, same SQL, settings and result
// conversion as the browser's worker: etl/extract/duckdb-node.ts), the
// extracts loaded through the dashboard's own data source (manifest, IPC
// insert, row-count check), then each step's questions back to back. Timed
// around engine.query (prepare, bind, execute, rows to objects); the data
// source's answer cache is bypassed, so a repeated question is recomputed.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BuiltQuery, Manifest } from '../../dashboard/src/data/api.ts';
import type { Engine, Row } from '../../dashboard/src/data/engine.ts';
import { ExtractError, type ExtractFetcher } from '../../dashboard/src/data/extract-fetch.ts';
import { answerKey, createDataSource } from '../../dashboard/src/data/source.ts';
import { startNodeEngine } from '../../etl/extract/duckdb-node.ts';
import { readManifest } from '../browser/extracts.ts';
import type { PlannedStep } from './plan.ts';

/** One timed question. */
export interface QuestionSample {
  session: number;
  step: number;
  name: string;
  ms: number;
}

/** One step's questions back to back (the interaction's query time). */
export interface StepSample {
  session: number;
  step: number;
  label: string;
  ms: number;
  questions: number;
}

export interface SideRun {
  questions: QuestionSample[];
  steps: StepSample[];
  /** Answers of the first session, by answerKey (for the comparison). */
  answers: Map<string, Row[]>;
  wallMs: number;
}

/** The extracts folder as an ExtractFetcher: what the page would fetch, read from disk. */
export function fileExtractFetcher(dir: string): ExtractFetcher {
  return {
    async manifest() {
      return readManifest(dir);
    },
    async file(m, f) {
      const bytes = new Uint8Array(await readFile(join(dir, 'versions', m.version, f.file)));
      if (bytes.byteLength !== f.bytes) throw new ExtractError(`${f.file}: ${bytes.byteLength} bytes, the manifest says ${f.bytes}`);
      return bytes;
    },
  };
}

export interface DuckSide {
  manifest: Manifest;
  /** ms to instantiate the engine and load every extract the plan reads (once per page load). */
  loadMs: number;
  answer(query: BuiltQuery): Promise<Row[]>;
}

/** Starts the engine and loads `extracts` (mart names) from the folder, as the dashboard does. */
export async function startDuckSide(dir: string, extracts: readonly string[]): Promise<DuckSide & { engine: Engine }> {
  const t0 = performance.now();
  let engine: Engine | undefined;
  const source = createDataSource({ engine: async () => (engine = await startNodeEngine()), fetcher: fileExtractFetcher(dir) });
  const manifest = await source.manifest();
  await source.load(extracts);
  const loadMs = performance.now() - t0;
  if (!engine) throw new Error('the data source loaded the extracts without starting the engine');
  const e = engine;
  return { manifest, loadMs, engine: e, answer: (q) => e.query(q.sql, q.params) };
}

/** Runs the plan `sessions` times on the engine, timing each question. */
export async function runDuckSessions(engine: Engine, plan: readonly PlannedStep[], sessions: number): Promise<SideRun> {
  const questions: QuestionSample[] = [];
  const steps: StepSample[] = [];
  const answers = new Map<string, Row[]>();
  const start = performance.now();
  for (let session = 0; session < sessions; session++) {
    for (const s of plan) {
      let stepMs = 0;
      for (const q of s.questions) {
        const t0 = performance.now();
        const rows = await engine.query(q.query.sql, q.query.params);
        const ms = performance.now() - t0;
        stepMs += ms;
        questions.push({ session, step: s.index, name: q.name, ms });
        if (session === 0) answers.set(answerKey(q.query), rows);
      }
      steps.push({ session, step: s.index, label: s.step, ms: stepMs, questions: s.questions.length });
    }
  }
  return { questions, steps, answers, wallMs: performance.now() - start };
}
