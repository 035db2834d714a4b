-- The end of the alert horizon: the latest reading day seen. A full rebuild
-- (every range infinite) reads it from rollup.usage_day; a night moves it to
-- the last pending day when that is later (pending ranges come from stored
-- readings, so their last day has data).
insert into rollup.usage_alert_state (singleton, as_of)
select true, d
from (
  select case when exists (select 1 from work_usage_range where day_to = 'infinity')
              then (select max(day) from rollup.usage_day)
              else (select max(day_to) - 1 from work_usage_range) end as d
) t
where d is not null
on conflict (singleton) do update set as_of = greatest(rollup.usage_alert_state.as_of, excluded.as_of);
