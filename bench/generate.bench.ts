// Generator throughput and memory: `npm run bench:generate [-- --json] [--customers 4000,20000] [--months 6] [--repeats 3]`.
//
// Runs the demo-utility generator (the same code as `npm run etl -- generate`)
// in a child process per size, so each run's peak RSS is its own, and reports
// usage rows/s (the goal: ≥ 500k/s on this machine) and all rows/s. Two sizes,
// 5× apart, side by side: peak memory should stay flat as customers grow,
// because the generator streams (nothing is kept per customer).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

// `--customers A,B --months M --repeats R` change the sizes (the suite's --quick uses small ones).
const { values: args } = parseArgs({
  options: { json: { type: 'boolean' }, customers: { type: 'string' }, months: { type: 'string' }, repeats: { type: 'string' } },
  strict: true,
});
const json = args.json === true;
const whole = (text: string, name: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a positive whole number, got ${text}`);
  return n;
};
const months = whole(args.months ?? '6', 'months');
const sizeCustomers = (args.customers ?? '4000,20000').split(',').map((c) => whole(c, 'customers'));
if (sizeCustomers.length !== 2) throw new Error('--customers: two sizes, e.g. 4000,20000');
const sizes = sizeCustomers.map((customers) => ({ customers, months }));
const repetitions = whole(args.repeats ?? process.env.BENCH_REPETITIONS ?? '3', 'repeats');

interface Run {
  customers: number;
  months: number;
  seconds: number;
  usageRows: number;
  allRows: number;
  usageRowsPerSecond: number;
  allRowsPerSecond: number;
  peakRssMb: number;
}

function runOnce(customers: number, months: number): Run {
  const out = mkdtempSync(join(tmpdir(), 'gridlens-bench-gen-'));
  try {
    // /usr/bin/time is not always installed: measure peak RSS from inside the child instead.
    const script = `
      import { generateUtility, DEFAULT_INTERVALS } from './etl/generate/generator.ts';
      const r = generateUtility({ customers: ${customers}, months: ${months}, seed: 1, end: { year: 2026, month: 10 },
        out: ${JSON.stringify(out)}, dirty: false, intervals: DEFAULT_INTERVALS, surveyRate: 0.02 });
      process.stdout.write(JSON.stringify({ seconds: r.seconds, rows: r.rows, rss: process.resourceUsage().maxRSS }));
    `;
    const text = execFileSync('npx', ['tsx', '--eval', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(text) as { seconds: number; rows: Record<string, number>; rss: number };
    const allRows = Object.values(r.rows).reduce((a, b) => a + b, 0);
    return {
      customers, months, seconds: r.seconds, usageRows: r.rows.usage, allRows,
      usageRowsPerSecond: Math.round(r.rows.usage / r.seconds), allRowsPerSecond: Math.round(allRows / r.seconds),
      peakRssMb: Math.round(r.rss / 1024),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const results = sizes.map(({ customers, months }) => {
  const runs = Array.from({ length: repetitions }, () => runOnce(customers, months));
  const sorted = [...runs].sort((a, b) => a.usageRowsPerSecond - b.usageRowsPerSecond);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1], runs };
});

const goal = 500_000;
const summary = {
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  repetitions,
  sizes: results.map((r) => ({
    customers: r.median.customers, months: r.median.months, usage_rows: r.median.usageRows, all_rows: r.median.allRows,
    usage_rows_per_s: { median: r.median.usageRowsPerSecond, min: r.min.usageRowsPerSecond, max: r.max.usageRowsPerSecond },
    all_rows_per_s_median: r.median.allRowsPerSecond,
    peak_rss_mb_median: r.median.peakRssMb,
  })),
  memory_growth_ratio: Number((results[1].median.peakRssMb / results[0].median.peakRssMb).toFixed(2)),
  customers_ratio: sizes[1].customers / sizes[0].customers,
  goal: { usage_rows_per_s: goal, pass: results.every((r) => r.median.usageRowsPerSecond >= goal) },
};

if (json) {
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
} else {
  console.log(`generator benchmark — ${summary.machine.cpu}, ${summary.machine.cores} cores, Node ${summary.machine.node}, ${repetitions} runs per size`);
  console.log('customers  months  usage rows   usage rows/s (median [min–max])   all rows/s   peak RSS');
  for (const s of summary.sizes) {
    console.log(`${String(s.customers).padStart(9)}  ${String(s.months).padStart(6)}  ${String(s.usage_rows).padStart(10)}   ${String(s.usage_rows_per_s.median).padStart(9)} [${s.usage_rows_per_s.min}–${s.usage_rows_per_s.max}]   ${String(s.all_rows_per_s_median).padStart(10)}   ${s.peak_rss_mb_median} MB`);
  }
  console.log(`memory: ${summary.memory_growth_ratio}× for ${summary.customers_ratio}× the customers`);
  console.log(`goal ≥ ${goal} usage rows/s: ${summary.goal.pass ? 'pass' : 'falls short'}`);
}
