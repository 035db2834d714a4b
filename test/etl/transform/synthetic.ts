// A deterministic synthetic warehouse loaded in steps, as nightly runs would
// load it, for the "incremental == full rebuild" tests. Every row a step writes
// carries run_id = step (where the table has one), and markStep records the
// keys that step touched, as the ingest does.
import type pg from 'pg';

/** kWh from a hash, a multiple of 1/8 so sums are exact whatever their order. */
const eighths = (expr: string, range: number) => `((abs(hashtext(${expr})) % ${range})::double precision / 8)`;

export async function loadStep1(pool: pg.Pool): Promise<void> {
  await pool.query(`
    insert into core.customer (customer_id, customer_class, region, tariff, contract_type, contract_end, green_plan, opened_on, closed_on, run_id)
    select 'S' || lpad(i::text, 2, '0'),
           (array['residential','residential','residential','residential','residential','residential','commercial','commercial','large_industrial','agricultural'])[i % 10 + 1],
           (array['north','south','east'])[i % 3 + 1],
           case when i % 10 in (6, 7) then (case when i % 4 = 0 then 'tou' else 'flat' end)
                when i % 10 = 8 then 'tou' when i % 10 = 9 then 'flat' else 'tiered' end,
           case when i % 10 = 8 then 'long_term' else 'standard' end,
           case when i % 10 = 8 then date '2026-07-31' end,
           i % 7 = 0,
           case when i in (11, 23) then date '2026-02-12' else date '2025-06-01' end,
           null, 1
    from generate_series(1, 40) i;
    insert into core.customer_history (customer_id, valid_from, customer_class, tariff, region, contract_type, contract_end, green_plan, run_id)
    select customer_id, opened_on, customer_class, tariff, region, contract_type, contract_end, green_plan, 1 from core.customer;
  `);
  await usage(pool, `timestamp '2026-01-01'`, `timestamp '2026-02-28'`);
  await pool.query(`
    insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on, paid_on, paid_amount, run_id)
    select m::date || c.customer_id, c.customer_id, m::date, (m + interval '1 month - 1 day')::date, 100 + i, 50 + i * 1.25,
           (m + interval '1 month - 1 day')::date, (m + interval '1 month + 14 days')::date,
           case when m < '2026-02-01' and i % 9 <> 0 then (m + interval '1 month + 10 days')::date end,
           case when m < '2026-02-01' and i % 9 <> 0 then 50 + i * 1.25 end, 1
    from core.customer c
    cross join lateral (select substr(c.customer_id, 2)::int as i) n
    cross join generate_series(timestamp '2026-01-01', timestamp '2026-02-01', interval '1 month') m
    where c.opened_on <= (m + interval '1 month - 1 day')::date;
    insert into core.ticket (ticket_id, customer_id, opened_at, channel, type, first_response_at, resolved_at, satisfaction, run_id)
    select 'T' || g, 'S' || lpad((g % 40 + 1)::text, 2, '0'),
           timestamptz '2026-01-01 08:00+08' + g * interval '13 hours',
           (array['hotline','app','wechat'])[g % 3 + 1], (array['complaint','outage','inquiry','outage'])[g % 4 + 1],
           timestamptz '2026-01-01 08:00+08' + g * interval '13 hours' + (g % 7) * interval '11 minutes',
           case when g % 5 <> 0 then timestamptz '2026-01-01 08:00+08' + g * interval '13 hours' + interval '3 hours' end,
           case when g % 2 = 0 then g % 5 + 1 end, 1
    from generate_series(1, 100) g;
    insert into core.survey_response (response_id, customer_id, responded_on, channel, nps, overall, reliability, price, run_id)
    select 'V' || g, case when g % 6 <> 0 then 'S' || lpad((g % 40 + 1)::text, 2, '0') end, date '2026-02-01' + g % 27,
           (array['app','web','phone'])[g % 3 + 1], g % 11, g % 5 + 1, (g * 7) % 5 + 1, (g * 3) % 5 + 1, 1
    from generate_series(1, 30) g;
  `);
}

async function usage(pool: pg.Pool, from: string, to: string): Promise<void> {
  await pool.query(`
    -- daily reads: residential and agricultural
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    select c.customer_id, d at time zone 'Asia/Shanghai', 1440, 4 + ${eighths(`c.customer_id || d::text`, 64)}
    from core.customer c cross join generate_series(${from}, ${to}, interval '1 day') d
    where c.customer_class in ('residential', 'agricultural') and d::date >= c.opened_on and (c.closed_on is null or d::date <= c.closed_on);
    -- hourly: commercial; 15-minute: large industrial
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    select c.customer_id, t at time zone 'Asia/Shanghai', v.minutes, ${eighths(`c.customer_id || t::text`, 40)}
    from core.customer c
    join (values ('commercial', 60), ('large_industrial', 15)) v(cls, minutes) on v.cls = c.customer_class
    cross join generate_series(${from}, ${to} + interval '1 day' - interval '1 minute', v.minutes * interval '1 minute') t
    where t::date >= c.opened_on and (c.closed_on is null or t::date <= c.closed_on);
  `);
}

