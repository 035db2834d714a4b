// `gridlens migrate`: apply pending SQL migrations (sql/migrations) to the
// database named by DATABASE_URL, or to the embedded server when it is unset.

import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase, redactUrl } from '../db/connection.ts';
import { DEFAULT_MIGRATIONS_DIR, migrate, MigrationError } from '../db/migrate.ts';
import { log } from '../log.ts';

export const MIGRATE_USAGE = `Usage: gridlens migrate [--json] [--dir <path>]

Apply pending SQL migrations, in order, each in its own transaction. Safe to
run again (applied migrations are skipped) and from several processes at once.

The database is DATABASE_URL, or the embedded PostgreSQL under GRIDLENS_HOME
when DATABASE_URL is unset.

Options:
  --json          print the result as one JSON object on stdout
  --dir <path>    migrations folder (default: sql/migrations)
  -h, --help      show this help

Exit codes: 0 ok, 1 failed, 2 bad usage.`;

export async function migrateCommand(argv: string[]): Promise<number> {
  let values: { json?: boolean; dir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        dir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`gridlens migrate: ${(err as Error).message}\n\n${MIGRATE_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(MIGRATE_USAGE + '\n');
    return 0;
  }

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`gridlens migrate: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  const dir = values.dir ?? DEFAULT_MIGRATIONS_DIR;
  let handle;
  try {
    handle = await openDatabase(config, { max: 2 });
  } catch (err) {
    log.error('migrate_failed', { step: 'connect', err });
    process.stderr.write(`gridlens migrate: cannot open the database: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const t0 = Date.now();
    const result = await migrate(handle.pool, dir);
    const database = redactUrl(handle.url);
    log.info('migrate_done', { applied: result.applied.length, skipped: result.skipped, ms: Date.now() - t0 });
    if (values.json) {
      process.stdout.write(JSON.stringify({ ok: true, database, embedded: handle.embedded, ...result }) + '\n');
    } else {
      for (const name of result.applied) process.stdout.write(`applied ${name}\n`);
      process.stdout.write(
        `${result.applied.length} migration(s) applied, ${result.skipped} already applied (${database})\n`,
      );
    }
    return 0;
  } catch (err) {
    log.error('migrate_failed', { err });
    const message = err instanceof MigrationError ? err.message : `unexpected error: ${(err as Error).message}`;
    if (values.json) process.stdout.write(JSON.stringify({ ok: false, error: message }) + '\n');
    else process.stderr.write(`gridlens migrate: ${message}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}
