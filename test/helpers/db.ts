// Database access for tests. Each project's globalSetup creates one fresh,
// migrated database per test run (see vitest.config.ts); these helpers reach it.
//
//   const h = await openTestDatabase();   // Kysely + pool on the run's database
//   ...; await h.close();
//
// Test files of one project run in parallel against that same database: use
// keys unique to your test, or take a scratch database of your own:
//
//   const scratch = await createScratchDatabase('ingest');  // empty, not migrated
//   ...; await scratch.drop();

import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig } from '../../etl/config.ts';
import { openDatabase, type DatabaseHandle } from '../../etl/db/connection.ts';
import { createDatabase, dropDatabases } from '../setup/databases.ts';
import type { TestDatabaseInfo } from './context.ts';

export type { TestDatabaseInfo } from './context.ts';

export function testDatabase(): TestDatabaseInfo {
  const info = inject('gridlensTestDatabase');
  if (!info) {
    throw new Error('no test database was provided: run database tests through vitest with vitest.config.ts (name them *.db.test.ts)');
  }
  return info;
}

/** URL of this run's fresh, migrated database. */
export function testDatabaseUrl(): string {
  return testDatabase().url;
}

/** Opens the run's database with the application's own openDatabase (parsers, time zone). */
export function openTestDatabase(url: string = testDatabaseUrl(), options: { max?: number } = {}): Promise<DatabaseHandle> {
  return openDatabase(loadConfig({ ...process.env, DATABASE_URL: url }), options);
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A new empty database on the same server, named after the run's database (so
 * the run's teardown drops it too if the test forgets or crashes).
 */
export async function createScratchDatabase(label = 'scratch'): Promise<ScratchDatabase> {
  const info = testDatabase();
  const safe = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 16);
  const name = `${info.name}_${safe}_${randomBytes(2).toString('hex')}`;
  const url = await createDatabase(info.adminUrl, name);
  return { name, url, drop: async () => void (await dropDatabases(info.adminUrl, name)) };
}
