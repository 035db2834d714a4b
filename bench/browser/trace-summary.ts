// Where the time of each interaction goes, from a Chrome trace written by
// `npm run bench:browser -- --trace FILE`:
//   npx tsx bench/browser/trace-summary.ts FILE [BENCH_JSON] [--each]
// For every gridlens:interaction measure, the renderer main thread's self time
// by trace event (script, style recalculation, layout, paint, …) inside it,
// and the idle time (waiting for the DuckDB worker, for frames). With the
// benchmark's --json output, interactions are grouped by kind (view switch,
// filter, drill, selector): the mean of each event per group.
// --paint: whether each measure ends after the frame that shows its charts
// (see paintCheck).

import { readFileSync } from 'node:fs';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string;
  id2?: { local?: string };
  args?: Record<string, unknown>;
}

/** Event names summed under a readable heading (the rest keep their own name). */
const HEADING: Record<string, string> = {
  'V8.BytecodeBudgetInterrupt': 'script', 'V8.BytecodeBudgetInterruptWithStackCheck': 'script', 'V8.HandleInterrupts': 'script', 'V8.StackGuard': 'script', BlinkScheduler_PerformMicrotaskCheckpoint: 'script',
  FunctionCall: 'script', EvaluateScript: 'script', 'v8.callFunction': 'script', TimerFire: 'script', FireAnimationFrame: 'script', EventDispatch: 'script', RunMicrotasks: 'script', 'v8.run': 'script', V8Execute: 'script',
  UpdateLayoutTree: 'style', RecalculateStyles: 'style', ParseAuthorStyleSheet: 'style',
  Layout: 'layout', UpdateLayer: 'layout', UpdateLayerTree: 'layout', 'IntersectionObserverController::computeIntersections': 'layout',
  Commit: 'commit', Paint: 'paint', PrePaint: 'paint', PaintImage: 'paint', Layerize: 'paint', CompositeLayers: 'paint', RasterTask: 'paint',
  MajorGC: 'gc', MinorGC: 'gc', 'V8.GC_SCAVENGER': 'gc', BlinkGC: 'gc',
};

function headingOf(name: string): string {
  return HEADING[name] ?? (name.startsWith('V8.GC') ? 'gc' : name);
}

