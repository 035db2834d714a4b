-- The detectors' own copy of each customer's latest days (sql/alerts/recent.sql):
-- one row per customer, the days [first_day, as_of at its last refresh] as
-- parallel arrays, element i = day first_day + i − 1, null where the day has
-- no reading. Why: a night judges every customer against the weeks before its
-- new day, and reading those weeks from rollup.usage_day costs a cold
-- primary-key probe into a ~300-byte-wide, 22 GB table per customer (≈ 31 s of
-- a night at 100,000 customers, docs/performance.md); these rows are ~1 KB each,
-- ~100 MB in all, read in one pass. A cache, not a source: rollup.alert_usage()
-- falls back to rollup.usage_day for any day before first_day, and a full
-- rebuild empties it.
-- UNLOGGED: rewritten every night (~100 MB), and nothing is lost when a crash
-- empties it: recent.sql seeds every customer from rollup.usage_day when it
-- finds the table empty, so writing it to the WAL would only cost time.
create unlogged table rollup.usage_recent (
  customer_id text primary key,
  first_day   date not null,
  kwh         double precision[] not null,  -- rollup.usage_day.kwh
  night_kwh   double precision[] not null,  -- kWh of local hours 00–05; null on a daily-read day
  flat_hours  boolean[] not null            -- every hour the same kWh (peak_valley_rate = 0); null on a daily-read day
);
