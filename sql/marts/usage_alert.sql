-- mart.usage_alert — one row per abnormal-usage alert (异常用电预警,
-- rollup.usage_alert; rules in docs/metrics.md "Abnormal-usage alerts"),
-- under the account's pseudonymous key (core.customer_pseudonym; accounts
-- without a key are left out). Never the account number, name, phone or address.
--   segment, customer_class, region  the account's attributes in the month of last_seen
--                       (else its latest month in rollup.customer_month)
--   alert_type          spike | zero | flat | night_load
--   severity            1 low, 2 medium, 3 high (the worst flagged day's); severity_label the word
--   first_seen, last_seen  first and last flagged day; flagged_days how many were flagged
--   status              open | resolved; resolved_on the first normal day after last_seen
--   worst_day, baseline, observed, threshold  the figures of the worst flagged day:
--       spike       median kWh of the same day type, the day's kWh, the kWh threshold
--       zero        median kWh of the positive baseline days, 0, days required
--       flat        length of the stuck run (days), the day's kWh, days required
--       night_load  baseline night (00–05) share of the day's kWh, the day's share, share threshold
--   reason              the same in one English sentence, for analysts' own tools
--   as_of               the latest reading day the detectors have seen
--   high_bill rows (高额电费预警, rollup.high_bill_alert; docs/metrics.md "High-bill warning"):
--       one per account × month whose projected bill exceeded the usual by the margin;
--       first_seen/last_seen the first and latest flagged nights, flagged_days how many,
--       worst_day = last_seen, baseline = usual amount, observed = projected amount,
--       threshold = usual × (1 + margin) (CNY); and, null on the other types:
--   bill_month          the month projected
--   projected_kwh, projected_amount  the month's projection at last_seen (kWh, CNY)
--   usual_kwh, usual_amount          the usual bill (median of the last monthly bills)
--   driver              more_kwh | higher_tier | more_peak: the larger part of the difference
create view mart.usage_alert as
select p.customer_key,
       cm.segment,
       cm.customer_class,
       cm.region,
       a.alert_type,
       a.severity::integer as severity,
       case a.severity when 3 then 'high' when 2 then 'medium' else 'low' end as severity_label,
       a.first_seen,
       a.last_seen,
       a.flagged_days,
       a.status,
       a.resolved_on,
       a.worst_day,
       a.baseline,
       a.observed,
       a.threshold,
       case a.alert_type
         when 'spike' then format('%s kWh on %s against a median of %s kWh for that day type (threshold %s kWh)',
                                  round(a.observed::numeric, 1), a.worst_day, round(a.baseline::numeric, 1), round(a.threshold::numeric, 1))
         when 'zero' then format('%s days reading 0 kWh from %s (usually %s kWh a day; alert from %s days)',
                                 a.last_seen - a.first_seen + 1, a.first_seen, round(a.baseline::numeric, 1), a.threshold)
         when 'flat' then format('meter stuck for %s days from %s (%s kWh; alert from %s days)',
                                 a.baseline, a.first_seen, round(a.observed::numeric, 3), a.threshold)
         else format('night (00–05) share %s %% on %s against %s %% usually (threshold %s %%)',
                     round(100 * a.observed::numeric, 1), a.worst_day, round(100 * a.baseline::numeric, 1), round(100 * a.threshold::numeric, 1))
       end as reason,
       st.as_of,
       null::date as bill_month,
       null::double precision as projected_kwh,
       null::double precision as projected_amount,
       null::double precision as usual_kwh,
       null::double precision as usual_amount,
       null::text as driver
from rollup.usage_alert a
join core.customer_pseudonym p on p.customer_id = a.customer_id
cross join rollup.usage_alert_state st
left join lateral (
  select x.segment, x.customer_class, x.region
  from rollup.customer_month x
  where x.customer_id = a.customer_id and x.month <= date_trunc('month', a.last_seen)::date
  order by x.month desc
  limit 1
) cm on true
union all
select p.customer_key,
       cm.segment,
       cm.customer_class,
       cm.region,
       'high_bill',
       h.severity::integer,
       case h.severity when 3 then 'high' when 2 then 'medium' else 'low' end,
       h.first_seen,
       h.last_seen,
       h.flagged_days,
       h.status,
       h.resolved_on,
       h.last_seen,
       h.usual_amount::double precision,
       h.projected_amount::double precision,
       h.threshold::double precision,
       format('projected bill %s CNY for %s against a usual %s CNY (threshold %s CNY); main driver: %s',
              h.projected_amount, to_char(h.month, 'YYYY-MM'), h.usual_amount, h.threshold,
              case h.driver when 'higher_tier' then 'a higher tier' when 'more_peak' then 'more peak use' else 'more kWh' end),
       st.as_of,
       h.month,
       h.projected_kwh,
       h.projected_amount::double precision,
       h.usual_kwh,
       h.usual_amount::double precision,
       h.driver
from rollup.high_bill_alert h
join core.customer_pseudonym p on p.customer_id = h.customer_id
cross join rollup.usage_alert_state st
left join lateral (
  select x.segment, x.customer_class, x.region
  from rollup.customer_month x
  where x.customer_id = h.customer_id and x.month <= h.month
  order by x.month desc
  limit 1
) cm on true;
