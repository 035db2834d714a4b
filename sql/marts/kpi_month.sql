-- mart.kpi_month — company KPIs per month (grain: month). Company totals from
-- the rollups and core, not limited to the month's open accounts (arrears of a
-- closed account still count). Percentages are 0–100, rates and shares 0–1.
--   active_customers   accounts open at any time in the month
--   new_customers      opened in the month;  closed_customers: closed in the month
--   kwh                metered kWh (rollup.usage_month)
--   billed_kwh, revenue  billed kWh and amount (CNY, credit notes included) of
--                      bills whose period ends in the month
--   avg_price          = revenue ÷ billed_kwh                              (CNY/kWh)
--   receivable_amount  = Σ outstanding at month end (rollup.receivable_month)
--   arrears_amount     = Σ overdue and unpaid at month end                 (欠费)
--   arrears_rate       = arrears_amount ÷ revenue                          (0–1)
--   dso_days           = receivable_amount ÷ revenue × days in month       (DSO)
--   survey_responses, csat_pct = 100 × responses with overall 4–5 ÷ responses
--   nps_responses      responses with an NPS answer (weights NPS over several months)
--   nps                = 100 × (promoters − detractors) ÷ nps_responses
--   tickets, complaints, complaints_per_10k = complaints × 10,000 ÷ active_customers
--   sla_tickets        complaints and outage reports (types with a first-response target)
--   first_response_within_sla_pct = 100 × within target ÷ sla_tickets
--   offers_sent        contacts not in a holdout, sent in the month;
--   offers_accepted    of those, accepted;  offer_acceptance_pct = 100 × accepted ÷ sent
create view mart.kpi_month as
with cust as (
  select month, count(*)::integer as active_customers,
         (count(*) filter (where opened_in_month))::integer as new_customers,
         (count(*) filter (where closed_in_month))::integer as closed_customers
  from rollup.customer_month group by month
),
usage as (select month, sum(kwh) as kwh from rollup.usage_month group by month),
bills as (
  select month, sum(billed_kwh) as billed_kwh, sum(billed_amount)::double precision as revenue
  from rollup.bill_month group by month
),
owed as (
  select month, sum(receivable) as receivable_amount, sum(arrears) as arrears_amount
  from rollup.receivable_month group by month
),
surveys as (
  select month, count(*)::integer as responses, count(*) filter (where satisfied) as satisfied,
         count(nps_class) as nps_responses,
         count(*) filter (where nps_class = 'promoter') as promoters,
         count(*) filter (where nps_class = 'detractor') as detractors
  from mart_base.survey group by month
),
tickets as (
  select month, count(*)::integer as tickets,
         (count(*) filter (where type = 'complaint'))::integer as complaints,
         (count(*) filter (where sla_target_hours is not null))::integer as sla_tickets,
         (count(*) filter (where within_sla))::integer as within_sla
  from mart_base.ticket group by month
),
offers as (
  select date_trunc('month', sent_on::timestamp)::date as month,
         (count(*) filter (where not holdout))::integer as offers_sent,
         (count(*) filter (where not holdout and accepted))::integer as offers_accepted
  from core.campaign_contact group by 1
)
select m.month,
       coalesce(c.active_customers, 0) as active_customers,
       coalesce(c.new_customers, 0) as new_customers,
       coalesce(c.closed_customers, 0) as closed_customers,
       coalesce(u.kwh, 0)::double precision as kwh,
       coalesce(b.billed_kwh, 0)::double precision as billed_kwh,
       coalesce(b.revenue, 0)::double precision as revenue,
       b.revenue / nullif(b.billed_kwh, 0) as avg_price,
       coalesce(o.receivable_amount, 0)::double precision as receivable_amount,
       coalesce(o.arrears_amount, 0)::double precision as arrears_amount,
       coalesce(o.arrears_amount, 0) / nullif(b.revenue, 0) as arrears_rate,
       coalesce(o.receivable_amount, 0) / nullif(b.revenue, 0) * m.days_in_month as dso_days,
       coalesce(v.responses, 0) as survey_responses,
       100.0::double precision * v.satisfied / nullif(v.responses, 0) as csat_pct,
       coalesce(v.nps_responses, 0)::integer as nps_responses,
       100.0::double precision * (v.promoters - v.detractors) / nullif(v.nps_responses, 0) as nps,
       coalesce(t.tickets, 0) as tickets,
       coalesce(t.complaints, 0) as complaints,
       10000.0::double precision * coalesce(t.complaints, 0) / nullif(c.active_customers, 0) as complaints_per_10k,
       coalesce(t.sla_tickets, 0) as sla_tickets,
       100.0::double precision * t.within_sla / nullif(t.sla_tickets, 0) as first_response_within_sla_pct,
       coalesce(f.offers_sent, 0) as offers_sent,
       coalesce(f.offers_accepted, 0) as offers_accepted,
       100.0::double precision * f.offers_accepted / nullif(f.offers_sent, 0) as offer_acceptance_pct
from rollup.month_window m
left join cust c on c.month = m.month
left join usage u on u.month = m.month
left join bills b on b.month = m.month
left join owed o on o.month = m.month
left join surveys v on v.month = m.month
left join tickets t on t.month = m.month
left join offers f on f.month = m.month;
