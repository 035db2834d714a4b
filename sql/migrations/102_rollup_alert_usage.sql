-- The days [p_from, p_to) of one customer as the detectors read them
-- (sql/alerts/): from rollup.usage_recent when its row reaches back to p_from,
-- else all from rollup.usage_day. The two branches exclude each other, so a
-- call never mixes sources. Only the customers a refresh re-judges are read,
-- and recent.sql has just brought their rows up to date (days after as_of have
-- no readings, so a row ending at as_of covers any p_to).
-- SQL, stable: the planner inlines it into the caller's LATERAL, and the
-- usage_day branch is skipped by a one-time filter when the row covers.
create function rollup.alert_usage(p_customer text, p_from date, p_to date)
returns table (day date, kwh double precision, night_kwh double precision, interval_meter boolean, flat_hours boolean)
language sql stable parallel safe
as $$
  select p_from + (u.n::integer - 1), u.kwh, u.night_kwh, u.night_kwh is not null, u.flat_hours
  from rollup.usage_recent r
  cross join lateral unnest(r.kwh[p_from - r.first_day + 1 : p_to - r.first_day],
                            r.night_kwh[p_from - r.first_day + 1 : p_to - r.first_day],
                            r.flat_hours[p_from - r.first_day + 1 : p_to - r.first_day])
                     with ordinality as u(kwh, night_kwh, flat_hours, n)
  where r.customer_id = p_customer and r.first_day <= p_from and u.kwh is not null
  union all
  select d.day, d.kwh,
         d.kwh_by_hour[1] + d.kwh_by_hour[2] + d.kwh_by_hour[3] + d.kwh_by_hour[4] + d.kwh_by_hour[5] + d.kwh_by_hour[6],
         d.interval_minutes < 1440, d.peak_valley_rate = 0
  from rollup.usage_day d
  where d.customer_id = p_customer and d.day >= p_from and d.day < p_to
    and not exists (select 1 from rollup.usage_recent r where r.customer_id = p_customer and r.first_day <= p_from)
$$;
