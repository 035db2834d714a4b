import { describe, expect, it } from 'vitest';
import {
  type FieldResult,
  makeEnumParser,
  makeTimestampParser,
  parseBoolean,
  parseDate,
  parseInteger,
  parseNumber,
  showValue,
} from '../../../etl/contract/fields.ts';

function value<T>(result: FieldResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.value;
}

function failure<T>(result: FieldResult<T>): { code: string; message: string } {
  if (result.ok) throw new Error(`expected a failure, got ${String(result.value)}`);
  return { code: result.code, message: result.message };
}

const utc = (text: string) => Date.parse(text); // test oracle only: ISO strings with Z

describe('parseDate', () => {
  it.each(['2026-11-26', '2024-02-29', '2000-02-29', '1999-12-31', '0001-01-01', '9999-12-31'])('accepts %s unchanged', (text) => {
    expect(value(parseDate(text))).toBe(text);
  });

  it.each([
    ['2026-02-30', /"2026-02-30" is not a real date: February 2026 has 28 days/],
    ['2026-02-29', /February 2026 has 28 days/],
    ['1900-02-29', /February 1900 has 28 days/],
    ['2026-04-31', /April 2026 has 30 days/],
    ['2026-13-01', /month 13 does not exist/],
    ['2026-00-10', /month 0 does not exist/],
    ['2026-01-00', /January 2026 has 31 days/],
    ['0000-01-01', /year 0000 does not exist/],
    ['26/11/2026', /"26\/11\/2026" is not a date: expected YYYY-MM-DD/],
    ['2026/11/26', /is not a date: expected YYYY-MM-DD/],
    ['2026-1-5', /is not a date: expected YYYY-MM-DD/],
    ['20261126', /expected YYYY-MM-DD/],
    ['2026-11-26 08:00', /a date must not include a time of day/],
    ['2026-11-2x', /expected YYYY-MM-DD/],
    ['２０２６-11-26', /expected YYYY-MM-DD/],
  ])('rejects %s', (text, message) => {
    const { code, message: actual } = failure(parseDate(text));
    expect(code).toBe('bad_date');
    expect(actual).toMatch(message);
  });
});

