// `etl schedule`: stay up and run the ETL on a cron schedule (node-cron), in the
// utility's time zone. Runs never overlap: within this process node-cron's
// noOverlap, across processes and machines the PostgreSQL run lock.

import cron from 'node-cron';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';
import { log } from '../log.ts';
import { runEtl } from '../run/run-etl.ts';
import { UsageError } from './usage-error.ts';

export const SCHEDULE_HELP = `Usage: npm run etl -- schedule [--cron EXPR] [--inbox DIR] [--extracts DIR] [--now] [--runs N]

Stays up and runs the ETL on a schedule, logging each run (JSON lines when
not on a terminal). Stop it with Ctrl-C or SIGTERM; a run in progress
finishes first.

Options:
  --cron EXPR      cron expression, minutes first (6 fields: seconds first),
                   evaluated in GRIDLENS_TZ (default GRIDLENS_SCHEDULE or "0 2 * * *")
  --inbox DIR      exports folder (default GRIDLENS_INBOX or data/inbox)
  --extracts DIR   extracts folder (default GRIDLENS_EXTRACTS or data/extracts)
  --now            also run once immediately at start
  --runs N         exit after N scheduled runs (for tests and one-off operation)
  --help           this text
`;

export async function scheduleCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      cron: { type: 'string' }, inbox: { type: 'string' }, extracts: { type: 'string' }, now: { type: 'boolean' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    }, strict: true }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(SCHEDULE_HELP);
    return 0;
  }
  const config = loadConfig();
  const expression = values.cron ?? config.schedule;
  if (!cron.validate(expression)) throw new UsageError(`"${expression}" is not a valid cron expression (e.g. "0 2 * * *" = 02:00 every day)`);
  const maxRuns = values.runs === undefined ? Infinity : Number(values.runs);
  if (!(maxRuns >= 1)) throw new UsageError(`--runs must be a positive whole number, got "${values.runs}"`);
  const inbox = resolve(values.inbox ?? config.inbox);
  const extracts = resolve(values.extracts ?? config.extracts);

  // One handle for the life of the scheduler keeps an embedded server up between runs.
  const handle = await openDatabase(config, { max: 4 });
  await migrate(handle.pool);
  let runs = 0;
  let running: Promise<unknown> = Promise.resolve();
  let finish!: (code: number) => void;
  const done = new Promise<number>((r) => (finish = r));

  const runOnce = async (reason: string): Promise<void> => {
    log.info('scheduled_run', { reason, cron: expression, tz: config.tz });
    const summary = await runEtl({ pool: handle.pool, config, inbox, extracts, full: false, logger: log });
    log.info('scheduled_run_result', { run_id: summary.run_id, status: summary.status, extract_version: summary.extract_version, seconds: summary.seconds, error: summary.error });
  };

  const task = cron.schedule(expression, async () => {
    running = runOnce('schedule');
    await running;
    if (++runs >= maxRuns) finish(0);
    else log.info('next_run', { at: task.getNextRun()?.toISOString() ?? null });
  }, { timezone: config.tz, noOverlap: true, name: 'gridlens-etl' });
  log.info('scheduler_started', { cron: expression, tz: config.tz, next_run: task.getNextRun()?.toISOString() ?? null, inbox, extracts });
  if (values.now) {
    running = runOnce('startup');
    await running;
  }

  const stop = (signal: string) => {
    log.info('scheduler_stopping', { signal });
    finish(0);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const code = await done;
  await task.stop();
  await task.destroy();
  await running.catch(() => undefined);
  await handle.close();
  log.info('scheduler_stopped', { runs });
  return code;
}
