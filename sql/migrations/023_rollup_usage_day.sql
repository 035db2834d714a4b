-- Per customer × local day usage, from core.usage_reading (sql/rollups/usage_day.sql).
-- A day uses one kind of reading: the finest sub-daily interval present that
-- day (15 < 30 < 60 min), else the daily (1440) reading(s); so a customer sent
-- both a curve and a daily read for a day is not counted twice.
-- Sub-daily days carry the TOU split, hour-of-day kWh, max demand and the
-- peak-valley difference rate; daily-read days have those null (a daily read
-- says nothing about the hour).
create table rollup.usage_day (
  customer_id        text not null,
  day                date not null,              -- local day (ops.mart_settings.time_zone)
  kwh                double precision not null,
  kwh_peak           double precision,           -- TOU split (rollup.tou_period), sub-daily only
  kwh_shoulder       double precision,
  kwh_valley         double precision,
  interval_minutes   smallint not null,          -- the readings used: 15, 30, 60 or 1440
  readings           integer not null,
  estimated_readings integer not null,
  max_kw             double precision,           -- max over readings of kWh × 60 / interval, sub-daily only
  kwh_by_hour        double precision[],         -- [1..24] = local hours 00..23, sub-daily only
  peak_valley_rate   double precision,           -- (max − min) ÷ max of the hourly kWh, sub-daily only
  primary key (customer_id, day),
  check ((interval_minutes = 1440) = (kwh_by_hour is null))
);
