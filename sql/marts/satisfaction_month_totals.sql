-- mart.satisfaction_month_totals — satisfaction_month's measures at every
-- level of detail: per month, for every combination of segment, region and
-- survey channel, with NULL in a column meaning "all of them" (GROUP BY CUBE).
-- Why: a published cell needs K responses, and month × segment × region ×
-- channel cells are small (a survey wave samples a few percent of customers),
-- so figures summed from the fine cells lost most responses. The dashboard
-- reads the level that matches its question.
-- Respondents take their segment and region of the response month (else their
-- current class and region); anonymous responses are 'unknown'.
--   responses             responses in the cell
--   *_mean                mean score 1–5 of each item, over the responses that answered it
--   csat_pct              = 100 × responses with overall 4–5 ÷ responses
--   nps_responses         responses with an NPS answer; promoters (9–10), passives (7–8), detractors (0–6)
--   nps                   = 100 × (promoters − detractors) ÷ nps_responses      (−100…100)
create view mart.satisfaction_month_totals as
with r as (
  select v.*,
         coalesce(cm.segment, c.customer_class, 'unknown') as segment,
         coalesce(cm.region, c.region, 'unknown') as region
  from mart_base.survey v
  left join rollup.customer_month cm on cm.customer_id = v.customer_id and cm.month = v.month
  left join core.customer c on c.customer_id = v.customer_id
)
select month, segment, region, channel,
       count(*)::integer as responses,
       avg(overall)::double precision as overall_mean,
       avg(reliability)::double precision as reliability_mean,
       avg(service)::double precision as service_mean,
       avg(price)::double precision as price_mean,
       avg(billing)::double precision as billing_mean,
       avg(communication)::double precision as communication_mean,
       100.0::double precision * count(*) filter (where satisfied) / count(*) as csat_pct,
       count(nps_class)::integer as nps_responses,
       (count(*) filter (where nps_class = 'promoter'))::integer as promoters,
       (count(*) filter (where nps_class = 'passive'))::integer as passives,
       (count(*) filter (where nps_class = 'detractor'))::integer as detractors,
       100.0::double precision * (count(*) filter (where nps_class = 'promoter') - count(*) filter (where nps_class = 'detractor'))
             / nullif(count(nps_class), 0) as nps
from r
group by month, cube (segment, region, channel);
