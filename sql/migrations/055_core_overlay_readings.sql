-- A day row's readings with another version's laid over them: every reading
-- of `new_*` and the readings of `old_*` at offsets `new_*` lacks, sorted by
-- offset (the contract's later-wins, per reading). Used when a file brings a
-- day row that is already stored (sql: etl/ingest/merge.ts, and the writable
-- view core.usage_reading). Arguments as core.usage_day's columns.
create function core.overlay_readings(
  old_offset_ms integer[], old_kwh double precision[], old_estimated boolean[],
  new_offset_ms integer[], new_kwh double precision[], new_estimated boolean[],
  out offset_ms integer[], out kwh double precision[], out estimated boolean[])
language sql immutable parallel safe as $$
  select array_agg(u.o order by u.o), array_agg(u.k order by u.o),
         case when bool_or(u.e) then array_agg(coalesce(u.e, false) order by u.o) end
  from (select n.o, n.k, n.e from unnest(new_offset_ms, new_kwh, new_estimated) n(o, k, e)
        union all
        select x.o, x.k, x.e from unnest(old_offset_ms, old_kwh, old_estimated) x(o, k, e)
        where x.o <> all (new_offset_ms)) u
$$;
