-- The ingest already rejects usage rows of unknown customers (reason
-- unknown_customer) before they reach staging, so this foreign key only
-- re-checks what was checked, one index probe per reading: measured 1.6× slower
-- usage ingest with it (docs/decisions.md, "Ingest"). Dropped for the backfill
-- and nightly rates; the ingest's check is the one rule.
alter table core.usage_reading drop constraint usage_reading_customer_id_fkey;
