// Two projects run the same database tests against both servers the SQL must
// support (stack-notes.md):
//   service   the machine's PostgreSQL 15 (postgres://postgres@127.0.0.1:5432/postgres,
//             or GRIDLENS_TEST_ADMIN_URL); also runs every pure test, once.
//   embedded  its own embedded PostgreSQL 18 in a temporary GRIDLENS_HOME under
//             test/.tmp, on a free port.
// Naming: *.db.test.ts needs a database and runs in both projects; any other
// *.test.ts runs only in `service`. Each project's globalSetup creates a fresh
// database per run (gridlens_test_<timestamp>_<random>), migrates it, provides it
// to tests (test/helpers/db.ts) and drops it at teardown.
import { defineConfig } from 'vitest/config';

// Keep test output readable; GRIDLENS_LOG_LEVEL=debug npm test shows everything.
process.env.GRIDLENS_LOG_LEVEL ??= 'warn';

export default defineConfig({
  test: {
    // Generous: the embedded project runs initdb, and some tests start servers.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'service',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/setup/service.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'embedded',
          include: ['test/**/*.db.test.ts'],
          globalSetup: ['test/setup/embedded.ts'],
        },
      },
    ],
  },
});
