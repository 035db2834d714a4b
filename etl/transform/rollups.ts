// Incremental rollups: per customer × day and × month aggregates of usage and
// billing (tables in schema `rollup`, migrations 023–026), kept up to date from
// the keys the ingest leaves in rollup.pending_usage_day and
// rollup.pending_customer_month.
//
// The set work is SQL in sql/rollups/, one file per object; this module only
// runs the files in order, in one transaction:
//
//   keys_incremental | keys_full     which keys to recompute (temp work tables)
//   usage_day                        delete + insert those customer-days from core.usage_reading
//   keys_full_months (full only)     every customer-month with usage or a bill
//   usage_month, usage_month_daytype delete + insert those customer-months from rollup.usage_day
//   bill_month                       delete + insert those customer-months from core.bill
//   snapshot_from                    the first month the snapshot tables can have changed in
//   month_window                     rebuilt whole (a handful of min/max queries)
//   receivable_month, customer_month snapshots (they depend on later payments, the attribute
//                                    history, trailing 12 months and the settings): recomputed
//                                    from snapshot_from's month on, earlier months kept
//   load_profile                     hour-of-day sums per month × segment (the body of
//                                    mart.load_profile), from snapshot_from's month on
//   (after usage_day) sql/alerts/    abnormal-usage flags and alerts for the same day
//                                    ranges (usage-alerts.ts)
//   (after bill_month) high-bill     high-bill warnings of the as-of month (high-bill-alerts.ts)
//
// A full rebuild is the same object SQL with every key pending. Incremental
// nights therefore give the same rollups (and so the same marts) as a rebuild.
// Days, months and hours are local to ops.mart_settings.time_zone: call
// syncSettings first.

import type pg from 'pg';
import { log as defaultLog, type Logger } from '../log.ts';
import { sqlFile } from './sql-files.ts';
import { faultPoint } from '../run/fault-point.ts';
import { refreshUsageAlerts } from './usage-alerts.ts';
import { refreshHighBillAlerts } from './high-bill-alerts.ts';

export interface RefreshOptions {
  /** Rebuild everything instead of the pending keys. */
  full: boolean;
  logger?: Logger;
}

export interface RefreshResult {
  /** Customer-day rows written to rollup.usage_day. */
  usageDays: number;
  /** Customer-month keys recomputed (rollup.usage_month, usage_month_daytype and bill_month). */
  customerMonths: number;
}

/** pg_advisory_xact_lock key of the rollup refresh ("roll"): two refreshes never interleave. */
export const ROLLUP_LOCK_KEY = 0x726f6c6c;

type QueryResults = pg.QueryResult | pg.QueryResult[];

async function windowBounds(client: pg.PoolClient): Promise<{ first: string | null; last: string | null }> {
  const { rows } = await client.query<{ first: string | null; last: string | null }>(
    'select min(month)::text as first, max(month)::text as last from rollup.month_window');
  return rows[0];
}

/** Rows inserted by the INSERT statement(s) of a multi-statement file. */
function inserted(results: QueryResults): number {
  const list = Array.isArray(results) ? results : [results];
  return list.filter((r) => r.command === 'INSERT').reduce((n, r) => n + (r.rowCount ?? 0), 0);
}

/** Working memory of the refresh's sorts and hash aggregates (transaction-local). */
const WORK_MEM = '256MB';

