-- mart.load_profile — average load by hour of day, per month × segment ×
-- day type × hour, from sub-daily readings, with each account in its segment
-- of that month. The sums are kept by the rollup refresh in rollup.load_profile
-- (sql/rollups/load_profile.sql); this view derives the ratios.
--   day_type              workday | weekend_holiday (core.calendar_day)
--   hour                  local hour of day 0–23 (the hour starting then)
--   customers             accounts with sub-daily readings on such days
--   customer_days         Σ over those accounts of their days of this type
--   kwh                   Σ kWh in this hour
--   kwh_per_customer_hour = kwh ÷ customer_days: the average kWh an account
--                         uses in this hour of such a day (= its average kW)
--   top_customer_share    largest single account's share of kwh (dominance
--                         check of the extracts; not exported)
create view mart.load_profile as
select month, segment, day_type, hour, customers, customer_days, kwh,
       kwh / nullif(customer_days, 0) as kwh_per_customer_hour,
       top_customer_kwh / nullif(kwh, 0) as top_customer_share
from rollup.load_profile;
