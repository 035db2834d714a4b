-- The improvement-action register: what a manager did, where and when, and
-- which survey item it was meant to improve (inbox actions/*.csv, loaded by
-- etl/ingest/ingest-actions.ts; the last row of an action_id wins, across
-- files too). mart.action_effect compares the targeted item before and after
-- the action date in the treated regions against the untreated ones.
--   regions      region codes as in core.customer.region (at least one)
--   segments     segments as in rollup.customer_month.segment; null = every segment
--   target       survey item: reliability, service, price, billing, communication, overall, nps
--   description  free text written by staff (no customer's personal data)
create table core.improvement_action (
  action_id   text primary key,
  action_date date not null,
  regions     text[] not null check (cardinality(regions) >= 1),
  segments    text[] check (segments is null or cardinality(segments) >= 1),
  target      text not null
              check (target in ('reliability', 'service', 'price', 'billing', 'communication', 'overall', 'nps')),
  description text not null default '',
  file_name   text not null,
  line        integer not null,
  run_id      bigint not null references ops.etl_run (id)
);
