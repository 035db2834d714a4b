-- rollup.high_bill_base for the month of the detectors' as-of day (migration
-- 088): every account with a bill in the window when the month has no base yet
-- (or the settings' usual_bills changed); otherwise only the accounts whose
-- bills of earlier months tonight's files changed (work_customer_month, from
-- the rollup refresh). Reads rollup.bill_month of the months before the judged
-- one in its calendar year or the usual-bill window.
create temp table work_high_bill_month on commit drop as
select st.as_of,
       date_trunc('month', st.as_of)::date as ms,
       (date_trunc('month', st.as_of) - make_interval(months => a.high_bill_usual_bills))::date as usual_from,
       date_trunc('year', st.as_of)::date as year_from,
       a.high_bill_usual_bills as usual_bills,
       not exists (select 1 from rollup.high_bill_base b
                   where b.month = date_trunc('month', st.as_of)::date and b.usual_bills = a.high_bill_usual_bills) as all_accounts
from ops.alert_settings a cross join rollup.usage_alert_state st;

delete from rollup.high_bill_base b
using work_high_bill_month s
where b.month <> s.ms or s.all_accounts;

create temp table work_high_bill_keys on commit drop as
select distinct w.customer_id
from work_customer_month w cross join work_high_bill_month s
where not s.all_accounts and w.month >= least(s.year_from, s.usual_from) and w.month < s.ms;

-- temp tables are never auto-analysed: without it the planner scans every bill for a few keys
analyze work_high_bill_month;
analyze work_high_bill_keys;

delete from rollup.high_bill_base b using work_high_bill_keys k where b.customer_id = k.customer_id;

insert into rollup.high_bill_base (customer_id, month, usual_bills, monthly, usual_amount, usual_kwh, kwh_before)
select bm.customer_id, s.ms, s.usual_bills,
       count(*) filter (where bm.month >= s.usual_from and bm.bills = 1),
       (array_agg(bm.billed_amount order by bm.billed_amount, bm.month) filter (where bm.month >= s.usual_from and bm.bills = 1))[(s.usual_bills + 1) / 2],
       (array_agg(bm.billed_kwh order by bm.billed_amount, bm.month) filter (where bm.month >= s.usual_from and bm.bills = 1))[(s.usual_bills + 1) / 2],
       coalesce(sum(bm.billed_kwh) filter (where bm.month >= s.year_from), 0)
from work_high_bill_month s
join rollup.bill_month bm on bm.month >= least(s.year_from, s.usual_from) and bm.month < s.ms
where s.all_accounts
group by bm.customer_id, s.ms, s.usual_bills
union all
select k.customer_id, s.ms, s.usual_bills,
       count(*) filter (where bm.month >= s.usual_from and bm.bills = 1),
       (array_agg(bm.billed_amount order by bm.billed_amount, bm.month) filter (where bm.month >= s.usual_from and bm.bills = 1))[(s.usual_bills + 1) / 2],
       (array_agg(bm.billed_kwh order by bm.billed_amount, bm.month) filter (where bm.month >= s.usual_from and bm.bills = 1))[(s.usual_bills + 1) / 2],
       coalesce(sum(bm.billed_kwh) filter (where bm.month >= s.year_from), 0)
from work_high_bill_keys k
cross join work_high_bill_month s
-- one primary-key range scan per account (OFFSET 0: else the planner merge-joins every bill)
cross join lateral (
  select * from rollup.bill_month x
  where x.customer_id = k.customer_id and x.month >= least(s.year_from, s.usual_from) and x.month < s.ms
  offset 0
) bm
group by k.customer_id, s.ms, s.usual_bills;
