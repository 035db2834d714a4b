-- mart.forecast_month — monthly kWh and revenue per segment × region (a null
-- segment or region = all of them) for the complete months of history and
-- the next 3 months, with 80% and 95% forecast intervals and the backtest
-- (rollup.forecast_month, etl/forecast/; definitions in docs/metrics.md).
-- History: the last 12 complete months only (what the Overview draws; the
-- table keeps them all), which keeps the extract small.
--   measure            'kwh' (metered kWh) or 'revenue' (CNY, bills whose period ends in the month)
--   is_forecast        false: history (actual); true: forecast (point, lo80 … hi95)
--   point              median forecast;  lo80/hi80, lo95/hi95: 80% and 95% intervals
--   mape_model         rolling-origin backtest MAPE (%) of the model;
--   mape_naive         the same pairs forecast by the seasonal naive (same month last year)
--   status             'ok' | 'too_short' | 'not_positive' (why a series has no forecast)
create view mart.forecast_month as
select measure, segment, region, month, is_forecast, actual, point, lo80, hi80, lo95, hi95,
       customers, top_customer_share, status, history_months, mape_model, mape_naive, backtest_pairs
from rollup.forecast_month
where is_forecast
   or month > (select max(month) from rollup.forecast_month where not is_forecast) - interval '12 months';
