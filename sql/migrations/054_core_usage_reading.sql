-- One row per meter reading, as the contract states it: the relational face
-- of core.usage_day for analysts, tests and hand corrections (writable through
-- core.usage_reading_write, migration 056). The ETL itself reads and writes
-- core.usage_day.
create view core.usage_reading as
select d.customer_id,
       (d.day::timestamp at time zone z.time_zone) + u.offset_ms * interval '1 millisecond' as reading_start,
       d.interval_minutes,
       u.kwh,
       case when u.estimated then 'estimated' else 'actual' end as quality
from core.usage_day d
cross join core.usage_time_zone z
cross join lateral unnest(d.offset_ms, d.kwh, d.estimated) as u (offset_ms, kwh, estimated);
