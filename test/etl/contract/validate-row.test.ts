import { describe, expect, it } from 'vitest';
import { BILLING, CAMPAIGNS, CUSTOMERS, type EntitySpec, SURVEYS, TICKETS, USAGE } from '../../../etl/contract/entities.ts';
import { mapHeader } from '../../../etl/contract/header.ts';
import { KEY_SEPARATOR, type RowValidatorOptions, makeRowValidator } from '../../../etl/contract/validate-row.ts';

/** A validator for files whose header is exactly `header`. */
function validatorFor<S extends EntitySpec>(spec: S, header: readonly string[], options?: RowValidatorOptions) {
  const mapped = mapHeader(spec, header);
  if (!mapped.ok) throw new Error(mapped.message);
  return makeRowValidator(spec, mapped, options);
}

const utc = (iso: string) => Date.parse(iso);
const USAGE_HEADER = ['customer_id', 'reading_start', 'interval_minutes', 'kwh', 'quality'];

describe('usage rows', () => {
  const validate = validatorFor(USAGE, USAGE_HEADER);

  it('become typed canonical rows with a key', () => {
    expect(validate(['C0001', '2026-03-01 08:15', '15', '0.532', 'Estimated'])).toEqual({
      ok: true,
      row: { customer_id: 'C0001', reading_start: utc('2026-03-01T00:15:00Z'), interval_minutes: 15, kwh: 0.532, quality: 'estimated' },
      key: ['C0001', utc('2026-03-01T00:15:00Z'), 15].join(KEY_SEPARATOR),
    });
  });

  it('apply the contract default for an empty optional field', () => {
    const result = validate(['C0001', '2026-03-01 08:15', '1440', '12', '']);
    expect(result.ok && result.row.quality).toBe('actual');
  });

  it('trim surrounding whitespace', () => {
    expect(validate([' C0001 ', ' 2026-03-01 08:15', '15 ', '\t1.5', ' actual '])).toMatchObject({ ok: true, row: { customer_id: 'C0001', kwh: 1.5 } });
  });

  it('key the same instant identically whatever its spelling (for dedupe)', () => {
    const a = validate(['C0001', '2026-03-01 08:15', '15', '1', '']);
    const b = validate(['C0001', '2026-03-01T00:15:00Z', '15', '2', '']);
    expect(a.ok && b.ok && a.key === b.key).toBe(true);
  });

  it.each([
    [['C0001', '2026-03-01 08:15', '15', '-0.125', ''], 'negative_kwh', 'kwh', 'column "kwh": "-0.125" is negative; kWh must be ≥ 0'],
    [['C0001', '2026-02-30 08:15', '15', '1', ''], 'bad_timestamp', 'reading_start', 'column "reading_start": "2026-02-30 08:15" is not a valid timestamp: February 2026 has 28 days'],
    [['C0001', '2026-03-01 08:15', '20', '1', ''], 'bad_interval', 'interval_minutes', 'column "interval_minutes": "20" is not allowed; use one of 15, 30, 60, 1440'],
    [['C0001', '2026-03-01 08:15', '15.0', '1', ''], 'bad_number', 'interval_minutes', 'column "interval_minutes": "15.0" is not a whole number: a whole number is required'],
    [['C0001', '2026-03-01 08:15', '15', '1,5', ''], 'bad_number', 'kwh', 'column "kwh": "1,5" is not a number: the decimal point must be "." (not ",")'],
    [['C0001', '2026-03-01 08:15', '15', '1', 'measured'], 'bad_enum', 'quality', 'column "quality": "measured" is not one of: actual, estimated'],
    [['', '2026-03-01 08:15', '15', '1', ''], 'missing_value', 'customer_id', 'column "customer_id" is required but empty'],
    [['C0001', '2026-03-01 08:15', '15', '   ', ''], 'missing_value', 'kwh', 'column "kwh" is required but empty'],
    [['C'.repeat(33), '2026-03-01 08:15', '15', '1', ''], 'text_too_long', 'customer_id', `column "customer_id": "${'C'.repeat(33)}" is longer than 32 characters`],
    [['C0001', '2026-03-01 08:15', '15', '1'], 'wrong_field_count', null, 'expected 5 fields as in the header, found 4 (a row cut short?)'],
    [['C0001', '2026-03-01 08:15', '15', '1', '', 'x'], 'wrong_field_count', null, 'expected 5 fields as in the header, found 6 (an unquoted comma inside a value?)'],
  ])('reject %j: %s', (fields, code, column, message) => {
    expect(validate(fields)).toEqual({ ok: false, code, column, message });
  });

  it('truncate a long bad value in the message', () => {
    const result = validate(['C0001', '2026-03-01 08:15', '15', 'x'.repeat(5000), '']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(`column "kwh": "${'x'.repeat(40)}… (5000 chars)" is not a number: expected a plain decimal number such as 12.5`);
  });

  it('reject text holding U+FFFD (undecodable bytes) or NUL as bad_encoding', () => {
    expect(validate(['C00\ufffd1', '2026-03-01 08:15', '15', '1', ''])).toMatchObject({ ok: false, code: 'bad_encoding', column: 'customer_id' });
    expect(validate(['C00\u00001', '2026-03-01 08:15', '15', '1', ''])).toMatchObject({ ok: false, code: 'bad_encoding', column: 'customer_id' });
    expect(validate(['C0001', '2026-03-01 08:15', '15', '1\ufffd', ''])).toMatchObject({ ok: false, code: 'bad_encoding', column: 'kwh' });
  });

  it('use the configured time zone for timestamps without offset', () => {
    const london = validatorFor(USAGE, USAGE_HEADER, { timeZone: 'Europe/London' });
    expect(london(['C1', '2026-07-01 08:00', '60', '1', ''])).toMatchObject({ ok: true, row: { reading_start: utc('2026-07-01T07:00:00Z') } });
  });

  it('ask the customer hook about customer_id', () => {
    const known = new Set(['C0001']);
    const checked = validatorFor(USAGE, USAGE_HEADER, { isKnownCustomer: (id) => known.has(id) });
    expect(checked(['C0001', '2026-03-01 08:15', '15', '1', '']).ok).toBe(true);
    expect(checked(['3912345678', '2026-03-01 08:15', '15', '1', ''])).toEqual({
      ok: false,
      code: 'unknown_customer',
      column: 'customer_id',
      message: 'column "customer_id": "3912345678" is not a known customer (load it in a customers file first)',
    });
    // Intrinsic problems are reported before the referential one.
    expect(checked(['3912345678', '2026-03-01 08:15', '15', '-1', ''])).toMatchObject({ code: 'negative_kwh' });
  });
});

describe('other entities', () => {
  it('customers: Chinese enum labels, booleans, dates, defaults, absent optional columns', () => {
    const validate = validatorFor(CUSTOMERS, ['customer_id', 'customer_class', 'region', 'tariff', 'opened_on', 'green_plan', 'preferred_channel', 'name']);
    expect(validate(['C1', '居民生活', '城东', '阶梯', '2019-05-01', '是', '掌上电力', '张三'])).toEqual({
      ok: true,
      key: 'C1',
      row: {
        customer_id: 'C1',
        name: '张三',
        phone: null,
        address: null,
        customer_class: 'residential',
        region: '城东',
        tariff: 'tiered',
        voltage_kv: null,
        capacity_kva: null,
        contract_type: 'standard',
        contract_end: null,
        green_plan: true,
        preferred_channel: 'app',
        opened_on: '2019-05-01',
        closed_on: null,
      },
    });
    expect(validate(['C1', 'industrial_big', '城东', '阶梯', '2019-05-01', '', '', ''])).toMatchObject({ ok: false, code: 'bad_enum', column: 'customer_class' });
    expect(validate(['C1', '大工业', '城东', '分时', '01/05/2019', '', '', ''])).toMatchObject({ ok: false, code: 'bad_date', column: 'opened_on' });
    expect(validate(['C1', '大工业', '城东', '分时', '2019-05-01', 'maybe', '', ''])).toMatchObject({ ok: false, code: 'bad_bool', column: 'green_plan' });
  });

  it('billing: period_end before period_start is date_order, naming both values', () => {
    const validate = validatorFor(BILLING, BILLING.columns.map((c) => c.name));
    const row = ['B1', 'C1', '2026-02-01', '2026-01-01', '100', '-12.50', '2026-02-02', '2026-02-20', '', ''];
    expect(validate(row)).toEqual({
      ok: false,
      code: 'date_order',
      column: 'period_end',
      message: 'column "period_end": "2026-01-01" is before period_start "2026-02-01"',
    });
    const fine = ['B1', 'C1', '2026-01-01', '2026-01-01', '100', '-12.50', '2026-02-02', '2026-02-20', '2026-02-10', '80'];
    expect(validate(fine)).toMatchObject({ ok: true, key: 'B1', row: { amount: -12.5, paid_amount: 80 } });
    // numeric(14,2) in the warehouse: a larger amount is one rejected row, not a failed COPY.
    const huge = ['B1', 'C1', '2026-01-01', '2026-01-31', '100', '1e12', '2026-02-02', '2026-02-20', '', ''];
    expect(validate(huge)).toMatchObject({ ok: false, code: 'out_of_range', column: 'amount' });
  });

  it('tickets: responses before the ticket was opened are date_order; equal is fine', () => {
    const validate = validatorFor(TICKETS, TICKETS.columns.map((c) => c.name));
    const opened = '2026-03-01 10:00';
    expect(validate(['T1', 'C1', opened, '95598热线', '投诉', '', '2026-03-01 09:00', '', ''])).toMatchObject({
      ok: false,
      code: 'date_order',
      column: 'first_response_at',
      message: 'column "first_response_at": "2026-03-01 09:00" is before opened_at "2026-03-01 10:00"',
    });
    expect(validate(['T1', 'C1', opened, 'hotline', 'complaint', '', '', '2026-03-01T01:59:59Z', ''])).toMatchObject({ code: 'date_order', column: 'resolved_at' });
    expect(validate(['T1', '', opened, '微信', '故障报修', '', opened, '2026-03-01T02:00:00Z', '5'])).toMatchObject({
      ok: true,
      row: { customer_id: null, channel: 'wechat', type: 'outage', satisfaction: 5 },
    });
  });

  it('surveys: scores 1–5 and nps 0–10 are out_of_range outside', () => {
    const validate = validatorFor(SURVEYS, ['response_id', 'responded_on', 'overall', 'nps']);
    expect(validate(['R1', '2026-03-01', '5', '0'])).toMatchObject({ ok: true, row: { overall: 5, nps: 0, customer_id: null } });
    expect(validate(['R1', '2026-03-01', '6', ''])).toEqual({ ok: false, code: 'out_of_range', column: 'overall', message: 'column "overall": "6" is out of range (allowed 1–5)' });
    expect(validate(['R1', '2026-03-01', '0', ''])).toMatchObject({ code: 'out_of_range', column: 'overall' });
    expect(validate(['R1', '2026-03-01', '3', '11'])).toEqual({ ok: false, code: 'out_of_range', column: 'nps', message: 'column "nps": "11" is out of range (allowed 0–10)' });
  });

  it('surveys: an anonymous response skips the customer hook; a named one uses it', () => {
    const validate = validatorFor(SURVEYS, ['response_id', 'customer_id', 'responded_on', 'overall'], { isKnownCustomer: () => false });
    expect(validate(['R1', '', '2026-03-01', '4']).ok).toBe(true);
    expect(validate(['R1', 'C9', '2026-03-01', '4'])).toMatchObject({ code: 'unknown_customer' });
  });

  it('campaigns: holdout defaults to false', () => {
    const validate = validatorFor(CAMPAIGNS, ['contact_id', 'campaign_id', 'offer_type', 'customer_id', 'sent_on', 'channel']);
    expect(validate(['K1', 'CAMP', 'green_plan', 'C1', '2026-03-01', '营业厅'])).toMatchObject({ ok: true, row: { holdout: false, accepted: null, channel: 'counter' } });
  });

  it('refuses a header mapped for another entity', () => {
    const mapped = mapHeader(USAGE, USAGE_HEADER);
    if (!mapped.ok) throw new Error('unexpected');
    expect(() => makeRowValidator(BILLING, mapped)).toThrow(/mapped for usage, not billing/);
  });
});
