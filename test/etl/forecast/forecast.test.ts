// The forecaster (etl/forecast/) on synthetic monthly series of known
// structure: y_t = level · season(month) · (1 + growth)^(t/12) · e^{σ·z_t}.
// It must recover the seasonal profile and the growth, its intervals must
// cover at about their nominal rates on simulated noise, and its backtest
// must beat the seasonal naive when the series grows.

import { describe, expect, it } from 'vitest';
import { fitSeasonal, normalQuantile, predict, tQuantile } from '../../../etl/forecast/seasonal.ts';
import { backtest, forecastSeries, HORIZON, mape, MIN_HISTORY } from '../../../etl/forecast/forecast-series.ts';
import { Rng } from '../../../etl/generate/random.ts';

const SEASON = [1.25, 1.1, 0.9, 0.8, 0.85, 1.05, 1.3, 1.35, 1.05, 0.85, 0.8, 1.0];

function series(rng: Rng, n: number, firstMonth: number, growth: number, sigma: number, level = 1e6): number[] {
  return Array.from({ length: n + HORIZON }, (_, t) =>
    level * SEASON[(firstMonth + t) % 12] * (1 + growth) ** (t / 12) * Math.exp(sigma * rng.normal()));
}

describe('quantiles', () => {
  it('normal and t quantiles match tabulated values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 5);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959964, 5);
    // Tables: t_{0.975}(10) = 2.228, t_{0.975}(30) = 2.042, t_{0.9}(10) = 1.372
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 2);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 2);
    expect(tQuantile(0.9, 10)).toBeCloseTo(1.372, 2);
  });
});

describe('fitSeasonal', () => {
  it('recovers the seasonal profile and the growth exactly on a noiseless series', () => {
    const y = series(new Rng(1, 1), 30, 4, 0.08, 0);
    const fit = fitSeasonal(y.slice(0, 30), 4)!;
    expect(Math.exp(12 * fit.slope) - 1).toBeCloseTo(0.08, 10);
    for (let h = 0; h < HORIZON; h++) expect(predict(fit, 30 + h) / y[30 + h]).toBeCloseTo(1, 10);
    // The month levels' spread is the planted season's.
    const rel = fit.levels.map((c) => Math.exp(c - fit.levels[0]));
    SEASON.forEach((s, m) => expect(rel[m]).toBeCloseTo(s / SEASON[0], 10));
  });

  it('recovers growth within noise on noisy series (mean over 200 series)', () => {
    const rng = new Rng(2, 2);
    let sum = 0;
    for (let i = 0; i < 200; i++) sum += Math.exp(12 * fitSeasonal(series(rng, 36, 0, 0.06, 0.03).slice(0, 36), 0)!.slope) - 1;
    expect(sum / 200).toBeCloseTo(0.06, 2);
  });

  it('refuses too few months and non-positive values', () => {
    expect(fitSeasonal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 0)).toBeNull();
    expect(fitSeasonal([...Array(20).fill(1), 0], 0)).toBeNull();
  });
});

describe('forecastSeries', () => {
  it('withholds the forecast of a short series and says why', () => {
    const y = series(new Rng(3, 3), MIN_HISTORY - 1, 0, 0, 0.02);
    expect(forecastSeries(y.slice(0, MIN_HISTORY - 1), 0)).toMatchObject({ status: 'too_short', points: [], mapeModel: null });
    expect(forecastSeries([...y.slice(0, MIN_HISTORY), 0], 0).status).toBe('not_positive');
  });

  it('backtest pairs: the last 12 origins, 3 horizons each inside the history, naive = same month last year', () => {
    const y = series(new Rng(4, 4), 36, 0, 0.05, 0.02).slice(0, 36);
    const pairs = backtest(y, 0);
    // origins 24…35: 3+3+…+3 (24…33) + 2 (34) + 1 (35)
    expect(pairs.length).toBe(10 * 3 + 2 + 1);
    for (const p of pairs) {
      expect(p.actual).toBe(y[p.origin + p.h - 1]);
      expect(p.naive).toBe(y[p.origin + p.h - 1 - 12]);
    }
    const f = forecastSeries(y, 0);
    expect(f.mapeModel).toBeCloseTo(mape(pairs.map((p) => p.actual), pairs.map((p) => p.model)), 12);
  });

  it('beats the seasonal naive on growing series, and on flat ones with 3 years of history', () => {
    const rng = new Rng(5, 5);
    for (const [growth, n] of [[0.1, 24], [0.1, 36], [0, 36]]) {
      let model = 0;
      let naive = 0;
      for (let i = 0; i < 100; i++) {
        const f = forecastSeries(series(rng, n, i % 12, growth, 0.03).slice(0, n), i % 12);
        model += f.mapeModel!;
        naive += f.mapeNaive!;
      }
      console.log(`synthetic growth ${growth}, ${n} months: mean MAPE model ${(model / 100).toFixed(2)}% vs seasonal naive ${(naive / 100).toFixed(2)}%`);
      expect(model).toBeLessThan(naive);
    }
  });

  it('80% and 95% intervals cover the next 3 months at about their nominal rates', () => {
    const rng = new Rng(6, 6);
    const runs = 1000;
    let in80 = 0;
    let in95 = 0;
    for (let i = 0; i < runs; i++) {
      const n = 24 + (i % 13);
      const y = series(rng, n, i % 12, 0.04, 0.05);
      const f = forecastSeries(y.slice(0, n), i % 12);
      for (const p of f.points) {
        const actual = y[n + p.h - 1];
        if (actual >= p.lo80 && actual <= p.hi80) in80++;
        if (actual >= p.lo95 && actual <= p.hi95) in95++;
        expect(p.lo95).toBeLessThan(p.lo80);
        expect(p.hi80).toBeLessThan(p.hi95);
      }
    }
    const c80 = in80 / (runs * HORIZON);
    const c95 = in95 / (runs * HORIZON);
    console.log(`interval coverage on ${runs * HORIZON} simulated months: 80% → ${(100 * c80).toFixed(1)}%, 95% → ${(100 * c95).toFixed(1)}%`);
    expect(c80).toBeGreaterThan(0.75);
    expect(c80).toBeLessThan(0.88);
    expect(c95).toBeGreaterThan(0.91);
    expect(c95).toBeLessThan(0.985);
  });
});
