// The Overview's forecast chart: monthly kWh and revenue, the last history
// months and the 3-month forecast with 80%/95% intervals (extract
// forecast_month; model and definitions in docs/metrics.md).
//
// The extract holds a series per segment × region at every level (a null
// segment or region = all of them). The filter bar's segment and region pick
// the level (levelWhere: a filtered dimension not null, the other null) and
// its members. One member per dimension is one series: its own forecast and
// backtest MAPE. Several members are summed: point forecasts add; interval
// bounds are added too, which is exact when the members' errors move
// together (the province-wide weather drives them all) and otherwise wider
// than needed — never narrower. A sum has no backtest of its own, so its
// MAPE is null (the chart says so). Tariff and band do not split the
// forecasts: the chart says it ignores them.

import type { BuiltQuery, Filters } from '../api.ts';
import { filterWhere, joinParts, levelWhere } from '../sql.ts';

export const FORECAST_EXTRACT = 'forecast_month';

export interface ForecastRow {
  measure: 'kwh' | 'revenue';
  /** 'YYYY-MM-01' */
  month: string;
  is_forecast: boolean;
  actual: number | null;
  point: number | null;
  lo80: number | null;
  hi80: number | null;
  lo95: number | null;
  hi95: number | null;
  /** Series summed in the row, and of those suppressed (too few customers: figures withheld). */
  cells: number;
  suppressed_cells: number;
  /** Backtest MAPE (%) of the model and the seasonal naive; null for a sum of several series. */
  mape_model: number | null;
  mape_naive: number | null;
  /** Statuses of the summed series, sorted, comma-separated ('ok', 'too_short', 'not_positive'). */
  statuses: string | null;
}

/** History months shown before the forecast. */
export const FORECAST_HISTORY_MONTHS = 12;

/**
 * The selected series (or sum of series), oldest month first, both measures:
 * the last FORECAST_HISTORY_MONTHS history months (before the first forecast
 * month; all of them when the extract has no forecast rows) and the forecast.
 */
export function forecastQuery(filters: Pick<Filters, 'segment' | 'region'>): BuiltQuery {
  const f: Filters = { from: '', to: '', compare: 'previous', tariff: [], band: [], channel: [], segment: filters.segment, region: filters.region };
  const where = joinParts([levelWhere(['segment', 'region'], f), filterWhere(f, { segment: 'segment', region: 'region' })], ' and ');
  return {
    sql: `with sel as (select * from forecast_month where ${where.sql}),
last as (select max(month) filter (where not is_forecast) as m from sel)
select measure, strftime(month, '%Y-%m-%d') as month, is_forecast,
       sum(actual)::DOUBLE as actual, sum(point)::DOUBLE as point,
       sum(lo80)::DOUBLE as lo80, sum(hi80)::DOUBLE as hi80, sum(lo95)::DOUBLE as lo95, sum(hi95)::DOUBLE as hi95,
       count(*)::INTEGER as cells, (count(*) filter (where suppressed))::INTEGER as suppressed_cells,
       case when count(*) = 1 then max(mape_model) end::DOUBLE as mape_model,
       case when count(*) = 1 then max(mape_naive) end::DOUBLE as mape_naive,
       string_agg(distinct status, ',' order by status) as statuses
from sel
where is_forecast or month > (select m from last) - INTERVAL ${FORECAST_HISTORY_MONTHS} MONTH
group by measure, month, is_forecast
order by measure, month`,
    params: where.params,
    extracts: [FORECAST_EXTRACT],
  };
}

export interface ForecastSeries {
  months: string[];
  /** History (null on forecast months). */
  actual: (number | null)[];
  /** Forecast months only (null on history months, except the last history month: the dashed line starts there). */
  point: (number | null)[];
  lo80: (number | null)[];
  hi80: (number | null)[];
  lo95: (number | null)[];
  hi95: (number | null)[];
  forecastMonths: string[];
  mapeModel: number | null;
  mapeNaive: number | null;
  /** Why there is no forecast: 'suppressed' | 'too_short' | 'not_positive' | 'missing'; null when there is one. */
  reason: string | null;
}

/** One measure's rows → the chart's arrays (pure). */
export function forecastSeries(rows: readonly ForecastRow[], measure: ForecastRow['measure']): ForecastSeries {
  const list = rows.filter((r) => r.measure === measure);
  const history = list.filter((r) => !r.is_forecast);
  const future = list.filter((r) => r.is_forecast);
  const cells = history.length ? history[history.length - 1].cells : 0;
  const suppressed = list.some((r) => r.suppressed_cells > 0);
  const complete = future.length > 0 && future.every((r) => r.cells === cells && r.point !== null);
  const statuses = (history[history.length - 1]?.statuses ?? '').split(',').filter((s) => s && s !== 'ok');
  const reason = suppressed ? 'suppressed' : complete ? null : statuses[0] ?? 'missing';
  const shownFuture = reason === null ? future : [];
  // A withheld member would make the history a partial sum: draw nothing then.
  const shownHistory = suppressed ? [] : history;
  const months = [...shownHistory, ...shownFuture].map((r) => r.month);
  const lastActual = history.length ? history[history.length - 1].actual : null;
  const fc = (key: 'point' | 'lo80' | 'hi80' | 'lo95' | 'hi95') =>
    [...shownHistory.map((_, i) => (i === shownHistory.length - 1 && shownFuture.length ? lastActual : null)), ...shownFuture.map((r) => r[key])];
  const mapeRow = history[history.length - 1];
  return {
    months,
    actual: [...shownHistory.map((r) => r.actual), ...shownFuture.map(() => null)],
    point: fc('point'),
    lo80: fc('lo80'),
    hi80: fc('hi80'),
    lo95: fc('lo95'),
    hi95: fc('hi95'),
    forecastMonths: shownFuture.map((r) => r.month),
    mapeModel: reason === null ? mapeRow?.mape_model ?? null : null,
    mapeNaive: reason === null ? mapeRow?.mape_naive ?? null : null,
    reason,
  };
}

