-- Usage keys touched by the ingest, as runs of days: [day_from, day_to) per
-- customer, for the incremental rollups (sql/rollups/keys_incremental.sql).
-- A month file of 100,000 customers leaves ~100,000 ranges instead of 3.1M
-- day keys. No key: ranges may repeat or overlap; the rollup merges them.
-- rollup.pending_usage_day (016) stays for single days (hand corrections).
create table rollup.pending_usage_range (
  customer_id text not null,
  day_from    date not null,
  day_to      date not null check (day_to > day_from)
);
