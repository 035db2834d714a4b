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
--   before/after measures, per contact: the mean monthly kWh (kwh) and billed amount
--   (revenue, CNY) of the account in the 3 complete months before the month the offer
--   was sent, and in up to 3 complete months after it (the month sent is left out:
--   partly before, partly after; a month is complete when it ends on or before the
--   data as-of day); change = after − before, for contacts with both. Per cell:
--   treated_kwh_n, holdout_kwh_n            contacts with a kWh change
--   treated_kwh_change, holdout_kwh_change  Σ change
--   treated_kwh_change_sq, holdout_kwh_change_sq  Σ change² (for the interval)
--   the same with revenue_ in place of kwh_. Incremental kWh (revenue) per contacted
--   customer and month = mean change treated − mean change holdout (a difference in
--   differences; the dashboard adds cells and computes it with its 95 % interval).
create view mart.campaign_result as
with ba as (
  select x.contact_id,
         avg(cm.kwh) filter (where cm.month > x.m) - avg(cm.kwh) filter (where cm.month < x.m) as kwh_change,
         (avg(cm.billed_amount) filter (where cm.month > x.m) - avg(cm.billed_amount) filter (where cm.month < x.m))::double precision as revenue_change
  from (select contact_id, customer_id, date_trunc('month', sent_on::timestamp)::date as m from core.campaign_contact) x
  join rollup.customer_month cm
    on cm.customer_id = x.customer_id and cm.month >= x.m - interval '3 months' and cm.month <= x.m + interval '3 months'
  join rollup.month_window w on w.month = cm.month and w.month_end <= w.as_of
  group by x.contact_id
),
k as (
  select cc.campaign_id, cc.campaign_name, cc.offer_type, cc.sent_on, cc.holdout, cc.responded_on,
         coalesce(cc.accepted, false) as accepted,
         coalesce(cm.segment, c.customer_class, 'unknown') as segment,
         ba.kwh_change, ba.revenue_change
  from core.campaign_contact cc
  left join rollup.customer_month cm
    on cm.customer_id = cc.customer_id and cm.month = date_trunc('month', cc.sent_on::timestamp)::date
  left join core.customer c on c.customer_id = cc.customer_id
  left join ba on ba.contact_id = cc.contact_id
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
         (count(*) filter (where holdout and accepted))::integer as accepted_holdout,
         (count(kwh_change) filter (where not holdout))::integer as treated_kwh_n,
         (sum(kwh_change) filter (where not holdout))::double precision as treated_kwh_change,
         (sum(kwh_change * kwh_change) filter (where not holdout))::double precision as treated_kwh_change_sq,
         (count(kwh_change) filter (where holdout))::integer as holdout_kwh_n,
         (sum(kwh_change) filter (where holdout))::double precision as holdout_kwh_change,
         (sum(kwh_change * kwh_change) filter (where holdout))::double precision as holdout_kwh_change_sq,
         (count(revenue_change) filter (where not holdout))::integer as treated_revenue_n,
         (sum(revenue_change) filter (where not holdout))::double precision as treated_revenue_change,
         (sum(revenue_change * revenue_change) filter (where not holdout))::double precision as treated_revenue_change_sq,
         (count(revenue_change) filter (where holdout))::integer as holdout_revenue_n,
         (sum(revenue_change) filter (where holdout))::double precision as holdout_revenue_change,
         (sum(revenue_change * revenue_change) filter (where holdout))::double precision as holdout_revenue_change_sq
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
       p1 - p0 + 1.96 * sqrt(p1 * (1 - p1) / treated + p0 * (1 - p0) / holdout) as uplift_high,
       treated_kwh_n, treated_kwh_change, treated_kwh_change_sq, holdout_kwh_n, holdout_kwh_change, holdout_kwh_change_sq,
       treated_revenue_n, treated_revenue_change, treated_revenue_change_sq, holdout_revenue_n, holdout_revenue_change, holdout_revenue_change_sq
from p;
