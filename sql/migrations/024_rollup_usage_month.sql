-- Per customer × month usage, from rollup.usage_day (sql/rollups/usage_month.sql).
-- month is the first day of the local month.
create table rollup.usage_month (
  customer_id            text not null,
  month                  date not null check (extract(day from month) = 1),
  kwh                    double precision not null,
  kwh_peak               double precision,       -- sums over sub-daily days only
  kwh_shoulder           double precision,
  kwh_valley             double precision,
  interval_kwh           double precision,       -- kWh of the sub-daily days (the TOU split's total)
  days                   integer not null,       -- days with readings
  interval_days          integer not null,       -- of which with sub-daily readings
  readings               integer not null,
  estimated_readings     integer not null,
  max_kw                 double precision,       -- max demand, sub-daily days only
  peak_valley_rate       double precision,       -- mean of the days' peak-valley difference rates
  first_day              date not null,
  last_day               date not null,
  primary key (customer_id, month)
);

create index usage_month_month on rollup.usage_month (month);
