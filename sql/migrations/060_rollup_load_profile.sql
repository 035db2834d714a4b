-- Hour-of-day load per month × segment × day type × hour: the body of
-- mart.load_profile, kept as a table because recomputing it from every
-- customer-month of rollup.usage_month_daytype took ~8 s of each night at
-- 100k customers × 24 months, while a night changes one or two months.
-- Refreshed with the snapshot tables, from work_snapshot_from's month on
-- (sql/rollups/load_profile.sql): a month's rows depend on its
-- usage_month_daytype rows (months of work_customer_month, which snapshot_from
-- covers) and the segment of its customer_month rows (recomputed from that
-- month on).
create table rollup.load_profile (
  month            date not null check (extract(day from month) = 1),
  segment          text not null,
  day_type         text not null check (day_type in ('workday', 'weekend_holiday')),
  hour             integer not null check (hour between 0 and 23),
  customers        integer not null,            -- accounts with sub-daily days of this type
  customer_days    integer not null,            -- Σ their days of this type
  kwh              double precision not null,   -- Σ kWh in this hour
  top_customer_kwh double precision not null,   -- the largest single account's kWh in this hour
  primary key (month, segment, day_type, hour)
);

-- The refresh reads one month of the day-type rollup.
create index usage_month_daytype_month on rollup.usage_month_daytype (month);

-- A warehouse that already has rollups gets the new table filled by its next
-- refresh: forgetting the last refresh makes that one recompute every
-- snapshot month (sql/rollups/snapshot_from.sql), load_profile included.
delete from rollup.refresh_state;
