// The nightly ETL inside the serving process: the same cron schedule and run
// as `npm run etl -- schedule` (etl/commands/schedule.ts: node-cron in
// GRIDLENS_TZ, noOverlap here, the PostgreSQL run lock across processes), on
// the database handle `npm start` already holds, plus one step the command
// does not need: precompressing the freshly published extract version so the
// server sends it compressed from its first request.

import cron from 'node-cron';
import path from 'node:path';
import type pg from 'pg';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { runEtl, type RunSummary } from '../run/run-etl.ts';
import { precompressTree } from './precompress.ts';

export interface Nightly {
  /** When the next run starts (null if the schedule has none). */
  nextRun(): Date | null;
  /** Stops the schedule and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startNightly(o: { pool: pg.Pool; config: Config; inbox: string; logger: Logger }): Nightly {
  const expression = o.config.schedule;
  if (!cron.validate(expression)) {
    throw new Error(`GRIDLENS_SCHEDULE="${expression}" is not a valid cron expression (e.g. "0 2 * * *" = 02:00 every day).`);
  }
  let running: Promise<unknown> = Promise.resolve();
  const task = cron.schedule(expression, async () => {
    const run = (async () => {
      o.logger.info('scheduled_run', { reason: 'schedule', cron: expression, tz: o.config.tz });
      const summary = await runEtl({ pool: o.pool, config: o.config, inbox: o.inbox, extracts: o.config.extracts, full: false, logger: o.logger });
      o.logger.info('scheduled_run_result', {
        run_id: summary.run_id, status: summary.status, extract_version: summary.extract_version, seconds: summary.seconds, error: summary.error,
      });
      await precompressVersion(o.config.extracts, summary, o.logger);
      o.logger.info('next_run', { at: task.getNextRun()?.toISOString() ?? null });
    })();
    running = run.catch(() => undefined);
    await run.catch((err: unknown) => o.logger.error('scheduled_run_failed', { err }));
  }, { timezone: o.config.tz, noOverlap: true, name: 'gridlens-etl' });
  o.logger.info('scheduler_started', { cron: expression, tz: o.config.tz, next_run: task.getNextRun()?.toISOString() ?? null });
  return {
    nextRun: () => task.getNextRun(),
    async stop() {
      await task.stop();
      await task.destroy();
      await running;
    },
  };
}

/** Brotli/gzip variants of a published version's files (the server would otherwise make them on first request). */
export async function precompressVersion(extractsDir: string, summary: Pick<RunSummary, 'extract_version'>, logger?: Logger): Promise<void> {
  if (!summary.extract_version) return;
  const dir = path.join(extractsDir, 'versions', summary.extract_version);
  try {
    const r = await precompressTree(dir);
    logger?.info('extracts_precompressed', { version: summary.extract_version, variants_written: r.written });
  } catch (err) {
    logger?.warn('extracts_precompress_failed', { dir, err });
  }
}
