-- Per customer, the last local day with a stored reading, as the ingest last
-- wrote it. A hint, not a rule: the usage loader COPYs a file's day rows
-- straight into core.usage_day while they lie after this day and the file is
-- in key order (etl/ingest/usage-loader.ts); if the hint was stale the
-- primary key refuses the COPY and the file is loaded again through staging.
create table core.usage_extent (
  customer_id text primary key,
  last_day    date not null
);

insert into core.usage_extent (customer_id, last_day)
select customer_id, max(day) from core.usage_day group by customer_id;
