-- Audit of customer reports asked for by account number (户号): who, when,
-- through what (the /api/customer-report endpoint or the `reports` batch
-- command), which account and whether it was found. Account numbers are
-- personal to the customer; the pseudonymous key needs no audit (the customer
-- extract already carries it). Written by etl/report/lookup-audit.ts; read by
-- people (no mart or extract reads it).
create table ops.customer_lookup (
  id          bigint generated always as identity primary key,
  at          timestamptz not null default now(),
  actor       text not null,                  -- the signed-in user, or the batch's OS user
  role        text not null,
  channel     text not null check (channel in ('api', 'batch')),
  customer_id text not null,                  -- the account number asked for, as given
  found       boolean not null                -- false: unknown, or outside the user's regions
);

create index customer_lookup_at on ops.customer_lookup (at);
