// One warehouse for the bad-input cases, emptied before each case so that its
// expectations can state whole-table contents. A database per case would be
// cleaner but DROP DATABASE waits for a checkpoint: 8–80 s each on this shared
// machine (measured), against ~0.1 s for a TRUNCATE of the tables the ETL fills.
//
// Which tables to empty is read from the migrated database rather than listed:
// every table of the warehouse schemas that the migrations left empty. Tables
// the migrations seed (the calendar, the mart settings) keep their rows; the
// ETL run re-syncs the settings from the same config in every case.

import { join } from 'node:path';
import type pg from 'pg';
import { loadConfig, type Config } from '../../../etl/config.ts';
import { createPool } from '../../../etl/db/connection.ts';
import { migrate } from '../../../etl/db/migrate.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/db.ts';
import { TZ, silent } from './ingest-helpers.ts';

const WAREHOUSE_SCHEMAS = ['core', 'ops', 'rollup', 'staging', 'mart', 'mart_base'];

export interface CaseWarehouse {
  pool: pg.Pool;
  config: Config;
  extracts: string;
}

export interface BadInputWarehouse {
  /** Empty the warehouse for a case; `home` holds the case's extracts and local state. */
  reset(home: string): Promise<CaseWarehouse>;
  close(): Promise<void>;
}

export async function badInputWarehouse(label: string): Promise<BadInputWarehouse> {
  const scratch: ScratchDatabase = await createScratchDatabase(label);
  const pool = createPool(scratch.url, { tz: TZ, max: 4, logger: silent });
  await migrate(pool, undefined, { logger: silent });
  const { rows: tables } = await pool.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition and n.nspname = any ($1) order by 1`,
    [WAREHOUSE_SCHEMAS],
  );
  const empty: string[] = [];
  for (const { name } of tables) {
    const { rows } = await pool.query<{ any: boolean }>(`select exists (select from ${name}) as any`);
    if (!rows[0].any) empty.push(name);
  }
  // No CASCADE: a seeded table referring to one of these would fail loudly here, not be emptied silently.
  const truncate = `truncate ${empty.join(', ')} restart identity`;

  return {
    async reset(home) {
      await pool.query(truncate);
      const config = loadConfig(
        { DATABASE_URL: scratch.url, GRIDLENS_HOME: home, GRIDLENS_TZ: TZ, GRIDLENS_PSEUDONYM_SECRET: 'bad-input-corpus-pseudonym-secret' },
        home,
      );
      return { pool, config, extracts: join(home, 'extracts') };
    },
    async close() {
      await pool.end();
      await scratch.drop();
    },
  };
}
