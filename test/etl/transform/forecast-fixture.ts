// The generated utility of the forecast tests (ETL, DuckDB-WASM and e2e): 36
// months, enough history to fit (18 months) and backtest (the last 12) the
// model; daily meters only, to keep generation and ingest cheap (forecasts
// read monthly totals).
import type { FixtureOptions } from '../../helpers/generated.ts';

export const FORECAST_FIXTURE: FixtureOptions = {
  customers: 3000, months: 36, seed: 7, end: '2026-10',
  intervals: { large_industrial: 1440, commercial: 1440, residential: 1440, agricultural: 1440 },
};

export const FORECAST_SECRET = { GRIDLENS_PSEUDONYM_SECRET: 'forecast-test-secret-0123456789abcdef' };
