-- rollup.receivable_month, recomputed from work_snapshot_from.month on (earlier
-- months kept; see snapshot_from.sql): per customer × month of rollup.month_window,
-- what the customer owed at the month's last day E, from core.bill. Only
-- bills with amount > 0 (credit notes are settled at once).
--   outstanding(bill, E) = amount                      if issued_on ≤ E and not paid by E
--                        = amount − paid_amount        if paid by E but partly (the remainder)
--   receivable = Σ outstanding of bills issued by E           (应收账款)
--   arrears    = Σ outstanding of bills with due_on < E       (欠费: overdue and unpaid)
-- A bill with paid_on but no paid_amount counts as paid in full.
-- Rows only for customer-months with something outstanding.
delete from rollup.receivable_month where month >= (select month from work_snapshot_from);

insert into rollup.receivable_month (customer_id, month, receivable, arrears)
with w as (select min(month) as first_month, max(month) as last_month from rollup.month_window),
spans as (
  -- the full amount is open from the month of issue to the month before payment
  select b.customer_id, b.amount::double precision as open_amount, b.due_on,
         date_trunc('month', b.issued_on::timestamp) as from_month,
         coalesce(date_trunc('month', b.paid_on::timestamp) - interval '1 month', w.last_month::timestamp) as to_month
  from core.bill b cross join w
  where b.amount > 0
    -- a bill paid before the first recomputed month is open in no month from it on
    and (b.paid_on is null or b.paid_on >= (select month from work_snapshot_from))
  union all
  -- a partial payment leaves the remainder open from the month of payment on
  select b.customer_id, (b.amount - b.paid_amount)::double precision, b.due_on,
         date_trunc('month', b.paid_on::timestamp), w.last_month::timestamp
  from core.bill b cross join w
  where b.amount > 0 and b.paid_on is not null and b.paid_amount < b.amount
)
select s.customer_id, m.month,
       sum(s.open_amount) as receivable,
       coalesce(sum(s.open_amount) filter (where s.due_on < m.month_end), 0) as arrears
from spans s
cross join lateral generate_series(greatest(s.from_month, (select first_month from w)::timestamp, (select month from work_snapshot_from)::timestamp), s.to_month, interval '1 month') g
join rollup.month_window m on m.month = g::date
group by s.customer_id, m.month;
