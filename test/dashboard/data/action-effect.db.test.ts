// Improvement actions end to end: a generated utility with a planted action
// (etl/generate/improvement-actions.ts) through the real ETL (the register in
// actions/actions.csv included) into mart.action_effect and the published
// extract; the Satisfaction view's panel query (actionEffectQuery) run in
// DuckDB-WASM must equal the mart. The mart's cells and DiD are also
// recomputed independently from the inbox CSV files with etl/actions/did.ts.
import fs from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters, Manifest } from '../../../dashboard/src/data/api.ts';
import { runQuery, setDataSource } from '../../../dashboard/src/data/client.ts';
import { httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import { ACTION_EFFECT_COLUMNS, actionEffectQuery, type ActionEffectRow } from '../../../dashboard/src/data/queries/action-effect.ts';
import { createDataSource, type DataSource } from '../../../dashboard/src/data/source.ts';
import { defaultFilters } from '../../../dashboard/src/data/sql.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { cellOf, differenceInDifferences } from '../../../etl/actions/did.ts';
import { CsvParser } from '../../../etl/ingest/csv-parser.ts';
import { generatedInbox, readTruth } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../../etl/run/pipeline-helpers.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

const K = 5;
// 15 months so that a survey wave before and two after the action date avoid the planted incident's wave; daily meters keep it quick.
const DAILY = { large_industrial: 1440, commercial: 1440, residential: 1440, agricultural: 1440 } as const;
const FIXTURE = { customers: 3000, months: 15, seed: 7, end: '2026-09', surveyRate: 0.3, intervals: DAILY };
let p: Pipeline;
let server: RunningServer;
let dist: string;
let source: DataSource;
let manifest: Manifest;
let inbox: string;
let all: Filters;

beforeAll(async () => {
  inbox = generatedInbox(FIXTURE);
  p = await pipelineDatabase('dashactions');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: String(K) });
  expect(r.code, r.stderr).toBe(0);
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-dist-'));
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts });
  source = createDataSource({ engine: () => startNodeEngine(), fetcher: httpExtractFetcher(new URL('extracts/', server.url)) });
  setDataSource(source);
  manifest = await source.manifest();
  all = { ...defaultFilters(manifest.data_as_of), from: '2025-07-01', to: '2026-09-01' };
}, 900_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
});

async function mart(): Promise<Record<string, any>[]> {
  const { rows } = await p.pool.query(`select *, action_date::text as action_date, before_start::text as before_start, after_end::text as after_end from mart.action_effect order by action_id`);
  return rows;
}

function records(file: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(readFileSync(file, 'utf8')), ...parser.end()].map((r) => r.fields);
}

/** The four cells of an action recomputed from the inbox files: region and class from the customers files (clean fixture: they never change). */
function cellsFromFiles(a: { action_date: string; before_start: string; after_end: string; regions: string; segments: string | null; target: string }) {
  const who = new Map<string, { region: string; cls: string }>();
  for (const f of readdirSync(path.join(inbox, 'customers')).sort()) {
    const [head, ...rows] = records(path.join(inbox, 'customers', f));
    const at = (c: string) => head.indexOf(c);
    for (const r of rows) if (r.length === head.length) who.set(r[at('customer_id')], { region: r[at('region')], cls: r[at('customer_class')] });
  }
  const treatedRegions = a.regions.split(';');
  const segments = a.segments === null ? null : a.segments.split(';');
  const values: Record<string, number[]> = { tb: [], ta: [], ub: [], ua: [] };
  for (const f of readdirSync(path.join(inbox, 'surveys')).sort()) {
    const [head, ...rows] = records(path.join(inbox, 'surveys', f));
    const at = (c: string) => head.indexOf(c);
    for (const r of rows) {
      const c = who.get(r[at('customer_id')]);
      const day = r[at('responded_on')];
      if (!c || day < a.before_start || day >= a.after_end) continue;
      if (segments !== null && !segments.includes(c.cls)) continue; // the placebo's residential segment = the class
      const raw = r[at(a.target)];
      if (raw === '') continue;
      const v = a.target === 'nps' ? (Number(raw) >= 9 ? 100 : Number(raw) >= 7 ? 0 : -100) : Number(raw);
      values[`${treatedRegions.includes(c.region) ? 't' : 'u'}${day >= a.action_date ? 'a' : 'b'}`].push(v);
    }
  }
  return { treatedBefore: cellOf(values.tb), treatedAfter: cellOf(values.ta), untreatedBefore: cellOf(values.ub), untreatedAfter: cellOf(values.ua) };
}

