// Shared by the transform database tests: a migrated scratch database per test
// file, the refresh/install steps in the orchestrator's order, and mart
// snapshots for comparing an incremental history with a full rebuild.

import type pg from 'pg';
import { loadConfig } from '../../../etl/config.ts';
import { createPool } from '../../../etl/db/connection.ts';
import { migrate } from '../../../etl/db/migrate.ts';
import { createLogger } from '../../../etl/log.ts';
import { MARTS } from '../../../etl/transform/mart-catalog.ts';
import { installMarts, syncSettings } from '../../../etl/transform/marts.ts';
import { refreshRollups } from '../../../etl/transform/rollups.ts';
import { createScratchDatabase } from '../../helpers/db.ts';

export const TZ = 'Asia/Shanghai';
export const silent = createLogger({ level: 'silent' });

export interface TransformDatabase {
  pool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

/**
 * A migrated scratch database. `sessionTz` is the pool's session TimeZone: the
 * tests use UTC on purpose, so that SQL relying on the session instead of
 * ops.mart_settings.time_zone would put readings on the wrong local day.
 */
export async function transformDatabase(label: string, sessionTz = 'UTC'): Promise<TransformDatabase> {
  const scratch = await createScratchDatabase(label);
  const pool = createPool(scratch.url, { tz: sessionTz, max: 3 });
  await migrate(pool, undefined, { logger: silent });
  return {
    pool,
    url: scratch.url,
    async close() {
      await pool.end();
      await scratch.drop();
    },
  };
}

export const config = (overrides: Record<string, string> = {}) =>
  loadConfig({ GRIDLENS_TZ: TZ, ...overrides }, '/tmp');

/** settings → rollups → marts, as etl/run does. */
export async function transform(pool: pg.Pool, full: boolean, env: Record<string, string> = {}) {
  await syncSettings(pool, config(env));
  const r = await refreshRollups(pool, { full, logger: silent });
  await installMarts(pool);
  return r;
}

/** Every pseudonym the marts need: customer_key = the identity key (tests only). */
export async function assignTestPseudonyms(pool: pg.Pool): Promise<void> {
  await pool.query(
    `insert into core.customer_pseudonym (customer_id, customer_key)
     select customer_id, customer_key from core.customer on conflict do nothing`,
  );
}

export async function rows<T = Record<string, unknown>>(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}

export const RELATIONS = [
  'rollup.usage_day', 'rollup.usage_month', 'rollup.usage_month_daytype', 'rollup.bill_month',
  'rollup.month_window', 'rollup.receivable_month', 'rollup.customer_month',
  ...MARTS.map((m) => `mart.${m.name}`),
];

/**
 * Every row of a relation as JSON, floats rounded to 12 significant digits,
 * sorted. Rounded because the order in which PostgreSQL feeds an aggregate
 * (heap order, plan) may move the last bits of a float sum.
 */
export async function snapshot(pool: pg.Pool, relation: string): Promise<string[]> {
  const r = await pool.query(`select * from ${relation}`);
  const round = (v: unknown): unknown =>
    typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : Array.isArray(v) ? v.map(round) : v instanceof Date ? v.toISOString() : v;
  return r.rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, round(v)])))).sort();
}

export async function snapshots(pool: pg.Pool): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const rel of RELATIONS) out[rel] = await snapshot(pool, rel);
  return out;
}