describe('makeTimestampParser (Asia/Shanghai, the default)', () => {
  const parse = makeTimestampParser();

  it.each([
    ['2026-11-26 08:30', '2026-11-26T00:30:00Z'],
    ['2026-11-26 08:30:15', '2026-11-26T00:30:15Z'],
    ['2026-11-26T08:30', '2026-11-26T00:30:00Z'],
    ['2026-11-26T08:30:15', '2026-11-26T00:30:15Z'],
    ['2026-11-26t08:30:15', '2026-11-26T00:30:15Z'],
    ['2026-01-01 00:00', '2025-12-31T16:00:00Z'],
    ['2024-02-29 12:00', '2024-02-29T04:00:00Z'],
    ['2026-11-26 08:30:15.5', '2026-11-26T00:30:15.500Z'],
    ['2026-11-26 08:30:15.123456789', '2026-11-26T00:30:15.123Z'],
  ])('local time %s', (text, iso) => {
    expect(value(parse(text))).toBe(utc(iso));
  });

  it.each([
    ['2026-11-26T08:30:00Z', '2026-11-26T08:30:00Z'],
    ['2026-11-26T08:30:00z', '2026-11-26T08:30:00Z'],
    ['2026-11-26T08:30Z', '2026-11-26T08:30:00Z'],
    ['2026-11-26T08:30:00+08:00', '2026-11-26T00:30:00Z'],
    ['2026-11-26T08:30:00+0800', '2026-11-26T00:30:00Z'],
    ['2026-11-26T08:30:00+08', '2026-11-26T00:30:00Z'],
    ['2026-11-26T08:30:00-05:30', '2026-11-26T14:00:00Z'],
    ['2026-11-26 08:30:00+00:00', '2026-11-26T08:30:00Z'],
    ['2026-11-26T08:30:00.250+01:00', '2026-11-26T07:30:00.250Z'],
  ])('explicit offset %s', (text, iso) => {
    expect(value(parse(text))).toBe(utc(iso));
  });

  it('reads 24:00 as the end of the day (next day 00:00), also across a year end', () => {
    expect(value(parse('2026-11-26 24:00'))).toBe(value(parse('2026-11-27 00:00')));
    expect(value(parse('2026-12-31 24:00:00'))).toBe(value(parse('2027-01-01 00:00')));
    expect(value(parse('2024-02-28T24:00Z'))).toBe(utc('2024-02-29T00:00:00Z'));
  });

  it.each([
    ['2026-11-26', /the time of day is missing/],
    ['2026-02-30 10:00', /February 2026 has 28 days/],
    ['2026-11-26 24:30', /hour 24 does not exist/],
    ['2026-11-26 24:00:01', /hour 24 does not exist/],
    ['2026-11-26 25:00', /hour 25 does not exist/],
    ['2026-11-26 10:60', /minute 60 does not exist/],
    ['2026-11-26 23:59:60', /leap seconds/],
    ['2026-11-26 10:00:75', /second 75 does not exist/],
    ['2026-11-26 8:30', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26 08', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26_08:30', /expected YYYY-MM-DD HH:MM/],
    ['26/11/2026 08:30', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26 08:30:00.', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26 08:30:00.1234567890', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26T08:30:00+8', /UTC offset must be/],
    ['2026-11-26T08:30:00+08:0', /UTC offset must be/],
    ['2026-11-26T08:30:00+19:00', /out of range/],
    ['2026-11-26T08:30:00 +08:00', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26T08:30:00Zx', /expected YYYY-MM-DD HH:MM/],
    ['2026-11-26T08:30:00CST', /expected YYYY-MM-DD HH:MM/],
  ])('rejects %s', (text, message) => {
    const { code, message: actual } = failure(parse(text));
    expect(code).toBe('bad_timestamp');
    expect(actual).toMatch(message);
  });

  it('rejects an unknown zone when the parser is made', () => {
    expect(() => makeTimestampParser('Asia/Shanghia')).toThrow(/unknown time zone "Asia\/Shanghia"/);
  });
});

describe('parseNumber', () => {
  it.each([
    ['0', 0],
    ['12', 12],
    ['12.5', 12.5],
    ['-3.25', -3.25],
    ['+7', 7],
    ['.5', 0.5],
    ['5.', 5],
    ['-0', 0],
    ['-0.000', 0],
    ['0.1', 0.1],
    ['123456789.123456', 123456789.123456],
    ['1e3', 1000],
    ['2.5E-3', 0.0025],
    ['12345678901234567890', 12345678901234567890],
    ['0.30000000000000004', 0.30000000000000004],
    ['1e-400', 0],
  ])('accepts %s', (text, expected) => {
    const parsed = value(parseNumber(text));
    expect(parsed).toBe(expected);
    expect(Object.is(parsed, -0)).toBe(false);
  });

  it('agrees with Number() on many decimal strings (fast path is exact)', () => {
    for (let i = 0; i < 20000; i++) {
      const text = `${i % 3 === 0 ? '-' : ''}${Math.floor(i * 7919) % 100000}.${String((i * 104729) % 1000000).padStart(6, '0')}`;
      expect(value(parseNumber(text))).toBe(Number(text) + 0); // + 0: no −0
    }
  });

  it.each([
    ['NaN', /NaN and Infinity are not allowed/],
    ['Infinity', /NaN and Infinity/],
    ['-inf', /NaN and Infinity/],
    ['0x1F', /hexadecimal is not allowed/],
    ['1,234.5', /thousands separators are not allowed/],
    ['1,234,567', /thousands separators/],
    ['12,5', /decimal point must be "."/],
    ['1 234', /spaces are not allowed/],
    ['１２', /full-width digits/],
    ['abc', /expected a plain decimal number/],
    ['.', /expected a plain decimal number/],
    ['-', /expected a plain decimal number/],
    ['1e', /expected a plain decimal number/],
    ['e5', /expected a plain decimal number/],
    ['1.2.3', /expected a plain decimal number/],
    ['--1', /expected a plain decimal number/],
  ])('rejects %s', (text, message) => {
    const { code, message: actual } = failure(parseNumber(text));
    expect(code).toBe('bad_number');
    expect(actual).toMatch(message);
  });

  it('rejects overflow to Infinity (1e309)', () => {
    expect(failure(parseNumber('1e309'))).toEqual({ code: 'out_of_range', message: '"1e309" is too large for a number' });
    expect(failure(parseNumber('-1e309')).code).toBe('out_of_range');
  });
});

describe('parseInteger', () => {
  it.each([['0', 0], ['15', 15], ['-3', -3], ['+10', 10], ['007', 7], ['-0', 0]])('accepts %s', (text, expected) => {
    expect(Object.is(value(parseInteger(text)), expected)).toBe(true);
  });

  it.each([
    ['5.5', /"5.5" is not a whole number: a whole number is required/],
    ['5.0', /a whole number is required/],
    ['1e3', /a whole number is required/],
    ['x', /is not a whole number/],
    ['-', /is not a whole number/],
    ['0x10', /hexadecimal/],
  ])('rejects %s', (text, message) => {
    const { code, message: actual } = failure(parseInteger(text));
    expect(code).toBe('bad_number');
    expect(actual).toMatch(message);
  });

  it('rejects integers beyond 2^53', () => {
    expect(failure(parseInteger('9007199254740993')).code).toBe('out_of_range');
  });
});

describe('parseBoolean', () => {
  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'y', 'Y', '是'])('%s is true', (text) => {
    expect(value(parseBoolean(text))).toBe(true);
  });
  it.each(['false', 'FALSE', 'False', '0', 'no', 'No', 'n', 'N', '否'])('%s is false', (text) => {
    expect(value(parseBoolean(text))).toBe(false);
  });
  it.each(['t', 'f', '2', 'oui', '对', 'yes!'])('rejects %s', (text) => {
    const { code, message } = failure(parseBoolean(text));
    expect(code).toBe('bad_bool');
    expect(message).toBe(`"${text}" is not a yes/no value: use true/false, 1/0, yes/no, y/n or 是/否`);
  });
});