export async function loadStep2(pool: pg.Pool): Promise<void> {
  await pool.query(`
    -- a new account, a closure, a tariff change from 1 March
    insert into core.customer (customer_id, customer_class, region, tariff, opened_on, run_id)
    values ('S41', 'commercial', 'east', 'flat', '2026-03-05', 2);
    insert into core.customer_history (customer_id, valid_from, customer_class, tariff, region, contract_type, contract_end, green_plan, run_id)
    values ('S41', '2026-03-05', 'commercial', 'flat', 'east', 'standard', null, false, 2);
    update core.customer set closed_on = '2026-03-20', run_id = 2 where customer_id = 'S05';
    update core.customer set tariff = 'tou', run_id = 2 where customer_id = 'S06';
    update core.customer_history set valid_to = '2026-03-01', run_id = 2 where customer_id = 'S06';
    insert into core.customer_history (customer_id, valid_from, customer_class, tariff, region, contract_type, contract_end, green_plan, run_id)
    select customer_id, '2026-03-01', customer_class, 'tou', region, contract_type, contract_end, green_plan, 2 from core.customer where customer_id = 'S06';
  `);
  await usage(pool, `timestamp '2026-03-01'`, `timestamp '2026-03-31'`);
  await pool.query(`
    -- corrected readings of 10 February (S07 hourly, S01 daily) and a late 15-minute day of S08 re-sent
    update core.usage_reading set kwh = kwh + 1
    where customer_id in ('S07', 'S01') and reading_start >= '2026-02-10 00:00+08' and reading_start < '2026-02-11 00:00+08';
    update core.usage_reading set kwh = 0
    where customer_id = 'S08' and reading_start >= '2026-02-27 12:00+08' and reading_start < '2026-02-28 03:00+08';
    -- February bills paid (some late), March bills, a credit note on a January bill
    update core.bill set paid_on = case when substr(customer_id, 2)::int % 4 = 0 then date '2026-03-25' else date '2026-03-10' end,
                         paid_amount = amount, run_id = 2
    where period_start = '2026-02-01' and substr(customer_id, 2)::int % 6 <> 0;
    insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on, paid_on, paid_amount, run_id)
    select '2026-03-01' || c.customer_id, c.customer_id, '2026-03-01', coalesce(least(c.closed_on, '2026-03-31'), '2026-03-31'), 120, 80.5,
           '2026-03-31', '2026-04-15', null, null, 2
    from core.customer c;
    insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on, paid_on, paid_amount, run_id)
    values ('2026-01-01S03CR', 'S03', '2026-01-01', '2026-01-31', 0, -7.25, '2026-03-10', '2026-03-10', '2026-03-10', -7.25, 2);
    -- tickets: a February ticket answered later, March tickets
    update core.ticket set first_response_at = opened_at + interval '2 days', run_id = 2 where ticket_id = 'T90';
    insert into core.ticket (ticket_id, customer_id, opened_at, channel, type, first_response_at, run_id)
    select 'U' || g, 'S' || lpad((g % 41 + 1)::text, 2, '0'), timestamptz '2026-03-01 00:30+08' + g * interval '17 hours', 'app',
           (array['complaint','outage'])[g % 2 + 1], timestamptz '2026-03-01 00:30+08' + g * interval '17 hours' + g * interval '9 minutes', 2
    from generate_series(1, 30) g;
    insert into core.survey_response (response_id, customer_id, responded_on, channel, nps, overall, run_id)
    select 'W' || g, 'S' || lpad((g % 41 + 1)::text, 2, '0'), date '2026-03-03' + g, 'sms', (g * 5) % 11, (g * 2) % 5 + 1, 2
    from generate_series(1, 20) g;
    insert into core.campaign_contact (contact_id, campaign_id, offer_type, customer_id, sent_on, channel, holdout, responded_on, accepted, run_id)
    select 'K' || c.customer_id, 'C1', 'green_plan', c.customer_id, '2026-03-02', 'sms', substr(c.customer_id, 2)::int % 4 = 0,
           case when substr(c.customer_id, 2)::int % 3 = 0 then date '2026-03-09' end, substr(c.customer_id, 2)::int % 5 = 0, 2
    from core.customer c;
  `);
}

/** A night of one day's readings (step 3 and later). */
export async function loadDay(pool: pg.Pool, day: string): Promise<void> {
  await usage(pool, `timestamp '${day}'`, `timestamp '${day}'`);
}

/** Keys touched by a step: readings in [from, to) local, corrected days, bills of the run. */
export async function markStep(pool: pg.Pool, step: number, readingsFrom: string, readingsTo: string, extraDays: [string, string][] = []): Promise<void> {
  await pool.query(
    `insert into rollup.pending_usage_day (customer_id, day)
     select distinct customer_id, (reading_start at time zone 'Asia/Shanghai')::date from core.usage_reading
     where reading_start >= $1::timestamp at time zone 'Asia/Shanghai' and reading_start < $2::timestamp at time zone 'Asia/Shanghai'
     on conflict do nothing`,
    [readingsFrom, readingsTo],
  );
  for (const [customer, day] of extraDays) {
    await pool.query(`insert into rollup.pending_usage_day values ($1, $2) on conflict do nothing`, [customer, day]);
  }
  await pool.query(
    `insert into rollup.pending_customer_month (customer_id, month)
     select distinct customer_id, date_trunc('month', d::timestamp)::date
     from core.bill cross join lateral (values (period_start), (period_end), (issued_on), (due_on), (paid_on)) m(d)
     where d is not null and run_id = $1
     on conflict do nothing`,
    [step],
  );
}