function main(): void {
  // Piped into head: stop quietly when the reader has had enough.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  const args = process.argv.slice(2);
  // --each: also one line per interaction (its group, duration and largest parts), slowest first.
  const each = args.includes('--each');
  const [file, benchFile] = args.filter((a) => !a.startsWith('--'));
  if (!file) {
    process.stderr.write('usage: npx tsx bench/browser/trace-summary.ts TRACE.json [BENCH.json] [--each]\n');
    process.exit(2);
  }
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(raw) ? raw : raw.traceEvents ?? [];

  // The page's main thread: the thread that carries the interaction measures.
  const marks = events.filter((e) => e.name === 'gridlens:interaction' && e.cat.includes('user_timing'));
  if (marks.length === 0) throw new Error('no gridlens:interaction measures in the trace');
  const { pid } = marks[0]!;
  const threadName = new Map(events.filter((e) => e.pid === pid && e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args?.name as string]));
  const mainTid = [...threadName].find(([, name]) => name === 'CrRendererMain')?.[0];
  const windows: [number, number][] = [];
  const open = new Map<string, number>();
  for (const m of marks.sort((a, b) => a.ts - b.ts)) {
    const id = m.id ?? m.id2?.local ?? '';
    if (m.ph === 'b') open.set(id, m.ts);
    else if (m.ph === 'e' && open.has(id)) {
      windows.push([open.get(id)!, m.ts]);
      open.delete(id);
    }
  }

  // Complete events of the main thread (X, and B/E pairs), as intervals with their nesting removed (self time).
  const spans: { name: string; start: number; end: number }[] = [];
  const stack: TraceEvent[] = [];
  for (const e of events.filter((x) => x.pid === pid && x.tid === mainTid).sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X' && e.dur !== undefined) spans.push({ name: e.name, start: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') stack.push(e);
    else if (e.ph === 'E') {
      const b = stack.pop();
      if (b) spans.push({ name: b.name, start: b.ts, end: e.ts });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);

  /** Self time by heading within [from, to]: each instant goes to the innermost event covering it. */
  const selfTimes = (from: number, to: number): Map<string, number> => {
    const inside = spans.filter((s) => s.end > from && s.start < to && s.name !== 'RunTask' && s.name !== 'ThreadControllerImpl::RunTask');
    const out = new Map<string, number>();
    const active: { name: string; end: number }[] = [];
    let t = from;
    const spend = (until: number): void => {
      if (until <= t) return;
      const top = active[active.length - 1];
      const h = top ? headingOf(top.name) : 'idle or untraced';
      out.set(h, (out.get(h) ?? 0) + (until - t));
      t = until;
    };
    for (const s of inside) {
      const start = Math.max(s.start, from);
      // Spent by the innermost event until it ends, then by the one around it.
      while (active.length && active[active.length - 1]!.end <= start) {
        spend(active[active.length - 1]!.end);
        active.pop();
      }
      spend(start);
      active.push({ name: s.name, end: Math.min(s.end, to) });
    }
    while (active.length) {
      spend(active[active.length - 1]!.end);
      active.pop();
    }
    spend(to);
    return out;
  };

  const steps = benchFile ? stepsOf(benchFile, windows.length) : windows.map(() => ({ group: 'all', step: '' }));
  const byGroup = new Map<string, { n: number; total: number; parts: Map<string, number> }>();
  const lines: [number, string][] = [];
  windows.forEach(([from, to], i) => {
    const { group: g, step } = steps[i] ?? { group: 'all', step: '' };
    const agg = byGroup.get(g) ?? { n: 0, total: 0, parts: new Map() };
    agg.n += 1;
    agg.total += to - from;
    const parts = selfTimes(from, to);
    for (const [h, us] of parts) agg.parts.set(h, (agg.parts.get(h) ?? 0) + us);
    byGroup.set(g, agg);
    const top = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([h, us]) => `${h} ${(us / 1000).toFixed(1)}`).join(', ');
    lines.push([to - from, `#${i} ${step || g}: ${((to - from) / 1000).toFixed(1)} ms (${top})`]);
  });
  if (each) for (const [, line] of lines.sort((a, b) => b[0] - a[0])) process.stdout.write(`${line}\n`);
  if (args.includes('--paint')) paintCheck(events, pid, spans, windows);

  // What competes for the two cores during the session, besides the page's main thread:
  // the DuckDB worker, and V8 compiling in the background (the engine's wasm tiering up
  // to TurboFan as new queries make functions hot; the app's JS going to Maglev/TurboFan).
  const first = windows[0]![0];
  const last = windows[windows.length - 1]![1];
  const busy = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== pid || e.ph !== 'X' || e.dur === undefined || e.ts < first || e.ts > last) continue;
    const what = e.name === 'wasm.TopTierCompilation' ? 'wasm tier-up (TurboFan)'
      : e.name === 'V8.MaglevTask' || e.name === 'V8.TurbofanTask' ? 'JS optimizing compilers'
      : e.name === 'HandlePostMessage' && threadName.get(e.tid) === 'DedicatedWorker thread' ? 'DuckDB worker'
      : null;
    if (what) busy.set(what, (busy.get(what) ?? 0) + e.dur);
  }
  process.stdout.write(`session ${((last - first) / 1000).toFixed(0)} ms; other busy threads of the page: ${[...busy].map(([k, us]) => `${k} ${(us / 1000).toFixed(0)} ms`).join(', ') || 'none traced'}\n`);
  for (const [g, agg] of [...byGroup].sort((a, b) => b[1].total / b[1].n - a[1].total / a[1].n)) {
    const parts = [...agg.parts].sort((a, b) => b[1] - a[1]).slice(0, 12);
    process.stdout.write(`${g}: ${agg.n} interactions, mean ${(agg.total / agg.n / 1000).toFixed(1)} ms\n`);
    for (const [h, us] of parts) process.stdout.write(`  ${(us / agg.n / 1000).toFixed(1).padStart(7)} ms  ${h}\n`);
  }
}

