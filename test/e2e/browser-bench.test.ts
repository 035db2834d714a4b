// The browser benchmark (bench/browser.bench.ts) end to end on a tiny
// utility: generated and published by the benchmark's own ETL path (on a
// scratch database of this run), the production build served by etl/serve/,
// one cold start in Debian Chromium with a short scripted session. Checks that
// it measures real things, not how fast they are (this machine is shared).

import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runBrowserBench } from '../../bench/browser/bench.ts';
import { generateExtracts } from '../../bench/browser/extracts.ts';
import { formatReport } from '../../bench/browser/report.ts';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { TMP } from '../helpers/generated.ts';
import { pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';

const BENCH_TMP = join(TMP, 'e2e', `bench-${process.pid}`);
const DIST = join(BENCH_TMP, 'dist');
// Through the Service view's steps (26–33 of the plan): a tiny utility's
// suppressed cells leave charts with nothing to draw there, the case that once
// drew every chart twice in the next step.
const INTERACTIONS = 34;

let p: Pipeline | undefined;

/** The view a chart (its data-chart id) belongs to. */
function viewOfChart(id: string): string {
  if (id === 'segment-groups') return 'segments';
  if (id.startsWith('usage-')) return 'usage';
  if (id.startsWith('sat-')) return 'satisfaction';
  if (id.startsWith('service-')) return 'service';
  if (['moved-segment', 'moved-region', 'forecast'].includes(id)) return 'overview';
  return `unknown chart ${id}`;
}

afterAll(async () => {
  await p?.close();
  rmSync(BENCH_TMP, { recursive: true, force: true });
});

it('measures a cold start and a scripted session: marks, bytes, heap, one measure per interaction', async () => {
  mkdirSync(BENCH_TMP, { recursive: true });
  p = await pipelineDatabase('bench');
  // The ETL run and the Vite build are independent: side by side.
  const [extracts] = await Promise.all([
    generateExtracts({ customers: 150, months: 4, seed: 5, end: '2026-10', dir: join(BENCH_TMP, 'utility'), databaseUrl: p.scratch.url }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(existsSync(join(extracts, 'current/manifest.json'))).toBe(true);

  const result = await runBrowserBench({ extracts, runs: 1, interactions: INTERACTIONS, dist: DIST, tmpRoot: BENCH_TMP, timeoutMs: 60_000 });
  const [run] = result.runs;
  expect(run!.firstPaintMs).toBeGreaterThan(0);
  expect(run!.interactiveMs).toBeGreaterThanOrEqual(run!.firstPaintMs);
  expect(run!.dataMarks['duckdb-ready']).toBeGreaterThan(0);
  expect(run!.dataMarks.manifest).toBeGreaterThan(0);
  // The first view downloads the engine (the wasm alone is megabytes compressed), an extract and the app.
  expect(run!.bytes.engine).toBeGreaterThan(1_000_000);
  expect(run!.bytes.extracts).toBeGreaterThan(0);
  expect(run!.bytes.app).toBeGreaterThan(0);
  expect(run!.bytes.total).toBe(run!.bytes.engine + run!.bytes.extracts + run!.bytes.app);
  expect(run!.requests.some((r) => r.path.endsWith('.wasm'))).toBe(true);
  expect(run!.heap.afterInteractive).toBeGreaterThan(0);

  expect(result.interactionsScripted).toBe(INTERACTIONS);
  expect(result.interactionsCounted).toBe(INTERACTIONS);
  expect(run!.interactions.map((x) => x.step).slice(0, 8)).toEqual([
    'view segments', 'drill #0', 'drill #1', 'drill #0', 'drill #2', 'sort list by customer_key', 'sort list by customer_key', 'drill back to all',
  ]);
  expect(run!.interactions.map((x) => x.step).slice(26, 34)).toEqual([
    'view service', 'filter channel +#1', 'period from = latest − 11', 'period to = latest − 1', 'filter region +#2', 'clear filters', 'period to = latest − 0', 'period from = latest − 0',
  ]);
  let view = 'overview';
  for (const x of run!.interactions) {
    expect(x.ms, x.step).toBeGreaterThan(0);
    // Chart drawing is counted inside the interaction: never more than the interaction itself.
    expect(x.chartDrawMs, x.step).toBeGreaterThanOrEqual(0);
    expect(x.chartDrawMs, x.step).toBeLessThanOrEqual(x.ms);
    expect(x.draws.length, x.step).toBe(x.chartDraws);
    // One answer per chart per interaction: no chart is set twice (e.g. first
    // with an answer from before an empty one, then with the new one).
    const set = x.draws.filter((d) => d.kind === 'option').map((d) => d.chart);
    expect(set.length, `${x.step}: ${set.join(', ')}`).toBe(new Set(set).size);
    // Only the open view's charts: a hidden view's draw waits until the interaction is over (timing.ts whenIdle).
    if (x.step.startsWith('view ')) view = x.step.slice('view '.length);
    for (const d of x.draws) expect(viewOfChart(d.chart), `${x.step}: ${d.chart} drawn inside it`).toBe(view);
  }
  // The first drill redraws the segment groups' chart with the regions: a draw inside it, timed.
  const firstDrill = run!.interactions.find((x) => x.step.startsWith('drill #'))!;
  expect(firstDrill.chartDraws).toBeGreaterThanOrEqual(1);
  expect(firstDrill.chartDrawMs).toBeGreaterThan(0);
  expect(result.interactionMs!.n).toBe(INTERACTIONS);
  expect(result.goals.map((g) => g.name)).toEqual(['first paint (median)', 'interactive (median)', 'interaction p95']);
  expect(result.extracts.files.map((f) => f.name)).toContain('kpi_month');
  expect(result.machine.chromium).toMatch(/Chrom/);

  const report = formatReport(result);
  expect(report).toMatch(/first paint \(ms\)/);
  expect(report).toMatch(/counted 34 of 34 scripted/);
  expect(report).toMatch(/chart drawing \(setOption, resize\) inside interactions: \d+\.\d draws/);
}, 150_000);
