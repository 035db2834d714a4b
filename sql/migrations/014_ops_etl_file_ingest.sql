-- What the ingest records per input file, beyond the row counts of 012
-- (etl/ingest/ingest-inbox.ts writes one row per file it looked at):
--   skipped          the same content (entity, sha256) was already loaded by an
--                    earlier file: nothing was read, every count is 0
--   bytes            size of the file as dropped (compressed size for .csv.gz)
--   encoding         'utf-8' or 'gb18030' as detected; null when the text was
--                    plain ASCII (both encodings agree) or the file was not read
--   file_rejection_* the whole file was rejected (reason code of
--                    etl/contract/reasons.ts and a message naming the problem);
--                    then no row of it is loaded and every count is 0
--   rejected_by_reason  {"bad_date": 3, ...}: rows_rejected split by reason code
--   warnings         notes that did not stop the file (ignored columns, …)
-- A file counts as loaded (and its content is skipped next time) when it is
-- neither skipped nor rejected whole.
alter table ops.etl_file
  add column skipped               boolean not null default false,
  add column bytes                 bigint not null default 0 check (bytes >= 0),
  add column encoding              text check (encoding in ('utf-8', 'gb18030')),
  add column file_rejection_code   text,
  add column file_rejection_message text,
  add column rejected_by_reason    jsonb not null default '{}'::jsonb,
  add column warnings              jsonb not null default '[]'::jsonb,
  add column loaded_at             timestamptz not null default now(),
  add constraint etl_file_accounting check (rows_read = rows_loaded + rows_rejected + rows_superseded),
  add constraint etl_file_rejection check ((file_rejection_code is null) = (file_rejection_message is null));

-- 012 described rows_superseded as rows replaced by a later file of the run;
-- the ingest counts what the data contract calls duplicate_key instead.
comment on column ops.etl_file.rows_superseded is
  'rows replaced by a later line with the same key in the same file (the last line wins); read = loaded + rejected + superseded';
