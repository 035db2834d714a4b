// Versioned SQL migrations: sql/migrations/NNN_name.sql, applied in version
// order, each in its own transaction, recorded in public.schema_migrations.
//
// - Idempotent: an applied version is skipped (checked by checksum).
// - Safe from several processes at once: the whole migrate holds a session-level
//   pg_advisory_lock on one dedicated connection, which also runs the
//   migrations; a second migrator waits, then finds everything applied.
//   (Advisory locks are per database, so migrators of different databases never
//   wait for each other.)
// - An applied file that was edited afterwards is refused (checksum mismatch):
//   write a new migration instead. Checksums ignore CRLF vs LF and a BOM, so a
//   Windows checkout does not trip it.
// - A migration must not contain its own BEGIN/COMMIT, nor statements that
//   cannot run in a transaction (CREATE INDEX CONCURRENTLY, VACUUM).

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { log as defaultLog, type Logger } from '../log.ts';

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../sql/migrations/', import.meta.url));

/** Fixed pg_advisory_lock key for migrations ("gridlens" → 0x67726964 'grid'). */
export const MIGRATION_LOCK_KEY = 0x67726964;

const FILE_PATTERN = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

export interface MigrationFile {
  version: number;
  /** File name, e.g. `002_core_customer.sql`; stored as schema_migrations.name. */
  name: string;
  path: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  /** File names applied by this call, in order. */
  applied: string[];
  /** Number of migrations that were already applied. */
  skipped: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function checksum(sql: string): string {
  const normalised = sql.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}

/** Reads and validates the migration files of `dir`, sorted by version. */
export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  const byVersion = new Map<number, string>();
  for (const name of names) {
    const m = FILE_PATTERN.exec(name);
    if (!m) {
      throw new MigrationError(
        `${path.join(dir, name)}: migration file names must look like NNN_lower_snake_name.sql (e.g. 014_core_meter.sql)`,
      );
    }
    const version = Number.parseInt(m[1]!, 10);
    const clash = byVersion.get(version);
    if (clash) throw new MigrationError(`${dir}: ${clash} and ${name} have the same version ${version}; renumber one`);
    byVersion.set(version, name);
    const p = path.join(dir, name);
    const sql = await fs.readFile(p, 'utf8');
    files.push({ version, name, path: p, sql, checksum: checksum(sql) });
  }
  return files.sort((a, b) => a.version - b.version);
}

/** 1-based line of a character position (PostgreSQL's error `position`). */
function lineAt(sql: string, position: number): number {
  return sql.slice(0, Math.max(0, position - 1)).split('\n').length;
}

const CREATE_TABLE = `
  create table if not exists public.schema_migrations (
    version    integer primary key,
    name       text not null,
    checksum   text not null,
    applied_at timestamptz not null default now()
  )`;

/**
 * Applies pending migrations from `dir` (default sql/migrations). Throws
 * MigrationError naming the file on a checksum mismatch, a missing file for an
 * applied version, or a failing statement (with its line).
 */
export async function migrate(
  pool: pg.Pool,
  dir: string = DEFAULT_MIGRATIONS_DIR,
  options: { logger?: Logger } = {},
): Promise<MigrateResult> {
  const logger = options.logger ?? defaultLog;
  const files = await readMigrations(dir);
  const client = await pool.connect();
  let locked = false;
  try {
    const got = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [MIGRATION_LOCK_KEY]);
    if (!got.rows[0]?.ok) {
      logger.info('migrate_wait_lock', { key: MIGRATION_LOCK_KEY });
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    locked = true;
    await client.query(CREATE_TABLE);

    const applied = new Map(
      (await client.query<{ version: number; name: string; checksum: string }>(
        'select version, name, checksum from public.schema_migrations order by version',
      )).rows.map((r) => [r.version, r]),
    );
    const onDisk = new Map(files.map((f) => [f.version, f]));
    for (const row of applied.values()) {
      const file = onDisk.get(row.version);
      if (!file) {
        throw new MigrationError(
          `the database has migration ${row.name} applied, but ${dir} has no file with version ${row.version}; ` +
            `this checkout is older than the database (update it) or the file was deleted (restore it)`,
        );
      }
      if (file.name !== row.name) {
        throw new MigrationError(
          `${file.path}: version ${row.version} was applied as ${row.name}; restore the original file name`,
        );
      }
      if (file.checksum !== row.checksum) {
        throw new MigrationError(
          `${file.path}: this migration was changed after it was applied (checksum ${file.checksum.slice(0, 12)}… ` +
            `!= applied ${row.checksum.slice(0, 12)}…); restore the file and put the change in a new migration`,
        );
      }
    }

    const result: MigrateResult = { applied: [], skipped: applied.size };
    for (const file of files) {
      if (applied.has(file.version)) continue;
      const t0 = Date.now();
      await client.query('begin');
      try {
        await client.query(file.sql);
        await client.query('insert into public.schema_migrations (version, name, checksum) values ($1, $2, $3)', [
          file.version,
          file.name,
          file.checksum,
        ]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        const e = err as { message?: string; position?: string };
        const where = e.position ? `:${lineAt(file.sql, Number(e.position))}` : '';
        throw new MigrationError(`${file.path}${where}: migration failed: ${e.message ?? String(err)}; nothing of it was applied`);
      }
      result.applied.push(file.name);
      logger.info('migration_applied', { file: file.name, ms: Date.now() - t0 });
    }
    return result;
  } finally {
    let broken = false;
    if (locked) {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => (broken = true));
    }
    // A connection that could not unlock may still hold the lock: destroy it rather than pool it.
    client.release(broken);
  }
}
