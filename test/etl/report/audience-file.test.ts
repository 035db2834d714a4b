import { describe, expect, it } from 'vitest';
import { AudienceFileError, parseAudience } from '../../../etl/report/audience-file.ts';

describe('parseAudience', () => {
  it('reads customer_key with a BOM, keeps file order, drops repeats, reports bad values with their line', () => {
    const a = parseAudience('\uFEFFcustomer_key,segment\r\n12,sme\r\n7,residential\r\n12,sme\r\nabc,x\r\n');
    expect(a.column).toBe('customer_key');
    expect(a.repeats).toBe(1);
    expect(a.entries).toEqual([
      { line: 2, kind: 'key', key: 12 },
      { line: 3, kind: 'key', key: 7 },
      { line: 5, kind: 'invalid', value: 'abc', message: '"abc" is not a customer key (a positive whole number)' },
    ]);
  });

  it('reads customer_id (account numbers) when there is no key column', () => {
    const a = parseAudience('holdout,customer_id\n0,C0001\n1, C0002 \n0,\n');
    expect(a.entries).toEqual([
      { line: 2, kind: 'account', account: 'C0001' },
      { line: 3, kind: 'account', account: 'C0002' },
      { line: 4, kind: 'invalid', value: '', message: 'no account number' },
    ]);
  });

  it('prefers the key when both columns are there, and accepts the planner\'s localised headers', () => {
    expect(parseAudience('户号,客户（假名编号）,持有\nC1,5,0\n').entries).toEqual([{ line: 2, kind: 'key', key: 5 }]);
    expect(parseAudience('Account number,Segment\nC9,sme\n').entries).toEqual([{ line: 2, kind: 'account', account: 'C9' }]);
  });

  it('refuses a file without either column, naming what it found', () => {
    expect(() => parseAudience('id,segment\n1,x\n', 'list.csv')).toThrow(AudienceFileError);
    expect(() => parseAudience('id,segment\n1,x\n', 'list.csv')).toThrow(/list\.csv:1: the header has no customer_key or customer_id column \(found: id, segment\)/);
  });
});
