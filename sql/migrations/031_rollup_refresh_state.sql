-- When the rollups were last refreshed, and with which settings: the snapshot
-- tables (rollup.receivable_month, rollup.customer_month) are recomputed only
-- from the first month that can have changed since (sql/rollups/snapshot_from.sql).
create table rollup.refresh_state (
  singleton    boolean primary key default true check (singleton),
  refreshed_at timestamptz not null,
  -- the settings the snapshot rows were computed with (SME threshold, time zone)
  settings     text not null
);
