// SQL of the customer usage report (pure builders: text + parameters). Reads
// the rollups only (rollup.customer_month, usage_month_daytype, month_window)
// and the pseudonym table; never core.customer_pii.

export interface Sql {
  text: string;
  values: unknown[];
}

/** The account behind a pseudonymous key. */
export const byKeySql = (key: number): Sql => ({
  text: 'select customer_id, customer_key from core.customer_pseudonym where customer_key = $1',
  values: [key],
});

/** An account number and its pseudonymous key (null key: not yet keyed by a run). */
export const byAccountSql = (customerId: string): Sql => ({
  text: `select c.customer_id, p.customer_key
           from core.customer c left join core.customer_pseudonym p on p.customer_id = c.customer_id
          where c.customer_id = $1`,
  values: [customerId],
});

/**
 * The reference row: the account's latest month in rollup.customer_month (as
 * mart.customer), its attributes, and the data's as-of day and K.
 */
export const referenceSql = (customerId: string): Sql => ({
  text: `select cm.month::text as month, cm.customer_class, cm.segment, cm.region, cm.tariff, cm.band, cm.annual_kwh,
                case when cm.closed_on is not null and cm.closed_on <= w.as_of then 'closed' else 'active' end as status,
                w.as_of::text as as_of, s.suppression_k as k
           from rollup.customer_month cm
          cross join (select max(as_of) as as_of from rollup.month_window) w
          cross join ops.mart_settings s
          where cm.customer_id = $1
          order by cm.month desc
          limit 1`,
  values: [customerId],
});

/** The 12 months ending with `ref`, each with the same month a year before (gaps as null rows). */
export const monthsSql = (customerId: string, ref: string): Sql => ({
  text: `select m.month::date::text as month,
                coalesce(w.days_in_month, extract(day from (m.month + interval '1 month' - interval '1 day'))::integer) as days_in_month,
                cm.kwh, cm.days, cm.kwh_peak, cm.kwh_shoulder, cm.kwh_valley, cm.interval_kwh, cm.load_factor,
                ly.kwh as kwh_last_year
           from generate_series($2::date - interval '11 months', $2::date, interval '1 month') as m (month)
           left join rollup.customer_month cm on cm.customer_id = $1 and cm.month = m.month::date
           left join rollup.customer_month ly on ly.customer_id = $1 and ly.month = (m.month - interval '12 months')::date
           left join rollup.month_window w on w.month = m.month::date
          order by m.month`,
  values: [customerId, ref],
});

/**
 * Similar customers per month of the 12: those whose customer_month row of
 * that month has the segment, region and band given; the median and 25th
 * percentile of their kWh per day with readings. Computed on demand: one
 * month-index range scan of the 12 months.
 */
export const peersSql = (ref: string, segment: string, region: string, band: string): Sql => ({
  text: `select cm.month::text as month, count(*)::integer as customers,
                percentile_cont(0.5) within group (order by cm.kwh / cm.days) as median_daily_kwh,
                percentile_cont(0.25) within group (order by cm.kwh / cm.days) as efficient_daily_kwh
           from rollup.customer_month cm
          where cm.month > $1::date - interval '12 months' and cm.month <= $1::date
            and cm.segment = $2 and cm.region = $3 and cm.band = $4
            and cm.days > 0 and cm.kwh is not null
          group by cm.month`,
  values: [ref, segment, region, band],
});

/** Average kWh per local hour of day and day type over the 12 months' sub-daily days. */
export const hourlySql = (customerId: string, ref: string): Sql => ({
  text: `with m as (
           select day_type, days, kwh_by_hour from rollup.usage_month_daytype
            where customer_id = $1 and month > $2::date - interval '12 months' and month <= $2::date and days > 0
         ), d as (select day_type, sum(days) as days from m group by day_type)
         select m.day_type, (h.i - 1)::integer as hour, sum(h.kwh) / min(d.days) as kwh
           from m join d using (day_type)
          cross join lateral unnest(m.kwh_by_hour) with ordinality as h (kwh, i)
          group by m.day_type, h.i
          order by m.day_type, h.i`,
  values: [customerId, ref],
});

/** kWh of the calendar year of `ref` up to and including it (the residential tiers count per calendar year). */
export const yearToDateSql = (customerId: string, ref: string): Sql => ({
  text: `select coalesce(sum(kwh), 0)::double precision as kwh
           from rollup.customer_month
          where customer_id = $1 and month >= date_trunc('year', $2::date)::date and month <= $2::date`,
  values: [customerId, ref],
});

/** One audit row of a lookup by account number (migration 075). */
export const auditSql = (actor: string, role: string, channel: 'api' | 'batch', customerId: string, found: boolean): Sql => ({
  text: 'insert into ops.customer_lookup (actor, role, channel, customer_id, found) values ($1, $2, $3, $4, $5)',
  values: [actor, role, channel, customerId, found],
});
