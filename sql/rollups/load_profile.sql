-- rollup.load_profile, recomputed from work_snapshot_from.month on (earlier
-- months kept): per month × segment × day type × local hour, the sub-daily
-- accounts of rollup.usage_month_daytype, each in its segment of that month
-- (rollup.customer_month). Run after usage_month_daytype and customer_month.
--   customers         accounts with sub-daily days of this type in the month
--   customer_days     Σ over those accounts of their days of this type
--   kwh               Σ kWh in this hour
--   top_customer_kwh  the largest single account's kWh in this hour
delete from rollup.load_profile where month >= (select month from work_snapshot_from);

insert into rollup.load_profile (month, segment, day_type, hour, customers, customer_days, kwh, top_customer_kwh)
select d.month, cm.segment, d.day_type, (h.hour - 1)::integer,
       count(*)::integer, sum(d.days)::integer, sum(h.kwh), max(h.kwh)
from rollup.usage_month_daytype d
join rollup.customer_month cm on cm.customer_id = d.customer_id and cm.month = d.month
cross join lateral unnest(d.kwh_by_hour) with ordinality h(kwh, hour)
where d.month >= (select month from work_snapshot_from)
group by d.month, cm.segment, d.day_type, h.hour;
