// The checks and SQL of an extract, without a database.
import { describe, expect, it } from 'vitest';
import { personalDataColumns, planExtract, type ExtractSpec, type MartColumn } from '../../../etl/extract/mart-query.ts';
import { MARTS } from '../../../etl/transform/mart-catalog.ts';

const INT8 = 20;
const INT4 = 23;
const TEXT = 25;
const DATE = 1082;
const NUMERIC = 1700;
const TIMESTAMPTZ = 1184;

const cols = (...c: [string, number][]): MartColumn[] => c.map(([name, oid]) => ({ name, oid }));
const SEG: ExtractSpec = { name: 'seg', grain: ['month', 'segment'], customersColumn: 'customers', description: '' };
const SEG_COLS = cols(['month', DATE], ['segment', TEXT], ['customers', INT8], ['kwh', NUMERIC]);

describe('personalDataColumns', () => {
  it('flags personal data and source record ids, not ordinary names', () => {
    expect(
      personalDataColumns([
        'customer_id', 'Name', 'phone', 'contact_phone', 'billing_address', 'comment', 'raw_line', 'email', 'ticket_id',
        'old_customer_id', 'mobile_no',
        'customer_key', 'campaign_name', 'campaign_id', 'segment', 'region', 'kwh', 'telemetry', 'addresses_count',
      ]),
    ).toEqual(['customer_id', 'Name', 'phone', 'contact_phone', 'billing_address', 'comment', 'raw_line', 'email', 'ticket_id', 'old_customer_id', 'mobile_no']);
  });

  it('passes every grain column of the mart catalog', () => {
    expect(personalDataColumns(MARTS.flatMap((m) => [...m.grain, ...(m.customersColumn ? [m.customersColumn] : [])]))).toEqual([]);
  });
});

describe('planExtract', () => {
  it('reads the per-customer mart as it is, ordered by its grain', () => {
    const spec: ExtractSpec = { name: 'customer', grain: ['customer_key'], customersColumn: null, description: '' };
    const plan = planExtract(spec, cols(['customer_key', INT4], ['segment', TEXT]), 15);
    expect(plan.suppressed).toBe(false);
    expect(plan.sql).toBe('select "customer_key", "segment" from mart."customer" order by "customer_key"');
  });

  it('nulls every non-grain column of cells under K and adds `suppressed`', () => {
    const plan = planExtract(SEG, SEG_COLS, 15);
    expect(plan.sql).toBe(
      'select q."month", q."segment", ' +
        'case when q.gridlens__suppressed then null else q."customers" end as "customers", ' +
        'case when q.gridlens__suppressed then null else q."kwh" end as "kwh", ' +
        'q.gridlens__suppressed as suppressed ' +
        'from (select m.*, (coalesce(m."customers" < 15, true)) as gridlens__suppressed from mart."seg" m) q order by "month", "segment"',
    );
  });

  it('adds the dominance rule and leaves the dominance column out', () => {
    const plan = planExtract({ ...SEG, dominanceColumn: 'top_share' }, [...SEG_COLS, { name: 'top_share', oid: NUMERIC }], 10);
    expect(plan.sql).toContain('(coalesce(m."customers" < 10, true) or coalesce(m."top_share" > 0.15, false))');
    expect(plan.sql).not.toMatch(/q\."top_share"/);
  });

  it.each([
    ['a missing grain column', SEG, cols(['month', DATE], ['customers', INT8]), /lacks grain column "segment"/],
    ['a missing customers column', SEG, cols(['month', DATE], ['segment', TEXT]), /lacks its customers column "customers"/],
    ['a text customers column', SEG, cols(['month', DATE], ['segment', TEXT], ['customers', TEXT]), /counts customers but has type text/],
    ['its own suppressed column', SEG, [...SEG_COLS, { name: 'suppressed', oid: 16 }], /has a column "suppressed"/],
    ['a timestamp column', SEG, [...SEG_COLS, { name: 'at', oid: TIMESTAMPTZ }], /mart\.seg: column "at" has type timestamptz/],
    ['a personal-data column', SEG, [...SEG_COLS, { name: 'address', oid: TEXT }], /address that look like personal data/],
  ])('refuses %s', (_what, spec, columns, message) => {
    expect(() => planExtract(spec, columns, 15)).toThrow(message);
  });
});