/**
 * Does each gridlens:interaction measure end only once its charts are on
 * screen? For each interaction that drew a chart (gridlens:chart-draw), the
 * last draw must be followed by a main-thread Paint that ends before the
 * measure does; and how long after the measure's end that frame reached the
 * screen (the compositor's PipelineReporter for the frame, when traced).
 */
function paintCheck(events: TraceEvent[], pid: number, spans: { name: string; start: number; end: number }[], windows: [number, number][]): void {
  const asyncSpans = (name: string, p?: number): [number, number][] => {
    const open = new Map<string, number>();
    const out: [number, number][] = [];
    for (const e of events.filter((x) => x.name === name && (p === undefined || x.pid === p)).sort((a, b) => a.ts - b.ts)) {
      const id = `${e.pid}:${e.id ?? e.id2?.local ?? ''}`;
      if (e.ph === 'b') open.set(id, e.ts);
      else if (e.ph === 'e' && open.has(id)) {
        out.push([open.get(id)!, e.ts]);
        open.delete(id);
      } else if (e.ph === 'X' && e.dur !== undefined) out.push([e.ts, e.ts + e.dur]);
    }
    return out;
  };
  const draws = asyncSpans('gridlens:chart-draw', pid);
  const paints = spans.filter((s) => s.name === 'Paint');
  // Frames presented: PipelineReporter spans end at presentation (any process: the renderer's compositor reports them).
  const presented = asyncSpans('PipelineReporter').map(([, end]) => end).sort((a, b) => a - b);
  let withDraws = 0;
  let paintedBefore = 0;
  const paintToEnd: number[] = [];
  const endToPresent: number[] = [];
  for (const [from, to] of windows) {
    const lastDraw = draws.filter(([s, e]) => s >= from && e <= to).map(([, e]) => e).sort((a, b) => b - a)[0];
    if (lastDraw === undefined) continue;
    withDraws += 1;
    const paint = paints.find((p) => p.start >= lastDraw && p.end <= to);
    if (!paint) continue;
    paintedBefore += 1;
    paintToEnd.push(to - paint.end);
    const shown = presented.find((t) => t >= paint.end);
    if (shown !== undefined) endToPresent.push(shown - to);
  }
  const q = (xs: number[]): string => {
    if (xs.length === 0) return 'none traced';
    const v = [...xs].sort((a, b) => a - b);
    const at = (f: number): string => (v[Math.min(v.length - 1, Math.floor(f * v.length))]! / 1000).toFixed(1);
    return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${(v[v.length - 1]! / 1000).toFixed(1)} ms (n ${v.length})`;
  };
  process.stdout.write(`paint check: ${withDraws} interactions drew a chart; in ${paintedBefore} a main-thread Paint after the last draw ended before the measure\n`);
  process.stdout.write(`  that Paint's end to the measure's end: ${q(paintToEnd)}\n`);
  process.stdout.write(`  the measure's end to that frame presented: ${q(endToPresent)}\n`);
}

/** Each interaction of the first cold start (group and step), from the benchmark's --json output (npm's banner lines skipped). */
function stepsOf(benchFile: string, n: number): { group: string; step: string }[] {
  const text = readFileSync(benchFile, 'utf8');
  const json = JSON.parse(text.slice(text.indexOf('{\n'))) as { runs: { interactions: { group: string; step: string }[] }[] };
  const steps = json.runs[0]?.interactions ?? [];
  if (steps.length !== n) process.stderr.write(`note: ${steps.length} interactions in the benchmark output, ${n} in the trace\n`);
  return steps;
}

main();
