// The query benchmark's text report (stdout); --json prints the result itself.

import { bytes, formatTable, ms } from '../browser/stats.ts';
import type { QueryBenchResult } from './bench.ts';
import type { Latency } from './stats.ts';

const cells = (l: Latency): string[] => [String(l.n), ms(l.p50), ms(l.p95), ms(l.max), ms(l.mean)];
const ratio = (r: number | null): string => (r === null ? '–' : `${r >= 100 ? Math.round(r) : r.toFixed(1)}×`);

export function formatQueryReport(r: QueryBenchResult): string {
  const m = r.machine;
  const e = r.extracts;
  const out: string[] = [];
  out.push(`Dashboard queries: DuckDB-WASM vs live PostgreSQL marts — ${r.when}`);
  out.push(`machine: ${m.cpu} (${m.cores} cores, ${m.memory_gb} GB), Node ${m.node}, PostgreSQL ${m.postgres}`);
  out.push(`database: ${r.database}`);
  out.push(`extracts: ${e.dir} version ${e.version}, data as of ${e.data_as_of}, K ${e.suppression_k}: ${e.total_rows.toLocaleString('en')} rows, ${bytes(e.total_bytes)}`);
  out.push(
    `session: ${r.plan.steps} scripted steps + opening, ${r.plan.questionsPerSession} questions (${r.plan.distinctQuestions} distinct; ` +
      `${Object.entries(r.plan.byView).map(([v, n]) => `${v} ${n}`).join(', ')}); ${r.options.sessions} session(s) per user`,
  );
  out.push('');
  const rows: string[][] = [['side', 'users', 'pool', 'measure', 'n', 'p50', 'p95', 'max', 'mean', 'p95 ratio']];
  rows.push(['DuckDB-WASM', '1 (own engine)', '–', 'interactions (ms)', ...cells(r.duckdb.interactions), '']);
  rows.push(['', '', '', 'queries (ms)', ...cells(r.duckdb.queries), '']);
  for (const l of r.postgres) {
    rows.push(['PostgreSQL', String(l.users), String(l.pool), 'interactions (ms)', ...cells(l.interactions), ratio(l.ratio.interactions)]);
    rows.push(['', '', '', 'queries (ms)', ...cells(l.queries), ratio(l.ratio.queries)]);
    rows.push(['', '', '', '  of which pool wait', ...cells(l.poolWait), '']);
  }
  out.push(formatTable(rows));
  out.push(
    `DuckDB-WASM: engine start + every extract loaded ${ms(r.duckdb.loadMs)} ms (once per page load, not in the figures); ` +
      `first session on the fresh engine (untimed warm-up): interactions p95 ${ms(r.duckdb.cold.interactions.p95)} ms, queries p95 ${ms(r.duckdb.cold.queries.p95)} ms; ` +
      `load average ${r.duckdb.load.before.toFixed(1)}→${r.duckdb.load.after.toFixed(1)}`,
  );
  for (const l of r.postgres) {
    const waits = Object.entries(l.activeBackends.waits).slice(0, 4).map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`).join(', ');
    out.push(
      `PostgreSQL ${l.users} user(s): ${l.questionsAnswered} answered, ${l.questionsFailed} failed${l.stepsCut ? `, ${l.stepsCut} steps not started (duration over)` : ''}, ${l.throughputQps} q/s over ${(l.wallMs / 1000).toFixed(1)} s; ` +
        `active backends ${l.activeBackends.mean} on average (${waits || 'no samples'}); load average ${l.load.before.toFixed(1)}→${l.load.after.toFixed(1)}`,
    );
    for (const err of l.errors) out.push(`  error: ${err}`);
  }
  out.push('');

  const slow = Object.entries(r.postgres[r.postgres.length - 1]?.byQuestion ?? {}).sort((a, b) => b[1].p95 - a[1].p95);
  const qrows: string[][] = [['question', 'DuckDB p95', ...r.postgres.map((l) => `PG ${l.users}u p95`)]];
  for (const [name] of slow) {
    qrows.push([name, r.duckdb.byQuestion[name] ? ms(r.duckdb.byQuestion[name]!.p95) : '–', ...r.postgres.map((l) => (l.byQuestion[name] ? ms(l.byQuestion[name]!.p95) : '–'))]);
  }
  out.push(formatTable(qrows));
  out.push('');

  const a = r.answers;
  out.push(`answers: ${a.same} of ${a.compared} compared the same${a.orderDiffers ? ` (${a.orderDiffers} in another order)` : ''}${r.answersMatch ? '' : ' — MISMATCH: the comparison is meaningless until fixed'}`);
  for (const x of a.mismatches.slice(0, 10)) out.push(`  ${x.question}: ${x.detail}`);
  for (const x of r.explain) {
    out.push(
      `explain ${x.question}: ${ms(x.executionMs)} ms alone (planning ${ms(x.planningMs)} ms), buffers hit ${x.sharedHitBlocks} read ${x.sharedReadBlocks} temp ${x.tempWrittenBlocks}; ` +
        `most time in ${x.hotspots.map((h) => `${h.node} ${ms(h.selfMs)} ms`).join(', ')}`,
    );
  }
  out.push('');
  out.push(formatTable([['goal', 'measured', 'limit', 'result'], ...r.goals.map((g) => ('ratio' in g
    ? [g.name, ratio(g.ratio), `≥ ${g.limit}×`, g.pass ? 'pass' : 'falls short']
    : [g.name, `${ms(g.value)} ms`, `≤ ${g.limit} ms`, g.pass ? 'pass' : 'falls short']))]));
  return out.join('\n');
}
