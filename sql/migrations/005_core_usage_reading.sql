-- Meter readings (contract: usage, key customer_id + reading_start + interval_minutes).
-- 15/30/60-minute interval reads and 1440-minute daily frozen reads share one table;
-- hour-of-day analysis uses the sub-daily ones only. This is the largest table,
-- so it carries no bookkeeping columns.
create table core.usage_reading (
  -- The contract requires a known customer here (and only here).
  customer_id      text not null references core.customer (customer_id),
  reading_start    timestamptz not null,
  interval_minutes smallint not null check (interval_minutes in (15, 30, 60, 1440)),
  -- kwh < 'Infinity' also rejects NaN, which PostgreSQL sorts above every number
  -- (so NaN >= 0 would pass on its own).
  kwh              double precision not null check (kwh >= 0 and kwh < 'Infinity'),
  quality          text not null default 'actual' check (quality in ('actual', 'estimated')),
  primary key (customer_id, reading_start, interval_minutes)
);
