-- mart.segment_month — per month × segment × region × tariff × band, over the
-- accounts open in the month with that month's attributes
-- (rollup.customer_month). Shares are 0–1.
--   customers          accounts in the cell
--   kwh                metered kWh;  billed_kwh, revenue: bills whose period ends in the month
--   bills              bills (not credit notes) in the month
--   avg_bill           = revenue ÷ bills                                   (CNY per bill)
--   arrears_amount     overdue and unpaid at month end (rollup.receivable_month)
--   interval_customers accounts with sub-daily readings in the month
--   peak_share         = Σ peak kWh ÷ Σ kWh of the sub-daily days (TOU split known)
--   shoulder_share, valley_share likewise
--   load_factor        mean over interval_customers of their load factor
--                      (average ÷ max demand, rollup.customer_month)
--   peak_valley_rate   mean over interval_customers of their mean daily
--                      peak-valley difference rate (Pmax − Pmin) ÷ Pmax
--   top_customer_share largest single account's share of the cell's kWh
--                      (dominance check of the extracts; not exported)
create view mart.segment_month as
select month, segment, region, tariff, band,
       count(*)::integer as customers,
       coalesce(sum(kwh), 0)::double precision as kwh,
       coalesce(sum(billed_kwh), 0)::double precision as billed_kwh,
       coalesce(sum(billed_amount), 0)::double precision as revenue,
       coalesce(sum(bills), 0)::integer as bills,
       sum(billed_amount) / nullif(sum(bills), 0) as avg_bill,
       coalesce(sum(arrears), 0)::double precision as arrears_amount,
       (count(*) filter (where interval_days > 0))::integer as interval_customers,
       sum(kwh_peak) / nullif(sum(interval_kwh), 0) as peak_share,
       sum(kwh_shoulder) / nullif(sum(interval_kwh), 0) as shoulder_share,
       sum(kwh_valley) / nullif(sum(interval_kwh), 0) as valley_share,
       avg(load_factor) as load_factor,
       avg(peak_valley_rate) as peak_valley_rate,
       max(kwh) / nullif(sum(kwh), 0) as top_customer_share
from rollup.customer_month
group by month, segment, region, tariff, band;
