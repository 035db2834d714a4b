-- One row per ETL run. A run is inserted as 'running' and finished as
-- 'succeeded' or 'failed'; a run whose process died stays 'running' until the
-- next run marks it 'abandoned'.
create table ops.etl_run (
  id              bigint generated always as identity primary key,
  started_at      timestamptz not null default now(),
  finished_at     timestamptz,
  status          text not null default 'running'
                  check (status in ('running', 'succeeded', 'failed', 'abandoned')),
  error           text,
  -- {"ingest": 1234, "rollup": 567, ...}: milliseconds per step
  step_durations  jsonb not null default '{}'::jsonb,
  -- the extract folder this run published, if any
  extract_version text,
  check (finished_at is null or finished_at >= started_at),
  check ((status = 'running') = (finished_at is null))
);
