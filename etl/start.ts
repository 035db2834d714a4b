// `npm start`: the product on demo data, from a fresh clone, with no database
// installed. Today: the database (embedded unless DATABASE_URL is set), the
// warehouse schema, and a demo utility in the inbox when the inbox is empty.
// The nightly ETL run and the dashboard server join this command when they land.

import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { openDatabase, redactUrl } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { formatYearMonth, fromMonthIndex } from './generate/calendar.ts';
import { DEFAULT_INTERVALS, generateUtility } from './generate/generator.ts';
import { log } from './log.ts';
import { progress } from './progress.ts';

const DEMO = { customers: 2000, months: 24, seed: 1 };

async function main(): Promise<number> {
  const config = loadConfig();
  const inbox = resolve(process.env.GRIDLENS_INBOX ?? 'data/inbox');
  const handle = await openDatabase(config, { max: 2 });
  try {
    const migrated = await migrate(handle.pool);
    log.info('schema_ready', { database: redactUrl(handle.url), embedded: handle.embedded, applied: migrated.applied.length });

    const inboxEmpty = !existsSync(inbox) || readdirSync(inbox).length === 0;
    if (inboxEmpty) {
      const now = new Date();
      const end = fromMonthIndex(now.getFullYear() * 12 + now.getMonth() - 1);
      const bar = progress('demo data');
      const result = generateUtility({ ...DEMO, end, out: inbox, dirty: false, intervals: DEFAULT_INTERVALS, surveyRate: 0.02, onProgress: (d, t) => bar.update(d, t) });
      bar.finish();
      log.info('demo_data_written', { inbox, end: formatYearMonth(end), rows: result.rows, seconds: Number(result.seconds.toFixed(1)) });
    } else {
      log.info('inbox_kept', { inbox, note: 'the inbox is not empty: no demo data generated' });
    }

    process.stdout.write(
      [
        '',
        `Gridlens is set up: warehouse schema on ${redactUrl(handle.url)}${handle.embedded ? ' (embedded PostgreSQL under ' + config.home + ')' : ''},`,
        `exports of a demo utility in ${inbox} (see docs/demo-data.md; truth.json lists what was planted).`,
        'Not yet built: the nightly ETL run that loads the inbox and publishes extracts,',
        'and the dashboard server. `npm start` will run both once they land.',
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
