-- Each input file a run looked at. Files are identified by content (sha256):
-- the same content dropped again is a no-op, so "was this content loaded?" is a
-- lookup by (entity, sha256).
create table ops.etl_file (
  id              bigint generated always as identity primary key,
  run_id          bigint not null references ops.etl_run (id),
  entity          text not null
                  check (entity in ('customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns')),
  file_name       text not null,
  sha256          text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  rows_read       bigint not null default 0 check (rows_read >= 0),
  rows_loaded     bigint not null default 0 check (rows_loaded >= 0),
  rows_rejected   bigint not null default 0 check (rows_rejected >= 0),
  -- rows whose key a later file in the same run also supplied (the later file wins)
  rows_superseded bigint not null default 0 check (rows_superseded >= 0),
  unique (run_id, entity, file_name)
);

create index etl_file_content on ops.etl_file (entity, sha256);
