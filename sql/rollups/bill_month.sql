-- rollup.bill_month for the customer-months in work_customer_month, from core.bill.
-- Each figure lands in the month of its own date (see migration 026).
delete from rollup.bill_month b
using work_customer_month w
where b.customer_id = w.customer_id and b.month = w.month;

insert into rollup.bill_month (customer_id, month, bills, credit_notes, billed_kwh, billed_amount, paid_amount,
                               bills_due, bills_due_paid_late)
select w.customer_id, w.month,
       (count(*) filter (where u.kind = 'billed' and u.amount >= 0))::integer,
       (count(*) filter (where u.kind = 'billed' and u.amount < 0))::integer,
       coalesce(sum(u.kwh) filter (where u.kind = 'billed'), 0),
       coalesce(sum(u.amount) filter (where u.kind = 'billed'), 0),
       coalesce(sum(coalesce(u.paid_amount, u.amount)) filter (where u.kind = 'paid' and u.amount > 0), 0),
       (count(*) filter (where u.kind = 'due' and u.amount > 0))::integer,
       (count(*) filter (where u.kind = 'due' and u.amount > 0 and u.paid_on > u.due_on))::integer
from work_customer_month w
join (
  -- each bill once per date that places it in a month
  select b.customer_id, b.kwh, b.amount, b.paid_amount, b.paid_on, b.due_on, x.kind,
         date_trunc('month', x.d::timestamp)::date as month
  from core.bill b
  cross join lateral (values ('billed', b.period_end), ('paid', b.paid_on), ('due', b.due_on)) x(kind, d)
  cross join (select min(month) as first_month from work_customer_month) f
  where x.d is not null
    -- a night's keys are recent months: skip the bills that cannot fall in them
    and (b.period_end >= f.first_month or b.paid_on >= f.first_month or b.due_on >= f.first_month)
) u on u.customer_id = w.customer_id and u.month = w.month
group by w.customer_id, w.month;
