// Speed of the transform at utility scale: the mart views over N customers ×
// M months, and the rollup refresh (full and one incremental night) over a
// share of them with real readings. Run:
//   npx tsx bench/transform.bench.ts            (CUSTOMERS=100000 MONTHS=24 READING_CUSTOMERS=3000)
// Uses a throw-away database on GRIDLENS_TEST_ADMIN_URL (default: the local
// PostgreSQL service), dropped at the end. Core rows and the usage rollups of
// most customers are synthesised in SQL (the readings of 100k customers × 24
// months would be ~250M rows); READING_CUSTOMERS customers get real readings
// in core.usage_day (class mix as in the demo) for the rollup timings.

import pg from 'pg';
import { loadConfig } from '../etl/config.ts';
import { createPool } from '../etl/db/connection.ts';
import { migrate } from '../etl/db/migrate.ts';
import { createLogger } from '../etl/log.ts';
import { MARTS } from '../etl/transform/mart-catalog.ts';
import { installMarts, syncSettings } from '../etl/transform/marts.ts';
import { refreshRollups } from '../etl/transform/rollups.ts';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 100_000);
const MONTHS = Number(process.env.MONTHS ?? 24);
const READING_CUSTOMERS = Number(process.env.READING_CUSTOMERS ?? 3_000);
const ADMIN = process.env.GRIDLENS_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const NAME = `gridlens_bench_transform_${process.pid}`;
const silent = createLogger({ level: process.env.LOG === 'debug' ? 'debug' : 'silent' });

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const r = await fn();
  console.log(`${label.padEnd(44)} ${((performance.now() - t) / 1000).toFixed(2).padStart(8)} s`);
  return r;
}

