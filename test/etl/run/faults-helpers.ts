// Shared by the fault tests (faults-*.test.ts): a tiny generated utility split
// into "before" (first months) and "all", a warehouse state cloned per test
// from one migrated-and-loaded template database, the ETL CLI as a child
// process that a fault point can SIGKILL or pause (etl/run/fault-point.ts), and
// checks of what is published and what the real server serves.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import pg from 'pg';
import { createPool } from '../../../etl/db/connection.ts';
import { databaseUrl } from '../../setup/databases.ts';
import { testDatabase } from '../../helpers/db.ts';
import { TMP } from '../../helpers/generated.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const FAULTS_TMP = join(TMP, 'faults');

/** 60 customers × 3 months: every mart has rows, a run takes seconds. */
export const FAULT_FIXTURE = { customers: 60, months: 3, seed: 23, end: '2026-10', surveyRate: 0.3 };

/** The same secret for every run (keys stable across databases); K = 1 so the extracts carry every cell. */
export const FAULT_ENV: Record<string, string> = {
  GRIDLENS_PSEUDONYM_SECRET: 'faults-test-secret-0123456789abcdef',
  GRIDLENS_SUPPRESSION_K: '1',
  GRIDLENS_LOG_LEVEL: 'warn',
};

/** The month (YYYY-MM) a generated file belongs to (see etl/generate/output.ts for the names). */
export function fileMonth(name: string): string {
  const month = /(\d{4})-(\d{2})\.csv$/.exec(name);
  if (month) return `${month[1]}-${month[2]}`;
  const wave = /(\d{4})-Q(\d)\.csv$/.exec(name);
  if (wave) return `${wave[1]}-${String(Number(wave[2]) * 3 - 1).padStart(2, '0')}`;
  const campaign = /CMP(\d{4})(\d{2})\.csv$/.exec(name);
  if (campaign) return `${campaign[1]}-${campaign[2]}`;
  throw new Error(`no month in ${name}`);
}

/** A copy of the generated inbox's files of months up to `lastMonth` (YYYY-MM). */
export function inboxUpTo(source: string, lastMonth: string, into: string): string {
  for (const entity of readdirSync(source, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const f of readdirSync(join(source, entity))) {
      if (fileMonth(f) > lastMonth) continue;
      mkdirSync(join(into, entity), { recursive: true });
      copyFileSync(join(source, entity, f), join(into, entity, f));
    }
  }
  return into;
}

export function newFaultDir(label: string): string {
  const dir = join(FAULTS_TMP, `${label}-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

// ------------------------------------------------------------------ databases

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: testDatabase().adminUrl });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface FaultDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database on the service, a copy of `template` when given (CREATE
 * DATABASE … TEMPLATE: nobody may be connected to it). Named after the run's
 * database, so the run's teardown drops it if a test does not.
 */
export async function faultDatabase(label: string, template?: string): Promise<FaultDatabase> {
  const info = testDatabase();
  const name = `${info.name}_${label.replace(/[^a-z0-9]+/g, '_').slice(0, 14)}_${randomBytes(2).toString('hex')}`;
  await withAdmin((c) =>
    c.query(`create database ${c.escapeIdentifier(name)} template ${template ? c.escapeIdentifier(template) : 'template0'} encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`),
  );
  return {
    name,
    url: databaseUrl(info.adminUrl, name),
    drop: () => withAdmin(async (c) => void (await c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`))),
  };
}

export function faultPool(url: string): pg.Pool {
  return createPool(url, { tz: 'Asia/Shanghai', max: 2 });
}

// ------------------------------------------------------------------ the CLI

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface EtlChild {
  pid: number;
  done: Promise<ChildResult>;
  kill(signal?: NodeJS.Signals): void;
  /** What it printed so far. */
  output(): string;
}

/**
 * `etl/cli.ts <args>` under `node --import tsx` (no wrapper process: the pid
 * is the ETL's own, and a fault point's SIGKILL is the child's exit signal).
 */
const running = new Set<ChildProcess>();

/** SIGKILLs the CLI processes still running (a failed test's leftovers); for afterAll. */
export function killLeftoverChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function spawnEtl(args: string[], env: Record<string, string | undefined>): EtlChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'etl/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...FAULT_ENV, GRIDLENS_FAULT_POINT: undefined, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  running.add(child);
  const done = new Promise<ChildResult>((resolveDone, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      running.delete(child);
      resolveDone({ code, signal, stdout, stderr });
    });
  });
  return { pid: child.pid!, done, kill: (s = 'SIGKILL') => void child.kill(s), output: () => stdout + stderr };
}

export function runEtlCli(args: string[], env: Record<string, string | undefined>): Promise<ChildResult> {
  return spawnEtl(args, env).done;
}

/** Waits for a fault point's pause (`<dir>/<name>.paused`); fails if the child ends first. */
export async function waitPaused(dir: string, point: string, child: EtlChild, timeoutMs = 120_000): Promise<void> {
  const file = join(dir, `${point.replace(/[^A-Za-z0-9_-]/g, '_')}.paused`);
  let ended: ChildResult | null = null;
  void child.done.then((r) => (ended = r));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (ended) throw new Error(`the ETL ended before pausing at ${point}: ${JSON.stringify(ended)}`);
    if (Date.now() > deadline) throw new Error(`no pause at ${point} within ${timeoutMs} ms; the ETL printed: ${child.output()}`);
    await sleep(25);
  }
}

