// Opens the database: DATABASE_URL when set, otherwise the embedded server
// (started on demand, database `gridlens`). One pg.Pool per handle, wrapped by
// Kysely; close() ends the pool and, when the last handle of this process on an
// embedded server it owns is closed, stops that server.

import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { log as defaultLog, type Logger } from '../log.ts';
import { embeddedUrl, startEmbedded, type EmbeddedServer } from './embedded.ts';
import type { Database } from './schema.ts';

export interface DatabaseHandle {
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Connection URL (contains the password: use redactUrl() before printing). */
  url: string;
  /** True when the embedded server is used. */
  embedded: boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  logger?: Logger;
  /** Pool size (default 10). */
  max?: number;
}

/** Database created on the embedded server for the application's data. */
export const EMBEDDED_DATABASE = 'gridlens';

// ------------------------------------------------------------ type parsers
//
// node-postgres returns int8 and numeric as strings by default (they may not fit
// a JS number), which silently turns `a + b` into string concatenation and makes
// `count(*)` a string. We parse explicitly instead:
// - int8 (count(*), sum(int), bigint ids) → number; a value beyond 2^53 throws
//   rather than losing precision silently (cast to text in SQL if ever needed).
// - numeric → number. Money is numeric(14,2): at most 12 integer digits + 2
//   decimals = 14 significant digits, which a float64 (15–17 digits) holds
//   exactly enough to round-trip; extracts use float64 anyway (design.md).
// - date → the 'YYYY-MM-DD' text as is. The default parser makes a JS Date at
//   local midnight of the Node process, which shifts the day in any time zone
//   west of UTC and hides the bug elsewhere.
// Arrays of int8/numeric keep the default (strings): cast in SQL if needed.
// The parsers are set per pool, not globally (pg.types.setTypeParser), so other
// code sharing the pg module is unaffected.

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`int8 value ${text} does not fit a JavaScript number exactly; cast it to text in SQL`);
  }
  return n;
}

export function parseNumeric(text: string): number {
  return Number(text); // 'NaN' → NaN, as PostgreSQL numeric allows it
}

export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === undefined || format === 'text') {
      if (oid === INT8) return parseInt8;
      if (oid === NUMERIC) return parseNumeric;
      if (oid === DATE) return (text: string) => text;
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * pg.Pool with Gridlens's session defaults: explicit type parsers; the session
 * time zone set to the utility's (GRIDLENS_TZ), so timestamptz::date and
 * date_trunc('day', …) in SQL mean the utility's local day; application_name.
 */
export function createPool(url: string, options: { tz: string; max?: number; logger?: Logger }): pg.Pool {
  const logger = options.logger ?? defaultLog;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: typeParsers,
    options: `-c TimeZone=${options.tz}`,
    application_name: 'gridlens',
  });
  // An idle client's connection can drop (server restart, embedded server
  // stopped): log it instead of crashing the process with an unhandled 'error'.
  // pg-pool's end() resolves before its sockets finish closing, so a server
  // stopped right after close() may still kill them: expected then, not a warning.
  pool.on('error', (err) => logger.debug('db_idle_client_error', { err })); // logged by the client's own listener below
  // A checked-out client emits 'error' too when its connection dies (the
  // server stopped or killed while a run holds the run lock or sits between two
  // statements of a transaction), and with no listener that crashed the
  // process with a stack trace instead of failing the run with a clear
  // message (test/etl/run/faults-postgres.test.ts). The statement that runs or
  // comes next on the client fails and is reported; here it is only logged.
  pool.on('connect', (client) => client.on('error', (err) => (pool.ending ? logger.debug : logger.warn)('db_connection_lost', { err })));
  return pool;
}

/** The URL with its password replaced by `***`, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:***@');
  }
}

// ------------------------------------------------------ embedded reference count

const embeddedUsers = new Map<string, number>(); // dataDir → open handles

async function ensureDatabase(server: EmbeddedServer, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const r = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (r.rowCount === 0) {
      try {
        await client.query(`create database ${client.escapeIdentifier(name)}`);
      } catch (err) {
        // Another process created it meanwhile: 42P04 duplicate_database, or
        // 23505 unique_violation on pg_database when both CREATEs overlap.
        const code = (err as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw err;
      }
    }
  } finally {
    await client.end();
  }
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'home' | 'pgPort' | 'tz'>,
  options: OpenOptions = {},
): Promise<DatabaseHandle> {
  const logger = options.logger ?? defaultLog;
  let url: string;
  let server: EmbeddedServer | undefined;
  if (config.databaseUrl) {
    url = config.databaseUrl;
  } else {
    server = await startEmbedded({ home: config.home, port: config.pgPort, logger });
    embeddedUsers.set(server.dataDir, (embeddedUsers.get(server.dataDir) ?? 0) + 1);
    try {
      await ensureDatabase(server, EMBEDDED_DATABASE);
    } catch (err) {
      await release(server);
      throw err;
    }
    url = embeddedUrl(server.port, EMBEDDED_DATABASE);
  }

  const pool = createPool(url, { tz: config.tz, max: options.max, logger });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    url,
    embedded: server !== undefined,
    close() {
      closing ??= (async () => {
        await db.destroy();
        // Kysely ends the pool only if a query went through Kysely; callers also use the pool directly.
        if (!pool.ending) await pool.end();
        if (server) await release(server);
      })();
      return closing;
    },
  };
}

async function release(server: EmbeddedServer): Promise<void> {
  const left = (embeddedUsers.get(server.dataDir) ?? 1) - 1;
  if (left > 0) {
    embeddedUsers.set(server.dataDir, left);
    return;
  }
  embeddedUsers.delete(server.dataDir);
  await server.stop();
}