function close(actual: number | null | undefined, expected: number | null | undefined, label: string): void {
  if (expected === null || expected === undefined) return expect(actual ?? null, label).toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('mart.action_effect on a generated utility', () => {
  it('loads the register and holds the planted effect inside the interval of IA01; the placebo IA02 interval holds 0', async () => {
    const truth = readTruth(inbox).planted.improvement_actions;
    expect(truth).not.toBeNull();
    const rows = await mart();
    expect(rows.map((r) => r.action_id)).toEqual(truth.cases.map((c: any) => c.action_id));
    for (const c of truth.cases) {
      const r = rows.find((x) => x.action_id === c.action_id)!;
      console.log('action effect', JSON.stringify({ action: c.action_id, target: c.target, planted: c.effect, did: r.did, low: r.did_low, high: r.did_high, outcome: r.outcome,
        n: [r.treated_before_n, r.treated_after_n, r.untreated_before_n, r.untreated_after_n] }));
      expect(r.action_date).toBe(c.action_date);
      expect(r.treated_after_n).toBe(c.treated_responses_after);
      expect(r.did_low).toBeLessThanOrEqual(c.effect);
      expect(r.did_high).toBeGreaterThanOrEqual(c.effect);
    }
    const planted = rows.find((r) => r.action_id === 'IA01')!;
    expect(planted.outcome).toBe('improved');
    const placebo = rows.find((r) => r.action_id === 'IA02')!;
    expect(placebo.outcome).toBe('no_change');
  });

  it('cells, DiD and interval equal a recomputation from the inbox files', async () => {
    for (const r of await mart()) {
      const cells = cellsFromFiles(r as any);
      const d = differenceInDifferences(cells);
      expect([r.treated_before_n, r.treated_after_n, r.untreated_before_n, r.untreated_after_n], r.action_id)
        .toEqual([cells.treatedBefore.n, cells.treatedAfter.n, cells.untreatedBefore.n, cells.untreatedAfter.n]);
      close(r.treated_before_mean, cells.treatedBefore.mean, `${r.action_id} tb`);
      close(r.untreated_after_mean, cells.untreatedAfter.mean, `${r.action_id} ua`);
      close(r.did, d.did, `${r.action_id} did`);
      close(r.did_se, d.se, `${r.action_id} se`);
      close(r.did_low, d.low, `${r.action_id} low`);
      close(r.did_high, d.high, `${r.action_id} high`);
      expect(r.min_cell_responses).toBe(Math.min(cells.treatedBefore.n, cells.treatedAfter.n, cells.untreatedBefore.n, cells.untreatedAfter.n));
    }
  });
});

describe('actionEffectQuery in DuckDB-WASM = mart.action_effect in PostgreSQL', () => {
  it('every column of every action, with the extract small-cell rule', async () => {
    const rows = await runQuery<ActionEffectRow>(actionEffectQuery(all));
    const expected = await mart();
    expect(rows.map((r) => r.action_id).sort()).toEqual(expected.map((r) => r.action_id).sort());
    for (const r of rows) {
      const e = expected.find((x) => x.action_id === r.action_id)!;
      const suppressed = e.min_cell_responses < K;
      expect(r.suppressed, r.action_id).toBe(suppressed);
      for (const c of ACTION_EFFECT_COLUMNS) {
        if (c === 'suppressed') continue;
        const v = (r as any)[c];
        const want = suppressed && !['action_id', 'action_date', 'target', 'regions', 'segments', 'description'].includes(c) ? null : e[c];
        if (typeof want === 'number') close(v, want, `${r.action_id} ${c}`);
        else expect(v ?? null, `${r.action_id} ${c}`).toEqual(want ?? null);
      }
    }
  });

  it('the region filter keeps the actions treating a selected region; a period before every action shows none', async () => {
    const ia01 = await runQuery<ActionEffectRow>(actionEffectQuery({ ...all, region: ['江城区'] }));
    expect(ia01.map((r) => r.action_id)).toEqual(['IA01']);
    const none = await runQuery<ActionEffectRow>(actionEffectQuery({ ...all, from: '2025-07-01', to: '2025-08-01' }));
    expect(none).toEqual([]);
  });
});
