// A fixed CPU workload timed in the benchmark's own process, before and after
// the cold starts: how fast this machine is today. The machines this
// benchmark runs on vary a lot from day to day (the same build measured
// interaction p95 94 ms on one AMD EPYC machine and 208 ms on another:
// docs/performance.md), so a figure means little without the machine's speed
// next to it. The work is the kind the page does on its main thread: integer
// arithmetic, a sort of doubles, objects grouped in a Map by string keys.
// Deterministic: the checksum depends on `scale` only.

import { performance } from 'node:perf_hooks';
import { median } from './stats.ts';

/** The workload; returns a checksum so that none of it can be optimised away. */
export function speedProbeWork(scale: number): number {
  let x = 0;
  for (let i = 0; i < scale * 1_000_000; i++) x = (x + i * 7) % 1_000_003;
  // Park–Miller minimal standard generator: the same doubles on every machine.
  const values = new Float64Array(scale * 20_000);
  let seed = 1;
  for (let i = 0; i < values.length; i++) {
    seed = (seed * 48_271) % 2_147_483_647;
    values[i] = seed / 2_147_483_647;
  }
  values.sort();
  const groups = new Map<string, { n: number; sum: number }>();
  for (let i = 0; i < scale * 20_000; i++) {
    const key = `k${i % 997}`;
    const g = groups.get(key);
    if (g) {
      g.n += 1;
      g.sum += values[i]!;
    } else groups.set(key, { n: 1, sum: values[i]! });
  }
  let sum = 0;
  for (const g of groups.values()) sum += g.n * g.sum;
  return x + Math.round(values[values.length >> 1]! * 1e6) + Math.round(sum);
}

export interface SpeedProbe {
  /** Median of the samples, ms. */
  ms: number;
  samples: number[];
  checksum: number;
}

/** Runs the workload `repeats` times (after one untimed run that lets V8 optimise it). */
export function speedProbe(o: { scale?: number; repeats?: number } = {}): SpeedProbe {
  const scale = o.scale ?? 20;
  const repeats = o.repeats ?? 5;
  let checksum = speedProbeWork(scale);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    checksum = speedProbeWork(scale);
    samples.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  return { ms: median(samples), samples, checksum };
}
