// One ETL run: ingest the inbox → pseudonymous keys → settings → incremental
// rollups → mart views → publish extracts. Each step commits on its own and is
// timed in the run log; transient database errors are retried; a failed run is
// recorded with its error and leaves the last published extracts serving.

import type pg from 'pg';
import type { Config } from '../config.ts';
import { publishExtracts } from '../extract/publish.ts';
import { nextScheduledRun } from './next-scheduled.ts';
import { assignPseudonyms, loadOrCreateSecret } from '../extract/pseudonym.ts';
import { ingestInbox, type FileResult } from '../ingest/ingest-inbox.ts';
import { ingestActions } from '../ingest/ingest-actions.ts';
import type { Logger } from '../log.ts';
import { installMarts, syncSettings } from '../transform/marts.ts';
import { refreshRollups } from '../transform/rollups.ts';
import { refreshForecasts } from '../transform/forecasts.ts';
import { describeError } from './describe-error.ts';
import { faultPoint } from './fault-point.ts';
import { withRetry } from './retry.ts';
import { finishRun, recordStep, startRun } from './run-log.ts';
import { tryRunLock } from './run-lock.ts';

/** The steps of a run, in the order they run. */
export const STEP_ORDER = ['ingest', 'actions', 'data_as_of', 'pseudonyms', 'settings', 'rollups', 'forecasts', 'marts', 'extracts'] as const;

export interface RunOptions {
  pool: pg.Pool;
  config: Config;
  inbox: string;
  extracts: string;
  full: boolean;
  logger: Logger;
  /** Progress of the ingest step, in bytes. */
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface RunSummary {
  run_id: number | null;
  status: 'succeeded' | 'failed' | 'skipped';
  extract_version: string | null;
  data_as_of: string | null;
  full: boolean;
  files: Pick<FileResult, 'entity' | 'file' | 'read' | 'loaded' | 'rejected' | 'superseded' | 'skipped' | 'rejectedByReason' | 'fileRejection'>[];
  steps: Record<string, number>;
  seconds: number;
  error?: string;
}

export async function runEtl(o: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const startedAt = new Date();
  const steps: Record<string, number> = {};
  const lock = await tryRunLock(o.pool);
  if (!lock) {
    o.logger.warn('run_skipped', { reason: 'another run holds the run lock' });
    return { run_id: null, status: 'skipped', extract_version: null, data_as_of: null, full: o.full, files: [], steps, seconds: 0 };
  }
  let runId: number | null = null;
  let files: FileResult[] = [];
  try {
    await faultPoint('run:locked');
    runId = await withRetry(() => startRun(o.pool), { onRetry: retryLogger(o.logger, 'start') });
    const log = o.logger.child({ runId });
    log.info('run_started', { inbox: o.inbox, extracts: o.extracts, full: o.full });
    const id = runId;
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      log.info('step_started', { step: name });
      const result = await withRetry(work, { onRetry: retryLogger(log, name) });
      const ms = performance.now() - t0;
      steps[name] = Math.round(ms);
      await withRetry(() => recordStep(o.pool, id, name, ms));
      log.info('step_finished', { step: name, ms: Math.round(ms) });
      return result;
    };

    files = (await step('ingest', () => ingestInbox({
      pool: o.pool, runId: id, inbox: o.inbox, timeZone: o.config.tz, logger: log,
      onProgress: (done, total) => o.onProgress?.('ingest', done, total),
    }))).files;
    await faultPoint('run:ingested');
    // The improvement-action register (inbox actions/, our own addition to the contract): after customers, whose regions it names.
    const actions = (await step('actions', () => ingestActions({ pool: o.pool, runId: id, inbox: o.inbox, logger: log }))).files;
    const asOf = await step('data_as_of', () => updateDataAsOf(o.pool, id));
    await step('pseudonyms', async () => assignPseudonyms(o.pool, await loadOrCreateSecret(o.config)));
    await step('settings', () => syncSettings(o.pool, o.config));
    await step('rollups', () => refreshRollups(o.pool, { full: o.full, logger: log }));
    await faultPoint('run:rolled-up');
    // kWh and revenue forecasts per segment × region from the rolled-up months (etl/transform/forecasts.ts).
    await step('forecasts', () => refreshForecasts(o.pool));
    await step('marts', () => installMarts(o.pool));
    const ingested = totals(files.filter((f) => !f.skipped));
    const nextScheduledAt = await nextScheduledRun(o.config.schedule, o.config.tz);
    const published = await step('extracts', () => publishExtracts({
      pool: o.pool, extractsDir: o.extracts, runId: id, dataAsOf: asOf ?? new Date().toISOString().slice(0, 10),
      k: o.config.suppressionK, versionsKept: o.config.extractVersionsKept, logger: log,
      run: {
        status: 'succeeded',
        // The register's files count too, so the manifest agrees with ops.etl_file.
        rows_read: ingested.read + actions.reduce((s, f) => s + f.read, 0),
        rows_rejected: ingested.rejected + actions.reduce((s, f) => s + f.rejected, 0),
        files_rejected: files.filter((f) => f.fileRejection).length + actions.filter((f) => f.fileRejection).length,
        started_at: startedAt.toISOString(),
        next_scheduled_at: nextScheduledAt?.toISOString() ?? null,
      },
    }));
    await withRetry(() => finishRun(o.pool, id, 'succeeded', { extractVersion: published.version }));
    const summary = summarise(runId, 'succeeded', published.version, asOf, o.full, files, steps, started);
    log.info('run_finished', { status: 'succeeded', extract_version: published.version, seconds: summary.seconds, ...totals(files) });
    return summary;
  } catch (err) {
    const message = describeError(err);
    o.logger.error('run_failed', { runId, err, message });
    if (runId !== null) {
      const id = runId;
      await withRetry(() => finishRun(o.pool, id, 'failed', { error: message })).catch((e) => o.logger.error('run_log_failed', { err: e }));
    }
    return { ...summarise(runId, 'failed', null, null, o.full, files, steps, started), error: message };
  } finally {
    await lock.release();
  }
}

