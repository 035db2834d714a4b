// The browser benchmark's text report (stdout); --json prints the result itself.

import type { BrowserBenchResult } from './bench.ts';
import { bytes, formatTable, ms, spread as spreadOf, type Percentiles, type Spread } from './stats.ts';

const spreadCells = (s: Spread, f: (v: number) => string): string[] => [f(s.median), f(s.min), f(s.max)];
const pctCells = (p: Percentiles): string[] => [String(p.n), ms(p.p50), ms(p.p95), ms(p.max)];

export function formatReport(r: BrowserBenchResult): string {
  const m = r.machine;
  const e = r.extracts;
  const out: string[] = [];
  out.push(`Gridlens dashboard in headless Chromium — ${r.when}`);
  out.push(`machine: ${m.cpu} (${m.cores} cores, ${m.memory_gb} GB), Node ${m.node}, ${m.chromium}; load (1 min) per cold start ${m.load.map((l) => `${l.before}→${l.after}`).join(', ')}; speed probe ${m.speed_probe_ms.before} ms before, ${m.speed_probe_ms.after} ms after (a fixed CPU workload: lower is faster)`);
  out.push(`extracts: ${e.dir} version ${e.version}, data as of ${e.data_as_of}, K ${e.suppression_k}: ${e.total_rows.toLocaleString('en')} rows, ${bytes(e.total_bytes)} uncompressed`);
  out.push(`  ${e.files.map((f) => `${f.name} ${f.rows.toLocaleString('en')} rows / ${bytes(f.bytes)}`).join('; ')}`);
  out.push(`${r.options.runs} cold starts (fresh profile each), ${r.options.interactions} scripted interactions each (${r.options.think_ms ? `${r.options.think_ms} ms think time before each` : 'back to back'})${r.options.query ? `, page ?${r.options.query}` : ''}`);
  out.push('');

  const rows: string[][] = [['cold start', 'median', 'min', 'max']];
  rows.push(['first paint (ms)', ...spreadCells(r.firstPaintMs, ms)]);
  rows.push(['interactive (ms)', ...spreadCells(r.interactiveMs, ms)]);
  for (const [name, s] of Object.entries(r.dataMarksMs)) rows.push([`  data:${name} (ms)`, ...spreadCells(s, ms)]);
  const prefetched = r.runs.map((x) => x.prefetchedMs).filter((x): x is number => x !== null);
  if (prefetched.length === r.runs.length) rows.push(['background loads done (ms)', ...spreadCells(spreadOf(prefetched), ms)]);
  rows.push(['session started (ms)', ...spreadCells(spreadOf(r.runs.map((x) => x.sessionStartMs)), ms)]);
  rows.push(['bytes: DuckDB engine', ...spreadCells(r.bytes.engine, bytes)]);
  rows.push(['bytes: extracts', ...spreadCells(r.bytes.extracts, bytes)]);
  rows.push(['bytes: app', ...spreadCells(r.bytes.app, bytes)]);
  rows.push(['bytes: total', ...spreadCells(r.bytes.total, bytes)]);
  rows.push(['JS heap after interactive (MB)', ...spreadCells(r.heapMb.afterInteractive, (v) => v.toFixed(1))]);
  if (r.heapMb.afterSession) rows.push(['JS heap after session (MB)', ...spreadCells(r.heapMb.afterSession, (v) => v.toFixed(1))]);
  out.push(formatTable(rows));
  out.push('');

  if (r.interactionMs) {
    const irows: string[][] = [['interactions (ms)', 'n', 'p50', 'p95', 'max']];
    irows.push(['all', ...pctCells(r.interactionMs)]);
    for (const [g, p] of Object.entries(r.interactionMsByGroup)) irows.push([`  ${g}`, ...pctCells(p!)]);
    out.push(formatTable(irows));
    out.push(`counted ${r.interactionsCounted} of ${r.interactionsScripted} scripted`);
    // ECharts' share (gridlens:chart-draw measures inside each interaction).
    const steps = r.runs.flatMap((run) => run.interactions);
    const sum = (f: (x: (typeof steps)[number]) => number): number => steps.reduce((t, x) => t + f(x), 0);
    if (steps.length) {
      const drawMs = sum((x) => x.chartDrawMs);
      out.push(`chart drawing (setOption, resize) inside interactions: ${(sum((x) => x.chartDraws) / steps.length).toFixed(1)} draws and ${ms(drawMs / steps.length)} ms per interaction, ${Math.round((100 * drawMs) / Math.max(1, sum((x) => x.ms)))} % of their time`);
      // Older result files have no query counts.
      const q = (f: (x: NonNullable<(typeof steps)[number]['queries']>) => number): number => sum((x) => (x.queries ? f(x.queries) : 0));
      out.push(`DuckDB questions answered inside interactions: ${(q((x) => x.foreground) / steps.length).toFixed(1)} for the open view (${ms(q((x) => x.foregroundMs) / steps.length)} ms of DuckDB time) and ${(q((x) => x.background) / steps.length).toFixed(1)} for hidden views per interaction`);
    }
    // The slowest steps, to see what dominates.
    const slow = r.runs.flatMap((run, i) => run.interactions.map((x) => ({ ...x, run: i + 1 }))).sort((a, b) => b.ms - a.ms).slice(0, 5);
    out.push(`slowest: ${slow.map((x) => `${x.step} (run ${x.run} #${x.index + 1}) ${ms(x.ms)} ms`).join('; ')}`);
    out.push('');
  }

  out.push(formatTable([['goal', 'measured', 'limit', 'result'], ...r.goals.map((g) => [g.name, `${ms(g.value)} ms`, `${g.limit} ms`, g.pass ? 'pass' : 'falls short'])]));
  return out.join('\n');
}
