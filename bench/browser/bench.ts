// The browser benchmark as a function (bench/browser.bench.ts is its command
// line; test/e2e/browser-bench.test.ts runs it on a tiny utility): the
// production build of the dashboard served by the product's own server
// (etl/serve/, as `npm start` serves it: brotli/gzip, ETags) over an extracts
// folder, then `runs` cold starts in headless Debian Chromium, each with a
// scripted session of `interactions` steps.

import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildDashboard, DIST_DIR } from '../../etl/serve/build-dashboard.ts';
import { precompressTree } from '../../etl/serve/precompress.ts';
import { startServer } from '../../etl/serve/server.ts';
import { coldStart, type ColdRun } from './cold-start.ts';
import { extractsFacts, precompressCurrent, readManifest, type ExtractsFacts } from './extracts.ts';
import { speedProbe } from './speed-probe.ts';
import { planSession, type StepGroup } from './session-plan.ts';
import { goalChecks, percentiles, spread, type Goal, type Percentiles, type Spread } from './stats.ts';

export interface BrowserBenchOptions {
  /** A folder holding current/manifest.json. */
  extracts: string;
  /** Cold starts (fresh profile each). */
  runs: number;
  /** Scripted interactions per cold start. */
  interactions: number;
  /** The dashboard build to serve; default dist/dashboard (built when stale, as `npm start` does). */
  dist?: string;
  /** Serve `dist` as it is (e.g. a build of another revision) instead of building the working tree into it. */
  noBuild?: boolean;
  /** Where the Chromium profiles go (one fresh folder per cold start). */
  tmpRoot: string;
  /** Per page load and per interaction. */
  timeoutMs?: number;
  /** Longest wait for the app's background loads (gridlens:data:prefetched) before the session; default 10 s. */
  settleMs?: number;
  /** Pause before each scripted step after the first, ms (session-run.ts); default 0. */
  thinkMs?: number;
  /** Write main-thread CPU profiles of the first cold start (load and session) to `<profile>-load.cpuprofile` / `-session.cpuprofile`. */
  profile?: string;
  /** Write a Chrome trace of the first cold start's load and session to this file. */
  trace?: string;
  /** Extra query string for the page, e.g. 'view=segments'. */
  query?: string;
  log?: (line: string) => void;
}

export interface Machine {
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  chromium: string;
  /** 1-minute load average before and after each cold start. */
  load: { before: number; after: number }[];
  /**
   * The machine's speed today: median ms of a fixed CPU workload in this
   * process (speed-probe.ts), before the first cold start and after the last.
   * Compare runs of different days by it; a change within a run means the
   * machine's load changed.
   */
  speed_probe_ms: { before: number; after: number };
}

export interface BrowserBenchResult {
  when: string;
  machine: Machine;
  extracts: ExtractsFacts;
  build: { dir: string; built: boolean; seconds: number; as_is: boolean };
  options: { runs: number; interactions: number; query: string; settle_ms: number; think_ms: number };
  firstPaintMs: Spread;
  interactiveMs: Spread;
  dataMarksMs: Record<string, Spread>;
  bytes: Record<'engine' | 'extracts' | 'app' | 'total', Spread>;
  heapMb: { afterInteractive: Spread; afterSession: Spread | null };
  /** Over every interaction of every cold start. */
  interactionMs: Percentiles | null;
  interactionMsByGroup: Partial<Record<StepGroup, Percentiles>>;
  /** Interactions counted (measures read) and scripted, over all cold starts: equal, or the run failed. */
  interactionsCounted: number;
  interactionsScripted: number;
  goals: Goal[];
  runs: ColdRun[];
}

