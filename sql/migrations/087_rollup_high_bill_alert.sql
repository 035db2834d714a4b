-- High-bill warnings (高额电费预警): one row per customer × month whose bill,
-- projected from the month-to-date readings under the customer's own tariff,
-- exceeded the usual bill by the margin (ops.alert_settings high_bill_*; rule
-- in docs/metrics.md "High-bill warning"). Kept by sql/alerts/high_bill_alerts.sql:
-- each night judges the month of the detectors' as-of day (rollup.usage_alert_state);
-- a flagged night opens the row or moves last_seen; a night below the margin
-- resolves it (resolved_on = that day), a later flagged night reopens it; the
-- month ending resolves an open row on the first day of the next month.
-- The figures are those of the latest flagged night.
create table rollup.high_bill_alert (
  customer_id      text not null,
  month            date not null check (extract(day from month) = 1),
  first_seen       date not null,
  last_seen        date not null,
  flagged_days     integer not null,
  severity         smallint not null check (severity between 1 and 3),
  days_read        integer not null,            -- days of the month with readings at last_seen
  projected_kwh    double precision not null,
  projected_amount numeric(14, 2) not null,     -- CNY, the projection priced with the customer's tariff
  usual_kwh        double precision not null,
  usual_amount     numeric(14, 2) not null,     -- CNY, the median of the last N monthly bills
  threshold        numeric(14, 2) not null,     -- usual × (1 + margin)
  kwh_effect       double precision not null,   -- CNY of the difference from more kWh at the usual unit price
  price_effect     double precision not null,   -- CNY from a dearer mix: a higher tier or more peak use
  driver           text not null check (driver in ('more_kwh', 'higher_tier', 'more_peak')),
  status           text not null check (status in ('open', 'resolved')),
  resolved_on      date,
  primary key (customer_id, month),
  check ((status = 'resolved') = (resolved_on is not null))
);
