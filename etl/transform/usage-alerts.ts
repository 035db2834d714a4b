// Abnormal-usage alerts (异常用电预警): the detectors run inside the rollup
// refresh's transaction, right after rollup.usage_day, on the same pending
// day ranges (work_usage_range), so a night re-evaluates only the customers
// and days its files touched. The set work is SQL in sql/alerts/, one file per
// step; the rules' thresholds live in ops.alert_settings (migration 080).
//
//   as_of       the end of the horizon (latest reading day seen)
//   recent      rollup.usage_recent: each re-judged customer's latest weeks as
//               one narrow row, which the rules read through rollup.alert_usage
//               and rollup.alert_day_kwh (migrations 101–103)
//   ranges      the days to re-judge and the days to read (temp tables)
//   flag_days   rollup.usage_alert_day: one row per flagged customer × type × day
//   alerts      rollup.usage_alert: runs of flagged days, open or resolved
//
// A full rebuild empties both tables first and runs the same SQL with every
// day pending, so nights give the same alerts as a rebuild.

import type pg from 'pg';
import { sqlFile } from './sql-files.ts';

export interface AlertRefreshResult {
  /** Flagged customer-days written tonight. */
  flaggedDays: number;
  ms: number;
}

/** Told each step's name and milliseconds (the rollups log them beside their own SQL files' times). */
export type StepTimer = (step: string, ms: number) => void;

export async function refreshUsageAlerts(client: pg.PoolClient, full: boolean, onStep: StepTimer = () => undefined): Promise<AlertRefreshResult> {
  const t0 = performance.now();
  // JIT off for these statements (restored after): their plans are costed
  // high (LATERAL per judged day) and compiling them took ~5 s a refresh even
  // on a handful of customers, far more than it could save.
  const jit = (await client.query<{ jit: string }>(`select current_setting('jit') as jit`)).rows[0].jit;
  await client.query('set local jit = off');
  try {
    return await detect(client, full, t0, onStep);
  } finally {
    await client.query(`select set_config('jit', $1, true)`, [jit]);
  }
}

async function detect(client: pg.PoolClient, full: boolean, t0: number, onStep: StepTimer): Promise<AlertRefreshResult> {
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      onStep(step, Math.round(performance.now() - t));
    }
  };
  if (full) await client.query('truncate rollup.usage_alert_day, rollup.usage_alert, rollup.usage_alert_state, rollup.usage_recent');
  await timed('as_of', () => client.query(sqlFile('alerts', 'as_of')));
  const state = await client.query('select 1 from rollup.usage_alert_state');
  if (state.rowCount === 0) return { flaggedDays: 0, ms: Math.round(performance.now() - t0) };
  await timed('recent', () => client.query(sqlFile('alerts', 'recent')));
  await timed('ranges', async () => {
    await client.query(sqlFile('alerts', 'ranges'));
    await client.query('analyze work_alert_range');
  });
  // More than a week of judged days per range on average (a rebuild, a
  // backfill): screen with window functions before the per-day medians
  // (flag_days.sql); else, a night, one LATERAL median per judged day.
  const { rows: [{ screen }] } = await client.query<{ screen: boolean }>(
    `select coalesce(avg(least(r.point_to, st.as_of + 1) - r.point_from), 0) > 7 as screen
       from work_alert_range r cross join rollup.usage_alert_state st`);
  await client.query(`select set_config('gridlens.alert_screen', $1, true)`, [screen ? 'on' : 'off']);
  const flagged = await timed('flag_days', async () => (await client.query(sqlFile('alerts', 'flag_days'))) as unknown as pg.QueryResult[]);
  const inserted = flagged.filter((r) => r.command === 'INSERT').reduce((n, r) => n + (r.rowCount ?? 0), 0);
  await timed('alerts', () => client.query(sqlFile('alerts', 'alerts')));
  return { flaggedDays: inserted, ms: Math.round(performance.now() - t0) };
}
