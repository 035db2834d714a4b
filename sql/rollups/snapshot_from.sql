-- work_snapshot_from: the first month whose rows in the snapshot tables
-- (rollup.receivable_month, rollup.customer_month) can have changed since the
-- last refresh; they are recomputed from that month on, earlier months kept.
-- A month's snapshot depends only on data of that month and earlier (bills
-- issued, paid and due by its end; the 12 months of usage up to it; the
-- attribute version in force at its end), so the first changed month is the
-- least of:
--   - the customer-months the ingest touched (usage days, bills and payments:
--     work_customer_month);
--   - for each customer changed since the last refresh (core.customer.updated_at,
--     which the ingest moves only on a real change): its latest history version's
--     valid_from, its closed_on, the month after its last snapshot row (an
--     account re-opened or closed later), and its opened_on when its first
--     snapshot row is not where opened_on puts it (a new or moved account);
--   - the first month of all, when there is no previous refresh or the SME
--     threshold or time zone changed.
-- Run before month_window is rebuilt (it compares with the previous window);
-- the refresh also recomputes from the month after the previous window's last
-- one when the window grows (rollups.ts). Runs never overlap (the ETL's run
-- lock), so no ingest commits between the refresh's snapshot and its end.
create temp table work_snapshot_from on commit drop as
with state as (select refreshed_at, settings from rollup.refresh_state),
settings_now as (select sme_threshold_kwh::text || '|' || time_zone as settings from ops.mart_settings),
window_first as (select min(month) as month from rollup.month_window),
changed as (
  select date_trunc('month', least(
           h.max_from,
           c.closed_on,
           (cm.last_month + interval '1 month')::date,
           case when cm.first_month is null
                  or cm.first_month <> greatest(date_trunc('month', c.opened_on::timestamp)::date, coalesce(w.month, c.opened_on))
                then c.opened_on end
         )::timestamp)::date as month
  from core.customer c
  cross join state s
  cross join window_first w
  left join lateral (select max(valid_from) as max_from from core.customer_history where customer_id = c.customer_id) h on true
  left join lateral (select min(month) as first_month, max(month) as last_month from rollup.customer_month where customer_id = c.customer_id) cm on true
  where c.updated_at > s.refreshed_at
)
select case
         when not exists (select 1 from state) then date '0001-01-01'
         when (select settings from state) is distinct from (select settings from settings_now) then date '0001-01-01'
         else coalesce(least((select min(month) from work_customer_month), (select min(month) from changed)), date '9999-12-01')
       end as month;
