-- mart.action_effect — one row per improvement action (core.improvement_action):
-- the targeted survey item before and after the action date in the treated
-- regions against the untreated ones, and the difference-in-differences.
-- Respondents take their segment and region of the response month (else their
-- current class and region), as in satisfaction_month_totals; anonymous
-- responses (region 'unknown') are in neither group. Only respondents of the
-- action's segments count (all segments when it names none).
--   before window          [action_date − 6 months, action_date)
--   after window           [action_date, action_date + 6 months)
--   treated / untreated    region in / not in the action's regions
--   value per response     the item's score 1–5; for target nps: +100 promoter (9–10),
--                          0 passive (7–8), −100 detractor (0–6), so the mean is the NPS
--   *_n, *_mean            responses that answered the item in the cell, and their mean
--   treated_change         treated_after_mean − treated_before_mean (likewise untreated_change)
--   did                    treated_change − untreated_change
--   did_se                 √(Σ over the four cells of var_samp ÷ n): respondent-level,
--                          unpooled, the cells independent (null if a cell has < 2)
--   did_low, did_high      did ∓ 1.959964 × did_se (95% normal interval)
--   outcome                'improved' (did_low > 0), 'worsened' (did_high < 0), else 'no_change'
--   min_cell_responses     the smallest of the four n (the extract's small-cell rule)
-- regions and segments are ';'-joined text (the extract has no list type).
create view mart.action_effect as
with r as (
  select v.responded_on,
         coalesce(cm.segment, c.customer_class, 'unknown') as segment,
         coalesce(cm.region, c.region, 'unknown') as region,
         v.reliability, v.service, v.price, v.billing, v.communication, v.overall, v.nps
  from mart_base.survey v
  left join rollup.customer_month cm on cm.customer_id = v.customer_id and cm.month = v.month
  left join core.customer c on c.customer_id = v.customer_id
),
a as (
  select action_id, action_date, regions, segments, target, description,
         (action_date - interval '6 months')::date as before_start,
         (action_date + interval '6 months')::date as after_end
  from core.improvement_action
),
y as (
  select a.action_id, r.region = any (a.regions) as treated, r.responded_on >= a.action_date as after,
         (case a.target
            when 'reliability' then r.reliability
            when 'service' then r.service
            when 'price' then r.price
            when 'billing' then r.billing
            when 'communication' then r.communication
            when 'overall' then r.overall
            when 'nps' then case when r.nps >= 9 then 100 when r.nps >= 7 then 0 when r.nps >= 0 then -100 end
          end)::double precision as y
  from a
  join r on r.responded_on >= a.before_start and r.responded_on < a.after_end
        and r.region <> 'unknown' and (a.segments is null or r.segment = any (a.segments))
),
cell as (
  select action_id, treated, after, count(*)::integer as n, avg(y) as mean, var_samp(y) as var
  from y
  where y is not null
  group by action_id, treated, after
),
p as (
  select a.action_id, a.action_date, a.target, a.description, a.before_start, a.after_end,
         array_to_string(a.regions, ';') as regions, array_to_string(a.segments, ';') as segments,
         coalesce(max(c.n) filter (where c.treated and not c.after), 0) as tb_n,
         max(c.mean) filter (where c.treated and not c.after) as tb_mean,
         max(c.var) filter (where c.treated and not c.after) as tb_var,
         coalesce(max(c.n) filter (where c.treated and c.after), 0) as ta_n,
         max(c.mean) filter (where c.treated and c.after) as ta_mean,
         max(c.var) filter (where c.treated and c.after) as ta_var,
         coalesce(max(c.n) filter (where not c.treated and not c.after), 0) as ub_n,
         max(c.mean) filter (where not c.treated and not c.after) as ub_mean,
         max(c.var) filter (where not c.treated and not c.after) as ub_var,
         coalesce(max(c.n) filter (where not c.treated and c.after), 0) as ua_n,
         max(c.mean) filter (where not c.treated and c.after) as ua_mean,
         max(c.var) filter (where not c.treated and c.after) as ua_var
  from a
  left join cell c on c.action_id = a.action_id
  group by a.action_id, a.action_date, a.target, a.description, a.before_start, a.after_end, a.regions, a.segments
),
d as (
  select p.*,
         (ta_mean - tb_mean) - (ua_mean - ub_mean) as did,
         sqrt(tb_var / nullif(tb_n, 0) + ta_var / nullif(ta_n, 0) + ub_var / nullif(ub_n, 0) + ua_var / nullif(ua_n, 0)) as se
  from p
)
select action_id, action_date, target, regions, segments, description,
       before_start, after_end,
       tb_n::integer as treated_before_n, tb_mean::double precision as treated_before_mean,
       ta_n::integer as treated_after_n, ta_mean::double precision as treated_after_mean,
       ub_n::integer as untreated_before_n, ub_mean::double precision as untreated_before_mean,
       ua_n::integer as untreated_after_n, ua_mean::double precision as untreated_after_mean,
       (ta_mean - tb_mean)::double precision as treated_change,
       (ua_mean - ub_mean)::double precision as untreated_change,
       did::double precision as did,
       se::double precision as did_se,
       (did - 1.959964 * se)::double precision as did_low,
       (did + 1.959964 * se)::double precision as did_high,
       case when did - 1.959964 * se > 0 then 'improved'
            when did + 1.959964 * se < 0 then 'worsened'
            when se is not null then 'no_change' end as outcome,
       least(tb_n, ta_n, ub_n, ua_n)::integer as min_cell_responses
from d;
