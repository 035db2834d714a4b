// The machine the figures come from: every suite result carries it, since a
// ratio is only comparable with one measured on the same machine.

import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { speedProbe } from '../browser/speed-probe.ts';

export interface MachineFacts {
  date: string;
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  postgres: string;
  chromium: string | null;
  load_at_start: number[];
  /** Median ms of a fixed CPU workload at the start (bench/browser/speed-probe.ts): compare days by it. */
  speed_probe_ms: number;
}

export async function machineFacts(adminUrl: string): Promise<MachineFacts> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  let postgres: string;
  try {
    postgres = (await c.query<{ v: string }>('select version() as v')).rows[0]!.v.split(' on ')[0]!;
  } finally {
    await c.end();
  }
  let chromium: string | null = null;
  try {
    chromium = execFileSync(process.env.GRIDLENS_CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    chromium = null;
  }
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres,
    chromium,
    load_at_start: loadavg().map((l) => Number(l.toFixed(2))),
    speed_probe_ms: speedProbe().ms,
  };
}
