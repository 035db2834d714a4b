-- Keys touched by the ingest, for the incremental rollups (design.md: a nightly
-- run recomputes only the customers and dates the new files touch). The ingest
-- adds keys in the same transaction as the rows that touched them; the rollup
-- step reads them, recomputes those keys and deletes what it consumed.
--
-- pending_usage_day: one row per (customer, day in the utility's time zone)
-- with a usage reading inserted or changed.
-- pending_customer_month: one row per (customer, first day of month) of a bill
-- inserted or changed: the months of its period_start, period_end, issued_on,
-- due_on and paid_on, for both the new row and the row it replaced (a
-- correction can move a bill to another customer or month).
create table rollup.pending_usage_day (
  customer_id text not null,
  day         date not null,
  primary key (customer_id, day)
);

create table rollup.pending_customer_month (
  customer_id text not null,
  month       date not null check (extract(day from month) = 1),
  primary key (customer_id, month)
);
