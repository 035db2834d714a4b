import { describe, expect, it } from 'vitest';
import { BILLING, USAGE } from '../../../etl/contract/entities.ts';
import { mapHeader } from '../../../etl/contract/header.ts';

describe('mapHeader', () => {
  it('maps columns in any order, trimmed, case-insensitive, BOM stripped', () => {
    const result = mapHeader(USAGE, ['\ufeff KWH', 'Customer_ID ', 'interval_minutes', 'reading_start']);
    expect(result).toEqual({
      ok: true,
      entity: 'usage',
      fieldCount: 4,
      // spec order: customer_id, reading_start, interval_minutes, kwh, quality
      fieldIndex: [1, 3, 2, 0, -1],
      indexOf: { kwh: 0, customer_id: 1, interval_minutes: 2, reading_start: 3 },
      warnings: [],
    });
  });

  it('warns about unknown and unnamed columns and ignores them', () => {
    const result = mapHeader(USAGE, ['customer_id', 'reading_start', 'meter_no', 'interval_minutes', 'kwh', '', 'meter_no']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fieldCount).toBe(7);
    expect(result.fieldIndex).toEqual([0, 1, 3, 4, -1]);
    expect(result.warnings).toEqual([
      'usage file: unknown column "meter_no" is ignored',
      'usage file: column 6 has no name and is ignored',
      'usage file: unknown column "meter_no" is ignored',
    ]);
  });

  it('rejects the file naming the missing required column', () => {
    expect(mapHeader(USAGE, ['customer_id', 'reading_start', 'interval_minutes', 'quality'])).toEqual({
      ok: false,
      code: 'missing_required_column',
      message: 'usage file is missing required column "kwh"',
      missing: ['kwh'],
    });
  });

  it('names every missing required column', () => {
    const result = mapHeader(BILLING, ['bill_id', 'customer_id', 'kwh', 'amount', 'issued_on', 'due_on']);
    expect(result).toMatchObject({
      ok: false,
      code: 'missing_required_column',
      message: 'billing file is missing required columns "period_start", "period_end"',
      missing: ['period_start', 'period_end'],
    });
  });

  it('hints at a missing header row when no column matches', () => {
    const result = mapHeader(USAGE, ['C0001', '2026-01-01 00:00', '15', '0.5', 'actual']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/is the first line the header row\?/);
  });

  it('rejects a contract column that appears twice (ambiguous), naming it', () => {
    expect(mapHeader(USAGE, ['customer_id', 'reading_start', 'interval_minutes', 'kwh', 'KWH'])).toEqual({
      ok: false,
      code: 'duplicate_column',
      message: 'usage file has column "kwh" more than once; keep one copy',
      missing: [],
    });
  });

  it.each([
    ['customer_id;reading_start;interval_minutes;kwh', '";"'],
    ['customer_id\treading_start\tinterval_minutes\tkwh', 'tab'],
  ])('recognises a wrong delimiter', (line, delimiter) => {
    expect(mapHeader(USAGE, [line])).toMatchObject({ ok: false, code: 'not_csv', message: `usage file uses ${delimiter} as delimiter; the contract requires commas` });
  });
});
