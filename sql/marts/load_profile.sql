-- mart.load_profile — average load by hour of day, per month × segment ×
-- day type × hour, from sub-daily readings (rollup.usage_month_daytype), with
-- each account in its segment of that month.
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
with p as (
  select d.month, cm.segment, d.day_type, d.customer_id, d.days, h.hour - 1 as hour, h.kwh
  from rollup.usage_month_daytype d
  join rollup.customer_month cm on cm.customer_id = d.customer_id and cm.month = d.month
  cross join lateral unnest(d.kwh_by_hour) with ordinality h(kwh, hour)
)
select month, segment, day_type, hour::integer as hour,
       count(*)::integer as customers,
       sum(days)::integer as customer_days,
       sum(kwh) as kwh,
       sum(kwh) / nullif(sum(days), 0) as kwh_per_customer_hour,
       max(kwh) / nullif(sum(kwh), 0) as top_customer_share
from p
group by month, segment, day_type, hour;
