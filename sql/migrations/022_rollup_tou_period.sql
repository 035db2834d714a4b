-- TOU period (峰/平/谷) of a local hour of day, as etl/domain/tariffs.ts
-- TOU_PERIOD_BY_HOUR: peak 08–12 and 17–21, shoulder 12–17 and 21–24, valley
-- 00–08. Immutable SQL: the planner inlines it.
create function rollup.tou_period(hour integer) returns text
language sql immutable parallel safe
return case
  when hour < 8 then 'valley'
  when hour < 12 or (hour >= 17 and hour < 21) then 'peak'
  else 'shoulder'
end;
