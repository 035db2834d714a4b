// Shared by both projects' globalSetup: a fresh database for this run, migrated,
// provided to the tests; dropped (with any scratch databases) at teardown.

import type { TestProject } from 'vitest/node';
import { createPool } from '../../etl/db/connection.ts';
import { migrate } from '../../etl/db/migrate.ts';
import type { TestDatabaseInfo } from '../helpers/context.ts';
import { createDatabase, dropDatabases, newTestDatabaseName } from './databases.ts';

export async function provideRunDatabase(
  project: TestProject,
  adminUrl: string,
  server: TestDatabaseInfo['server'],
): Promise<() => Promise<void>> {
  const name = newTestDatabaseName();
  const url = await createDatabase(adminUrl, name);
  const drop = async () => void (await dropDatabases(adminUrl, name));
  try {
    const pool = createPool(url, { tz: 'Asia/Shanghai', max: 1 });
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  } catch (err) {
    await drop();
    throw err;
  }
  project.provide('gridlensTestDatabase', { url, adminUrl, name, server });
  return drop;
}
