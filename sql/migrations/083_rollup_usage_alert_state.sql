-- The latest reading day the alert detectors have seen (the end of the
-- horizon), kept so a night does not scan rollup.usage_day for its maximum.
create table rollup.usage_alert_state (
  singleton boolean primary key default true check (singleton),
  as_of     date not null
);
