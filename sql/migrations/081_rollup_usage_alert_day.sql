-- One row per customer × day × alert type that a detector flagged, with the
-- figures behind the flag (sql/alerts/flag_days.sql). Days in the evaluated
-- ranges are deleted and recomputed each refresh; days older than the horizon
-- (ops.alert_settings.horizon_days) are dropped.
create table rollup.usage_alert_day (
  customer_id text not null,
  alert_type  text not null check (alert_type in ('spike', 'zero', 'flat', 'night_load')),
  day         date not null,
  severity    smallint not null check (severity between 1 and 3),   -- 1 low, 2 medium, 3 high
  baseline    double precision,   -- spike: median kWh; zero: median kWh; flat: run length; night: baseline night share
  observed    double precision,   -- spike: kWh; zero: kWh (0); flat: kWh of the day; night: night share
  threshold   double precision,   -- spike: kWh threshold; zero/flat: days required; night: share threshold
  primary key (customer_id, alert_type, day)
);
