-- mart.detractor_followup — the detractor follow-up loop per survey wave, for
-- every combination of segment and region (GROUP BY CUBE: NULL means "all of
-- them", as satisfaction_month_totals: a wave's detractors per segment ×
-- region are few, and a published cell needs K cases). Cases, contacts and
-- next-wave answers as mart_base.detractor_case defines them. Segment and
-- region are the customer's of the response month (else current class/region).
--   cases                        follow-up cases (detractor responses of known customers)
--   pending                      cases not contacted whose 30-day window is still open
--   contacted                    cases with a contact in the window
--   contact rate                 = contacted ÷ (cases − pending)                      (dashboard)
--   contacted_within_target      contacted within ops target: 72 h from the response day's start
--   contact_hours_median / _p90  percentile_cont(0.5 / 0.9) of hours_to_contact over contacted cases
--   contact_hours_sum            Σ hours_to_contact (mean = ÷ contacted)
--   {contacted,uncontacted}_next_responses   cases of the group with an NPS answer in the next wave
--   …_next_nps_sum / _next_nps_sumsq         Σ next-wave NPS score / Σ its square (mean, variance → 95% interval)
--   …_next_promoters / _next_detractors      next-wave NPS 9–10 / 0–6
-- Uncontacted = not contacted and not pending.
create view mart.detractor_followup as
with c as (
  select d.*,
         coalesce(cm.segment, cu.customer_class, 'unknown') as segment,
         coalesce(cm.region, cu.region, 'unknown') as region,
         (not d.contacted and not d.pending) as uncontacted
  from mart_base.detractor_case d
  left join rollup.customer_month cm on cm.customer_id = d.customer_id and cm.month = d.month
  left join core.customer cu on cu.customer_id = d.customer_id
)
select wave, wave_month as month, segment, region,
       count(*)::integer as cases,
       (count(*) filter (where pending))::integer as pending,
       (count(*) filter (where contacted))::integer as contacted,
       (count(*) filter (where hours_to_contact <= 72))::integer as contacted_within_target,
       (percentile_cont(0.5) within group (order by hours_to_contact) filter (where contacted))::double precision as contact_hours_median,
       (percentile_cont(0.9) within group (order by hours_to_contact) filter (where contacted))::double precision as contact_hours_p90,
       coalesce(sum(hours_to_contact), 0)::double precision as contact_hours_sum,
       (count(next_nps) filter (where contacted))::integer as contacted_next_responses,
       coalesce(sum(next_nps) filter (where contacted), 0)::double precision as contacted_next_nps_sum,
       coalesce(sum(next_nps * next_nps) filter (where contacted), 0)::double precision as contacted_next_nps_sumsq,
       (count(*) filter (where contacted and next_nps >= 9))::integer as contacted_next_promoters,
       (count(*) filter (where contacted and next_nps <= 6))::integer as contacted_next_detractors,
       (count(next_nps) filter (where uncontacted))::integer as uncontacted_next_responses,
       coalesce(sum(next_nps) filter (where uncontacted), 0)::double precision as uncontacted_next_nps_sum,
       coalesce(sum(next_nps * next_nps) filter (where uncontacted), 0)::double precision as uncontacted_next_nps_sumsq,
       (count(*) filter (where uncontacted and next_nps >= 9))::integer as uncontacted_next_promoters,
       (count(*) filter (where uncontacted and next_nps <= 6))::integer as uncontacted_next_detractors
from c
group by wave, wave_month, cube (segment, region);
