-- rollup.customer_month, recomputed from work_snapshot_from.month on (earlier
-- months kept; see snapshot_from.sql): one row per customer × month of
-- rollup.month_window in which the account was open (opened_on ≤ month end and
-- closed_on, if any, ≥ the month's first day), with THAT month's attributes,
-- segment, band, usage, billing and arrears. Run after the usage and bill
-- rollups, month_window and receivable_month.
--
-- Attributes: the core.customer_history version in force at the month's end;
-- if the history ends within the month, the last version that started by then;
-- if none started by then, the earliest version; no history at all → the
-- current core.customer row. So a tariff change on 15 March shows from March.
--
-- annual_kwh (the size used for segment and band) = kWh of the 12 months
-- ending with this month ÷ days with readings in them × 365: annualised, so a
-- new account is sized by what it used so far. Null when no readings yet.
--
-- segment: customer_class, except that commercial customers with annual_kwh
-- under ops.mart_settings.sme_threshold_kwh (T) are 'sme' (no readings yet →
-- 'commercial').
--
-- band (consumption band within segment, by annual_kwh; 'unknown' when null):
--   residential       low ≤ 2,760 < medium ≤ 4,800 < high   (the tariff tiers)
--   sme               low < 0.2 T ≤ medium < 0.5 T ≤ high   (10,000 / 25,000 at T = 50,000)
--   commercial        low < 200,000 ≤ medium < 1,000,000 ≤ high
--   large_industrial  low < 500,000 ≤ medium < 2,000,000 ≤ high
--   agricultural      low < 5,000 ≤ medium < 20,000 ≤ high
--
-- load_factor 负荷率 = average demand ÷ max demand over the month's
-- sub-daily-metered days = (interval_kwh ÷ (interval_days × 24 h)) ÷ max_kw;
-- null for daily-read months.
--
-- bills, billed_kwh, billed_amount: rollup.bill_month of the month (null: none);
-- receivable, arrears: rollup.receivable_month at the month end (null: nothing owed).
delete from rollup.customer_month where month >= (select month from work_snapshot_from);

insert into rollup.customer_month (
  customer_id, month, segment, customer_class, region, tariff, contract_type, contract_end, green_plan, opened_on, closed_on,
  opened_in_month, closed_in_month, annual_kwh, band, kwh, kwh_peak, kwh_shoulder, kwh_valley, interval_kwh, days,
  interval_days, max_kw, peak_valley_rate, load_factor, bills, billed_kwh, billed_amount, receivable, arrears)
with active as (
  select c.customer_id, m.month, m.month_end, c.opened_on, c.closed_on,
         c.customer_class, c.region, c.tariff, c.contract_type, c.contract_end, c.green_plan
  from core.customer c
  join rollup.month_window m on c.opened_on <= m.month_end and (c.closed_on is null or c.closed_on >= m.month)
    and m.month >= (select month from work_snapshot_from)
),
attrs as (
  select distinct on (a.customer_id, a.month)
         a.customer_id, a.month, a.opened_on, a.closed_on,
         case when h.customer_id is null then a.customer_class else h.customer_class end as customer_class,
         case when h.customer_id is null then a.region else h.region end as region,
         case when h.customer_id is null then a.tariff else h.tariff end as tariff,
         case when h.customer_id is null then a.contract_type else h.contract_type end as contract_type,
         case when h.customer_id is null then a.contract_end else h.contract_end end as contract_end,
         case when h.customer_id is null then a.green_plan else h.green_plan end as green_plan
  from active a
  left join core.customer_history h on h.customer_id = a.customer_id
  order by a.customer_id, a.month,
           (h.valid_from <= a.month_end) desc,
           case when h.valid_from <= a.month_end then h.valid_from end desc,
           h.valid_from
),
usage as (
  select t.*, u.kwh, u.kwh_peak, u.kwh_shoulder, u.kwh_valley, u.interval_kwh, u.days, u.interval_days,
         u.max_kw, u.peak_valley_rate, y.kwh_12m, y.days_12m
  from attrs t
  left join rollup.usage_month u on u.customer_id = t.customer_id and u.month = t.month
    -- redundant with the join, but lets the planner skip the months before the snapshot
    and u.month >= (select month from work_snapshot_from)
  -- the trailing 12 months in which the account was open (it is open in
  -- t.month, so open in every earlier month from its opening month on)
  left join lateral (
    select sum(p.kwh) as kwh_12m, sum(p.days) as days_12m
    from rollup.usage_month p
    where p.customer_id = t.customer_id
      and p.month <= t.month and p.month >= t.month - interval '11 months'
      and p.month >= date_trunc('month', t.opened_on::timestamp)
  ) y on true
),
sized as (
  select usage.*,
         usage.kwh_12m / nullif(usage.days_12m, 0) * 365 as annual_kwh
  from usage
),
segmented as (
  select sized.*,
         case when sized.customer_class = 'commercial' and sized.annual_kwh < t.sme_threshold_kwh then 'sme'
              else sized.customer_class end as segment,
         t.sme_threshold_kwh
  from sized
  cross join (select (select sme_threshold_kwh from ops.mart_settings) as sme_threshold_kwh) t
)
select g.customer_id, g.month, segment, customer_class, region, tariff, contract_type, contract_end, green_plan,
       opened_on, closed_on,
       (opened_on >= g.month) as opened_in_month,
       (closed_on is not null and closed_on < (g.month + interval '1 month')::date) as closed_in_month,
       annual_kwh,
       case
         when annual_kwh is null then 'unknown'
         when segment = 'residential' then
           case when annual_kwh <= 2760 then 'low' when annual_kwh <= 4800 then 'medium' else 'high' end
         when segment = 'sme' then
           case when annual_kwh < 0.2 * sme_threshold_kwh then 'low' when annual_kwh < 0.5 * sme_threshold_kwh then 'medium' else 'high' end
         when segment = 'commercial' then
           case when annual_kwh < 200000 then 'low' when annual_kwh < 1000000 then 'medium' else 'high' end
         when segment = 'large_industrial' then
           case when annual_kwh < 500000 then 'low' when annual_kwh < 2000000 then 'medium' else 'high' end
         else
           case when annual_kwh < 5000 then 'low' when annual_kwh < 20000 then 'medium' else 'high' end
       end as band,
       kwh, kwh_peak, kwh_shoulder, kwh_valley, interval_kwh, days, interval_days, max_kw, peak_valley_rate,
       -- load factor = average demand ÷ max demand (sub-daily days)
       (interval_kwh / nullif(interval_days * 24.0, 0)) / nullif(max_kw, 0) as load_factor,
       b.bills,
       b.billed_kwh, b.billed_amount::double precision, r.receivable, r.arrears
from segmented g
left join rollup.bill_month b on b.customer_id = g.customer_id and b.month = g.month
  and b.month >= (select month from work_snapshot_from)
left join rollup.receivable_month r on r.customer_id = g.customer_id and r.month = g.month
  and r.month >= (select month from work_snapshot_from);
