-- mart.service_month_totals — service_month's measures at every level of
-- detail: per month, for every combination of channel, type, region and
-- segment, with NULL in a column meaning "all of them" (GROUP BY CUBE).
-- Why: a published cell needs K customers, and month × channel × type ×
-- region × segment cells are small (at 100k customers ~90 % of them hold
-- fewer than 15), so totals summed from the fine cells lost most tickets. The
-- dashboard reads the level that matches its question (its filters and
-- breakdown), whose cells are large and exact, medians included.
-- Customers take their segment and region of the month (else their current
-- class and region); tickets without a customer are 'unknown'. Service levels
-- as defined in mart_base.ticket.
--   tickets, customers (distinct identified customers)
--   first_responses               tickets with a first response
--   sla_tickets                   tickets of a type with a target (complaint, outage)
--   first_responses_within_sla    of those, first response within the target
--   first_response_within_sla_pct = 100 × first_responses_within_sla ÷ sla_tickets
--   median_first_response_hours, p90_first_response_hours  (percentile_cont over answered tickets)
--   resolved, median_resolution_hours
--   satisfaction_responses, post_resolution_satisfaction = mean rating 1–5 after resolution
--   level_mask = GROUPING(channel, type, region, segment): which level the row is
--     (bit 8 channel, 4 type, 2 region, 1 segment set = that column rolled up to
--     "all"). Why: the dashboard picks a level with one integer compare instead
--     of four IS [NOT] NULL tests, and the extract is sorted by it, so a level's
--     rows are contiguous; in DuckDB-WASM at 100k customers (49k rows) the
--     Service view's questions took 86 → 75 ms (docs/performance.md).
create view mart.service_month_totals as
with t as (
  select k.*,
         coalesce(cm.segment, c.customer_class, 'unknown') as segment,
         coalesce(cm.region, c.region, 'unknown') as region
  from mart_base.ticket k
  left join rollup.customer_month cm on cm.customer_id = k.customer_id and cm.month = k.month
  left join core.customer c on c.customer_id = k.customer_id
)
select month, channel, type, region, segment,
       grouping(channel, type, region, segment)::integer as level_mask,
       count(*)::integer as tickets,
       count(distinct customer_id)::integer as customers,
       count(first_response_hours)::integer as first_responses,
       (count(*) filter (where sla_target_hours is not null))::integer as sla_tickets,
       (count(*) filter (where within_sla))::integer as first_responses_within_sla,
       100.0::double precision * count(*) filter (where within_sla) / nullif(count(*) filter (where sla_target_hours is not null), 0)
         as first_response_within_sla_pct,
       percentile_cont(0.5) within group (order by first_response_hours) as median_first_response_hours,
       percentile_cont(0.9) within group (order by first_response_hours) as p90_first_response_hours,
       (count(*) filter (where resolved))::integer as resolved,
       percentile_cont(0.5) within group (order by resolution_hours) as median_resolution_hours,
       count(satisfaction)::integer as satisfaction_responses,
       avg(satisfaction)::double precision as post_resolution_satisfaction
from t
group by month, cube (channel, type, region, segment);