export async function refreshRollups(pool: pg.Pool, options: RefreshOptions): Promise<RefreshResult> {
  const logger = options.logger ?? defaultLog;
  const t0 = performance.now();
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    try {
      await client.query('select pg_advisory_xact_lock($1)', [ROLLUP_LOCK_KEY]);
      await client.query(`set local work_mem = '${WORK_MEM}'`);
      const run = async (name: string): Promise<QueryResults> => {
        const t = performance.now();
        const r = (await client.query(sqlFile('rollups', name))) as unknown as QueryResults;
        logger.debug('rollup_sql', { file: name, ms: Math.round(performance.now() - t) });
        return r;
      };
      await run(options.full ? 'keys_full' : 'keys_incremental');
      // Temp tables are never auto-analysed: give the planner their sizes.
      await client.query('analyze work_usage_range');
      // A nightly run pends one day for every customer: the planner cannot see
      // how selective those ranges are (their bounds are computed) and scans
      // every reading and every usage_day row (measured 31 s of a 60 s night at
      // 100k customers × 6 months, growing with history). When the pending days
      // are a small share of the rollup, force the index plan (5.6 s for the same
      // night, independent of history); a backfill keeps the planner's scans.
      const selective = !options.full && (await client.query<{ selective: boolean }>(
        `select coalesce(sum(day_to - day_from), 0) < 0.05 * greatest((select reltuples from pg_class where oid = 'rollup.usage_day'::regclass), 0) as selective
           from work_usage_range`)).rows[0].selective;
      // A night's statements touch little: JIT compilation (~1–2 s per statement
      // at this size) costs more than it saves.
      if (selective) await client.query('set local jit = off');
      if (selective) await client.query('set local enable_seqscan = off');
      const usageDays = inserted(await run('usage_day'));
      await faultPoint('rollups:refresh'); // mid-transaction
      if (selective) await client.query('set local enable_seqscan = on');
      // Abnormal-usage detectors on the same day ranges (etl/transform/usage-alerts.ts).
      const alerts = await refreshUsageAlerts(client, options.full, (step, ms) => logger.debug('rollup_sql', { file: `alerts/${step}`, ms }));
      logger.debug('usage_alerts', { flaggedDays: alerts.flaggedDays, ms: alerts.ms });
      if (options.full) {
        await client.query('analyze rollup.usage_day');
        await run('keys_full_months');
      }
      await client.query('analyze work_customer_month');
      const customerMonths = (await client.query<{ n: number }>('select count(*)::integer as n from work_customer_month')).rows[0].n;
      // Same trap for the months: the planner hash-joins the pending months
      // against every rollup.usage_day row (23 s + 10 s of a night at 100k × 24
      // months); with one month per customer pending, the primary key is the way.
      if (selective) await client.query('set local enable_seqscan = off; set local enable_hashjoin = off; set local enable_mergejoin = off');
      await run('usage_month');
      await run('usage_month_daytype');
      if (selective) await client.query('set local enable_seqscan = on; set local enable_hashjoin = on; set local enable_mergejoin = on');
      await run('bill_month');
      if (options.full) await client.query('analyze rollup.usage_month, rollup.usage_month_daytype, rollup.bill_month');
      // High-bill warnings for the as-of month, from the month-to-date and the bills (etl/transform/high-bill-alerts.ts).
      const highBills = await refreshHighBillAlerts(client, options.full);
      logger.debug('high_bill_alerts', { judged: highBills.judged, flagged: highBills.flagged, ms: highBills.ms });
      logger.debug('rollup_sql', { file: 'alerts/high_bill', ms: highBills.ms }); // counted with the detectors (bench:etl)
      // The snapshot tables are recomputed from the first month that can have
      // changed (everything on a full rebuild); a nightly run touches one month.
      if (options.full) {
        await client.query(`create temp table work_snapshot_from on commit drop as select date '0001-01-01' as month`);
      } else {
        await run('snapshot_from');
      }
      const before = await windowBounds(client);
      await run('month_window');
      const after = await windowBounds(client);
      if (before.last !== null && after.last !== null && after.last > before.last) {
        // A new month at the end: every open account gets rows for it.
        await client.query(`update work_snapshot_from set month = least(month, ($1::date + interval '1 month')::date)`, [before.last]);
      }
      if (before.first === null || (after.first !== null && after.first < before.first)) {
        await client.query(`update work_snapshot_from set month = date '0001-01-01'`);
      }
      const snapshotFrom = (await client.query<{ month: string }>('select month::text as month from work_snapshot_from')).rows[0].month;
      await run('receivable_month');
      await run('customer_month');
      await run('load_profile');
      await client.query(
        `insert into rollup.refresh_state (refreshed_at, settings)
           select now(), sme_threshold_kwh::text || '|' || time_zone from ops.mart_settings
         on conflict (singleton) do update set refreshed_at = excluded.refreshed_at, settings = excluded.settings`,
      );
      logger.debug('rollup_snapshots', { from: snapshotFrom });
      // The marts read these at once: give the planner fresh statistics.
      await client.query('analyze rollup.month_window, rollup.receivable_month, rollup.customer_month, rollup.load_profile');
      await client.query('commit');
      logger.info('rollups_refreshed', { full: options.full, usageDays, customerMonths, ms: Math.round(performance.now() - t0) });
      return { usageDays, customerMonths };
    } catch (err) {
      await client.query('rollback').catch(() => (broken = true));
      throw err;
    }
  } finally {
    client.release(broken);
  }
}
