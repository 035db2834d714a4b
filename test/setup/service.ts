// globalSetup of the `service` project: the machine's PostgreSQL service.

import type { TestProject } from 'vitest/node';
import { dropStaleTestDatabases } from './databases.ts';
import { provideRunDatabase } from './run-database.ts';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.GRIDLENS_TEST_ADMIN_URL || DEFAULT_ADMIN_URL;
  await dropStaleTestDatabases(adminUrl);
  return provideRunDatabase(project, adminUrl, 'service');
}
