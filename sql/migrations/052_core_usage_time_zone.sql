-- The time zone whose local days bucket core.usage_day (one row, set by the
-- first usage write). A reading's row is its local day in this zone and its
-- position is milliseconds after that day's first instant; reading the same
-- arrays under another zone would shift every reading. The ETL therefore
-- refuses to run with a GRIDLENS_TZ other than this one while readings are
-- stored (etl/ingest/usage-time-zone.ts), and the rollups reconstruct
-- instants with this zone.
create table core.usage_time_zone (
  singleton boolean primary key default true check (singleton),
  time_zone text not null
);
