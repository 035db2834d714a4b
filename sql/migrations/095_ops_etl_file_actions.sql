-- The improvement-action register (inbox actions/*.csv, our own addition to
-- the data contract: README) is ingested like a contract entity and accounted
-- for in ops.etl_file under entity 'actions' (etl/ingest/ingest-actions.ts).
alter table ops.etl_file drop constraint etl_file_entity_check;
alter table ops.etl_file add constraint etl_file_entity_check
  check (entity in ('customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns', 'actions'));
