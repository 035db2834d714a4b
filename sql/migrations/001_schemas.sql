-- The warehouse layers (docs: design.md "Data flows one way"):
--   staging  typed copies of one run's input files (COPY target, truncated per run)
--   core     the warehouse of record: one row per business key, upserted by key
--   rollup   incremental aggregates (customer × day / month)
--   mart     views the extracts read; never personal data
--   ops      the ETL's own bookkeeping: runs, files, rejected rows
create schema if not exists staging;
create schema if not exists core;
create schema if not exists rollup;
create schema if not exists mart;
create schema if not exists ops;
