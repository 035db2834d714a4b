-- The high-bill warning's projection (高额电费预警; rule: docs/metrics.md
-- "High-bill warning", pure twin: etl/domain/high-bill.ts): for every
-- monthly-billed account with readings in the month of the detectors' as-of
-- day, the month's bill projected from the month-to-date under its own
-- tariff, against its usual bill. Into work_high_bill (temp), one row per
-- account judged; flagged marks the warnings.
--
-- Touches only: rollup.usage_month of the as-of month (the month-to-date, one
-- row per account, by the usage_month_month index), rollup.high_bill_base of
-- that month (the usual bill and the year's kWh so far, one row per account,
-- kept by high_bill_base.sql) and core.customer: O(accounts billed monthly),
-- one row of each per account.
--   monthly-billed  exactly one bill (period_end) in each of the
--                   high_bill_usual_bills months before the judged month
--   usual bill      the median of those bills by amount (even count: the lower
--                   middle one), with its kWh; under high_bill_min_usual CNY
--                   the account is not judged (a vacant home coming back)
--   projection      kWh × days in month ÷ days read (judged once days read ≥
--                   high_bill_min_days), split in the month-to-date TOU shares
--                   (a TOU account without sub-daily days: all at the shoulder
--                   price), priced by rollup.bill_amount for a whole month with
--                   the tiers' position = kWh billed earlier this calendar year
--   driver          the larger of kwh_effect = (projected − usual kWh) × the
--                   usual bill's energy price per kWh, and price_effect = the
--                   rest of the energy difference, named higher_tier (tiered)
--                   or more_peak (TOU); otherwise more_kwh
--   flagged         projected > usual × (1 + high_bill_margin) and
--                   projected − usual ≥ high_bill_min_amount
create temp table work_high_bill on commit drop as
with s as (
  select a.high_bill_min_days, a.high_bill_usual_bills, a.high_bill_min_usual, a.high_bill_margin, a.high_bill_min_amount, st.as_of,
         date_trunc('month', st.as_of)::date as ms,
         ((date_trunc('month', st.as_of) + interval '1 month')::date - date_trunc('month', st.as_of)::date) as days_in_month
  from ops.alert_settings a cross join rollup.usage_alert_state st
),
-- MATERIALIZED: rollup.bill_amount's arguments are then plain columns, and the
-- planner inlines the function (with computed arguments it would not: it runs
-- it per row: 25 s instead of 3 s at 100k synthetic accounts, on a loaded machine)
p as materialized (
  select um.customer_id, s.ms as month, s.as_of, um.days as days_read, c.customer_class, c.tariff,
         um.kwh * s.days_in_month / um.days as kwh,
         -- the projection split in the month-to-date TOU shares (no sub-daily days: all shoulder)
         case when t.split > 0 then um.kwh * s.days_in_month / um.days * coalesce(um.kwh_peak, 0) / t.split else 0 end as kwh_peak,
         case when t.split > 0 then um.kwh * s.days_in_month / um.days * coalesce(um.kwh_shoulder, 0) / t.split
              else um.kwh * s.days_in_month / um.days end as kwh_shoulder,
         case when t.split > 0 then um.kwh * s.days_in_month / um.days * coalesce(um.kwh_valley, 0) / t.split else 0 end as kwh_valley,
         c.capacity_kva,
         case when c.customer_class = 'large_industrial' and coalesce(c.capacity_kva, 0) <> 0 then c.capacity_kva * 25 else 0 end as capacity,
         b.usual_amount, b.usual_kwh, b.kwh_before, s.high_bill_margin, s.high_bill_min_amount
  from s
  -- base and month-to-date by the primary key (customer_id, month) of both: one row each per account
  join rollup.high_bill_base b on b.month = s.ms and b.monthly = s.high_bill_usual_bills
         and b.usual_amount > 0 and b.usual_amount >= s.high_bill_min_usual
  join rollup.usage_month um on um.customer_id = b.customer_id and um.month = b.month and um.days >= s.high_bill_min_days
  join core.customer c on c.customer_id = um.customer_id and c.opened_on <= s.ms and (c.closed_on is null or c.closed_on > s.as_of)
  cross join lateral (select coalesce(um.kwh_peak, 0) + coalesce(um.kwh_shoulder, 0) + coalesce(um.kwh_valley, 0) as split) t
),
priced as materialized (
  select p.*,
         rollup.bill_amount(p.customer_class, p.tariff, p.kwh, p.kwh_peak, p.kwh_shoulder, p.kwh_valley, p.kwh_before, p.capacity_kva, 1) as amount,
         case when p.usual_kwh > 0 then (p.usual_amount - p.capacity) / p.usual_kwh else 0 end as unit
  from p
),
judged as (
  select q.*,
         (q.kwh - q.usual_kwh) * q.unit as kwh_effect,
         (q.amount - q.capacity) - q.kwh * q.unit as price_effect,
         round((q.usual_amount * (1 + q.high_bill_margin))::numeric, 2) as threshold
  from priced q
)
select j.customer_id, j.month, j.as_of, j.days_read, j.customer_class, j.tariff, j.kwh as projected_kwh, j.amount as projected_amount,
       j.usual_kwh, j.usual_amount, j.threshold, j.kwh_before, j.kwh_effect::double precision as kwh_effect,
       j.price_effect::double precision as price_effect,
       case when j.usual_kwh > 0 and j.price_effect > j.kwh_effect and j.tariff = 'tiered' then 'higher_tier'
            when j.usual_kwh > 0 and j.price_effect > j.kwh_effect and j.tariff = 'tou'
                 and j.customer_class in ('large_industrial', 'commercial') then 'more_peak'
            else 'more_kwh' end as driver,
       case when j.amount >= 2 * j.threshold then 3 when j.amount >= 1.3 * j.threshold then 2 else 1 end as severity,
       j.amount > j.threshold and j.amount - j.usual_amount >= j.high_bill_min_amount as flagged
from judged j;
