-- mart_base.ticket — helper (not extracted): one row per ticket with its local
-- month and the service-level measures, defined once here.
--   first_response_hours = (first_response_at − opened_at) in hours
--   resolution_hours     = (resolved_at − opened_at) in hours
--   sla_target_hours     = complaint: ops.mart_settings.sla_complaint_hours (24 h);
--                          outage: sla_outage_minutes ÷ 60 (45 min); other types: null (no target)
--   within_sla           = a first response within the target; a ticket with a
--                          target and no first response counts as not within;
--                          null for types without a target
create view mart_base.ticket as
select t.customer_id,
       date_trunc('month', t.opened_at at time zone (select time_zone from ops.mart_settings))::date as month,
       t.channel, t.type, t.category,
       extract(epoch from t.first_response_at - t.opened_at) / 3600.0 as first_response_hours,
       extract(epoch from t.resolved_at - t.opened_at) / 3600.0 as resolution_hours,
       t.resolved_at is not null as resolved,
       t.satisfaction,
       sla.target_hours as sla_target_hours,
       case when sla.target_hours is null then null
            else coalesce(t.first_response_at - t.opened_at <= sla.target_hours * interval '1 hour', false) end as within_sla
from core.ticket t
cross join lateral (
  select case t.type when 'complaint' then (select sla_complaint_hours from ops.mart_settings)
                     when 'outage' then (select sla_outage_minutes / 60.0 from ops.mart_settings) end as target_hours
) sla;
