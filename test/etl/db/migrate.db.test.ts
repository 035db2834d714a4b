import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../../etl/db/connection.ts';
import { DEFAULT_MIGRATIONS_DIR, migrate, MIGRATION_LOCK_KEY, readMigrations } from '../../../etl/db/migrate.ts';
import { createLogger } from '../../../etl/log.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/db.ts';

const quiet = createLogger({ level: 'silent' });
const SCHEMAS = ['public', 'staging', 'core', 'rollup', 'mart', 'ops'];

/** Everything a migration could change, as one sorted text. */
async function fingerprint(pool: pg.Pool): Promise<string> {
  const r = await pool.query<{ fp: string }>(
    `select string_agg(x, E'\\n' order by x) as fp from (
       select format('schema %s', nspname) x from pg_namespace where nspname = any($1)
       union all
       select format('column %s.%s.%s %s %s %s', table_schema, table_name, column_name, data_type, is_nullable, column_default)
         from information_schema.columns where table_schema = any($1)
       union all
       select format('constraint %s.%s.%s %s', n.nspname, t.relname, c.conname, pg_get_constraintdef(c.oid))
         from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = any($1)
       union all
       select format('index %s', indexdef) from pg_indexes where schemaname = any($1)
       union all
       select format('migration %s %s %s %s', version, name, checksum, applied_at) from public.schema_migrations
     ) t`,
    [SCHEMAS],
  );
  return r.rows[0]!.fp;
}

const pools: pg.Pool[] = [];
const scratches: ScratchDatabase[] = [];
const dirs: string[] = [];

async function scratchPool(label: string): Promise<pg.Pool> {
  const s = await createScratchDatabase(label);
  scratches.push(s);
  const pool = createPool(s.url, { tz: 'Asia/Shanghai', max: 3, logger: quiet });
  pools.push(pool);
  return pool;
}

async function copyOfMigrations(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-migrations-'));
  dirs.push(dir);
  await fs.cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

let all: string[];
beforeAll(async () => {
  all = (await readMigrations()).map((f) => f.name);
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

afterAll(async () => {
  for (const s of scratches) await s.drop();
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

describe('migrate', () => {
  it('applies every migration to a fresh database, then changes nothing when run again', async () => {
    const pool = await scratchPool('fresh');
    const first = await migrate(pool, undefined, { logger: quiet });
    expect(first).toEqual({ applied: all, skipped: 0 });

    const tables = await pool.query<{ t: string }>(
      `select table_schema || '.' || table_name as t from information_schema.tables
        where table_schema in ('core', 'ops') order by 1`,
    );
    expect(tables.rows.map((r) => r.t)).toEqual(
      expect.arrayContaining(['core.customer', 'core.customer_pii', 'core.usage_reading', 'core.bill', 'ops.etl_run', 'ops.rejected_row']),
    );
    const recorded = await pool.query('select version, name, checksum from public.schema_migrations order by version');
    expect(recorded.rows.map((r) => r.name)).toEqual(all);
    expect(recorded.rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);

    const before = await fingerprint(pool);
    const second = await migrate(pool, undefined, { logger: quiet });
    expect(second).toEqual({ applied: [], skipped: all.length });
    expect(await fingerprint(pool)).toBe(before);
  });

  it('applies each migration exactly once when two processes migrate at the same time', async () => {
    const a = await scratchPool('concurrent');
    const url = scratches.at(-1)!.url;
    const b = createPool(url, { tz: 'Asia/Shanghai', max: 3, logger: quiet });
    pools.push(b);

    // Hold the lock ourselves until both migrators are queued behind it, so
    // they really contend instead of running one after the other.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const both = Promise.all([migrate(a, undefined, { logger: quiet }), migrate(b, undefined, { logger: quiet })]);
      for (let i = 0; ; i++) {
        const w = await holder.query<{ n: number }>(
          `select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database =
             (select oid from pg_database where datname = current_database())`,
        );
        if (w.rows[0]!.n === 2) break;
        if (i > 200) throw new Error('the two migrators never queued for the lock');
        await new Promise((r) => setTimeout(r, 25));
      }
      await holder.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      const [ra, rb] = await both;

      expect([...ra.applied, ...rb.applied]).toEqual(all);
      expect([ra.skipped, rb.skipped].sort()).toEqual([0, all.length]);
      const counts = await holder.query<{ n: number; d: number }>(
        'select count(*)::int as n, count(distinct version)::int as d from public.schema_migrations',
      );
      expect(counts.rows[0]).toEqual({ n: all.length, d: all.length });
    } finally {
      await holder.end();
    }
  });

  it('refuses a migration changed after it was applied, naming the file', async () => {
    const pool = await scratchPool('tampered');
    const dir = await copyOfMigrations();
    await migrate(pool, dir, { logger: quiet });
    await fs.appendFile(path.join(dir, '002_core_customer.sql'), '\n-- an innocent-looking edit\n');
    const attempt = migrate(pool, dir, { logger: quiet });
    await expect(attempt).rejects.toThrow(/002_core_customer\.sql: this migration was changed after it was applied/);
  });

  it('rolls back a failing migration and reports its file and line', async () => {
    const pool = await scratchPool('broken');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-migrations-'));
    dirs.push(dir);
    await fs.writeFile(path.join(dir, '001_ok.sql'), 'create table public.ok (a int);\n');
    await fs.writeFile(path.join(dir, '002_broken.sql'), 'create table public.half (a int);\ncreate table public.bad (\n  b no_such_type\n);\n');
    await expect(migrate(pool, dir, { logger: quiet })).rejects.toThrow(/002_broken\.sql:3: migration failed: type "no_such_type" does not exist/);

    const recorded = await pool.query('select name from public.schema_migrations');
    expect(recorded.rows.map((r) => r.name)).toEqual(['001_ok.sql']);
    const half = await pool.query(`select to_regclass('public.half') as t`);
    expect(half.rows[0].t).toBeNull();
  });

  it('refuses to run when the database has a migration this checkout lacks', async () => {
    const pool = await scratchPool('newer');
    const dir = await copyOfMigrations();
    await migrate(pool, dir, { logger: quiet });
    await fs.rm(path.join(dir, all.at(-1)!));
    await expect(migrate(pool, dir, { logger: quiet })).rejects.toThrow(
      new RegExp(`has migration ${all.at(-1)!.replace('.', '\\.')} applied, but .* has no file`),
    );
  });
});
