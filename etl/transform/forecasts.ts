// The nightly 'forecasts' step (after the rollups): read the monthly kWh and
// revenue series at every level of segment × region
// (sql/rollups/forecast_series.sql), backtest and forecast each with the
// pure model (etl/forecast/), and rebuild rollup.forecast_month (migration
// 100) in one transaction. A few hundred series of a few dozen months: the
// model runs in Node in milliseconds, which keeps it a plain, tested
// TypeScript function rather than a regression written in SQL.

import type pg from 'pg';
import { forecastSeries, type ForecastStatus } from '../forecast/forecast-series.ts';
import { sqlFile } from './sql-files.ts';

export const MEASURES = ['kwh', 'revenue'] as const;
export type Measure = (typeof MEASURES)[number];

interface SeriesRow {
  month: string;
  segment: string | null;
  region: string | null;
  kwh: number;
  revenue: number;
  customers: number;
  top_customer_share: number | null;
}

export interface ForecastRefreshResult {
  series: number;
  forecast: number;
  /** Series per status. */
  statuses: Record<ForecastStatus, number>;
  ms: number;
}

/** 'YYYY-MM-01' n months after `month`. */
function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  return `${yy}-${String((m % 12 + 12) % 12 + 1).padStart(2, '0')}-01`;
}

/** pg_advisory_xact_lock key of the refresh ("fcst"). */
export const FORECAST_LOCK_KEY = 0x66637374;

export async function refreshForecasts(pool: pg.Pool): Promise<ForecastRefreshResult> {
  const t0 = performance.now();
  const { rows } = await pool.query<SeriesRow>(sqlFile('rollups', 'forecast_series'));
  const months = [...new Set(rows.map((r) => r.month))].sort();
  // Complete months without gaps (month_window has none); a cell missing in a
  // month had no open account: 0, which withholds its forecast (not_positive).
  const bySeries = new Map<string, Map<string, SeriesRow>>();
  for (const r of rows) {
    const key = JSON.stringify([r.segment, r.region]);
    let m = bySeries.get(key);
    if (!m) bySeries.set(key, (m = new Map()));
    m.set(r.month, r);
  }
  const cols: Record<string, unknown[]> = {
    measure: [], segment: [], region: [], month: [], is_forecast: [], actual: [], point: [], lo80: [], hi80: [], lo95: [], hi95: [],
    customers: [], top_customer_share: [], status: [], history_months: [], mape_model: [], mape_naive: [], backtest_pairs: [],
  };
  const statuses: Record<ForecastStatus, number> = { ok: 0, too_short: 0, not_positive: 0 };
  let forecast = 0;
  const firstMonth = months.length > 0 ? Number(months[0].slice(5, 7)) - 1 : 0;
  for (const [key, byMonth] of bySeries) {
    const [segment, region] = JSON.parse(key) as [string | null, string | null];
    const last = byMonth.get(months[months.length - 1]);
    for (const measure of MEASURES) {
      const values = months.map((m) => byMonth.get(m)?.[measure] ?? 0);
      const f = forecastSeries(values, firstMonth);
      statuses[f.status]++;
      const push = (row: Record<string, unknown>) => {
        const full = {
          measure, segment, region, status: f.status, history_months: months.length, mape_model: f.mapeModel, mape_naive: f.mapeNaive,
          backtest_pairs: f.pairs.length, actual: null, point: null, lo80: null, hi80: null, lo95: null, hi95: null, ...row,
        };
        for (const c of Object.keys(cols)) cols[c].push(full[c as keyof typeof full] ?? null);
      };
      months.forEach((month, i) => {
        const r = byMonth.get(month);
        push({ month, is_forecast: false, actual: values[i], customers: r?.customers ?? 0, top_customer_share: r?.top_customer_share ?? null });
      });
      for (const p of f.points) {
        forecast++;
        push({
          month: addMonths(months[months.length - 1], p.h), is_forecast: true, point: p.point, lo80: p.lo80, hi80: p.hi80, lo95: p.lo95, hi95: p.hi95,
          customers: last?.customers ?? 0, top_customer_share: last?.top_customer_share ?? null,
        });
      }
    }
  }
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('begin');
    try {
      await client.query('select pg_advisory_xact_lock($1)', [FORECAST_LOCK_KEY]);
      await client.query('truncate rollup.forecast_month');
      await client.query(
        `insert into rollup.forecast_month (${Object.keys(cols).join(', ')})
         select * from unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::boolean[], $6::float8[], $7::float8[], $8::float8[], $9::float8[],
                              $10::float8[], $11::float8[], $12::integer[], $13::float8[], $14::text[], $15::integer[], $16::float8[], $17::float8[], $18::integer[])`,
        Object.values(cols));
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => (broken = true));
      throw err;
    }
  } finally {
    client.release(broken);
  }
  return { series: bySeries.size * MEASURES.length, forecast, statuses, ms: Math.round(performance.now() - t0) };
}

