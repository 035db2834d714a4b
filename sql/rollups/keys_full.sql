-- Full rebuild: every key is pending. The rollup tables and the pending lists
-- are emptied, and the work tables cover every customer over all time; the
-- object SQL that follows is the same as for an incremental refresh.
truncate rollup.usage_day, rollup.usage_month, rollup.usage_month_daytype, rollup.bill_month;
delete from rollup.pending_usage_day;
delete from rollup.pending_usage_range;
delete from rollup.pending_customer_month;

create temp table work_usage_range (customer_id text not null, day_from date not null, day_to date not null) on commit drop;
create temp table work_customer_month (customer_id text not null, month date not null, primary key (customer_id, month)) on commit drop;

insert into work_usage_range (customer_id, day_from, day_to)
select customer_id, '-infinity'::date, 'infinity'::date from core.customer;