export function resume(dir: string, point: string): Promise<void> {
  return fs.writeFile(join(dir, `${point.replace(/[^A-Za-z0-9_-]/g, '_')}.resume`), '');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Lines of stderr that look like a stack trace (a person should get one clear line instead). */
export function stackLines(text: string): string[] {
  return text.split('\n').filter((l) => /^\s+at\s.+[(:]\d+/.test(l) || /node:internal/.test(l));
}

// ------------------------------------------------------------------ extracts

const canonical = (v: unknown): string => {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return v === 0 || !Number.isFinite(v) || Number.isInteger(v) ? String(v) : v.toPrecision(9);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
};

/**
 * Content of one Arrow table, independent of row order and of the last bits
 * of float sums (PostgreSQL may add a cell's rows in another order after a
 * different history of the tables): rows as text, floats to 9 significant
 * digits, sorted, hashed.
 */
export function tableDigest(table: Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const lines: string[] = [];
  for (const row of table) {
    const r = row as unknown as Record<string, unknown>;
    lines.push(names.map((n) => canonical(r[n])).join(','));
  }
  lines.sort();
  return `${table.numRows}:${createHash('md5').update(lines.join('\n')).digest('hex')}`;
}

export interface PublishedState {
  version: string;
  /** What a run publishes, without what names the run (version, run id, times). */
  manifest: unknown;
  tables: Record<string, string>;
}

/**
 * The version `current` points to, checked (every file present, its bytes the
 * manifest's sha256 and size, readable as Arrow with the manifest's rows), and
 * its content (tableDigest per extract).
 */
export function publishedState(extracts: string): PublishedState {
  const dir = join(extracts, 'current');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const tables: Record<string, string> = {};
  for (const f of manifest.files) {
    const bytes = readFileSync(join(dir, f.file));
    if (bytes.length !== f.bytes) throw new Error(`${f.file}: ${bytes.length} bytes, manifest says ${f.bytes}`);
    if (createHash('sha256').update(bytes).digest('hex') !== f.sha256) throw new Error(`${f.file}: sha256 differs from the manifest`);
    const table = tableFromIPC(bytes);
    if (table.numRows !== f.rows) throw new Error(`${f.file}: ${table.numRows} rows, manifest says ${f.rows}`);
    tables[f.name] = tableDigest(table);
  }
  const { version, run_id, created_at, run, ...rest } = manifest;
  const stable = {
    ...rest,
    // bytes and sha256 follow the float bits: the content is compared by `tables`.
    files: rest.files.map(({ bytes, sha256, ...file }: Record<string, unknown>) => file),
    // The run's own accounting (rows read by *this* run) differs after a kill by design: only its status is state.
    run: run ? { status: run.status } : null,
  };
  return { version, manifest: stable, tables };
}

/** What is left in the extracts folder besides versions and `current`: partial folders, temporary links. */
export async function leftovers(extracts: string): Promise<string[]> {
  const top = (await fs.readdir(extracts)).filter((n) => n.startsWith('.'));
  const versions = (await fs.readdir(join(extracts, 'versions'))).filter((n) => n.startsWith('.'));
  return [...top, ...versions.map((n) => `versions/${n}`)];
}

/**
 * What the server serves: the current manifest, then one extract of it by its
 * version path, checked against the manifest (size, sha256, Arrow rows).
 * Returns the version (null when nothing is published: 404); throws when
 * anything is missing or inconsistent.
 */
export async function servedVersion(baseUrl: string, extract = 'kpi_month'): Promise<string | null> {
  const res = await fetch(new URL('extracts/current/manifest.json', baseUrl), { headers: { 'accept-encoding': 'identity' } });
  if (res.status === 404) {
    await res.arrayBuffer();
    return null; // nothing published yet
  }
  if (res.status !== 200) throw new Error(`manifest: HTTP ${res.status}`);
  const manifest = JSON.parse(await res.text());
  const file = manifest.files.find((f: { name: string }) => f.name === extract);
  if (!file) throw new Error(`manifest ${manifest.version} has no ${extract}`);
  const r = await fetch(new URL(`extracts/versions/${manifest.version}/${file.file}`, baseUrl), { headers: { 'accept-encoding': 'identity' } });
  if (r.status !== 200) throw new Error(`${file.file} of ${manifest.version}: HTTP ${r.status}`);
  const bytes = Buffer.from(await r.arrayBuffer());
  if (bytes.length !== file.bytes || createHash('sha256').update(bytes).digest('hex') !== file.sha256) {
    throw new Error(`${file.file} of ${manifest.version}: bytes differ from the manifest`);
  }
  if (tableFromIPC(bytes).numRows !== file.rows) throw new Error(`${file.file} of ${manifest.version}: row count differs`);
  return manifest.version;
}

/**
 * Asks the server again and again (until stop()) and records every version it
 * served; a failed or inconsistent answer is recorded as an error.
 */
export function watchServer(baseUrl: string): { stop(): Promise<{ versions: (string | null)[]; errors: string[]; requests: number }> } {
  const versions = new Set<string | null>();
  const errors: string[] = [];
  let requests = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        versions.add(await servedVersion(baseUrl));
      } catch (err) {
        errors.push((err as Error).message);
      }
      requests++;
      await sleep(40);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { versions: [...versions], errors, requests };
    },
  };
}
