// The suite's result (JSON with --json) and its text report: the machine, the
// goals with pass / falls short, then each scenario's main figures. Pure.

import type { BrowserBenchResult } from '../browser/bench.ts';
import { bytes, formatTable } from '../browser/stats.ts';
import type { QueryBenchResult } from '../queries/bench.ts';
import type { ExtractSizes } from './extract-sizes.ts';
import type { SuiteGoal } from './goals.ts';
import type { MachineFacts } from './machine.ts';

interface Range { median: number; min: number; max: number }

/** bench/etl.bench.ts --json (the parts the suite reads). */
export interface EtlBenchResult {
  ingest: { rows: number; repeats: number; ratio: number; ingestRowsPerSecond: Range; copyRowsPerSecond: Range } | null;
  nightly: {
    nightly: { seconds: number; steps: Record<string, number> };
    full: { seconds: number; steps: Record<string, number> } | null;
    ratio: number | null;
    kept: { database: string; extracts: string } | null;
    build: Record<string, unknown>;
  } | null;
}

/** bench/generate.bench.ts --json. */
export interface GenerateBenchResult {
  repetitions: number;
  sizes: { customers: number; months: number; usage_rows: number; usage_rows_per_s: Range; peak_rss_mb_median: number }[];
  memory_growth_ratio: number;
  customers_ratio: number;
}

export interface SizeResult {
  customers: number;
  months: number;
  seed: number;
  /** The night scenarios 4–6 read: database and extracts folder (dropped at the end unless kept). */
  night: { database: string; extracts: string; kept: boolean } | null;
  etl: EtlBenchResult | null;
  extracts: ExtractSizes | null;
  queries: QueryBenchResult | null;
  browser: BrowserBenchResult | null;
  /** Wall time of each scenario's child, s. */
  seconds: Record<string, number>;
}

export interface SuiteResult {
  machine: MachineFacts;
  options: { quick: boolean; scale: boolean; customers: number; months: number; seed: number; runs: number; interactions: number; users: string; only: string[]; keep: boolean };
  generate: GenerateBenchResult | null;
  size: SizeResult;
  scale: { size: SizeResult; growth: Record<string, number | null> } | null;
  goals: SuiteGoal[];
  errors: Record<string, string>;
  seconds: number;
}

function figure(g: SuiteGoal, v: number | null): string {
  if (v === null) return '–';
  switch (g.unit) {
    case 'ratio': return `${(v * 100).toFixed(1)} %`;
    case 'bytes': return bytes(v);
    case 'rows/s': return `${Math.round(v).toLocaleString('en')}/s`;
    case '×': return `${v.toFixed(1)}×`;
    default: return `${v.toLocaleString('en', { maximumFractionDigits: 1 })} ${g.unit}`;
  }
}

const ms = (v: number | undefined | null): string => (v === undefined || v === null ? '–' : `${v.toFixed(1)} ms`);

