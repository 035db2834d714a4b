import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../etl/db/connection.ts';
import { openTestDatabase, testDatabase } from '../../helpers/db.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await openTestDatabase();
});
afterAll(async () => {
  await h.close();
});

describe('openDatabase', () => {
  it('connects to the URL it was given, not the embedded server', () => {
    expect(h.embedded).toBe(false);
    expect(h.url).toBe(testDatabase().url);
  });

  it('parses int8 and numeric as numbers, date as text', async () => {
    const r = await h.pool.query(
      `select count(*) as n, 9007199254740991::int8 as max_safe, 1234567890.12::numeric(14,2) as money,
              date '2026-03-01' as d, sum(x)::numeric as total
         from (values (1), (2)) v(x)`,
    );
    expect(r.rows[0]).toEqual({ n: 2, max_safe: 9007199254740991, money: 1234567890.12, d: '2026-03-01', total: 3 });
  });

  it('refuses an int8 beyond 2^53 instead of losing precision', async () => {
    await expect(h.pool.query('select 9007199254740993::int8 as big')).rejects.toThrow(/does not fit a JavaScript number/);
    // the pool is still usable afterwards
    expect((await h.pool.query('select 1::int8 as one')).rows[0].one).toBe(1);
  });

  it("runs sessions in the utility's time zone", async () => {
    const r = await sql<{ tz: string; day: string }>`
      select current_setting('TimeZone') as tz, (timestamptz '2026-03-01 16:30:00+00')::date as day`.execute(h.db);
    expect(r.rows[0]).toEqual({ tz: 'Asia/Shanghai', day: '2026-03-02' });
  });

  it('types the migrated tables through Kysely', async () => {
    const rows = await h.db.selectFrom('public.schema_migrations').select(['version', 'name']).orderBy('version').limit(1).execute();
    expect(rows).toEqual([{ version: 1, name: '001_schemas.sql' }]);
  });
});
