// The CHECK constraints of sql/migrations mirror the data contract. Each case runs
// in a transaction that is rolled back, so the shared run database stays clean.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../helpers/db.ts';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

const CUSTOMER = `insert into core.customer (customer_id, customer_class, region, tariff, opened_on)
                  values ('C-TEST-1', 'residential', 'north', 'tiered', '2020-01-01')`;

/** Runs `statements` in a rolled-back transaction; resolves to the error message of the last one, or null. */
async function attempt(...statements: string[]): Promise<string | null> {
  await client.query('begin');
  try {
    for (const s of statements) await client.query(s);
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.query('rollback');
  }
}

describe('contract constraints', () => {
  it('accepts a valid row of every core table', async () => {
    expect(
      await attempt(
        CUSTOMER,
        `insert into core.customer_pii (customer_id, name) values ('C-TEST-1', '张三')`,
        `insert into core.customer_history (customer_id, valid_from, customer_class, tariff, region, contract_type, green_plan)
           values ('C-TEST-1', '2020-01-01', 'residential', 'tiered', 'north', 'standard', false)`,
        `insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh) values ('C-TEST-1', '2026-03-01 00:00+08', 15, 0.25)`,
        `insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on)
           values ('B1', 'C-TEST-1', '2026-02-01', '2026-02-28', 300, -12.34, '2026-03-01', '2026-03-15')`,
        `insert into core.survey_response (response_id, responded_on, nps, overall) values ('S1', '2026-03-01', 10, 5)`,
        `insert into core.survey_comment (response_id, comment) values ('S1', '很好')`,
        `insert into core.ticket (ticket_id, opened_at, channel, type, resolved_at) values ('T1', '2026-03-01 09:00+08', 'hotline', 'outage', '2026-03-01 11:00+08')`,
        `insert into core.campaign_contact (contact_id, campaign_id, offer_type, customer_id, sent_on, channel)
           values ('K1', 'CMP1', 'green_plan', 'C-TEST-1', '2026-03-01', 'sms')`,
        `with r as (insert into ops.etl_run default values returning id)
           insert into ops.rejected_row (run_id, entity, file_name, line, reason_code, message, raw_line)
           select id, 'usage', 'usage/a.csv', 2, 'negative_kwh', 'kwh must be ≥ 0', 'C1,2026-03-01,15,-1' from r`,
      ),
    ).toBeNull();
  });

  it.each([
    ['negative kWh', `insert into core.usage_reading values ('C-TEST-1', now(), 15, -0.1, 'actual')`, 'usage_day_kwh_check'],
    ['NaN kWh', `insert into core.usage_reading values ('C-TEST-1', now(), 15, 'NaN', 'actual')`, 'usage_day_kwh_check'],
    ['an unknown interval', `insert into core.usage_reading values ('C-TEST-1', now(), 45, 1, 'actual')`, 'interval_minutes_check'],
    [
      'period_end before period_start',
      `insert into core.bill (bill_id, customer_id, period_start, period_end, kwh, amount, issued_on, due_on)
         values ('B2', 'C-TEST-1', '2026-02-28', '2026-02-01', 1, 1, '2026-03-01', '2026-03-15')`,
      'bill_check',
    ],
    ['nps 11', `insert into core.survey_response (response_id, responded_on, nps, overall) values ('S2', '2026-03-01', 11, 3)`, 'nps_check'],
    ['overall 0', `insert into core.survey_response (response_id, responded_on, overall) values ('S3', '2026-03-01', 0)`, 'overall_check'],
    [
      'a resolution before opening',
      `insert into core.ticket (ticket_id, opened_at, channel, type, resolved_at) values ('T2', '2026-03-02', 'web', 'inquiry', '2026-03-01')`,
      'ticket_check',
    ],
    [
      'an unknown customer class',
      `insert into core.customer (customer_id, customer_class, region, tariff, opened_on) values ('C2', 'industrial', 'n', 'flat', '2020-01-01')`,
      'customer_class_check',
    ],
    [
      'a 33-character customer id',
      `insert into core.customer (customer_id, customer_class, region, tariff, opened_on) values (repeat('x', 33), 'commercial', 'n', 'flat', '2020-01-01')`,
      'customer_customer_id_check',
    ],
  ])('rejects %s', async (_what, statement, constraint) => {
    expect(await attempt(CUSTOMER, statement)).toMatch(constraint);
  });
});