function sizeLines(s: SizeResult, title: string): string[] {
  const out: string[] = [`${title}: ${s.customers.toLocaleString('en')} customers × ${s.months} months, seed ${s.seed}`];
  const e = s.etl;
  if (e?.ingest) {
    const i = e.ingest;
    out.push(`  ingest: ${i.rows.toLocaleString('en')} rows, ${i.repeats} runs: Gridlens ${Math.round(i.ingestRowsPerSecond.median).toLocaleString('en')} rows/s [${Math.round(i.ingestRowsPerSecond.min).toLocaleString('en')}–${Math.round(i.ingestRowsPerSecond.max).toLocaleString('en')}] vs plain COPY ${Math.round(i.copyRowsPerSecond.median).toLocaleString('en')} rows/s: ${(i.ratio * 100).toFixed(1)} %`);
  }
  if (e?.nightly) {
    const n = e.nightly;
    const steps = (x: Record<string, number>) => Object.entries(x).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ');
    out.push(`  nightly: ${n.nightly.seconds} s (${steps(n.nightly.steps)} s)${n.full ? `; full rebuild ${n.full.seconds} s (${steps(n.full.steps)} s); nightly ÷ full ${((n.ratio ?? NaN) * 100).toFixed(2)} %` : ''}`);
  }
  if (s.extracts) {
    const x = s.extracts;
    out.push(`  extracts (version ${x.version}): ${x.total.rows.toLocaleString('en')} rows, ${bytes(x.total.bytes)} raw, ${bytes(x.total.brotli_bytes)} brotli, ${bytes(x.total.gzip_bytes)} gzip${x.bytes_per_customer ? `; per customer ${x.bytes_per_customer.raw} B raw, ${x.bytes_per_customer.brotli} B brotli` : ''}`);
    out.push(formatTable([
      ['extract', 'rows', 'raw', 'brotli', 'gzip'],
      ...x.files.map((f) => [f.name, f.rows.toLocaleString('en'), bytes(f.bytes), f.brotli_bytes === null ? '(as is)' : bytes(f.brotli_bytes), f.gzip_bytes === null ? '(as is)' : bytes(f.gzip_bytes)]),
    ]).split('\n').map((l) => `    ${l}`).join('\n'));
  }
  if (s.queries) {
    const q = s.queries;
    out.push(`  queries: DuckDB-WASM per user: interaction p50 ${ms(q.duckdb.interactions.p50)}, p95 ${ms(q.duckdb.interactions.p95)} (${q.plan.steps} steps, ${q.plan.distinctQuestions} distinct questions; answers ${q.answersMatch ? 'the same' : 'DIFFER'} on ${q.answers.compared} compared)`);
    for (const l of q.postgres) out.push(`    live PostgreSQL, ${l.users} users (pool ${l.pool}): interaction p50 ${ms(l.interactions.p50)}, p95 ${ms(l.interactions.p95)}; ${l.ratio.interactions ?? '–'}× the DuckDB p95; ${l.throughputQps} questions/s`);
  }
  if (s.browser) {
    const b = s.browser;
    out.push(`  browser: ${b.options.runs} cold starts: first paint ${ms(b.firstPaintMs.median)} [${b.firstPaintMs.min.toFixed(0)}–${b.firstPaintMs.max.toFixed(0)}], interactive ${ms(b.interactiveMs.median)} [${b.interactiveMs.min.toFixed(0)}–${b.interactiveMs.max.toFixed(0)}]; first view ${bytes(b.bytes.engine.median)} engine + ${bytes(b.bytes.extracts.median)} extracts + ${bytes(b.bytes.app.median)} app; heap ${b.heapMb.afterInteractive.median.toFixed(1)} MB after interactive${b.heapMb.afterSession ? `, ${b.heapMb.afterSession.median.toFixed(1)} MB after the session` : ''}`);
    if (b.interactionMs) out.push(`    ${b.interactionMs.n} interactions: p50 ${ms(b.interactionMs.p50)}, p95 ${ms(b.interactionMs.p95)}, max ${ms(b.interactionMs.max)}`);
  }
  return out;
}

export function formatSuiteReport(r: SuiteResult): string {
  const m = r.machine;
  const out: string[] = [];
  out.push(`Gridlens benchmark suite — ${m.date}${r.options.quick ? ' — QUICK (small scale: checks the harness; the goals are set at 100,000 × 24)' : ''}`);
  out.push(`machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB; Node ${m.node}; ${m.postgres}; ${m.chromium ?? 'no chromium'}; load at start ${m.load_at_start.join(' ')}; speed probe ${m.speed_probe_ms} ms (a fixed CPU workload: lower is faster)`);
  out.push('');
  out.push(formatTable([
    ['scenario', 'goal', 'measured', 'limit', 'result'],
    ...r.goals.map((g) => [g.scenario, g.name, figure(g, g.measured), `${g.kind === 'max' ? '≤' : '≥'} ${figure(g, g.limit)}`, g.verdict]),
  ]));
  out.push('');
  if (r.generate) {
    out.push(`generate: ${r.generate.sizes.map((s) => `${s.customers.toLocaleString('en')} × ${s.months}: ${s.usage_rows_per_s.median.toLocaleString('en')} usage rows/s [${s.usage_rows_per_s.min.toLocaleString('en')}–${s.usage_rows_per_s.max.toLocaleString('en')}], peak RSS ${s.peak_rss_mb_median} MB`).join('; ')} (${r.generate.repetitions} runs each; memory ${r.generate.memory_growth_ratio}× for ${r.generate.customers_ratio}× the customers)`);
  }
  out.push(...sizeLines(r.size, 'size'));
  if (r.scale) {
    out.push('', ...sizeLines(r.scale.size, 'scale'));
    out.push(`  growth from ${r.size.customers.toLocaleString('en')} to ${r.scale.size.customers.toLocaleString('en')} customers: ${Object.entries(r.scale.growth).map(([k, v]) => `${k} ${v ?? '–'}×`).join(', ')}`);
  }
  const errs = Object.entries(r.errors);
  if (errs.length) out.push('', 'FAILED:', ...errs.map(([k, v]) => `  ${k}: ${v}`));
  out.push('', `suite took ${r.seconds} s (${Object.entries(r.size.seconds).map(([k, v]) => `${k} ${v} s`).join(', ')})`);
  return out.join('\n');
}
