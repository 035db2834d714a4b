-- mart.customer — one row per account open at any time in the marts' months,
-- under its pseudonymous key (core.customer_pseudonym; accounts without a key
-- are left out). Never the account number, name, phone or address.
--
-- Reference month: the account's last open month in the window (the latest
-- month, or the month it closed). "12m" = the 12 months ending with it. as_of =
-- the latest day with data (rollup.month_window).
--   segment … band, tariff, contract_*, green_plan: attributes of the reference month
--   status              'closed' if closed_on ≤ as_of, else 'active'
--   tenure_months       whole months from opened_on to closed_on (or as_of)
--   kwh_12m, revenue_12m  metered kWh; billed amount (CNY) of bills whose period ends in the 12m
--   annual_kwh          annualised 12-month kWh (as for segments)
--   load_factor         mean of the 12m monthly load factors (sub-daily months)
--   peak_share, valley_share  Σ TOU kWh ÷ Σ kWh of the sub-daily days, 12m
--   seasonality_index   = highest monthly average daily kWh ÷ the 12m average daily kWh
--                         (1 = flat); null with fewer than 6 months of readings
--   late_payment_ratio  bills (amount > 0) due in the 12m before as_of that were paid
--                       after due_on or are still unpaid ÷ such bills due
--   arrears             overdue and unpaid at the end of the latest month (CNY)
--   latest_survey_on, overall … communication, nps: the latest survey response;
--   nps_class           promoter (9–10) | passive (7–8) | detractor (0–6)
--   tickets_12m, complaints_12m, outages_12m (outage reports)
--   need_green          not on a green plan, and a large_industrial/commercial account or
--                       one that responded to a green_plan offer without accepting it
--   need_reliability    ≥ 2 outage reports in the 12m, or latest reliability score ≤ 2
--   need_price          latest price score ≤ 2, or late_payment_ratio ≥ 0.25, or a
--                       flat-tariff business account whose valley_share ≥ peak_share
--                       (TOU would likely lower its bill: valley is ~0.34 CNY/kWh
--                       cheaper and peak ~0.37 dearer than flat, etl/domain/tariffs.ts)
--   churn_risk (0–1, null when closed) = 1 ÷ (1 + e^−z), with
--       z = −3 + 0.6 × min(complaints_12m, 3) + 0.3 × min(outages_12m, 5)
--             + 1.0 × [nps_class = detractor] + 1.5 × late_payment_ratio
--             + 0.8 × [contract_end within 180 days after as_of]
--             + 0.5 × [tenure_months < 12]
--             + 1.0 × [average daily kWh of the last 3 months < 0.7 × the 9 months before]
--     (baseline 0.05; a hand-set score from the churn drivers the business names,
--      not a fitted model)
--   value_tier          within the segment, by revenue_12m: top 20 % 'high', next 30 % 'medium', rest 'low'
--   last_offer_on, last_offer_type, last_offer_responded, last_offer_accepted
--                       the latest offer actually sent to the account (core.campaign_contact,
--                       holdout rows left out: they were never contacted; latest sent_on, then
--                       contact_id); all null when never offered. For the campaign planner's
--                       "past offers" and "exclude recently contacted" filters.
create view mart.customer as
with w as (select max(month) as last_month, max(as_of) as as_of from rollup.month_window),
ref as (
  -- the reference row: a backward primary-key probe per account (a DISTINCT ON
  -- over all customer-months sorted 2.3M rows at 100k customers × 24 months)
  select cm.*
  from core.customer c
  cross join lateral (
    select * from rollup.customer_month x where x.customer_id = c.customer_id order by x.month desc limit 1
  ) cm
),
y as (
  select r.customer_id,
         sum(cm.kwh) as kwh_12m,
         sum(cm.interval_kwh) as interval_kwh_12m,
         sum(cm.kwh_peak) as kwh_peak_12m,
         sum(cm.kwh_valley) as kwh_valley_12m,
         avg(cm.load_factor) as load_factor,
         count(cm.kwh) as usage_months,
         max(cm.kwh / nullif(cm.days, 0)) as max_daily_kwh,
         sum(cm.kwh) / nullif(sum(cm.days), 0) as daily_kwh,
         sum(cm.kwh) filter (where cm.month > r.month - interval '3 months')
           / nullif(sum(cm.days) filter (where cm.month > r.month - interval '3 months'), 0) as daily_kwh_recent,
         sum(cm.kwh) filter (where cm.month <= r.month - interval '3 months')
           / nullif(sum(cm.days) filter (where cm.month <= r.month - interval '3 months'), 0) as daily_kwh_before
  from ref r
  join rollup.customer_month cm on cm.customer_id = r.customer_id and cm.month > r.month - interval '12 months' and cm.month <= r.month
  group by r.customer_id
),
money as (
  select r.customer_id, sum(b.billed_amount)::double precision as revenue_12m
  from ref r
  join rollup.bill_month b on b.customer_id = r.customer_id and b.month > r.month - interval '12 months' and b.month <= r.month
  group by r.customer_id
),
pay as (
  select b.customer_id,
         count(*) as bills_due,
         count(*) filter (where b.paid_on > b.due_on or b.paid_on is null) as bills_late
  from core.bill b cross join w
  where b.amount > 0 and b.due_on < w.as_of and b.due_on >= w.as_of - interval '12 months'
  group by b.customer_id
),
owed as (
  select o.customer_id, o.arrears from rollup.receivable_month o join w on o.month = w.last_month
),
survey as (
  select distinct on (customer_id) *
  from mart_base.survey
  where customer_id is not null
  order by customer_id, responded_on desc, response_id desc
),
service as (
  select r.customer_id,
         count(*) as tickets_12m,
         count(*) filter (where t.type = 'complaint') as complaints_12m,
         count(*) filter (where t.type = 'outage') as outages_12m
  from ref r
  join mart_base.ticket t on t.customer_id = r.customer_id and t.month > r.month - interval '12 months' and t.month <= r.month
  group by r.customer_id
),
offer as (
  select distinct on (customer_id) customer_id, sent_on, offer_type,
         responded_on is not null as responded, coalesce(accepted, false) as accepted
  from core.campaign_contact
  where not holdout
  order by customer_id, sent_on desc, contact_id desc
),
green as (
  select distinct customer_id from core.campaign_contact
  where offer_type = 'green_plan' and not holdout and responded_on is not null and not coalesce(accepted, false)
),
f as (
  select r.customer_id, r.segment, r.customer_class, r.region, r.tariff, r.band, r.contract_type, r.contract_end,
         r.green_plan, c.preferred_channel, r.annual_kwh,
         case when r.closed_on is not null and r.closed_on <= w.as_of then 'closed' else 'active' end as status,
         (extract(year from age(coalesce(least(r.closed_on, w.as_of), w.as_of), r.opened_on)) * 12
          + extract(month from age(coalesce(least(r.closed_on, w.as_of), w.as_of), r.opened_on)))::integer as tenure_months,
         coalesce(y.kwh_12m, 0)::double precision as kwh_12m,
         coalesce(money.revenue_12m, 0)::double precision as revenue_12m,
         y.load_factor,
         y.kwh_peak_12m / nullif(y.interval_kwh_12m, 0) as peak_share,
         y.kwh_valley_12m / nullif(y.interval_kwh_12m, 0) as valley_share,
         case when y.usage_months >= 6 then y.max_daily_kwh / nullif(y.daily_kwh, 0) end as seasonality_index,
         pay.bills_late::double precision / nullif(pay.bills_due, 0) as late_payment_ratio,
         coalesce(owed.arrears, 0)::double precision as arrears,
         s.responded_on as latest_survey_on,
         s.overall::integer as overall, s.reliability::integer as reliability, s.service::integer as service,
         s.price::integer as price, s.billing::integer as billing, s.communication::integer as communication,
         s.nps::integer as nps, s.nps_class,
         coalesce(sv.tickets_12m, 0)::integer as tickets_12m,
         coalesce(sv.complaints_12m, 0)::integer as complaints_12m,
         coalesce(sv.outages_12m, 0)::integer as outages_12m,
         (green.customer_id is not null) as responded_green,
         o.sent_on as last_offer_on, o.offer_type as last_offer_type,
         o.responded as last_offer_responded, o.accepted as last_offer_accepted,
         y.daily_kwh_recent, y.daily_kwh_before, w.as_of
  from ref r
  cross join w
  join core.customer c on c.customer_id = r.customer_id
  left join y on y.customer_id = r.customer_id
  left join money on money.customer_id = r.customer_id
  left join pay on pay.customer_id = r.customer_id
  left join owed on owed.customer_id = r.customer_id
  left join survey s on s.customer_id = r.customer_id
  left join service sv on sv.customer_id = r.customer_id
  left join green on green.customer_id = r.customer_id
  left join offer o on o.customer_id = r.customer_id
)
select p.customer_key,
       f.segment, f.customer_class, f.region, f.tariff, f.band, f.status, f.tenure_months,
       f.contract_type, f.contract_end, f.green_plan, f.preferred_channel,
       f.annual_kwh, f.kwh_12m, f.revenue_12m, f.load_factor, f.peak_share, f.valley_share, f.seasonality_index,
       f.late_payment_ratio, f.arrears,
       f.latest_survey_on, f.overall, f.reliability, f.service, f.price, f.billing, f.communication, f.nps, f.nps_class,
       f.tickets_12m, f.complaints_12m, f.outages_12m,
       (not f.green_plan and (f.segment in ('large_industrial', 'commercial') or f.responded_green)) as need_green,
       (f.outages_12m >= 2 or coalesce(f.reliability <= 2, false)) as need_reliability,
       (coalesce(f.price <= 2, false) or coalesce(f.late_payment_ratio >= 0.25, false)
        or (f.tariff = 'flat' and f.customer_class in ('commercial', 'large_industrial')
            and coalesce(f.valley_share >= f.peak_share, false))) as need_price,
       case when f.status = 'active' then
         1.0 / (1.0 + exp(-(
           -3.0
           + 0.6 * least(f.complaints_12m, 3)
           + 0.3 * least(f.outages_12m, 5)
           + case when f.nps_class = 'detractor' then 1.0 else 0 end
           + 1.5 * coalesce(f.late_payment_ratio, 0)
           + case when f.contract_end > f.as_of and f.contract_end <= f.as_of + 180 then 0.8 else 0 end
           + case when f.tenure_months < 12 then 0.5 else 0 end
           + case when f.daily_kwh_recent < 0.7 * f.daily_kwh_before then 1.0 else 0 end
         )))
       end::double precision as churn_risk,
       case when cume_dist() over (partition by f.segment order by f.revenue_12m desc) <= 0.2 then 'high'
            when cume_dist() over (partition by f.segment order by f.revenue_12m desc) <= 0.5 then 'medium'
            else 'low' end as value_tier,
       f.last_offer_on, f.last_offer_type, f.last_offer_responded, f.last_offer_accepted
from f
join core.customer_pseudonym p on p.customer_id = f.customer_id;
