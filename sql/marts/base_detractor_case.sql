-- mart_base.detractor_case — helper (not extracted): one follow-up case per
-- survey response of a known customer in a wave that is a detractor answer:
-- NPS 0–6, or reliability, service or price ≤ 2 (docs/metrics.md).
--   window_start      = 00:00 local (ops.mart_settings.time_zone) of the response day;
--                       the survey export has a date only, so the day's start
--   contact           = the first ticket of the customer (any type or channel:
--                       the service desk's call-back or the customer's own
--                       ticket) opened in [window_start, window_start + 30 days)
--   hours_to_contact  = (first contact − window_start) in hours
--   pending           = not contacted and the window is not over by the data's
--                       as-of (the local day of the latest ticket opened)
--   wave order        = waves ordered by their first response day; next_wave
--                       is the one after; next_* is the customer's answer in it
--   wave_month        = month of the wave's first response (the period filter)
create view mart_base.detractor_case as
with tz as (
  select time_zone from ops.mart_settings
), waves as (
  select wave, wave_month, lead(wave) over (order by first_day, wave) as next_wave
  from (select wave, min(responded_on) as first_day, date_trunc('month', min(responded_on)::timestamp)::date as wave_month
        from core.survey_response where wave is not null group by wave) w
), as_of as (
  select (max(opened_at) at time zone (select time_zone from tz))::date as day from core.ticket
), cases as (
  select r.response_id, r.customer_id, r.wave, w.wave_month, w.next_wave, r.responded_on,
         date_trunc('month', r.responded_on::timestamp)::date as month,
         r.responded_on::timestamp at time zone tz.time_zone as window_start,
         (r.responded_on + 30)::timestamp at time zone tz.time_zone as window_end,
         r.responded_on + 30 > coalesce(as_of.day, r.responded_on) as window_open
  from core.survey_response r
  join waves w on w.wave = r.wave
  cross join tz
  cross join as_of
  where r.customer_id is not null
    and (r.nps <= 6 or r.reliability <= 2 or r.service <= 2 or r.price <= 2)
)
select c.response_id, c.customer_id, c.wave, c.wave_month, c.month, c.responded_on,
       t.first_contact_at is not null as contacted,
       t.first_contact_at,
       extract(epoch from t.first_contact_at - c.window_start) / 3600.0 as hours_to_contact,
       t.first_contact_at is null and c.window_open as pending,
       c.next_wave, n.nps as next_nps, n.reliability as next_reliability, n.service as next_service, n.price as next_price
from cases c
left join lateral (
  select min(k.opened_at) as first_contact_at
  from core.ticket k
  where k.customer_id = c.customer_id and k.opened_at >= c.window_start and k.opened_at < c.window_end
) t on true
left join lateral (
  select s.nps, s.reliability, s.service, s.price
  from core.survey_response s
  where s.customer_id = c.customer_id and s.wave = c.next_wave
  order by s.responded_on, s.response_id
  limit 1
) n on true;
