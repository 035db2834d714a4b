-- The monthly series the forecasts are fit on (etl/transform/forecasts.ts):
-- kWh and revenue of the accounts open in each complete month (month_end on
-- or before the data's as-of; a month in progress would read as a fall), at
-- every level of segment × region (grouping sets: a null segment or region
-- means all of them — both columns are never null in rollup.customer_month).
-- Figures are mart.segment_month's: kWh metered, revenue = bills whose period
-- ends in the month.
select to_char(c.month, 'YYYY-MM-DD') as month, c.segment, c.region,
       coalesce(sum(c.kwh), 0)::double precision as kwh,
       coalesce(sum(c.billed_amount), 0)::double precision as revenue,
       count(*)::integer as customers,
       (max(c.kwh) / nullif(sum(c.kwh), 0))::double precision as top_customer_share
from rollup.customer_month c
join rollup.month_window w on w.month = c.month and w.month_end <= w.as_of
group by grouping sets ((c.month, c.segment, c.region), (c.month, c.segment), (c.month, c.region), (c.month))
order by 2 nulls first, 3 nulls first, 1;
