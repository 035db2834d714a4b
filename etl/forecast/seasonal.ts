// The forecasting model (pure): a multiplicative seasonal model with a
// constant growth rate, fit by least squares on the log of a monthly series:
//
//   log y_t = c_{m(t)} + b·t + ε_t          m(t) = calendar month of t (0–11)
//
// i.e. twelve month-of-year levels c_m and one common slope b (growth per
// month; e^{12b} − 1 is the yearly growth). The least-squares solution is
// closed-form: b is the pooled within-month slope, and each c_m the month's
// mean log value detrended by b. With only one year of a calendar month the
// model for that month is "the same month last year, grown by the trend";
// with two or more years it averages them, which is why it beats the
// seasonal-naive forecast (the same month last year) when a year's weather
// differs or the series grows. The point forecast exp(c_m + b·t) is the
// median of a log-normal forecast distribution.

import { normalQuantile } from '../generate/random.ts';

/** A fitted model. t = 0 is the first month of the fitting window. */
export interface SeasonalFit {
  /** Growth of log y per month (the common slope). */
  slope: number;
  /** Month-of-year levels c_m (index = calendar month 0–11); NaN when the window lacks that month. */
  levels: number[];
  /** Calendar month (0–11) of t = 0. */
  firstMonth: number;
  /** Months fit. */
  n: number;
}

/**
 * Fit the model to `values` (monthly, consecutive, all > 0). `firstMonth` is
 * the calendar month (0 = January) of values[0]. Needs ≥ 13 values (every
 * calendar month once and one month twice, for the slope); returns null
 * otherwise or when a value is not positive (the log is undefined).
 */
export function fitSeasonal(values: readonly number[], firstMonth: number): SeasonalFit | null {
  const n = values.length;
  if (n < 13 || values.some((v) => !(v > 0) || !Number.isFinite(v))) return null;
  const logs = values.map(Math.log);
  // Per calendar month: mean t and mean log y.
  const count = new Array<number>(12).fill(0);
  const tSum = new Array<number>(12).fill(0);
  const ySum = new Array<number>(12).fill(0);
  for (let t = 0; t < n; t++) {
    const m = (firstMonth + t) % 12;
    count[m]++;
    tSum[m] += t;
    ySum[m] += logs[t];
  }
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    const m = (firstMonth + t) % 12;
    const dt = t - tSum[m] / count[m];
    sxy += dt * (logs[t] - ySum[m] / count[m]);
    sxx += dt * dt;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const levels = count.map((c, m) => (c > 0 ? (ySum[m] - slope * tSum[m]) / c : Number.NaN));
  return { slope, levels, firstMonth, n };
}

/** Point forecast (the median) at t (t ≥ n forecasts; t < n gives the fitted value). */
export function predict(fit: SeasonalFit, t: number): number {
  const m = (fit.firstMonth + t) % 12;
  return Math.exp(fit.levels[m] + fit.slope * t);
}

// The standard normal quantile is the generator's (Acklam's approximation,
// |error| < 1.2e-9): one copy, re-exported for the forecaster's callers.
export { normalQuantile };

/**
 * Student-t quantile with ν degrees of freedom (Cornish–Fisher expansion
 * around the normal quantile; within ~1% of the exact value for ν ≥ 4, and
 * exact as ν → ∞). The interval half-width uses it because σ is estimated
 * from a handful of backtest errors.
 */
export function tQuantile(p: number, nu: number): number {
  const z = normalQuantile(p);
  if (!Number.isFinite(nu)) return z;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * nu ** 3);
}
