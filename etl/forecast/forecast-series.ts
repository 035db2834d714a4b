// One series' forecast with its honesty check (pure): a rolling-origin
// backtest of the model (seasonal.ts) and of the seasonal-naive baseline
// (the same month last year) over the last months of history, then the
// forecast for the next HORIZON months with 80% and 95% intervals sized by
// the model's own backtest errors.
//
//   backtest   origins o = the last ≤ 12 months whose window [0, o) has at
//              least MIN_FIT months; from each, forecast o … o+2 (those that
//              are in the history) with the model fit on [0, o) and with the
//              seasonal naive y_{t−12}. MAPE = mean |ŷ − y| ÷ y × 100 over
//              every (origin, horizon) pair, the same pairs for both.
//   intervals  e = log(y ÷ ŷ) of the model's backtest pairs; s = √(Σe² ÷ k)
//              (k pairs, mean 0 assumed: the model is unbiased in log);
//              bounds = ŷ · exp(± t_{k}(q) · s) with q = 0.90 (80%) or 0.975 (95%).
//              Errors are pooled over the 3 horizons: this model's error
//              hardly grows with the horizon (it is weather and mix, not a
//              drifting level), and pooling triples the sample.
//   too short  fewer than MIN_HISTORY months (MIN_FIT to fit + 6 origins to
//              judge it): no forecast, a reason instead.

import { fitSeasonal, predict, tQuantile } from './seasonal.ts';

export const HORIZON = 3;
/** Months a fit needs: 18 gives at least 6 calendar months seen twice for the slope. */
export const MIN_FIT = 18;
/** Backtest origins at most (the last 12 months of history). */
export const MAX_ORIGINS = 12;
/** Origins at least: the forecast is withheld below this. */
export const MIN_ORIGINS = 6;
export const MIN_HISTORY = MIN_FIT + MIN_ORIGINS;

export type ForecastStatus = 'ok' | 'too_short' | 'not_positive';

export interface ForecastPoint {
  /** Months after the last history month (1 … HORIZON). */
  h: number;
  point: number;
  lo80: number;
  hi80: number;
  lo95: number;
  hi95: number;
}

export interface BacktestPair {
  origin: number;
  h: number;
  actual: number;
  model: number;
  naive: number;
}

export interface SeriesForecast {
  status: ForecastStatus;
  /** MAPE (%) of the model and of the seasonal-naive baseline on the backtest pairs; null without a backtest. */
  mapeModel: number | null;
  mapeNaive: number | null;
  /** Backtest (origin, horizon) pairs behind the MAPEs and the intervals. */
  pairs: BacktestPair[];
  /** σ of the log errors (the intervals' scale); null without a backtest. */
  sigma: number | null;
  points: ForecastPoint[];
}

/** Mean absolute percentage error (%) of forecasts f against actuals y. */
export function mape(actual: readonly number[], forecast: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(forecast[i] - actual[i]) / actual[i];
  return (100 * s) / actual.length;
}

/** Rolling-origin backtest pairs of the model and the seasonal naive. */
export function backtest(values: readonly number[], firstMonth: number): BacktestPair[] {
  const n = values.length;
  const pairs: BacktestPair[] = [];
  for (let o = Math.max(MIN_FIT, n - MAX_ORIGINS); o < n; o++) {
    const fit = fitSeasonal(values.slice(0, o), firstMonth);
    if (!fit) continue;
    for (let h = 1; h <= HORIZON && o + h - 1 < n; h++) {
      const t = o + h - 1;
      pairs.push({ origin: o, h, actual: values[t], model: predict(fit, t), naive: values[t - 12] });
    }
  }
  return pairs;
}

/** Backtest, then forecast the HORIZON months after `values` (see the header). */
export function forecastSeries(values: readonly number[], firstMonth: number): SeriesForecast {
  const none = (status: ForecastStatus): SeriesForecast => ({ status, mapeModel: null, mapeNaive: null, pairs: [], sigma: null, points: [] });
  if (values.some((v) => !(v > 0) || !Number.isFinite(v))) return none('not_positive');
  if (values.length < MIN_HISTORY) return none('too_short');
  const pairs = backtest(values, firstMonth);
  const fit = fitSeasonal(values, firstMonth)!;
  const errors = pairs.map((p) => Math.log(p.actual / p.model));
  const k = errors.length;
  const sigma = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / k);
  const w80 = tQuantile(0.9, k) * sigma;
  const w95 = tQuantile(0.975, k) * sigma;
  const points: ForecastPoint[] = [];
  for (let h = 1; h <= HORIZON; h++) {
    const point = predict(fit, values.length + h - 1);
    points.push({ h, point, lo80: point * Math.exp(-w80), hi80: point * Math.exp(w80), lo95: point * Math.exp(-w95), hi95: point * Math.exp(w95) });
  }
  return {
    status: 'ok',
    mapeModel: mape(pairs.map((p) => p.actual), pairs.map((p) => p.model)),
    mapeNaive: mape(pairs.map((p) => p.actual), pairs.map((p) => p.naive)),
    pairs,
    sigma,
    points,
  };
}
