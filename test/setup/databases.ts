// Creating and dropping the throw-away databases of a test run. Used by the
// globalSetup files (main process) and by test/helpers/db.ts (test workers).

import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_PREFIX = 'gridlens_test_';

/** `gridlens_test_<yyyymmddhhmmss>_<6 hex>`: unique per run, sortable, ≤ 35 chars. */
export function newTestDatabaseName(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `${TEST_DATABASE_PREFIX}${stamp}_${randomBytes(3).toString('hex')}`;
}

/** `adminUrl` with its database replaced by `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = '/' + encodeURIComponent(name);
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    const where = new URL(adminUrl);
    throw new Error(
      `test setup cannot reach PostgreSQL at ${where.host} as ${where.username || '(default user)'}: ${(err as Error).message}. ` +
        `Start the service (pg_ctlcluster 15 main start) or set GRIDLENS_TEST_ADMIN_URL to a superuser URL.`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** UTF-8 with C collation from template0: the same on every server, like the embedded cluster. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdmin(adminUrl, (c) =>
    c.query(`create database ${c.escapeIdentifier(name)} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`),
  );
  return databaseUrl(adminUrl, name);
}

/** Drops every database whose name starts with `prefix` (force: ends open sessions; PG ≥ 13). */
export async function dropDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  if (!prefix.startsWith(TEST_DATABASE_PREFIX)) throw new Error(`refusing to drop databases outside ${TEST_DATABASE_PREFIX}*`);
  return withAdmin(adminUrl, async (c) => {
    const r = await c.query<{ datname: string }>(
      `select datname from pg_database where starts_with(datname, $1) order by datname`,
      [prefix],
    );
    for (const { datname } of r.rows) await c.query(`drop database if exists ${c.escapeIdentifier(datname)} with (force)`);
    return r.rows.map((row) => row.datname);
  });
}

/** Drops test databases left by runs that died before their teardown (older than `maxAgeMs`). */
export async function dropStaleTestDatabases(adminUrl: string, maxAgeMs = 6 * 3600_000): Promise<string[]> {
  const cutoff = newTestDatabaseName(new Date(Date.now() - maxAgeMs)).slice(0, TEST_DATABASE_PREFIX.length + 14);
  return withAdmin(adminUrl, async (c) => {
    const r = await c.query<{ datname: string }>(
      `select datname from pg_database where datname ~ '^gridlens_test_[0-9]{14}_' and left(datname, $2) < $1`,
      [cutoff, cutoff.length],
    );
    for (const { datname } of r.rows) await c.query(`drop database if exists ${c.escapeIdentifier(datname)} with (force)`);
    return r.rows.map((row) => row.datname);
  });
}
