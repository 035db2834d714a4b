-- The only place for customers' personal data (contract: name, phone, address).
-- Kept apart from core.customer so marts and extracts, which never read this
-- table, cannot carry personal data by accident. Rows exist only for customers
-- whose files supplied any of these fields.
create table core.customer_pii (
  customer_id text primary key references core.customer (customer_id),
  name        text,
  phone       text,
  address     text,
  run_id      bigint,
  updated_at  timestamptz not null default now()
);
