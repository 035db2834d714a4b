-- Current attributes of each customer account (contract: customers, key customer_id).
-- Personal data (name, phone, address) is NOT here: it lives only in core.customer_pii,
-- so a mart that reads core.customer cannot leak it by accident.
--
-- Enumerations are text + CHECK rather than PostgreSQL enum types: a CHECK can be
-- replaced in one later migration, an enum type cannot drop or rename values.
-- Values are stored in the contract's canonical English spelling (ingest maps the
-- Chinese labels and letter case).
create table core.customer (
  customer_id       text primary key check (char_length(customer_id) between 1 and 32),
  -- Pseudonymous integer key: the only customer identifier extracts may carry
  -- (design.md: extracts hold no personal data, use pseudonymous integer keys).
  customer_key      integer generated always as identity unique,
  customer_class    text not null
                    check (customer_class in ('large_industrial', 'commercial', 'residential', 'agricultural')),
  region            text not null check (region <> ''),
  tariff            text not null check (tariff in ('flat', 'tiered', 'tou')),
  voltage_kv        double precision,
  capacity_kva      double precision,
  contract_type     text not null default 'standard' check (contract_type in ('standard', 'long_term')),
  contract_end      date,
  green_plan        boolean not null default false,
  preferred_channel text check (preferred_channel in ('hotline', 'app', 'web', 'wechat', 'sms', 'email', 'counter')),
  opened_on         date not null,
  closed_on         date,
  -- Which ETL run last wrote the row (ops.etl_run.id; no FK so loads stay cheap).
  run_id            bigint,
  updated_at        timestamptz not null default now()
);
