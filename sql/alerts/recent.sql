-- Bring rollup.usage_recent (migration 101) up to date for the customers of
-- tonight's ranges: each row becomes the days [as_of − window + 1, as_of],
-- window = 7 × baseline_weeks + 2 × (longest run rule − 1) + 14 days, which is
-- every day a night reads (ranges.sql, flag_days.sql) for a pending day up to
-- two weeks late. A row is shifted and extended when every changed day of the
-- customer lies after it (a night: the new day, just written by usage_day.sql
-- and still in cache); anything else (a correction inside the window, a new
-- customer, changed settings) re-reads the window from rollup.usage_day.
-- While the table is empty (a first run, a full rebuild, a warehouse that
-- predates it) every customer of core.customer is read, so later nights find
-- a row for everyone.
insert into rollup.usage_recent (customer_id, first_day, kwh, night_kwh, flat_hours)
with s as (
  select st.as_of,
         st.as_of - (7 * a.baseline_weeks + 2 * (greatest(a.zero_days, a.flat_days) - 1) + 14) + 1 as first_day
  from ops.alert_settings a cross join rollup.usage_alert_state st
),
changed as (
  -- per customer, the first changed day inside the window ('infinity': none)
  select c.customer_id, min(c.changed_from) as changed_from
  from (
    select w.customer_id, case when w.day_to > s.first_day then w.day_from else 'infinity'::date end as changed_from
    from work_usage_range w cross join s
    union all
    select cu.customer_id, '-infinity'::date
    from core.customer cu
    where not exists (select 1 from rollup.usage_recent)
  ) c
  group by c.customer_id
),
plan as (
  select c.customer_id, s.first_day, s.as_of, o.first_day as o_first, o.kwh as o_kwh, o.night_kwh as o_night, o.flat_hours as o_flat,
         x.append,
         case when x.append then greatest(o.first_day + cardinality(o.kwh), s.first_day) else s.first_day end as read_from
  from changed c
  cross join s
  left join rollup.usage_recent o on o.customer_id = c.customer_id
  cross join lateral (
    select coalesce(o.first_day <= s.first_day and c.changed_from >= o.first_day + cardinality(o.kwh), false) as append
  ) x
)
select p.customer_id, p.first_day,
       case when p.append then p.o_kwh[p.first_day - p.o_first + 1 :] else '{}' end || t.kwh,
       case when p.append then p.o_night[p.first_day - p.o_first + 1 :] else '{}' end || t.night_kwh,
       case when p.append then p.o_flat[p.first_day - p.o_first + 1 :] else '{}' end || t.flat_hours
from plan p
cross join lateral (
  select coalesce(array_agg(u.kwh order by g.d), '{}') as kwh,
         coalesce(array_agg(u.night_kwh order by g.d), '{}') as night_kwh,
         coalesce(array_agg(u.flat_hours order by g.d), '{}') as flat_hours
  from generate_series(p.read_from, p.as_of, interval '1 day') g(d)
  left join (
    -- one primary-key range scan per customer (OFFSET 0: see ranges.sql)
    select d.day, d.kwh,
           d.kwh_by_hour[1] + d.kwh_by_hour[2] + d.kwh_by_hour[3] + d.kwh_by_hour[4] + d.kwh_by_hour[5] + d.kwh_by_hour[6] as night_kwh,
           d.peak_valley_rate = 0 as flat_hours
    from rollup.usage_day d
    where d.customer_id = p.customer_id and d.day >= p.read_from and d.day <= p.as_of
    offset 0
  ) u on u.day = g.d::date
) t
on conflict (customer_id) do update
  set first_day = excluded.first_day, kwh = excluded.kwh, night_kwh = excluded.night_kwh, flat_hours = excluded.flat_hours;
