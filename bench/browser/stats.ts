// Pure helpers of the browser benchmark (bench/browser.bench.ts): order
// statistics, the goal checks and the text table. No I/O; tested in
// test/bench/browser-stats.test.ts.

/** Median, min and max of a few runs (the cold starts). */
export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
}

/** p50 / p95 / max of many samples (the interactions). */
export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

function sorted(values: readonly number[]): number[] {
  for (const v of values) if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
  return [...values].sort((a, b) => a - b);
}

/**
 * Nearest-rank percentile (p in 0–100): the smallest sample with at least p %
 * of the samples at or below it. Always one of the samples, never an
 * interpolation: p95 of 60 interactions is the 57th fastest.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile ${p} outside 0–100`);
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1]!;
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function spread(values: readonly number[]): Spread {
  const s = sorted(values);
  if (s.length === 0) throw new Error('spread of no values');
  return { n: s.length, median: median(s), min: s[0]!, max: s[s.length - 1]! };
}

export function percentiles(values: readonly number[]): Percentiles {
  const s = sorted(values);
  if (s.length === 0) throw new Error('percentiles of no values');
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1]! };
}

export interface Goal {
  name: string;
  /** The measured figure (ms). */
  value: number;
  /** The goal: value ≤ limit (ms). */
  limit: number;
  pass: boolean;
}

/** The goals: first paint ≤ 1.0 s, interactive ≤ 2.5 s (medians of the cold starts), interaction p95 ≤ 100 ms. */
export const GOALS = { firstPaintMs: 1000, interactiveMs: 2500, interactionP95Ms: 100 } as const;

/** The goal checks; the interaction goal only when there were interactions. */
export function goalChecks(o: { firstPaint: Spread; interactive: Spread; interactions: Percentiles | null }): Goal[] {
  const check = (name: string, value: number, limit: number): Goal => ({ name, value, limit, pass: value <= limit });
  const goals = [
    check('first paint (median)', o.firstPaint.median, GOALS.firstPaintMs),
    check('interactive (median)', o.interactive.median, GOALS.interactiveMs),
  ];
  if (o.interactions) goals.push(check('interaction p95', o.interactions.p95, GOALS.interactionP95Ms));
  return goals;
}

/** A text table: the first row is the header; columns after the first are right-aligned. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  const width = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: width }, (_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    widths.map((w, c) => (c === 0 ? (r[c] ?? '').padEnd(w) : (r[c] ?? '').padStart(w))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

/** Milliseconds for the table: whole ms from 10 ms on, one decimal below. */
export function ms(value: number): string {
  return Math.abs(value) >= 10 ? `${Math.round(value)}` : value.toFixed(1);
}

/** Bytes for the table, in binary units (KiB, MiB). */
export function bytes(value: number): string {
  if (value < 1024) return `${value} B`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / (1024 * 1024)).toFixed(2)} MiB`;
}
