// The fast usage line reader must only ever accept what the general path
// accepts, with the very same values: every combination of plain and tricky
// field spellings is read both ways and compared.

import { describe, expect, it } from 'vitest';
import { USAGE } from '../../../etl/contract/entities.ts';
import { mapHeader } from '../../../etl/contract/header.ts';
import { zoneConverter } from '../../../etl/contract/time-zone.ts';
import { makeRowValidator } from '../../../etl/contract/validate-row.ts';
import { CsvParser } from '../../../etl/ingest/csv-parser.ts';
import { fastUsageHeader, makeUsageLineReader } from '../../../etl/ingest/usage-fast-lines.ts';

const KNOWN = new Set(['A1', 'C-001', 'A\\B', 'x'.repeat(32), 'x'.repeat(33)]);
const CUSTOMERS = ['A1', 'C-001', 'A\\B', 'UNKNOWN', 'x'.repeat(32), 'x'.repeat(33), ' A1', 'A1 ', '"A1"', '张三', ''];
const TIMESTAMPS = [
  '2026-03-01 00:00', '2026-03-01T00:15', '2026-03-01t00:15', '2026-03-01 23:59:59', '2024-02-29 12:00', '2026-02-29 00:00',
  '2026-03-01 24:00', '2026-03-01 23:59:60', '2026-3-01 00:00', '2026-03-01 00:00Z', '2026-03-01 00:00+08:00', '2026-03-01 00:00:00.5',
  '0000-01-01 00:00', '2026-13-01 00:00', '2026-03-01 25:00', '2026-03-01 00:60', '2026-03-29 01:30', '2026-10-25 01:30', '',
];
const INTERVALS = ['15', '30', '60', '1440', '45', '015', '1440.0', '+15', ' 15', '14400', ''];
const KWH = ['0', '0.5', '.5', '5.', '1.25', '123456789012345', '1234567890123456', '0.12345678901234', '1e3', '-1', '+1', '1,5', 'NaN', '', '00012.50', '.'];
const QUALITIES = ['', 'actual', 'estimated', 'Actual', 'x', ' actual', 'estimated '];

function compare(timeZone: string, withQuality: boolean) {
  const headerFields = ['customer_id', 'reading_start', 'interval_minutes', 'kwh', ...(withQuality ? ['quality'] : [])];
  const header = mapHeader(USAGE, headerFields);
  if (!header.ok) throw new Error(header.message);
  expect(fastUsageHeader(header)).toBe(true);
  const validate = makeRowValidator(USAGE, header, { timeZone, isKnownCustomer: (id) => KNOWN.has(id) });
  let got: unknown[] | null = null;
  const read = makeUsageLineReader(withQuality, {
    zone: zoneConverter(timeZone),
    isKnownCustomer: (id) => KNOWN.has(id),
    add: (customer, t, interval, kwh, estimated) => (got = [customer, t, interval, kwh, estimated]),
  });
  let accepted = 0;
  let lines = 0;
  for (const customer of CUSTOMERS) for (const ts of TIMESTAMPS) for (const interval of INTERVALS) for (const kwh of KWH) {
    for (const quality of withQuality ? QUALITIES : [null]) {
      const line = [customer, ts, interval, kwh, ...(quality === null ? [] : [quality])].join(',');
      lines++;
      got = null;
      // The reader sees the line inside a longer text, as in a chunk.
      const text = `junk\n${line}\nA1,2026-03-01 00:00,15,1\n`;
      const ok = read(text, 5, 5 + line.length);
      const records = new CsvParser().push(`${line}\n`);
      const general = records.length === 1 && records[0].error === null ? validate(records[0].fields) : null;
      if (!ok) {
        expect(got).toBeNull();
        continue;
      }
      accepted++;
      expect(general?.ok, line).toBe(true);
      if (general?.ok) {
        const r = general.row;
        expect(got, line).toEqual([r.customer_id, r.reading_start, r.interval_minutes, r.kwh, r.quality === 'estimated']);
      }
    }
  }
  return { lines, accepted };
}

describe('fast usage line reader', () => {
  it.each([
    ['Asia/Shanghai', true],
    ['Asia/Shanghai', false],
    ['Europe/London', true],
  ] as const)('accepts only what the general validator accepts, with equal values (%s, quality column: %s)', (zone, withQuality) => {
    const { lines, accepted } = compare(zone, withQuality);
    // The plain spellings must take the fast path: 4 customers × 7 timestamps × 4 intervals × ≥ 8 kWh forms (× 3 qualities).
    expect(accepted).toBeGreaterThanOrEqual(4 * 7 * 4 * 8 * (withQuality ? 3 : 1));
    expect(accepted).toBeLessThan(lines);
  });

  it('is used only for the contract\'s column order', () => {
    const map = (fields: string[]) => {
      const h = mapHeader(USAGE, fields);
      if (!h.ok) throw new Error(h.message);
      return fastUsageHeader(h);
    };
    expect(map(['customer_id', 'reading_start', 'interval_minutes', 'kwh'])).toBe(true);
    expect(map(['reading_start', 'customer_id', 'interval_minutes', 'kwh'])).toBe(false);
    expect(map(['customer_id', 'reading_start', 'interval_minutes', 'kwh', 'quality', 'meter_no'])).toBe(false);
    expect(map(['customer_id', 'reading_start', 'interval_minutes', 'kwh', 'meter_no'])).toBe(false);
  });
});
