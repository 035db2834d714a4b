-- Hour-of-day kWh per customer × month × day type, from the sub-daily days of
-- rollup.usage_day (sql/rollups/usage_month_daytype.sql); the load profiles'
-- source. day_type: 'workday', or 'weekend_holiday' (core.calendar_day weekend
-- and holiday days).
create table rollup.usage_month_daytype (
  customer_id text not null,
  month       date not null check (extract(day from month) = 1),
  day_type    text not null check (day_type in ('workday', 'weekend_holiday')),
  days        integer not null,                 -- sub-daily days of this type
  kwh         double precision not null,
  kwh_by_hour double precision[] not null,      -- [1..24] = local hours 00..23, summed over the days
  primary key (customer_id, month, day_type)
);
