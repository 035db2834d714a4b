// Publishing the extracts: every mart → <name>.arrow in a new version folder,
// with manifest.json, then `current` switched to it atomically, then old
// versions pruned (versions.ts has the folder layout and why the switch is
// atomic).
//
// All marts are read in one REPEATABLE READ, READ ONLY transaction, so the files
// of a version describe the same snapshot. Before any file is written, every
// mart is checked (exists, grain and customers columns, supported types, no
// personal-data column names, the customer mart carries pseudonymous keys).
// Any failure before the switch removes the partial folder and leaves `current`
// (the last good version) serving. Pruning failures after the switch are only
// logged: the publish has happened.

import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { MARTS } from '../transform/mart-catalog.ts';
import { writeQueryToArrowFile, type WriteArrowOptions } from './arrow.ts';
import { buildManifest, columnRole, MANIFEST_FILE, type Manifest, type ManifestAnswer, type ManifestRun, type ManifestSummary, type WrittenExtract } from './manifest.ts';
import {
  describeMart,
  ExtractSpecError,
  planExtract,
  SUPPRESSED_COLUMN,
  type ExtractPlan,
  type ExtractSpec,
} from './mart-query.ts';
import { readSummary, SUMMARY_MART } from './summary.ts';
import { startNodeEngine } from './duckdb-node.ts';
import { answerFirstScreen } from './first-answers.ts';
import { faultPoint } from '../run/fault-point.ts';
import { CURRENT_LINK, currentVersion, fsyncDir, PARTIAL_PREFIX, pruneVersions, switchCurrent, versionName, VERSIONS_DIR } from './versions.ts';

export interface PublishOptions {
  pool: pg.Pool;
  /** Root of the extracts (config.extracts): versions/ and current live here. */
  extractsDir: string;
  runId: number | string;
  /** 'YYYY-MM-DD': the latest day the data covers. */
  dataAsOf: string;
  /** Suppression threshold (config.suppressionK). */
  k: number;
  /** Versions kept, the new one included (config.extractVersionsKept; at least 1). */
  versionsKept: number;
  marts?: readonly ExtractSpec[];
  logger?: Logger;
  /** Clock (tests). */
  now?: () => Date;
  /** The publishing run, recorded in the manifest (finished_at is set when the manifest is written). */
  run?: Omit<ManifestRun, 'finished_at'>;
  /** Rows per cursor FETCH / Arrow record batch (default 50,000). */
  batchRows?: number;
  /** Answer the dashboard's first screen into the manifest (first-answers.ts; default true). */
  firstAnswers?: boolean;
}

