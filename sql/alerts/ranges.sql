-- The customer-days the detectors re-evaluate tonight (work_alert_range), from
-- the day ranges the rollups just recomputed (work_usage_range), clipped to
-- the horizon [as_of − horizon_days + 1, …):
--   point rules (spike, night_load) judge a day against the weeks before it,
--     so a changed day also changes the verdict on the baseline_weeks after it:
--     [day_from, day_to + 7 × baseline_weeks)
--   run rules (zero, flat) flag every day of a long enough run, so a new day can
--     complete a run that began up to K − 1 days earlier: [day_from − (K − 1), day_to + K − 1)
--   read (into work_alert_usage): the days both judge, and K − 1 days either
--     side of the run range. The baselines of the point rules and of zero are
--     read by the rules themselves, through rollup.alert_usage().
create temp table work_alert_range on commit drop as
with s as (
  select a.*, greatest(a.zero_days, a.flat_days) - 1 as margin, st.as_of - a.horizon_days + 1 as horizon_from
  from ops.alert_settings a cross join rollup.usage_alert_state st
)
select w.customer_id,
       greatest(w.day_from, s.horizon_from) as point_from,
       w.day_to + 7 * s.baseline_weeks as point_to,
       greatest(w.day_from - s.margin, s.horizon_from) as run_from,
       w.day_to + s.margin as run_to,
       greatest(w.day_from - s.margin, s.horizon_from) - s.margin as read_from,
       greatest(w.day_to + 2 * s.margin, w.day_to + 7 * s.baseline_weeks) as read_to
from work_usage_range w cross join s
where w.day_to + 7 * s.baseline_weeks > s.horizon_from;

-- The days the run rules need, one row per customer-day, through
-- rollup.alert_usage (migration 102: the detectors' narrow copy of the latest
-- days, rollup.usage_recent, else rollup.usage_day). OFFSET 0 keeps one call
-- per range (as in sql/rollups/usage_day.sql, the planner would otherwise join
-- every stored day).
create temp table work_alert_usage on commit drop as
select distinct on (u.customer_id, u.day) u.*
from work_alert_range r
cross join lateral (
  select r.customer_id, d.day, d.kwh, d.interval_meter, d.flat_hours, d.night_kwh
  from rollup.alert_usage(r.customer_id, r.read_from, r.read_to) d
  offset 0
) u
order by u.customer_id, u.day;

analyze work_alert_usage;
