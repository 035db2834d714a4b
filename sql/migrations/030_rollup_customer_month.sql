-- One row per customer × month of rollup.month_window in which the account was
-- open, with that month's attributes, segment and band, usage, billing and
-- arrears: the base of every aggregate mart. Rebuilt by every rollup refresh
-- (sql/rollups/customer_month.sql) from the incremental rollups and core:
-- its segment depends on a trailing 12 months, its attributes on the history,
-- its arrears on later payments and the threshold on ops.mart_settings, none
-- of which the pending keys track. Formulas: sql/rollups/customer_month.sql.
create table rollup.customer_month (
  customer_id      text not null,
  month            date not null check (extract(day from month) = 1),
  segment          text not null,
  customer_class   text not null,
  region           text not null,
  tariff           text not null,
  contract_type    text not null,
  contract_end     date,
  green_plan       boolean not null,
  opened_on        date not null,
  closed_on        date,
  opened_in_month  boolean not null,
  closed_in_month  boolean not null,
  annual_kwh       double precision,
  band             text not null,
  kwh              double precision,
  kwh_peak         double precision,
  kwh_shoulder     double precision,
  kwh_valley       double precision,
  interval_kwh     double precision,
  days             integer,
  interval_days    integer,
  max_kw           double precision,
  peak_valley_rate double precision,
  load_factor      double precision,
  bills            integer,
  billed_kwh       double precision,
  billed_amount    double precision,
  receivable       double precision,
  arrears          double precision,
  primary key (customer_id, month)
);

create index customer_month_month on rollup.customer_month (month);
