// The Satisfaction view's detractor follow-up panel (followUpQuery) end to end:
// a generated utility through the real ETL into published extracts, served by
// etl/serve, the query run in DuckDB-WASM (Node blocking bundle) — every
// figure must equal the one PostgreSQL computes from mart.detractor_followup
// at the same level, with the extract's small-cell suppression applied.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Filters, Manifest } from '../../../dashboard/src/data/api.ts';
import { runQuery, setDataSource } from '../../../dashboard/src/data/client.ts';
import { httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import { followUpQuery, nextWaveDifference, type FollowUpRow } from '../../../dashboard/src/data/queries/detractor-followup.ts';
import { createDataSource, type DataSource } from '../../../dashboard/src/data/source.ts';
import { defaultFilters } from '../../../dashboard/src/data/sql.ts';
import { trendWindow } from '../../../dashboard/src/data/queries/usage.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { generatedInbox, readTruth } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../../etl/run/pipeline-helpers.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

const K = 5;
const FIXTURE = { customers: 4000, months: 9, seed: 23, end: '2026-10', surveyRate: 0.4 }; // = the transform test's, generated once
let p: Pipeline;
let server: RunningServer;
let dist: string;
let source: DataSource;
let manifest: Manifest;
let inbox: string;
let all: Filters;

beforeAll(async () => {
  inbox = generatedInbox(FIXTURE);
  p = await pipelineDatabase('dashfollowup');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: String(K) });
  expect(r.code, r.stderr).toBe(0);
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-dist-'));
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts });
  source = createDataSource({ engine: () => startNodeEngine(), fetcher: httpExtractFetcher(new URL('extracts/', server.url)) });
  setDataSource(source);
  manifest = await source.manifest();
  // The default period (the latest complete month): the panel shows the waves of the 12 months to its end, every wave of the run here.
  all = defaultFilters(manifest.data_as_of);
}, 900_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
});

const SUMS = ['cases', 'pending', 'contacted', 'contacted_within_target', 'contacted_next_responses', 'contacted_next_nps_sum', 'contacted_next_nps_sumsq',
  'uncontacted_next_responses', 'uncontacted_next_nps_sum', 'uncontacted_next_nps_sumsq'] as const;

/** The panel's rows computed in PostgreSQL from the mart: cells of fewer than K cases are withheld as the extract withholds them. */
async function pgPanel(f: Filters): Promise<Map<string, Record<string, number | null>>> {
  const where: string[] = ['month between $1::date and $2::date'];
  const window = trendWindow(f, 12);
  const params: unknown[] = [window.from, window.to];
  for (const d of ['segment', 'region'] as const) {
    if (f[d].length) {
      params.push(f[d]);
      where.push(`${d} = any($${params.length})`);
    } else where.push(`${d} is null`);
  }
  const { rows } = await p.pool.query(
    `select wave, ${SUMS.map((c) => `sum(${c}) filter (where cases >= ${K})::float8 as ${c}`).join(', ')},
            count(*) filter (where cases < ${K})::int as suppressed_cells,
            case when count(*) = 1 and min(cases) >= ${K} then min(contact_hours_median) end as contact_hours_median,
            case when count(*) = 1 and min(cases) >= ${K} then min(contact_hours_p90) end as contact_hours_p90
       from mart.detractor_followup where ${where.join(' and ')} group by wave`, params);
  return new Map(rows.map((r) => [r.wave, r]));
}

function expectSame(actual: number | null | undefined, expected: number | null | undefined, label: string): void {
  if (expected === null || expected === undefined) return expect(actual ?? null, label).toBeNull();
  expect(actual, label).not.toBeNull();
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describe('followUpQuery in DuckDB-WASM = mart.detractor_followup in PostgreSQL', () => {
  const variants = (): [string, Filters][] => {
    return [
      ['all customers', all],
      ['residential', { ...all, segment: ['residential'] }],
      ['two segments', { ...all, segment: ['residential', 'sme'] }],
      ['one region', { ...all, region: [readTruth(inbox).planted.reliability_incident.district] }],
    ];
  };

  it('per wave: cases, contacts, rate, time to contact and next-wave sums, for several filter sets', async () => {
    let checked = 0;
    for (const [label, f] of variants()) {
      const rows = await runQuery<FollowUpRow>(followUpQuery(f));
      const pg = await pgPanel(f);
      expect(rows.map((r) => r.wave).sort(), label).toEqual([...pg.keys()].sort());
      for (const r of rows) {
        const e = pg.get(r.wave)!;
        for (const c of SUMS) expectSame(r[c], e[c], `${label} ${r.wave} ${c}`);
        expect(r.suppressed_cells, `${label} ${r.wave}`).toBe(e.suppressed_cells);
        const denominator = (e.cases ?? 0) - (e.pending ?? 0);
        expectSame(r.contact_rate, e.cases === null || denominator === 0 ? null : e.contacted! / denominator, `${label} ${r.wave} rate`);
        expectSame(r.contact_hours_median, e.contact_hours_median, `${label} ${r.wave} median`);
        expectSame(r.contact_hours_p90, e.contact_hours_p90, `${label} ${r.wave} p90`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('the difference of next-wave NPS, from the panel rows, contains the planted lift', async () => {
    const truth = readTruth(inbox).planted.detractor_followup;
    const lifted = truth.cases.filter((c: Record<string, any>) => c.called && c.next_nps !== null);
    const planted = lifted.reduce((a: number, c: Record<string, any>) => a + c.next_nps - c.next_nps_unlifted, 0) / lifted.length;
    const d = nextWaveDifference(await runQuery<FollowUpRow>(followUpQuery(all)))!;
    expect(d).not.toBeNull();
    console.log('panel next-wave NPS difference', JSON.stringify({ ...d, planted }));
    expect(d.low).toBeLessThanOrEqual(planted);
    expect(d.high).toBeGreaterThanOrEqual(planted);
  });
});
