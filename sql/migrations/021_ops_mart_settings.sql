-- The settings the rollups and mart views read (one row). Written by
-- syncSettings (etl/transform/settings.ts) from the configuration before every
-- rollup refresh, so a changed GRIDLENS_* value takes effect on the next run.
-- The defaults below are the configuration's defaults (etl/config.ts).
create table ops.mart_settings (
  singleton           boolean primary key default true check (singleton),
  -- commercial customers under this annual kWh are the SME segment
  sme_threshold_kwh   double precision not null default 50000 check (sme_threshold_kwh > 0),
  -- small-cell suppression K of aggregate extracts (applied by the extract step)
  suppression_k       integer not null default 15 check (suppression_k > 0),
  -- first-response targets: complaints (hours) and outage reports (minutes)
  sla_complaint_hours double precision not null default 24 check (sla_complaint_hours > 0),
  sla_outage_minutes  double precision not null default 45 check (sla_outage_minutes > 0),
  -- the utility's time zone (GRIDLENS_TZ): local day, month and hour of day in
  -- rollups and marts, whatever the reading session's TimeZone is
  time_zone           text not null default 'Asia/Shanghai',
  updated_at          timestamptz not null default now()
);

insert into ops.mart_settings default values;
