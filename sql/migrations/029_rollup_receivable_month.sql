-- What each customer owed at each month end of rollup.month_window, rebuilt
-- by every rollup refresh from core.bill (sql/rollups/receivable_month.sql):
-- a later payment changes the past months' figures, so this is a snapshot,
-- not an incremental rollup. Rows only where something was outstanding.
create table rollup.receivable_month (
  customer_id text not null,
  month       date not null check (extract(day from month) = 1),
  receivable  double precision not null,   -- issued by the month end, not paid by then
  arrears     double precision not null,   -- of that, past its due date
  primary key (customer_id, month)
);
