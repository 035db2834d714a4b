// High-bill warnings (高额电费预警): run in the rollup refresh's transaction
// after rollup.usage_month and rollup.bill_month, for the month of the
// detectors' as-of day (rollup.usage_alert_state, set by the usage detectors
// just before). Set work in sql/alerts/high_bill_*.sql; thresholds in
// ops.alert_settings (migration 085); rule in docs/metrics.md "High-bill warning".
//
//   high_bill_base     rollup.high_bill_base: usual bill and the year's kWh so far per account, for
//                      the as-of month (all accounts when the month is new, else those whose earlier
//                      bills tonight's files changed)
//   high_bill_project  work_high_bill: every monthly-billed account's projected bill tonight
//   high_bill_alerts   rollup.high_bill_alert: open, move, resolve, drop
//
// Each night judges the as-of day only (the projection of a day is the
// month-to-date as known that night). A full rebuild empties the table and
// judges the as-of day once: warnings then start on it (first_seen = as_of);
// the nights' history of a month is not replayed (docs/decisions.md).

import type pg from 'pg';
import { sqlFile } from './sql-files.ts';

export interface HighBillRefreshResult {
  /** Accounts judged tonight, and of them flagged. */
  judged: number;
  flagged: number;
  ms: number;
}

export async function refreshHighBillAlerts(client: pg.PoolClient, full: boolean): Promise<HighBillRefreshResult> {
  const t0 = performance.now();
  // JIT off (restored after), as for the usage detectors: compiling these
  // one-pass statements costs more than they run.
  const jit = (await client.query<{ jit: string }>(`select current_setting('jit') as jit`)).rows[0].jit;
  await client.query('set local jit = off');
  try {
    return await judge(client, full, t0);
  } finally {
    await client.query(`select set_config('jit', $1, true)`, [jit]);
  }
}

async function judge(client: pg.PoolClient, full: boolean, t0: number): Promise<HighBillRefreshResult> {
  if (full) await client.query('truncate rollup.high_bill_alert, rollup.high_bill_base');
  const state = await client.query('select 1 from rollup.usage_alert_state');
  if (state.rowCount === 0) return { judged: 0, flagged: 0, ms: Math.round(performance.now() - t0) };
  await client.query(sqlFile('alerts', 'high_bill_base'));
  await client.query('analyze rollup.high_bill_base');
  await client.query(sqlFile('alerts', 'high_bill_project'));
  // Temp tables are never auto-analysed: without this the planner runs
  // high_bill_alerts.sql's anti-join as a nested loop (minutes at 100k).
  await client.query('create index on work_high_bill (customer_id) where flagged');
  await client.query('analyze work_high_bill');
  const { rows: [counts] } = await client.query<{ judged: number; flagged: number }>(
    'select count(*)::integer as judged, count(*) filter (where flagged)::integer as flagged from work_high_bill');
  await client.query(sqlFile('alerts', 'high_bill_alerts'));
  return { ...counts, ms: Math.round(performance.now() - t0) };
}
