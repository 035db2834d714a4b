-- mart_base.survey — helper (not extracted): one row per survey response with
-- its month and the satisfaction classes, defined once here.
--   satisfied  = overall in (4, 5)                        (CSAT numerator)
--   nps_class  = promoter (9–10), passive (7–8), detractor (0–6); null without an NPS answer
create view mart_base.survey as
select r.response_id, r.customer_id,
       date_trunc('month', r.responded_on::timestamp)::date as month,
       r.responded_on, r.wave, coalesce(r.channel, 'unknown') as channel,
       r.overall, r.reliability, r.service, r.price, r.billing, r.communication, r.nps,
       r.overall >= 4 as satisfied,
       case when r.nps >= 9 then 'promoter' when r.nps >= 7 then 'passive' when r.nps >= 0 then 'detractor' end as nps_class
from core.survey_response r;
