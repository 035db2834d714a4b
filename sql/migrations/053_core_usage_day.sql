-- Meter readings (contract: usage, key customer_id + reading_start +
-- interval_minutes), stored as one row per customer × local day × interval
-- with the day's readings in parallel arrays.
--
-- Why arrays and not a row per reading: the readings are the bulk of the
-- warehouse (≈ 260M at 100k customers × 24 months). A row per reading costs a
-- 24-byte tuple header, a 40-byte primary-key entry and one B-tree insertion
-- per reading; the ingest measured 11 % of plain COPY's rate and 150 bytes per
-- reading that way. A day row packs 1–96 readings behind one header and one
-- key (docs/decisions.md, "Readings stored per customer-day").
--
-- offset_ms[i] is the reading's start in milliseconds after the first instant
-- of `day` (local midnight in core.usage_time_zone), so a reading can start at
-- any millisecond and DST days (23 or 25 hours) need no special case.
-- Arrays are sorted by offset_ms and hold each offset once. estimated is null
-- when every reading of the row is actual. The per-reading relational view is
-- core.usage_reading.
create table core.usage_day (
  customer_id      text not null,
  day              date not null,
  interval_minutes smallint not null check (interval_minutes in (15, 30, 60, 1440)),
  offset_ms        integer[] not null,
  kwh              double precision[] not null,
  estimated        boolean[],
  primary key (customer_id, day, interval_minutes),
  constraint usage_day_arrays_check check (cardinality(offset_ms) > 0 and cardinality(kwh) = cardinality(offset_ms)
         and (estimated is null or cardinality(estimated) = cardinality(offset_ms))),
  -- 'Infinity' > all also rejects NaN, which PostgreSQL sorts above every number.
  constraint usage_day_kwh_check check (0 <= all (kwh) and 'Infinity' > all (kwh))
);

-- Carry over the readings of a warehouse created before this migration.
insert into core.usage_time_zone (time_zone)
select time_zone from ops.mart_settings
where exists (select 1 from core.usage_reading);

insert into core.usage_day (customer_id, day, interval_minutes, offset_ms, kwh, estimated)
select customer_id, day, interval_minutes,
       array_agg(offset_ms order by offset_ms), array_agg(kwh order by offset_ms),
       case when bool_or(quality = 'estimated') then array_agg(quality = 'estimated' order by offset_ms) end
from (
  select r.customer_id, d.day, r.interval_minutes, r.kwh, r.quality,
         (extract(epoch from r.reading_start - (d.day::timestamp at time zone z.time_zone)) * 1000)::integer as offset_ms
  from core.usage_reading r
  cross join core.usage_time_zone z
  cross join lateral (select (r.reading_start at time zone z.time_zone)::date as day) d
) r
group by customer_id, day, interval_minutes;

drop table core.usage_reading;
