-- High-bill warnings from tonight's judgement (work_high_bill, from
-- high_bill_project.sql) into rollup.high_bill_alert (migration 087 states the
-- lifecycle). All set-based; touches only the judged month's rows.
-- 1. Out of the detectors' horizon: dropped, as the usage alerts.
delete from rollup.high_bill_alert h
using ops.alert_settings a cross join rollup.usage_alert_state st
where h.last_seen < st.as_of - a.horizon_days + 1;

-- 2. A month that has ended: its open warning resolves on the next month's first day (the bill is out).
update rollup.high_bill_alert h
set status = 'resolved', resolved_on = (h.month + interval '1 month')::date
from rollup.usage_alert_state st
where h.status = 'open' and h.month < date_trunc('month', st.as_of)::date;

-- 3. Flagged tonight: open, or move last_seen and the figures (a later flagged night reopens a resolved warning).
insert into rollup.high_bill_alert as h (customer_id, month, first_seen, last_seen, flagged_days, severity, days_read,
                                         projected_kwh, projected_amount, usual_kwh, usual_amount, threshold,
                                         kwh_effect, price_effect, driver, status, resolved_on)
select w.customer_id, w.month, w.as_of, w.as_of, 1, w.severity, w.days_read, w.projected_kwh, w.projected_amount,
       w.usual_kwh, w.usual_amount, w.threshold, w.kwh_effect, w.price_effect, w.driver, 'open', null
from work_high_bill w
where w.flagged
on conflict (customer_id, month) do update
set first_seen = least(h.first_seen, excluded.first_seen),
    last_seen = greatest(h.last_seen, excluded.last_seen),
    flagged_days = h.flagged_days + case when excluded.last_seen > h.last_seen then 1 else 0 end,
    severity = excluded.severity, days_read = excluded.days_read,
    projected_kwh = excluded.projected_kwh, projected_amount = excluded.projected_amount,
    usual_kwh = excluded.usual_kwh, usual_amount = excluded.usual_amount, threshold = excluded.threshold,
    kwh_effect = excluded.kwh_effect, price_effect = excluded.price_effect, driver = excluded.driver,
    status = 'open', resolved_on = null;

-- 4. Open this month but not flagged tonight (below the margin, closed, or no longer judged): resolved today.
update rollup.high_bill_alert h
set status = 'resolved', resolved_on = st.as_of
from rollup.usage_alert_state st
where h.status = 'open' and h.month = date_trunc('month', st.as_of)::date
  and not exists (select 1 from work_high_bill w where w.customer_id = h.customer_id and w.flagged);
