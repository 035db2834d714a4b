// The extracts the browser benchmark serves: a given folder (holding
// current/manifest.json), or a small utility generated here and put through
// the real ETL (as the end-to-end test does) so the benchmark runs anywhere.
//
// Generated utilities are cached under .gridlens/bench/ (git-ignored), keyed
// by their options. The ETL runs in a child process (`etl/cli.ts run`) on the
// database given, else on an embedded PostgreSQL in a private GRIDLENS_HOME
// that is deleted afterwards: a DATABASE_URL in the environment is never used,
// so the benchmark cannot write into someone's warehouse.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Manifest } from '../../etl/extract/manifest.ts';
import { currentVersion } from '../../etl/extract/versions.ts';
import { parseYearMonth } from '../../etl/generate/calendar.ts';
import { DEFAULT_INTERVALS, generateUtility } from '../../etl/generate/generator.ts';
import { precompressVersion } from '../../etl/serve/nightly.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

export interface GenerateOptions {
  customers: number;
  months: number;
  seed: number;
  /** Last month, 'YYYY-MM'. */
  end: string;
  /** Where the utility (inbox, extracts) goes; default .gridlens/bench/browser-<options>. */
  dir?: string;
  /** A database to run the ETL on (e.g. a test's scratch database); default an embedded PostgreSQL. */
  databaseUrl?: string;
  log?: (line: string) => void;
}

/** Generates a utility and publishes its extracts (reused when already there); returns the extracts folder. */
export async function generateExtracts(o: GenerateOptions): Promise<string> {
  const name = `browser-c${o.customers}-m${o.months}-s${o.seed}-e${o.end}`;
  const dir = o.dir ?? join(ROOT, '.gridlens/bench', name);
  const extracts = join(dir, 'extracts');
  if (existsSync(join(extracts, 'current/manifest.json'))) {
    o.log?.(`extracts: reusing ${extracts}`);
    return extracts;
  }
  const end = parseYearMonth(o.end);
  if (!end) throw new Error(`--end: not a month: ${o.end} (expected YYYY-MM)`);
  const inbox = join(dir, 'inbox');
  const home = join(dir, 'home');
  rmSync(inbox, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  o.log?.(`extracts: generating ${o.customers} customers × ${o.months} months (seed ${o.seed}, ending ${o.end})`);
  const tmpInbox = `${inbox}.tmp-${process.pid}`;
  generateUtility({ customers: o.customers, months: o.months, seed: o.seed, end, out: tmpInbox, dirty: false, intervals: DEFAULT_INTERVALS, surveyRate: 0.02 });
  renameSync(tmpInbox, inbox);

  o.log?.(`extracts: running the ETL (${o.databaseUrl ? 'given database' : 'embedded PostgreSQL'})`);
  const env: NodeJS.ProcessEnv = { ...process.env, GRIDLENS_HOME: home, GRIDLENS_EXTRACTS: extracts, GRIDLENS_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  try {
    await run(process.execPath, ['--import', 'tsx', join(ROOT, 'etl/cli.ts'), 'run', '--inbox', inbox, '--extracts', extracts, '--json'], {
      cwd: ROOT, env, maxBuffer: 64 << 20,
    });
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    throw new Error(`the ETL run for the benchmark's utility failed (exit ${err.code}): ${(err.stderr ?? '').slice(-2000)}`, { cause: e });
  } finally {
    // The database (embedded cluster, pseudonym secret) is not needed once the extracts are published.
    if (!o.databaseUrl) rmSync(home, { recursive: true, force: true });
    rmSync(inbox, { recursive: true, force: true });
  }
  return extracts;
}

export interface ExtractsFacts {
  dir: string;
  version: string;
  data_as_of: string;
  suppression_k: number;
  files: { name: string; rows: number; bytes: number }[];
  total_rows: number;
  total_bytes: number;
}

/** The live version's manifest, checked to be one. */
export function readManifest(extractsDir: string): Manifest {
  const file = join(extractsDir, 'current/manifest.json');
  if (!existsSync(file)) throw new Error(`${file} does not exist: --extracts must name a folder holding current/manifest.json`);
  const m = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  if (m.format !== 'gridlens-extracts') throw new Error(`${file} is not a Gridlens extracts manifest`);
  return m;
}

export function extractsFacts(extractsDir: string, m: Manifest): ExtractsFacts {
  const files = m.files.map((f) => ({ name: f.name, rows: f.rows, bytes: f.bytes }));
  return {
    dir: resolve(extractsDir),
    version: m.version,
    data_as_of: m.data_as_of,
    suppression_k: m.suppression.k,
    files,
    total_rows: files.reduce((a, f) => a + f.rows, 0),
    total_bytes: files.reduce((a, f) => a + f.bytes, 0),
  };
}

/**
 * Writes the live version's brotli/gzip variants now, as `npm start` does after
 * a run; otherwise the server sends the first requests uncompressed while it
 * compresses in the background, and the first cold start would differ.
 */
export async function precompressCurrent(extractsDir: string): Promise<void> {
  const version = await currentVersion(extractsDir);
  if (!version) throw new Error(`${extractsDir}: no current version`);
  await precompressVersion(extractsDir, { extract_version: version });
}