// Months end with 2026-10; class by golden-ratio sequence as the generator does.
const SYNTH = `
  insert into core.customer (customer_id, customer_class, region, tariff, contract_type, green_plan, preferred_channel, opened_on, closed_on)
  select 'B' || lpad(i::text, 8, '0'), cls,
         'district ' || (i % 12),
         case cls when 'residential' then 'tiered' when 'large_industrial' then 'tou' when 'commercial' then (case when i % 20 < 9 then 'tou' else 'flat' end) else 'flat' end,
         case when cls in ('large_industrial', 'commercial') and i % 5 = 0 then 'long_term' else 'standard' end,
         i % 50 = 0, 'app',
         case when i % 40 = 0 then date '2026-11-01' - (i % 700) else date '2019-01-01' + (i % 1000) end,
         case when i % 33 = 0 then date '2026-10-31' - (i % 600) end
  from generate_series(1, ${CUSTOMERS}) i
  cross join lateral (select case when (i * 0.6180339887) % 1 < 0.88 then 'residential'
                                  when (i * 0.6180339887) % 1 < 0.97 then 'commercial'
                                  when (i * 0.6180339887) % 1 < 0.976 then 'large_industrial'
                                  else 'agricultural' end as cls) c;
  update core.customer set closed_on = null where closed_on <= opened_on;
  insert into core.customer_history (customer_id, valid_from, valid_to, customer_class, tariff, region, contract_type, contract_end, green_plan)
  select customer_id, opened_on, case when customer_key % 20 = 0 and opened_on < date '2026-03-01' then date '2026-03-01' end, customer_class,
         case when customer_key % 20 = 0 and customer_class = 'commercial' then 'flat' else tariff end, region, contract_type, null, false
  from core.customer;
  insert into core.customer_history (customer_id, valid_from, customer_class, tariff, region, contract_type, green_plan)
  select customer_id, date '2026-03-01', customer_class, tariff, region, contract_type, green_plan
  from core.customer where customer_key % 20 = 0 and opened_on < date '2026-03-01';
  insert into core.customer_pseudonym select customer_id, customer_key from core.customer;

  create temp table cm as
  select c.customer_id, c.customer_key as k, c.customer_class as cls, m::date as month,
         least(c.closed_on, (m + interval '1 month - 1 day')::date) - greatest(c.opened_on, m::date) + 1 as days
  from core.customer c
  cross join generate_series(date '2026-10-01' - interval '${MONTHS - 1} months', timestamp '2026-10-01', interval '1 month') m
  where c.opened_on <= (m + interval '1 month - 1 day')::date and (c.closed_on is null or c.closed_on >= m::date)
    and c.customer_key > ${READING_CUSTOMERS};

  insert into rollup.usage_month (customer_id, month, kwh, kwh_peak, kwh_shoulder, kwh_valley, interval_kwh, days, interval_days,
                                  readings, estimated_readings, max_kw, peak_valley_rate, first_day, last_day)
  select customer_id, month, kwh, case when iv then kwh * 0.4 end, case when iv then kwh * 0.35 end, case when iv then kwh * 0.25 end,
         case when iv then kwh end, days, case when iv then days else 0 end, days * case when cls = 'large_industrial' then 96 when iv then 24 else 1 end, 0,
         case when iv then kwh / days / 24 * 2.5 end, case when iv then 0.6 end, month, month + days - 1
  from (select *, cls in ('commercial', 'large_industrial') as iv,
               days * (case cls when 'residential' then 6 when 'commercial' then 40 when 'large_industrial' then 900 else 30 end) * (1 + (k % 17) / 10.0) as kwh
        from cm) x;
  insert into rollup.usage_month_daytype (customer_id, month, day_type, days, kwh, kwh_by_hour)
  select customer_id, month, t, d, kwh * d / days, array_fill(kwh * d / days / 24, array[24])
  from (select u.*, t, case t when 'workday' then ceil(days * 0.7)::int else days - ceil(days * 0.7)::int end as d
        from rollup.usage_month u cross join (values ('workday'), ('weekend_holiday')) v(t) where interval_days > 0) y
  where d > 0;
  insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on, paid_on, paid_amount)
  select month || customer_id, customer_id, month, month + days - 1, kwh, round((kwh * 0.6)::numeric, 2), month + days - 1, month + days + 14,
         case when k % 300 = 0 then null when k % 31 = 0 then month + days + 14 + (k % 40) else month + days + (k % 14) end,
         case when k % 300 = 0 then null else round((kwh * 0.6)::numeric, 2) end
  from (select cm.*, u.kwh from cm join rollup.usage_month u using (customer_id, month)) b;
  delete from core.bill where paid_on > date '2026-10-31';
  insert into rollup.bill_month (customer_id, month, bills, billed_kwh, billed_amount)
  select customer_id, date_trunc('month', period_end::timestamp)::date, count(*), sum(kwh), sum(amount) from core.bill group by 1, 2;
  insert into core.ticket (ticket_id, customer_id, opened_at, channel, type, first_response_at, resolved_at, satisfaction)
  select 'T' || g, 'B' || lpad((g * 7919 % ${CUSTOMERS} + 1)::text, 8, '0'),
         timestamptz '2026-10-31 12:00+08' - (g % (${MONTHS} * 30)) * interval '1 day' - (g % 600) * interval '1 minute',
         (array['hotline','app','wechat','counter','web','sms','email'])[g % 7 + 1],
         (array['inquiry','complaint','outage','service_request','suggestion','praise','outage','inquiry'])[g % 8 + 1],
         timestamptz '2026-10-31 12:00+08' - (g % (${MONTHS} * 30)) * interval '1 day' - (g % 600) * interval '1 minute' + (g % 97) * interval '7 minutes',
         case when g % 4 <> 0 then timestamptz '2026-10-31 12:00+08' - (g % (${MONTHS} * 30)) * interval '1 day' + interval '1 day' end,
         case when g % 2 = 0 then g % 5 + 1 end
  from generate_series(1, ${CUSTOMERS} * ${MONTHS} / 30) g;
  insert into core.survey_response (response_id, customer_id, responded_on, channel, nps, overall, reliability, service, price, billing, communication)
  select 'S' || g, case when g % 10 <> 0 then 'B' || lpad((g * 104729 % ${CUSTOMERS} + 1)::text, 8, '0') end,
         date '2026-10-31' - (g % (${MONTHS} * 30)), (array['phone','sms','app','web','wechat'])[g % 5 + 1],
         g % 11, g % 5 + 1, (g * 3) % 5 + 1, (g * 7) % 5 + 1, (g * 11) % 5 + 1, (g * 13) % 5 + 1, (g * 17) % 5 + 1
  from generate_series(1, ${CUSTOMERS} * ${MONTHS} / 150) g;
  insert into core.campaign_contact (contact_id, campaign_id, offer_type, customer_id, sent_on, channel, holdout, responded_on, accepted)
  select 'K' || g, 'CMP' || (g % 10), (array['discount','points','green_plan','long_term_contract','energy_audit'])[g % 5 + 1],
         'B' || lpad((g * 31 % ${CUSTOMERS} + 1)::text, 8, '0'), date '2026-10-01' - (g % 10) * 60, 'sms', g % 10 = 0,
         case when g % 4 = 0 then date '2026-10-01' - (g % 10) * 60 + 5 end, g % 7 = 0
  from generate_series(1, ${CUSTOMERS} * 2) g;
`;

