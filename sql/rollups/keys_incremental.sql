-- Incremental refresh: take the keys the ingest left in rollup.pending_* (and
-- empty those tables: DELETE … RETURNING takes exactly the rows this snapshot
-- sees, so keys added by a concurrent load stay for the next refresh).
--
-- work_usage_range: per customer, the pending day ranges (the ingest's
--   rollup.pending_usage_range and single days of rollup.pending_usage_day)
--   merged where they overlap or touch, as [day_from, day_to) — a month file's
--   31 days become one index range scan.
-- work_customer_month: customer-months to recompute: the pending months (bills)
--   and every month a pending day range covers (usage).
create temp table work_usage_range (customer_id text not null, day_from date not null, day_to date not null) on commit drop;
create temp table work_customer_month (customer_id text not null, month date not null, primary key (customer_id, month)) on commit drop;

-- Only known customers, as a full rebuild (keys_full.sql); the ingest rejects
-- readings of unknown ones anyway.
with taken_range as (delete from rollup.pending_usage_range returning customer_id, day_from, day_to),
taken_day as (delete from rollup.pending_usage_day returning customer_id, day),
ranges as (
  select r.customer_id, r.day_from, r.day_to
  from (select customer_id, day_from, day_to from taken_range
        union all
        select customer_id, day, day + 1 from taken_day) r
  join core.customer c on c.customer_id = r.customer_id
),
marked as (
  -- a range starts a new island unless an earlier range (in day_from order) reaches it
  select customer_id, day_from, day_to,
         case when day_from <= max(day_to) over (partition by customer_id order by day_from, day_to
                                                 rows between unbounded preceding and 1 preceding)
              then 0 else 1 end as starts_island
  from ranges
),
islands as (
  select customer_id, day_from, day_to,
         sum(starts_island) over (partition by customer_id order by day_from, day_to rows unbounded preceding) as island
  from marked
)
insert into work_usage_range (customer_id, day_from, day_to)
select customer_id, min(day_from), max(day_to)
from islands
group by customer_id, island;

with taken as (delete from rollup.pending_customer_month returning customer_id, month)
insert into work_customer_month
select customer_id, month from taken
union
select w.customer_id, m.month::date
from work_usage_range w
cross join lateral generate_series(date_trunc('month', w.day_from::timestamp), date_trunc('month', (w.day_to - 1)::timestamp), interval '1 month') m(month);
