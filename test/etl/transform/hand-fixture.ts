// A small hand-made warehouse whose mart figures are worked out by hand in
// hand-figures.db.test.ts. Local times are Asia/Shanghai (written with +08).
//
// Customers
//   H1 residential north tiered, opened 2025-01-01, daily reads (10 kWh/day in Feb, 12 in Mar)
//   H2 commercial  north, flat until 2026-03-15 then tou (history), hourly reads on
//      Mon 2 Feb (26.5 kWh), Sat 7 Feb (12), Tue 17 Feb = Spring Festival (6), Mon 2 Mar (24)
//   H3 large_industrial south tou, 15-minute reads on Mon 2 Mar (27 kWh) plus a
//      daily read the same day (100, must be ignored)
//   H4 commercial south, opened 2026-02-10, closed 2026-03-20, no readings
import type pg from 'pg';

export async function loadHandFixture(pool: pg.Pool): Promise<void> {
  await pool.query(`
    insert into core.customer (customer_id, customer_class, region, tariff, contract_type, contract_end, green_plan, preferred_channel, opened_on, closed_on) values
      ('H1', 'residential', 'north', 'tiered', 'standard', null, false, 'app', '2025-01-01', null),
      ('H2', 'commercial', 'north', 'tou', 'standard', null, false, 'hotline', '2025-01-01', null),
      ('H3', 'large_industrial', 'south', 'tou', 'long_term', '2026-06-30', false, 'hotline', '2024-06-01', null),
      ('H4', 'commercial', 'south', 'flat', 'standard', null, false, null, '2026-02-10', '2026-03-20');

    insert into core.customer_history (customer_id, valid_from, valid_to, customer_class, tariff, region, contract_type, contract_end, green_plan) values
      ('H1', '2025-01-01', null, 'residential', 'tiered', 'north', 'standard', null, false),
      ('H2', '2025-01-01', '2026-03-15', 'commercial', 'flat', 'north', 'standard', null, false),
      ('H2', '2026-03-15', null, 'commercial', 'tou', 'north', 'standard', null, false),
      ('H3', '2024-06-01', null, 'large_industrial', 'tou', 'south', 'long_term', '2026-06-30', false),
      ('H4', '2026-02-10', null, 'commercial', 'flat', 'south', 'standard', null, false);

    -- H1: daily reads at local midnight
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    select 'H1', (d::date::timestamp) at time zone 'Asia/Shanghai', 1440, case when d < '2026-03-01' then 10 else 12 end
    from generate_series(timestamp '2026-02-01', timestamp '2026-03-31', interval '1 day') d;

    -- H2 on Mon 2 Feb: 1 kWh an hour, except 0.5 at 03h and 4 at 09h
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    select 'H2', (timestamp '2026-02-02' + h * interval '1 hour') at time zone 'Asia/Shanghai', 60,
           case h when 3 then 0.5 when 9 then 4 else 1 end
    from generate_series(0, 23) h;
    -- Sat 7 Feb 0.5 an hour; Tue 17 Feb (Spring Festival) 0.25 an hour; Mon 2 Mar 1 an hour
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    select 'H2', (d + h * interval '1 hour') at time zone 'Asia/Shanghai', 60, k
    from (values (timestamp '2026-02-07', 0.5), (timestamp '2026-02-17', 0.25), (timestamp '2026-03-02', 1.0)) v(d, k)
    cross join generate_series(0, 23) h;

    -- H3 on Mon 2 Mar: 0.25 per quarter hour, 1.0 per quarter hour in 18h
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    select 'H3', (timestamp '2026-03-02' + q * interval '15 minutes') at time zone 'Asia/Shanghai', 15,
           case when q / 4 = 18 then 1.0 else 0.25 end
    from generate_series(0, 95) q;
    insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
    values ('H3', timestamptz '2026-03-02 00:00+08', 1440, 100);

    insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on, paid_on, paid_amount) values
      ('B4', 'H1', '2026-01-01', '2026-01-31', 250, 100.00, '2026-01-31', '2026-02-15', null, null),
      ('B1', 'H1', '2026-02-01', '2026-02-28', 280, 150.64, '2026-02-28', '2026-03-15', '2026-03-10', 150.64),
      ('B2', 'H2', '2026-02-01', '2026-02-28', 38.5, 24.71, '2026-02-28', '2026-03-15', '2026-03-20', 24.71),
      ('B2CR', 'H2', '2026-02-01', '2026-02-28', 0, -5.00, '2026-03-10', '2026-03-10', '2026-03-10', -5.00),
      ('B5', 'H3', '2026-02-01', '2026-02-28', 300, 200.00, '2026-02-28', '2026-03-15', '2026-03-05', 150.00),
      ('B3', 'H3', '2026-03-01', '2026-03-31', 27, 1000.00, '2026-03-31', '2026-04-15', null, null);

    insert into core.survey_response (response_id, customer_id, responded_on, channel, nps, overall, reliability, service) values
      ('S1', 'H1', '2026-02-11', 'app', 10, 5, 4, 5),
      ('S2', 'H2', '2026-02-12', 'app', 8, 4, 2, null),
      ('S3', null, '2026-02-13', 'web', 3, 2, 1, 2),
      ('S4', 'H3', '2026-02-14', 'phone', null, 3, 3, 3);

    insert into core.ticket (ticket_id, customer_id, opened_at, channel, type, first_response_at, resolved_at, satisfaction) values
      ('T1', 'H2', '2026-02-03 09:00+08', 'hotline', 'complaint', '2026-02-04 08:00+08', '2026-02-05 09:00+08', 4),
      ('T2', 'H1', '2026-02-10 10:00+08', 'app', 'complaint', '2026-02-11 11:00+08', null, null),
      ('T3', 'H3', '2026-02-12 08:00+08', 'hotline', 'outage', '2026-02-12 08:30+08', '2026-02-12 12:00+08', 5),
      ('T4', 'H3', '2026-02-12 09:00+08', 'hotline', 'outage', '2026-02-12 10:00+08', '2026-02-12 11:00+08', 2),
      ('T5', null, '2026-03-01 00:30+08', 'counter', 'inquiry', '2026-03-01 00:40+08', null, null),
      ('T6', 'H1', '2026-02-20 10:00+08', 'app', 'outage', null, null, null);

    -- campaign CMP1 (green_plan) to 100 contacts of unknown accounts: treated 60
    -- (30 responded, 15 accepted), holdout 40 (4 accepted)
    insert into core.campaign_contact (contact_id, campaign_id, campaign_name, offer_type, customer_id, sent_on, channel, holdout, responded_on, accepted)
    select 'K' || i, 'CMP1', 'green push', 'green_plan', 'X' || i, '2026-02-05', 'sms', i > 60,
           case when i <= 30 then date '2026-02-08' end,
           case when i <= 15 or i between 61 and 64 then true else false end
    from generate_series(1, 100) i;
  `);
}

/**
 * Records every core key as pending, as the ingest does for the rows it loads
 * (days in the utility's zone; bill months of every date of the bill).
 */
export async function markPending(pool: pg.Pool, where = 'true'): Promise<void> {
  await pool.query(`
    insert into rollup.pending_usage_day (customer_id, day)
    select distinct customer_id, (reading_start at time zone 'Asia/Shanghai')::date from core.usage_reading where ${where}
    on conflict do nothing`);
  await pool.query(`
    insert into rollup.pending_customer_month (customer_id, month)
    select distinct customer_id, date_trunc('month', d::timestamp)::date
    from core.bill cross join lateral (values (period_start), (period_end), (issued_on), (due_on), (paid_on)) m(d)
    where d is not null
    on conflict do nothing`);
}
