// Pure helpers of the browser benchmark (bench/browser/stats.ts, session-plan.ts, cold-start.ts byteClassOf).

import { describe, expect, it } from 'vitest';
import { byteClassOf } from '../../bench/browser/cold-start.ts';
import { speedProbe, speedProbeWork } from '../../bench/browser/speed-probe.ts';
import { describeStep, planSession, type Step } from '../../bench/browser/session-plan.ts';
import { bytes, formatTable, goalChecks, median, ms, percentile, percentiles, spread } from '../../bench/browser/stats.ts';

describe('order statistics', () => {
  it('nearest-rank percentiles are samples, never interpolations', () => {
    const xs = Array.from({ length: 60 }, (_, i) => 60 - i); // 60 … 1, unsorted
    expect(percentile(xs, 50)).toBe(30);
    expect(percentile(xs, 95)).toBe(57);
    expect(percentile(xs, 100)).toBe(60);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2], 50)).toBe(1);
    expect(percentiles([5, 1, 3, 200])).toEqual({ n: 4, p50: 3, p95: 200, max: 200 });
  });

  it('median of odd and even counts; spread', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([900, 1200, 1000])).toEqual({ n: 3, median: 1000, min: 900, max: 1200 });
  });

  it('refuses no values, NaN and a percentile outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow(/no values/);
    expect(() => median([])).toThrow(/no values/);
    expect(() => spread([1, NaN])).toThrow(/finite/);
    expect(() => percentile([1], 101)).toThrow(/outside/);
  });
});

describe('goal checks', () => {
  const s = (median: number) => ({ n: 3, median, min: median, max: median });
  it('passes at the limit and falls short above it', () => {
    const goals = goalChecks({ firstPaint: s(1000), interactive: s(2600), interactions: { n: 50, p50: 20, p95: 100.5, max: 300 } });
    expect(goals.map((g) => [g.name, g.pass])).toEqual([
      ['first paint (median)', true],
      ['interactive (median)', false],
      ['interaction p95', false],
    ]);
    expect(goals.map((g) => g.limit)).toEqual([1000, 2500, 100]);
  });
  it('leaves the interaction goal out without interactions', () => {
    expect(goalChecks({ firstPaint: s(1), interactive: s(2), interactions: null })).toHaveLength(2);
  });
});

describe('formatting', () => {
  it('aligns a table: first column left, the others right, a rule under the header', () => {
    expect(formatTable([['what', 'ms'], ['first paint', '812'], ['interactive', '2410']])).toBe(
      ['what           ms', '-----------  ----', 'first paint   812', 'interactive  2410'].join('\n'),
    );
    expect(formatTable([])).toBe('');
  });
  it('ms and bytes', () => {
    expect(ms(3.14159)).toBe('3.1');
    expect(ms(123.6)).toBe('124');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(2048)).toBe('2.0 KiB');
    expect(bytes(7.5 * 2 ** 20)).toBe('7.50 MiB');
  });
});

describe('byte classes of the first view', () => {
  it('DuckDB wasm, worker and API chunk are the engine; /extracts/ the data; the rest the app', () => {
    expect(byteClassOf('/assets/duckdb-eh-BxX1y2.wasm')).toBe('engine');
    expect(byteClassOf('/assets/duckdb-browser-eh.worker-Ab12.js')).toBe('engine');
    expect(byteClassOf('/assets/duckdb-browser-Cd34.js')).toBe('engine');
    expect(byteClassOf('/extracts/current/manifest.json')).toBe('extracts');
    expect(byteClassOf('/extracts/versions/20261101T020000Z-r3/kpi_month.arrow')).toBe('extracts');
    expect(byteClassOf('/assets/index-Ef56.js')).toBe('app');
    expect(byteClassOf('/')).toBe('app');
  });
});

describe('session plan', () => {
  /** Replays a plan on a model of the URL state; every step must change it. */
  function replay(steps: Step[], months: number): void {
    let view = 'overview';
    let drill = 0;
    const filters = new Set<string>();
    let from = 0;
    let to = 0;
    let compare = 'previous';
    let by = 'region';
    for (const [i, st] of steps.entries()) {
      const at = `step ${i + 1} ${describeStep(st)}`;
      switch (st.kind) {
        case 'view': expect(st.view, at).not.toBe(view); view = st.view; break;
        case 'drill': expect([view, drill < 4, filters.size], at).toEqual(['segments', true, 0]); drill++; break;
        case 'drill-top': expect(drill, at).toBeGreaterThan(0); drill = 0; break;
        case 'sort': expect([view, drill], at).toEqual(['segments', 4]); break;
        case 'filter': expect(filters.has(st.dim), at).toBe(false); filters.add(st.dim); drill = 0; break;
        case 'clear': expect(filters.size, at).toBeGreaterThan(0); filters.clear(); drill = 0; break;
        case 'period': {
          const back = Math.min(st.back, months - 1);
          const [f0, t0] = [from, to];
          if (st.field === 'from') { from = back; to = Math.min(to, from); } else { to = back; from = Math.max(from, to); }
          expect([from, to], at).not.toEqual([f0, t0]);
          break;
        }
        case 'compare': expect(st.value, at).not.toBe(compare); compare = st.value; break;
        case 'breakdown': expect([view, st.by !== by], at).toEqual(['satisfaction', true]); by = st.by; break;
        case 'kpi': expect(view, at).toBe('overview'); break;
      }
    }
  }

  it('plans exactly the count asked, each step changing the screen, with every kind of interaction', () => {
    for (const months of [1, 6, 24]) {
      const steps = planSession(60, { months });
      expect(steps).toHaveLength(60);
      replay(steps, months);
      const kinds = new Set(steps.map((s) => s.kind));
      for (const k of ['view', 'drill', 'drill-top', 'sort', 'filter', 'clear', 'compare', 'breakdown', 'kpi']) expect(kinds, `${k} at ${months} months`).toContain(k);
      if (months > 1) expect(kinds).toContain('period');
      const dims = new Set(steps.flatMap((s) => (s.kind === 'filter' ? [s.dim] : [])));
      expect([...dims].sort()).toEqual(['band', 'channel', 'region', 'segment', 'tariff']);
    }
    replay(planSession(500, { months: 12 }), 12);
  });

  it('starts on Segments and drills to the customer list first', () => {
    expect(planSession(8, { months: 6 }).map(describeStep)).toEqual([
      'view segments', 'drill #0', 'drill #1', 'drill #0', 'drill #2', 'sort list by customer_key', 'sort list by customer_key', 'drill back to all',
    ]);
  });

  it('refuses a count or month count that is not a positive integer', () => {
    expect(() => planSession(0, { months: 6 })).toThrow(/positive/);
    expect(() => planSession(5, { months: 0 })).toThrow(/positive/);
  });
});

describe('speed probe (the machine speed every browser and suite result carries)', () => {
  it('does the same work on every run: the checksum depends on the scale only', () => {
    expect(speedProbeWork(2)).toBe(speedProbeWork(2));
    expect(speedProbeWork(3)).not.toBe(speedProbeWork(2));
  });

  it('times each repeat, and reports their median and the checksum of that work', () => {
    const p = speedProbe({ scale: 1, repeats: 3 });
    expect(p.samples).toHaveLength(3);
    expect(p.samples.every((s) => s > 0)).toBe(true);
    expect([...p.samples].sort((a, b) => a - b)[1]).toBe(p.ms);
    expect(p.checksum).toBe(speedProbeWork(1));
  });
});
