-- Full rebuild, after usage_day: every customer-month with usage or a bill date.
insert into work_customer_month (customer_id, month)
select distinct customer_id, date_trunc('month', day::timestamp)::date from rollup.usage_day
union
select distinct b.customer_id, date_trunc('month', m.d::timestamp)::date
from core.bill b
cross join lateral (values (b.period_end), (b.due_on), (b.paid_on)) m(d)
where m.d is not null;
