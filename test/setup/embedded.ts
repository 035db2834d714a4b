// globalSetup of the `embedded` project: its own embedded PostgreSQL 18 in a
// temporary GRIDLENS_HOME under test/.tmp, on a free port; stopped and deleted
// at teardown.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../../etl/db/embedded.ts';
import { provideRunDatabase } from './run-database.ts';
import { cleanLeftoverHomes, freePort, newTempHome } from './temp-home.ts';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await cleanLeftoverHomes();
  const home = await newTempHome('embedded');
  const server = await startEmbedded({ home, port: await freePort() });
  let dropDatabase: (() => Promise<void>) | undefined;
  try {
    dropDatabase = await provideRunDatabase(project, server.url, 'embedded');
  } catch (err) {
    await server.stop();
    await fs.rm(home, { recursive: true, force: true });
    throw err;
  }
  return async () => {
    try {
      await dropDatabase?.();
    } finally {
      await server.stop();
      await fs.rm(path.resolve(home), { recursive: true, force: true });
    }
  };
}
