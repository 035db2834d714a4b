-- One row per target-list export of the campaign planner: the only way an
-- account number (customer_id) reaches a browser (etl/serve/target-list-route.ts).
-- Written in the same transaction as the key → account lookup, so a list was
-- handed out if and only if its record exists. Who (user, role, the regions
-- they were limited to), when, which audience (the planner's definition as
-- sent), how many rows and holdout rows, and the pseudonymous keys themselves:
-- an audit must be able to say whose account numbers a user received.
create table ops.target_list_export (
  id             bigint generated always as identity primary key,
  exported_at    timestamptz not null default now(),
  user_name      text not null,
  role           text not null,
  -- null: the user may see every region
  user_regions   text[],
  audience_name  text,
  audience       jsonb not null,
  holdout        jsonb,
  row_count      integer not null check (row_count >= 0),
  holdout_count  integer not null check (holdout_count >= 0 and holdout_count <= row_count),
  customer_keys  integer[] not null,
  holdout_keys   integer[] not null,
  check (cardinality(customer_keys) = row_count),
  check (cardinality(holdout_keys) = holdout_count)
);

create index target_list_export_user on ops.target_list_export (user_name, exported_at);
