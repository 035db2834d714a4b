-- mart.campaign_result — per campaign × offer type × segment (the contact's
-- segment in the month it was sent; else its current class). Rates are 0–1.
--   targeted = treated + holdout;  treated: contacted;  holdout: control group, not contacted
--   responded                responded treated contacts
--   response_rate            = responded ÷ treated
--   accepted_treated, accepted_holdout (holdout: adopted anyway)
--   treated_acceptance_rate  p1 = accepted_treated ÷ treated
--   holdout_acceptance_rate  p0 = accepted_holdout ÷ holdout
--   uplift                   = p1 − p0
--   uplift_low, uplift_high  95 % interval, normal approximation of a difference
--                            of two independent proportions (Wald, unpooled):
--                            uplift ± 1.96 × √(p1(1 − p1)/treated + p0(1 − p0)/holdout);
--                            null without treated or holdout contacts
create view mart.campaign_result as
with k as (
  select cc.campaign_id, cc.campaign_name, cc.offer_type, cc.sent_on, cc.holdout, cc.responded_on,
         coalesce(cc.accepted, false) as accepted,
         coalesce(cm.segment, c.customer_class, 'unknown') as segment
  from core.campaign_contact cc
  left join rollup.customer_month cm
    on cm.customer_id = cc.customer_id and cm.month = date_trunc('month', cc.sent_on::timestamp)::date
  left join core.customer c on c.customer_id = cc.customer_id
),
g as (
  select campaign_id, offer_type, segment,
         max(campaign_name) as campaign_name,
         min(sent_on) as first_sent_on,
         count(*)::integer as targeted,
         (count(*) filter (where holdout))::integer as holdout,
         (count(*) filter (where not holdout))::integer as treated,
         (count(*) filter (where not holdout and responded_on is not null))::integer as responded,
         (count(*) filter (where not holdout and accepted))::integer as accepted_treated,
         (count(*) filter (where holdout and accepted))::integer as accepted_holdout
  from k
  group by campaign_id, offer_type, segment
),
p as (
  select g.*,
         accepted_treated::double precision / nullif(treated, 0) as p1,
         accepted_holdout::double precision / nullif(holdout, 0) as p0
  from g
)
select campaign_id, offer_type, segment, campaign_name, first_sent_on,
       targeted, holdout, treated, responded,
       responded::double precision / nullif(treated, 0) as response_rate,
       accepted_treated, accepted_holdout,
       p1 as treated_acceptance_rate,
       p0 as holdout_acceptance_rate,
       p1 - p0 as uplift,
       p1 - p0 - 1.96 * sqrt(p1 * (1 - p1) / treated + p0 * (1 - p0) / holdout) as uplift_low,
       p1 - p0 + 1.96 * sqrt(p1 * (1 - p1) / treated + p0 * (1 - p0) / holdout) as uplift_high
from p;