export async function runBrowserBench(o: BrowserBenchOptions): Promise<BrowserBenchResult> {
  const log = o.log ?? (() => undefined);
  const timeoutMs = o.timeoutMs ?? 120_000;
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error(`runs must be ≥ 1, not ${o.runs}`);
  const manifest = readManifest(o.extracts);
  const facts = extractsFacts(o.extracts, manifest);
  await precompressCurrent(o.extracts);

  const dist = o.dist ?? DIST_DIR;
  let build: { built: boolean; seconds: number };
  if (o.noBuild) {
    if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} holds no dashboard build (index.html)`);
    await precompressTree(dist);
    build = { built: false, seconds: 0 };
    log(`build: serving ${dist} as it is`);
  } else {
    log(`build: ${dist}`);
    build = await buildDashboard({ outDir: dist });
    log(`build: ${build.built ? `built in ${build.seconds} s` : 'up to date'}`);
  }

  mkdirSync(o.tmpRoot, { recursive: true });
  const server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: o.extracts });
  const runs: ColdRun[] = [];
  const load: Machine['load'] = [];
  const probeBefore = speedProbe().ms;
  log(`speed probe: ${probeBefore} ms (a fixed CPU workload; bench/browser/speed-probe.ts)`);
  try {
    const url = `${server.url}?${['lang=en', o.query].filter(Boolean).join('&')}`;
    for (let i = 0; i < o.runs; i++) {
      const before = loadavg()[0]!;
      log(`cold start ${i + 1}/${o.runs} (load ${before.toFixed(2)})`);
      const r = await coldStart({ url, tmpRoot: o.tmpRoot, session: (months) => (o.interactions > 0 ? planSession(o.interactions, { months }) : []), timeoutMs, settleMs: o.settleMs ?? 10_000, thinkMs: o.thinkMs ?? 0, profilePrefix: i === 0 ? o.profile : undefined, traceFile: i === 0 ? o.trace : undefined });
      const after = loadavg()[0]!;
      load.push({ before: Number(before.toFixed(2)), after: Number(after.toFixed(2)) });
      log(`  first paint ${Math.round(r.firstPaintMs)} ms, interactive ${Math.round(r.interactiveMs)} ms, prefetched ${r.prefetchedMs === null ? '–' : Math.round(r.prefetchedMs)} ms, session from ${Math.round(r.sessionStartMs)} ms, ${r.interactions.length} interactions`);
      if (r.interactions.length !== o.interactions) throw new Error(`cold start ${i + 1}: ${r.interactions.length} interactions measured, ${o.interactions} scripted`);
      runs.push(r);
    }
  } finally {
    await server.close();
  }
  const probeAfter = speedProbe().ms;
  log(`speed probe: ${probeAfter} ms`);

  const all = runs.flatMap((r) => r.interactions);
  const groups: Partial<Record<StepGroup, Percentiles>> = {};
  for (const g of ['filter', 'view', 'drill', 'selector'] as const) {
    const xs = all.filter((x) => x.group === g).map((x) => x.ms);
    if (xs.length) groups[g] = percentiles(xs);
  }
  const markNames = [...new Set(runs.flatMap((r) => Object.keys(r.dataMarks)))].sort();
  const dataMarksMs = Object.fromEntries(
    markNames.filter((n) => runs.every((r) => r.dataMarks[n] !== undefined)).map((n) => [n, spread(runs.map((r) => r.dataMarks[n]!))]),
  );
  const firstPaintMs = spread(runs.map((r) => r.firstPaintMs));
  const interactiveMs = spread(runs.map((r) => r.interactiveMs));
  const interactionMs = all.length ? percentiles(all.map((x) => x.ms)) : null;
  const cpu = cpus();
  return {
    when: new Date().toISOString(),
    machine: {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      chromium: runs[0]!.chromium,
      load,
      speed_probe_ms: { before: probeBefore, after: probeAfter },
    },
    extracts: facts,
    build: { dir: dist, built: build.built, seconds: build.seconds, as_is: o.noBuild ?? false },
    options: { runs: o.runs, interactions: o.interactions, query: o.query ?? '', settle_ms: o.settleMs ?? 10_000, think_ms: o.thinkMs ?? 0 },
    firstPaintMs,
    interactiveMs,
    dataMarksMs,
    bytes: {
      engine: spread(runs.map((r) => r.bytes.engine)),
      extracts: spread(runs.map((r) => r.bytes.extracts)),
      app: spread(runs.map((r) => r.bytes.app)),
      total: spread(runs.map((r) => r.bytes.total)),
    },
    heapMb: {
      afterInteractive: spread(runs.map((r) => r.heap.afterInteractive / 2 ** 20)),
      afterSession: runs.every((r) => r.heap.afterSession !== null) ? spread(runs.map((r) => r.heap.afterSession! / 2 ** 20)) : null,
    },
    interactionMs,
    interactionMsByGroup: groups,
    interactionsCounted: all.length,
    interactionsScripted: o.runs * o.interactions,
    goals: goalChecks({ firstPaint: firstPaintMs, interactive: interactiveMs, interactions: interactionMs }),
    runs,
  };
}