/**
 * The data as-of date: the latest local day with a meter reading, never going
 * backwards from the previous run. Taken from the days this run touched (the
 * rollups' pending list) so it never scans the readings table.
 *
 * Earlier runs count whatever their status: a run that died or failed after
 * its rollups committed has consumed the pending days, but its data is in
 * core and the next run publishes it, so its as-of is still the data's (with
 * `succeeded` runs only, the run after such a failure published the new
 * month's data as of the month before: test/etl/run/faults-kill.test.ts).
 */
async function updateDataAsOf(pool: pg.Pool, runId: number): Promise<string | null> {
  const { rows } = await pool.query<{ as_of: string | null }>(
    `update ops.etl_run set data_as_of = greatest(
        (select max(day) from rollup.pending_usage_day),
        (select max(day_to) - 1 from rollup.pending_usage_range),
        (select max(data_as_of) from ops.etl_run where id <> $1))
      where id = $1 returning data_as_of::text as as_of`,
    [runId],
  );
  return rows[0]?.as_of ?? null;
}

function totals(files: FileResult[]): Record<string, number> {
  const t = { files: files.length, skipped: 0, read: 0, loaded: 0, rejected: 0, superseded: 0 };
  for (const f of files) {
    if (f.skipped) t.skipped++;
    t.read += f.read;
    t.loaded += f.loaded;
    t.rejected += f.rejected;
    t.superseded += f.superseded;
  }
  return t;
}

function summarise(runId: number | null, status: RunSummary['status'], version: string | null, asOf: string | null, full: boolean, files: FileResult[], steps: Record<string, number>, started: number): RunSummary {
  return {
    run_id: runId, status, extract_version: version, data_as_of: asOf, full,
    files: files.map((f) => ({ entity: f.entity, file: f.file, read: f.read, loaded: f.loaded, rejected: f.rejected, superseded: f.superseded, skipped: f.skipped, rejectedByReason: f.rejectedByReason, fileRejection: f.fileRejection })),
    steps, seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
  };
}


function retryLogger(log: Logger, step: string) {
  return (attempt: number, err: unknown, delayMs: number) => log.warn('step_retry', { step, attempt, delayMs, err });
}
