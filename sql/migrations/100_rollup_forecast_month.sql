-- Forecasts of monthly kWh and revenue (issue 8, item 5), rebuilt whole by the
-- nightly 'forecasts' step (etl/transform/forecasts.ts, model etl/forecast/):
-- one row per series × month, for the complete months of history (actual)
-- and the next 3 months (point forecast and 80%/95% intervals). A series is a
-- measure at one level of segment × region: a null segment or region means
-- all of them. Backtest figures and the status repeat on every row of a series.
create table rollup.forecast_month (
  measure            text not null check (measure in ('kwh', 'revenue')),
  segment            text,
  region             text,
  month              date not null check (extract(day from month) = 1),
  is_forecast        boolean not null,
  -- history: the month's figure (sum over rollup.customer_month); null on forecast rows
  actual             double precision,
  -- forecast rows: the median forecast and its intervals; null on history rows
  point              double precision,
  lo80               double precision,
  hi80               double precision,
  lo95               double precision,
  hi95               double precision,
  -- accounts in the series' cell (history: that month; forecast: the last history month)
  customers          integer not null,
  -- largest single account's share of the cell's kWh (dominance check of the extract)
  top_customer_share double precision,
  -- 'ok' | 'too_short' (fewer complete months than the model needs) | 'not_positive' (a month with no kWh or revenue)
  status             text not null,
  history_months     integer not null,
  -- rolling-origin backtest: MAPE (%) of the model and of the seasonal naive, and the (origin, horizon) pairs behind them
  mape_model         double precision,
  mape_naive         double precision,
  backtest_pairs     integer not null,
  unique nulls not distinct (measure, segment, region, month)
);
