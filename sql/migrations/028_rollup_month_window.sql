-- The months the marts cover, one row each, rebuilt by every rollup refresh
-- (sql/rollups/month_window.sql): from the first to the last month with
-- usage, billed amounts or payments, tickets or surveys, without gaps.
create table rollup.month_window (
  month         date primary key check (extract(day from month) = 1),
  month_end     date not null,
  days_in_month integer not null,
  -- the latest local day with meter data (else with a ticket, survey or
  -- billing period): "now" for the per-customer mart; the same on every row
  as_of         date not null
);
