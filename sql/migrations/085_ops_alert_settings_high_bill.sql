-- The tunable rules of the high-bill warning (高额电费预警, sql/alerts/high_bill_*.sql,
-- docs/metrics.md "High-bill warning"), added to the detectors' settings row
-- (migration 080). Change a value with an UPDATE; the next night judges with it.
alter table ops.alert_settings
  -- judge a month only once this many days of it have readings (a projection
  -- from two days is mostly noise)
  add column high_bill_min_days integer not null default 10 check (high_bill_min_days between 1 and 28),
  -- the usual bill: the median of the customer's last N monthly bills (the N
  -- months before the judged month, each with exactly one bill = monthly billing)
  add column high_bill_usual_bills integer not null default 3 check (high_bill_usual_bills between 1 and 12),
  -- accounts whose usual bill is under this many CNY are not judged (a vacant
  -- home or an idle pump coming back is not a bill shock)
  add column high_bill_min_usual double precision not null default 10 check (high_bill_min_usual >= 0),
  -- warn when projected > usual × (1 + margin) ...
  add column high_bill_margin double precision not null default 0.3 check (high_bill_margin > 0),
  -- ... and projected − usual ≥ this many CNY (a 5-yuan bill doubling is no news)
  add column high_bill_min_amount double precision not null default 20 check (high_bill_min_amount >= 0);
