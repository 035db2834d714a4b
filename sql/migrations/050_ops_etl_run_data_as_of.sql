-- The latest local day with meter data when the run finished: what the
-- extracts' "data as of" says. Kept per run so it never goes backwards.
alter table ops.etl_run add column data_as_of date;
