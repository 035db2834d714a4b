-- mart.service_month — service-desk tickets per month (local, of opening) ×
-- channel × type × region × segment: the finest level of
-- mart.service_month_totals (measures and their definitions there).
-- Columns listed: the totals' level_mask is a constant 0 at this level.
create view mart.service_month as
select month, channel, type, region, segment,
       tickets, customers, first_responses, sla_tickets, first_responses_within_sla, first_response_within_sla_pct,
       median_first_response_hours, p90_first_response_hours, resolved, median_resolution_hours,
       satisfaction_responses, post_resolution_satisfaction
from mart.service_month_totals
where channel is not null and type is not null and region is not null and segment is not null;
