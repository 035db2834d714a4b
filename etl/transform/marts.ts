// The mart views (sql/marts/*.sql, one view per file), installed in dependency
// order in one transaction: helpers in schema mart_base first, then the marts
// of schema mart that the extracts read (etl/transform/mart-catalog.ts). They
// read the rollups (refreshRollups first) and core.
//
// Install = drop every view of ours (reverse order), then create them all, so a
// changed column list never trips CREATE OR REPLACE VIEW; readers see the old
// set or the new one, never a mix. No CASCADE: a view someone else built on
// ours makes the install fail loudly rather than vanish.

import type pg from 'pg';
import { MARTS } from './mart-catalog.ts';
import { sqlFile } from './sql-files.ts';
import { faultPoint } from '../run/fault-point.ts';

export { syncSettings, type MartSettings } from './settings.ts';

/** Helper views (schema mart_base): file name → view. Order = dependency order. */
export const HELPER_VIEWS: readonly { file: string; view: string }[] = [
  { file: 'base_ticket', view: 'mart_base.ticket' },
  { file: 'base_survey', view: 'mart_base.survey' },
  { file: 'base_detractor_case', view: 'mart_base.detractor_case' },
];

/** Every view installed, in creation order (helpers, then the catalog's marts). */
export function martViews(): { file: string; view: string }[] {
  return [...HELPER_VIEWS, ...MARTS.map((m) => ({ file: m.name, view: `mart.${m.name}` }))];
}

/** pg_advisory_xact_lock key of the install ("mart"). */
export const MART_LOCK_KEY = 0x6d617274;

export async function installMarts(pool: pg.Pool): Promise<{ views: string[] }> {
  const views = martViews();
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    try {
      await client.query('select pg_advisory_xact_lock($1)', [MART_LOCK_KEY]);
      for (const v of [...views].reverse()) await client.query(`drop view if exists ${v.view}`);
      await faultPoint('marts:install'); // views dropped, not committed
      for (const v of views) {
        try {
          await client.query(sqlFile('marts', v.file));
        } catch (err) {
          const e = err as Error & { position?: string };
          e.message = `sql/marts/${v.file}.sql: ${e.message}`;
          throw e;
        }
      }
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => (broken = true));
      throw err;
    }
  } finally {
    client.release(broken);
  }
  return { views: views.map((v) => v.view) };
}
