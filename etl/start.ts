// `npm start`: the product on demo data, from a fresh clone, with no database
// installed: the database (embedded unless DATABASE_URL is set), the warehouse
// schema, a demo utility in the inbox when the inbox is empty, and an ETL run
// that publishes the extracts. The dashboard server joins this command when it lands.

import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { openDatabase, redactUrl } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { formatYearMonth, lastCompleteMonth } from './generate/calendar.ts';
import { DEFAULT_INTERVALS, generateUtility } from './generate/generator.ts';
import { log } from './log.ts';
import { progress, stepProgress } from './progress.ts';
import { runEtl } from './run/run-etl.ts';

const DEMO = { customers: 2000, months: 24, seed: 1 };

async function main(): Promise<number> {
  const config = loadConfig();
  const inbox = resolve(config.inbox);
  const handle = await openDatabase(config, { max: 2 });
  try {
    const migrated = await migrate(handle.pool);
    log.info('schema_ready', { database: redactUrl(handle.url), embedded: handle.embedded, applied: migrated.applied.length });

    const inboxEmpty = !existsSync(inbox) || readdirSync(inbox).length === 0;
    if (inboxEmpty) {
      const end = lastCompleteMonth();
      const bar = progress('demo data');
      const result = generateUtility({ ...DEMO, end, out: inbox, dirty: false, intervals: DEFAULT_INTERVALS, surveyRate: 0.02, onProgress: (d, t) => bar.update(d, t) });
      bar.finish();
      log.info('demo_data_written', { inbox, end: formatYearMonth(end), rows: result.rows, seconds: Number(result.seconds.toFixed(1)) });
    } else {
      log.info('inbox_kept', { inbox, note: 'the inbox is not empty: no demo data generated' });
    }

    const bars = stepProgress();
    const summary = await runEtl({
      pool: handle.pool, config, inbox, extracts: config.extracts, full: false, logger: log,
      onProgress: (step, done, total) => bars.update(step, done, total),
    });
    bars.finish();
    if (summary.status === 'failed') {
      process.stderr.write(`gridlens: the ETL run failed: ${summary.error}\n`);
      return 1;
    }
    const rows = summary.files.reduce((a, f) => ({ read: a.read + f.read, rejected: a.rejected + f.rejected }), { read: 0, rejected: 0 });
    process.stdout.write(
      [
        '',
        `Gridlens: warehouse on ${redactUrl(handle.url)}${handle.embedded ? ' (embedded PostgreSQL under ' + config.home + ')' : ''}.`,
        `ETL run ${summary.run_id ?? '(skipped: another run in progress)'}: ${summary.status}, ${rows.read} rows read from ${inbox}, ${rows.rejected} rejected;`,
        `extracts ${summary.extract_version ?? '(unchanged)'} in ${config.extracts}/current (data as of ${summary.data_as_of ?? 'n/a'}).`,
        'See runs with `npm run etl -- status`. Not yet built: the dashboard server (it will join `npm start`).',
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log.error('start_failed', { err });
    process.stderr.write(`gridlens: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
