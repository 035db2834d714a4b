-- Incremental refresh: take the keys the ingest left in rollup.pending_* (and
-- empty those tables: DELETE … RETURNING takes exactly the rows this snapshot
-- sees, so keys added by a concurrent load stay for the next refresh).
--
-- work_usage_range: per customer, runs of consecutive pending days as
--   [day_from, day_to) — a month file's 31 days become one index range scan.
-- work_customer_month: customer-months to recompute: the pending months (bills)
--   and the months of the pending days (usage).
create temp table work_pending_day (customer_id text not null, day date not null) on commit drop;
create temp table work_usage_range (customer_id text not null, day_from date not null, day_to date not null) on commit drop;
create temp table work_customer_month (customer_id text not null, month date not null, primary key (customer_id, month)) on commit drop;

-- Only known customers, as a full rebuild (keys_full.sql); the ingest rejects
-- readings of unknown ones anyway.
with taken as (delete from rollup.pending_usage_day returning customer_id, day)
insert into work_pending_day
select distinct t.customer_id, t.day from taken t join core.customer c on c.customer_id = t.customer_id;

insert into work_usage_range (customer_id, day_from, day_to)
select customer_id, min(day), max(day) + 1
from (select customer_id, day, day - (row_number() over (partition by customer_id order by day))::integer as island
      from work_pending_day) d
group by customer_id, island;

with taken as (delete from rollup.pending_customer_month returning customer_id, month)
insert into work_customer_month
select customer_id, month from taken
union
select customer_id, date_trunc('month', day::timestamp)::date from work_pending_day;
