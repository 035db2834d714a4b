-- Alerts from flagged days, rebuilt for every customer whose flags may have
-- changed (the ranges of the night) or aged out of the horizon. Flagged days of
-- one type at most resolve_days apart are one alert; it is resolved once
-- resolve_days later days have normal readings (for zero: kWh > 0), and
-- resolved_on is the first of them.
create temp table work_alert_customer on commit drop as
select customer_id from work_usage_range
union
select customer_id from rollup.usage_alert_day
where day < (select st.as_of - a.horizon_days + 1 from ops.alert_settings a cross join rollup.usage_alert_state st)
union
select customer_id from rollup.usage_alert
where last_seen < (select st.as_of - a.horizon_days + 1 from ops.alert_settings a cross join rollup.usage_alert_state st);

delete from rollup.usage_alert_day
where day < (select st.as_of - a.horizon_days + 1 from ops.alert_settings a cross join rollup.usage_alert_state st);

delete from rollup.usage_alert a using work_alert_customer w where a.customer_id = w.customer_id;

insert into rollup.usage_alert (customer_id, alert_type, first_seen, last_seen, flagged_days, severity, worst_day,
                                baseline, observed, threshold, status, resolved_on)
with s as (select * from ops.alert_settings),
days as (
  select f.*,
         case when f.day - lag(f.day) over (partition by f.customer_id, f.alert_type order by f.day) <= s.resolve_days
              then 0 else 1 end as starts
  from rollup.usage_alert_day f
  join work_alert_customer w on w.customer_id = f.customer_id
  cross join s
),
numbered as (
  select d.*, sum(d.starts) over (partition by d.customer_id, d.alert_type order by d.day rows unbounded preceding) as alert_no
  from days d
),
grouped as (
  select customer_id, alert_type, alert_no, min(day) as first_seen, max(day) as last_seen, count(*)::integer as flagged_days,
         max(severity) as severity,
         (array_agg(array[day - date '2000-01-01', 0] order by severity desc, observed / nullif(threshold, 0) desc nulls last, day desc))[1][1] as worst_offset
  from numbered
  group by customer_id, alert_type, alert_no
)
select g.customer_id, g.alert_type, g.first_seen, g.last_seen, g.flagged_days, g.severity,
       w.day, w.baseline, w.observed, w.threshold,
       case when n.normal_days >= s.resolve_days then 'resolved' else 'open' end,
       case when n.normal_days >= s.resolve_days then n.first_normal end
from grouped g
cross join s
join rollup.usage_alert_day w on w.customer_id = g.customer_id and w.alert_type = g.alert_type
                              and w.day = date '2000-01-01' + g.worst_offset
cross join lateral (
  select count(*) as normal_days, min(u.day) as first_normal
  from (
    select u.day from rollup.usage_day u
    where u.customer_id = g.customer_id and u.day > g.last_seen
      and (g.alert_type <> 'zero' or u.kwh > 0)
      and not exists (select 1 from rollup.usage_alert_day f
                      where f.customer_id = g.customer_id and f.alert_type = g.alert_type and f.day = u.day)
    order by u.day
    limit (select resolve_days from ops.alert_settings)
  ) u
) n;
