-- Abnormal-usage alerts: a run of flagged days of one type for one customer
-- (rollup.usage_alert_day) whose flagged days are at most resolve_days apart
-- is one alert. Open while the condition lasts; resolved once the customer has
-- resolve_days days of readings after last_seen without a flag (resolved_on =
-- the first normal day); the same condition later is a new alert.
-- Rebuilt per customer from their flagged days (sql/alerts/alerts.sql).
create table rollup.usage_alert (
  customer_id  text not null,
  alert_type   text not null check (alert_type in ('spike', 'zero', 'flat', 'night_load')),
  first_seen   date not null,
  last_seen    date not null,
  flagged_days integer not null,
  severity     smallint not null check (severity between 1 and 3),
  -- the figures of the alert's worst day (highest severity, then largest observed ÷ threshold, then latest)
  worst_day    date not null,
  baseline     double precision,
  observed     double precision,
  threshold    double precision,
  status       text not null check (status in ('open', 'resolved')),
  resolved_on  date,
  primary key (customer_id, alert_type, first_seen),
  check ((status = 'resolved') = (resolved_on is not null))
);
