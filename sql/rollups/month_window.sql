-- rollup.month_window, rebuilt: the months the marts cover, from the first to
-- the last month with usage, billed amounts or payments, tickets or surveys,
-- without gaps. as_of = the latest local day with meter data (else the latest
-- ticket, survey or billing-period day).
truncate rollup.month_window;

insert into rollup.month_window (month, month_end, days_in_month, as_of)
with tz as (select time_zone from ops.mart_settings),
bounds as (
  select least(
           (select min(month) from rollup.usage_month),
           (select min(month) from rollup.bill_month where bills > 0 or credit_notes > 0 or paid_amount <> 0),
           (select date_trunc('month', min(opened_at) at time zone (select time_zone from tz))::date from core.ticket),
           (select date_trunc('month', min(responded_on)::timestamp)::date from core.survey_response)
         ) as first_month,
         greatest(
           (select max(month) from rollup.usage_month),
           (select max(month) from rollup.bill_month where bills > 0 or credit_notes > 0 or paid_amount <> 0),
           (select date_trunc('month', max(opened_at) at time zone (select time_zone from tz))::date from core.ticket),
           (select date_trunc('month', max(responded_on)::timestamp)::date from core.survey_response)
         ) as last_month,
         coalesce(
           (select max(last_day) from rollup.usage_month where month = (select max(month) from rollup.usage_month)),
           greatest((select (max(opened_at) at time zone (select time_zone from tz))::date from core.ticket),
                    (select max(responded_on) from core.survey_response),
                    (select max(period_end) from core.bill))
         ) as as_of
)
select g::date, (g + interval '1 month' - interval '1 day')::date,
       extract(day from g + interval '1 month' - interval '1 day')::integer, bounds.as_of
from bounds
cross join generate_series(bounds.first_month::timestamp, bounds.last_month::timestamp, interval '1 month') g;