export interface PublishedFile {
  name: string;
  /** File name inside `dir`. */
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface PublishResult {
  version: string;
  /** Absolute path of the version folder. */
  dir: string;
  files: PublishedFile[];
  /** Versions deleted by pruning. */
  pruned: string[];
}

export async function publishExtracts(o: PublishOptions): Promise<PublishResult> {
  const marts = o.marts ?? MARTS;
  const started = performance.now();
  const clock = o.now ?? (() => new Date());
  const now = clock();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.dataAsOf)) throw new Error(`dataAsOf must be 'YYYY-MM-DD', not ${JSON.stringify(o.dataAsOf)}`);
  if (!Number.isFinite(o.k) || o.k <= 0) throw new Error(`suppression k must be a positive number, not ${o.k}`);
  const names = marts.map((m) => m.name);
  if (new Set(names).size !== names.length) throw new Error(`two marts share a name: ${names.join(', ')}`);
  for (const n of names) if (!/^[a-z][a-z0-9_]*$/.test(n)) throw new Error(`mart name ${JSON.stringify(n)} must be lower_snake_case (it becomes a file name)`);

  const extractsDir = path.resolve(o.extractsDir);
  const versionsDir = path.join(extractsDir, VERSIONS_DIR);
  let version: string;
  try {
    await fs.mkdir(versionsDir, { recursive: true });
    await currentVersion(extractsDir); // refuses a `current` that is not a symlink, before any work
    // A second publish in the same second by the same run (a retry) gets `-2`…
    version = await freeVersionName(versionsDir, versionName(now, o.runId));
  } catch (err) {
    throw describeFsError(err, extractsDir);
  }
  const partial = path.join(versionsDir, `${PARTIAL_PREFIX}${version}-p${process.pid}`);
  const finalDir = path.join(versionsDir, version);
  let renamed = false;
  let manifest: Manifest;

  const client = await o.pool.connect();
  let released = false;
  try {
    await fs.mkdir(partial);
    const written: WrittenExtract[] = [];
    let summary: ManifestSummary | null = null;
    await client.query('begin isolation level repeatable read, read only');
    try {
      // Each mart query is costed above the JIT threshold, and compiling it
      // took longer than it saved (1.3 s of mart.customer's 10 s at 100k
      // customers × 24 months, for 147 functions): the marts read rollups.
      await client.query('set local jit = off');
      const plans = await planAll(client, marts, o.k);
      for (const plan of plans) written.push(await writeExtract(client, plan, partial, o));
      // Same snapshot as the files, so the summary never disagrees with kpi_month.arrow.
      const kpi = written.find((w) => w.spec.name === SUMMARY_MART);
      if (kpi) {
        const measures = kpi.columns.filter((c) => columnRole(kpi.spec, c) === 'measure').map((c) => c.name);
        summary = await readSummary(client, plans.find((p) => p.spec.name === SUMMARY_MART)!, measures, o.dataAsOf);
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
    client.release();
    released = true;

    const answers = o.firstAnswers === false ? null : await firstAnswersOf(partial, written, o);
    const run: ManifestRun | null = o.run ? { ...o.run, finished_at: clock().toISOString() } : null;
    manifest = buildManifest({ version, runId: o.runId, createdAt: now, dataAsOf: o.dataAsOf, k: o.k, extracts: written, summary, answers, run });
    const fh = await fs.open(path.join(partial, MANIFEST_FILE), 'wx', 0o644);
    try {
      await faultPoint('extracts:manifest'); // manifest created, empty
      await fh.writeFile(JSON.stringify(manifest, null, 2) + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsyncDir(partial);
    await fs.rename(partial, finalDir);
    renamed = true;
    await faultPoint('extracts:renamed'); // complete version folder, `current` not switched
    await fsyncDir(versionsDir);
    await switchCurrent(extractsDir, version);
    await faultPoint('extracts:switched'); // published, run not recorded
  } catch (err) {
    if (!released) client.release();
    await fs.rm(partial, { recursive: true, force: true }).catch(() => undefined);
    // Renamed but not switched to: `current` does not point at it, so it goes too.
    if (renamed && (await currentVersion(extractsDir).catch(() => null)) !== version) {
      await fs.rm(finalDir, { recursive: true, force: true }).catch(() => undefined);
    }
    throw describeFsError(err, extractsDir);
  }

  let pruned: string[] = [];
  try {
    pruned = await pruneVersions(extractsDir, o.versionsKept, o.logger);
  } catch (err) {
    o.logger?.warn('extract_prune_failed', { err, extractsDir });
  }
  const files = manifest.files;
  o.logger?.info('extracts_published', {
    version,
    files: files.length,
    rows: files.reduce((s, f) => s + f.rows, 0),
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    ms: Math.round(performance.now() - started),
    current: path.join(extractsDir, CURRENT_LINK),
  });
  return {
    version,
    dir: finalDir,
    files: files.map((f) => ({ name: f.name, file: f.file, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })),
    pruned,
  };
}

/**
 * The manifest's `answers` for the version in `dir`. Never fails the publish:
 * without them the dashboard asks DuckDB itself, as it always could, so a
 * failure (e.g. DuckDB-WASM not installed) is logged and the manifest has none.
 */
async function firstAnswersOf(dir: string, written: readonly WrittenExtract[], o: PublishOptions): Promise<ManifestAnswer[] | null> {
  const started = performance.now();
  try {
    const { answers, skipped } = await answerFirstScreen({
      dir,
      files: written.map((w) => ({ name: w.spec.name, file: w.file })),
      dataAsOf: o.dataAsOf,
      engine: startNodeEngine,
    });
    for (const s of skipped) o.logger?.warn('first_answer_skipped', { reason: s.reason, sql: s.sql.slice(0, 80) });
    o.logger?.info('first_answers', { answers: answers.length, rows: answers.reduce((n, a) => n + a.rows.length, 0), ms: Math.round(performance.now() - started) });
    return answers;
  } catch (err) {
    o.logger?.warn('first_answers_failed', { err, hint: 'the dashboard asks DuckDB for its first screen instead' });
    return null;
  }
}

/** Checks every mart before anything is written. */
async function planAll(client: pg.ClientBase, marts: readonly ExtractSpec[], k: number): Promise<ExtractPlan[]> {
  const plans: ExtractPlan[] = [];
  for (const spec of marts) plans.push(planExtract(spec, await describeMart(client, spec.name), k));
  return plans;
}

/**
 * Per-customer marts must key rows by pseudonyms only. Checked on the rows as
 * they are written (the keys of core.customer_pseudonym held in a set): a
 * separate count would evaluate the mart a second time (10 s of a 40 s extract
 * step at 100k customers × 24 months). A mart that fails stops the publish
 * before anything is published.
 */
async function pseudonymGuard(client: pg.ClientBase, plan: ExtractPlan): Promise<WriteArrowOptions['onBatch'] & { foreign(): number } | undefined> {
  if (plan.spec.customersColumn !== null || !plan.martColumns.some((c) => c.name === 'customer_key')) return undefined;
  const keys = new Set<number>();
  const r = await client.query<[number]>({ text: 'select customer_key from core.customer_pseudonym', rowMode: 'array' });
  for (const row of r.rows) keys.add(Number(row[0]));
  let foreign = 0;
  const check = (columns: readonly string[], rows: readonly unknown[][]) => {
    const at = columns.indexOf('customer_key');
    for (const row of rows) {
      const key = row[at];
      if (key === null || key === undefined || !keys.has(Number(key))) foreign++;
    }
  };
  return Object.assign(check, { foreign: () => foreign });
}

async function writeExtract(client: pg.ClientBase, plan: ExtractPlan, dir: string, o: PublishOptions): Promise<WrittenExtract> {
  const t0 = performance.now();
  const file = `${plan.spec.name}.arrow`;
  const guard = await pseudonymGuard(client, plan);
  const r = await writeQueryToArrowFile(client, plan.sql, path.join(dir, file), { batchRows: o.batchRows, onBatch: guard });
  await faultPoint('extracts:write'); // one extract written in the partial folder
  const foreign = guard?.foreign() ?? 0;
  if (foreign > 0) {
    throw new ExtractSpecError(
      `mart.${plan.spec.name} has ${foreign} row(s) whose customer_key is not a pseudonym from core.customer_pseudonym ` +
        `(null, or e.g. core.customer.customer_key, which is not pseudonymous): join core.customer_pseudonym, ` +
        `and run assignPseudonyms before the marts are read.`,
    );
  }
  const cellsSuppressed = plan.suppressed ? r.trueCounts[SUPPRESSED_COLUMN] ?? 0 : 0;
  o.logger?.info('extract_written', {
    mart: plan.spec.name, rows: r.rows, bytes: r.bytes, suppressed: cellsSuppressed, ms: Math.round(performance.now() - t0),
  });
  return { spec: plan.spec, file, rows: r.rows, bytes: r.bytes, sha256: r.sha256, columns: r.columns, cellsSuppressed };
}

/** `version`, or `version-2`, `-3`… if a folder of that name exists already. */
async function freeVersionName(versionsDir: string, version: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? version : `${version}-${n}`;
    try {
      await fs.lstat(path.join(versionsDir, name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return name;
      throw err;
    }
  }
}

/** A file-system error, said with where and what to do; other errors unchanged. */
function describeFsError(err: unknown, extractsDir: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.syscall !== 'string') return err;
  return new Error(
    `cannot publish extracts in ${extractsDir}: ${e.message}. Check that this folder (GRIDLENS_EXTRACTS) is a writable ` +
      `directory for this user, with space left; the previous version keeps serving.`,
    { cause: err },
  );
}