// Real readings for customers 1..READING_CUSTOMERS over the months: daily
// reads (residential, agricultural), hourly (commercial), 15-minute (large industrial).
const READINGS = `
  insert into core.usage_time_zone (time_zone) values ('Asia/Shanghai') on conflict do nothing;
  insert into core.usage_day (customer_id, day, interval_minutes, offset_ms, kwh)
  select c.customer_id, t::date, v.minutes,
         array_agg((extract(epoch from t - t::date) * 1000)::integer order by t),
         array_agg(((c.customer_key * 7 + extract(epoch from t)::bigint / 60) % 97) / 10.0 order by t)
  from core.customer c
  join (values ('residential', 1440), ('agricultural', 1440), ('commercial', 60), ('large_industrial', 15)) v(cls, minutes) on v.cls = c.customer_class
  cross join generate_series(timestamp '2026-10-01' - interval '${MONTHS - 1} months', timestamp '2026-10-31 23:59', v.minutes * interval '1 minute') t
  where c.customer_key <= ${READING_CUSTOMERS} and t::date >= c.opened_on and (c.closed_on is null or t::date <= c.closed_on)
  group by c.customer_id, t::date, v.minutes;
  analyze;
`;

async function main(): Promise<void> {
  await admin(`create database ${NAME} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'`);
  const pool = createPool(ADMIN.replace(/\/[^/]*$/, `/${NAME}`), { tz: 'Asia/Shanghai', max: 2 });
  try {
    console.log(`transform bench: ${CUSTOMERS} customers × ${MONTHS} months, readings for ${READING_CUSTOMERS}; PostgreSQL ${(await pool.query('show server_version')).rows[0].server_version}`);
    await migrate(pool, undefined, { logger: silent });
    await syncSettings(pool, loadConfig({}, '/tmp'));
    await timed('synthesise core and rollups', () => pool.query(SYNTH));
    await timed('synthesise readings', () => pool.query(READINGS));
    const [{ n }] = (await pool.query('select sum(cardinality(kwh))::int as n from core.usage_day')).rows;
    console.log(`readings: ${n}`);
    const r = await timed('rollups full (readings customers)', async () => {
      // keep the synthesised rollups: rebuild only the reading customers' keys
      await pool.query(`insert into rollup.pending_usage_day select customer_id, day from core.usage_day group by 1, 2`);
      return refreshRollups(pool, { full: false, logger: silent });
    });
    console.log(`  ${r.usageDays} customer-days, ${r.customerMonths} customer-months → ${(n / 1).toLocaleString()} readings`);
    await timed('rollups, one night (one day of every reading customer)', async () => {
      await pool.query(`insert into rollup.pending_usage_day select distinct customer_id, date '2026-10-31' from core.usage_day`);
      await pool.query(`insert into rollup.pending_customer_month select customer_id, date '2026-10-01' from core.bill where period_start = '2026-10-01' on conflict do nothing`);
      return refreshRollups(pool, { full: false, logger: silent });
    });
    await pool.query('analyze');
    await timed('installMarts', () => installMarts(pool));
    for (const m of MARTS) {
      await timed(`mart.${m.name}`, async () => {
        // every row to the client, as the extract reads it
        const q = await pool.query(`select * from mart.${m.name}`);
        return q.rows.length;
      }).then((rows) => console.log(`  ${rows} rows`));
    }
  } finally {
    await pool.end();
    if (process.env.KEEP) console.log(`kept database ${NAME}`);
    else await admin(`drop database if exists ${NAME} with (force)`);
  }
}

await main();
