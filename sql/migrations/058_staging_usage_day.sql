-- Staging for usage day rows (replaces the per-reading staging.usage): the
-- rows of one file that cannot go straight into core.usage_day (they may meet
-- stored rows, or the file is not in key order). Same arrays as
-- core.usage_day; `chunk` orders rows of the same key that the loader emitted
-- in parts (a file not in key order), later chunk wins per offset.
drop table staging.usage;

create unlogged table staging.usage_day (
  chunk            integer not null,
  customer_id      text not null,
  day              date not null,
  interval_minutes smallint not null,
  offset_ms        integer[] not null,
  kwh              double precision[] not null,
  estimated        boolean[]
);
