-- INSTEAD OF trigger that makes core.usage_reading writable: INSERT, UPDATE
-- and DELETE of single readings become edits of their core.usage_day row.
-- One statement per reading: meant for fixtures and hand corrections, not
-- loads (the ingest COPYs whole day rows). An INSERT of an existing key
-- replaces that reading (the contract's later-wins). The first write sets the
-- bucketing zone from ops.mart_settings when none is stored yet. Rows written
-- this way are not added to the rollups' pending keys; they do advance
-- core.usage_extent, the ingest's hint.
create function core.usage_reading_write() returns trigger
language plpgsql as $$
declare
  zone text;
  d date;
  off integer;
begin
  select time_zone into zone from core.usage_time_zone;
  if zone is null then
    select time_zone into zone from ops.mart_settings;
    insert into core.usage_time_zone (time_zone) values (zone);
  end if;

  if tg_op in ('UPDATE', 'DELETE') then
    d := (old.reading_start at time zone zone)::date;
    off := (extract(epoch from old.reading_start - (d::timestamp at time zone zone)) * 1000)::integer;
    delete from core.usage_day t
     where t.customer_id = old.customer_id and t.day = d and t.interval_minutes = old.interval_minutes
       and t.offset_ms = array[off];
    update core.usage_day t
       set (offset_ms, kwh, estimated) = (
             select array_agg(u.o order by u.o), array_agg(u.k order by u.o),
                    case when bool_or(u.e) then array_agg(coalesce(u.e, false) order by u.o) end
               from unnest(t.offset_ms, t.kwh, t.estimated) u(o, k, e)
              where u.o <> off)
     where t.customer_id = old.customer_id and t.day = d and t.interval_minutes = old.interval_minutes
       and off = any (t.offset_ms);
  end if;

  if tg_op in ('INSERT', 'UPDATE') then
    d := (new.reading_start at time zone zone)::date;
    off := (extract(epoch from new.reading_start - (d::timestamp at time zone zone)) * 1000)::integer;
    update core.usage_day t
       set (offset_ms, kwh, estimated) = (
             select m.offset_ms, m.kwh, m.estimated
               from core.overlay_readings(t.offset_ms, t.kwh, t.estimated, array[off], array[new.kwh],
                                          array[coalesce(new.quality, 'actual') = 'estimated']) m)
     where t.customer_id = new.customer_id and t.day = d and t.interval_minutes = new.interval_minutes;
    if not found then
      insert into core.usage_day (customer_id, day, interval_minutes, offset_ms, kwh, estimated)
      values (new.customer_id, d, new.interval_minutes, array[off], array[new.kwh],
              case when coalesce(new.quality, 'actual') = 'estimated' then array[true] end);
    end if;
    insert into core.usage_extent as x (customer_id, last_day) values (new.customer_id, d)
    on conflict (customer_id) do update set last_day = excluded.last_day where x.last_day < excluded.last_day;
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end;
$$;

create trigger usage_reading_write
instead of insert or update or delete on core.usage_reading
for each row execute function core.usage_reading_write();
