-- The tunable rules of the abnormal-usage detectors (异常用电预警, sql/alerts/,
-- docs/metrics.md "Abnormal-usage alerts"), one row. Change a value with an
-- UPDATE; it applies to the days the next run evaluates. To re-evaluate the
-- whole horizon with new values, run `npm run etl -- run --full`.
create table ops.alert_settings (
  singleton               boolean primary key default true check (singleton),
  -- days before the latest reading day that are evaluated and kept; alerts whose
  -- last flagged day falls out of it are dropped
  horizon_days            integer not null default 120 check (horizon_days between 7 and 1000),
  -- baseline: the same day type (workday / weekend-holiday) in the previous N weeks
  baseline_weeks          integer not null default 6 check (baseline_weeks between 1 and 26),
  -- fewest baseline days needed to judge a day (a new account has none)
  baseline_min_days       integer not null default 8 check (baseline_min_days >= 3),
  -- spike: kWh ≥ spike_ratio × baseline median, and ≥ median + spike_mad_z × 1.4826 × MAD,
  -- and at least spike_min_kwh above the median; days whose median is under
  -- spike_min_baseline_kwh are not judged (a vacant home coming back is not a spike)
  spike_ratio             double precision not null default 3 check (spike_ratio > 1),
  spike_min_baseline_kwh  double precision not null default 1 check (spike_min_baseline_kwh >= 0),
  spike_mad_z             double precision not null default 6 check (spike_mad_z > 0),
  spike_min_kwh           double precision not null default 2 check (spike_min_kwh >= 0),
  -- zero: ≥ zero_days consecutive days reading 0 kWh, for an account whose
  -- baseline median is at least zero_min_baseline_kwh a day
  zero_days               integer not null default 3 check (zero_days >= 2),
  zero_min_baseline_kwh   double precision not null default 0.5 check (zero_min_baseline_kwh >= 0),
  -- flat: ≥ flat_days consecutive days of a stuck meter (interval meter: every
  -- hour the same kWh; daily meter: the same positive kWh every day)
  flat_days               integer not null default 3 check (flat_days >= 2),
  -- night load (hours 00–05) at a business (large industrial, commercial) that
  -- normally sleeps: baseline night share ≤ night_sleep_share; flagged when the
  -- night share ≥ baseline + night_share_jump and night kWh ≥ night_ratio × baseline night kWh
  night_sleep_share       double precision not null default 0.15 check (night_sleep_share between 0 and 1),
  night_share_jump        double precision not null default 0.12 check (night_share_jump > 0),
  night_ratio             double precision not null default 2 check (night_ratio > 1),
  -- an alert continues while flagged days are at most resolve_days apart, and
  -- resolves after resolve_days days with readings and no flag
  resolve_days            integer not null default 2 check (resolve_days >= 1),
  updated_at              timestamptz not null default now()
);

insert into ops.alert_settings default values;
