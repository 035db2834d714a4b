-- Rows that broke a contract rule: kept verbatim with file, line and reason
-- (contract: "nothing is dropped silently"). raw_line may hold personal data,
-- so marts never read this table.
create table ops.rejected_row (
  id          bigint generated always as identity primary key,
  run_id      bigint not null references ops.etl_run (id),
  entity      text not null
              check (entity in ('customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns')),
  file_name   text not null,
  line        integer not null check (line >= 1),   -- 1-based, header is line 1
  reason_code text not null,
  field       text,                                  -- the offending column, when there is one
  message     text not null,
  raw_line    text not null
);

create index rejected_row_run on ops.rejected_row (run_id, file_name, line);