describe('makeEnumParser', () => {
  const parse = makeEnumParser([
    { value: 'inquiry', synonyms: ['咨询'] },
    { value: 'service_request', synonyms: ['业务办理'] },
  ]);

  it('maps canonical values and synonyms, case-insensitively', () => {
    expect(value(parse('inquiry'))).toBe('inquiry');
    expect(value(parse('INQUIRY'))).toBe('inquiry');
    expect(value(parse('Service_Request'))).toBe('service_request');
    expect(value(parse('咨询'))).toBe('inquiry');
    expect(value(parse('业务办理'))).toBe('service_request');
  });

  it('lists the allowed values when rejecting', () => {
    expect(failure(parse('complain'))).toEqual({
      code: 'bad_enum',
      message: '"complain" is not one of: inquiry (咨询), service_request (业务办理)',
    });
  });

  it('refuses a spec in which one label names two values', () => {
    expect(() => makeEnumParser([{ value: 'a', synonyms: ['x'] }, { value: 'b', synonyms: ['X'] }])).toThrow(/maps to both a and b/);
  });
});

describe('showValue', () => {
  it('quotes and truncates long values', () => {
    expect(showValue('abc')).toBe('"abc"');
    expect(showValue('x'.repeat(100))).toBe(`"${'x'.repeat(40)}… (100 chars)"`);
  });
});
