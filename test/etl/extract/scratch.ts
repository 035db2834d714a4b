// A migrated scratch database of one's own (the extract tests create mart.*
// tables and re-key every customer, which must not touch the shared run database).

import type pg from 'pg';
import { migrate } from '../../../etl/db/migrate.ts';
import { createScratchDatabase, openTestDatabase } from '../../helpers/db.ts';

export interface MigratedScratch {
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function openMigratedScratch(label: string): Promise<MigratedScratch> {
  const scratch = await createScratchDatabase(label);
  const handle = await openTestDatabase(scratch.url, { max: 4 });
  try {
    await migrate(handle.pool);
  } catch (err) {
    await handle.close();
    await scratch.drop();
    throw err;
  }
  return {
    pool: handle.pool,
    close: async () => {
      await handle.close();
      await scratch.drop();
    },
  };
}

/** Inserts customers `<prefix><n>` for n in [from, to] (zero-padded, so text order = number order). */
export async function insertCustomers(pool: pg.Pool, prefix: string, from: number, to: number): Promise<void> {
  await pool.query(
    `insert into core.customer (customer_id, customer_class, region, tariff, opened_on)
     select $1 || lpad(x::text, 9, '0'), 'residential', 'north', 'flat', date '2020-01-01'
       from generate_series($2::int, $3::int) x`,
    [prefix, from, to],
  );
}
