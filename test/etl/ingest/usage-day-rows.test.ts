import { describe, expect, it } from 'vitest';
import { zoneConverter } from '../../../etl/contract/time-zone.ts';
import { copyEscape } from '../../../etl/ingest/copy-writer.ts';
import { UsageDayRows, dayText, type UsageDayRow, type UsageReading } from '../../../etl/ingest/usage-day-rows.ts';

const SHANGHAI = zoneConverter('Asia/Shanghai');
const HOUR = 3_600_000;
/** UTC ms of a Shanghai wall-clock time. */
const sh = (text: string) => Date.parse(`${text}+08:00`);
const day = (text: string) => Date.parse(`${text}T00:00:00Z`) / 86_400_000;

function reading(customer_id: string, start: number, kwh: number, interval_minutes = 60, quality = 'actual'): UsageReading {
  return { customer_id, reading_start: start, interval_minutes, kwh, quality };
}

function rowsOf(readings: UsageReading[], options: { last?: Record<string, string>; allowDirect?: boolean; maxOpenRows?: number; zone?: string } = {}) {
  const rows = new UsageDayRows({
    zone: zoneConverter(options.zone ?? 'Asia/Shanghai'),
    lastStoredDay: (c) => (options.last?.[c] === undefined ? undefined : day(options.last[c])),
    allowDirect: options.allowDirect ?? true,
    maxOpenRows: options.maxOpenRows,
  });
  for (const r of readings) rows.add(r);
  rows.finish();
  return rows;
}

/** A row in COPY text form, easy to read in assertions (staged rows start with their chunk). */
function textLine(row: UsageDayRow, staged: boolean): string {
  const estimated = row.estimated === null ? '\\N' : `{${row.estimated.map((e) => (e ? 't' : 'f')).join(',')}}`;
  const values = `${copyEscape(row.customer)}\t${dayText(row.day)}\t${row.interval}\t{${row.offsets.join(',')}}\t{${row.kwh.join(',')}}\t${estimated}\n`;
  return staged ? `${row.chunk}\t${values}` : values;
}
const lines = (rows: UsageDayRow[], staged = false) => rows.map((r) => textLine(r, staged));
/** COPY line → fields (the staged lines start with their chunk number). */
const fields = (line: string) => line.replace(/\n$/, '').split('\t');

describe('UsageDayRows', () => {
  it('groups a key-ordered file into one direct row per customer × local day × interval', () => {
    const rows = rowsOf([
      reading('A', sh('2026-03-01T00:00'), 1.5),
      reading('A', sh('2026-03-01T01:00'), 2.25),
      reading('A', sh('2026-03-01T23:00'), 0.125),
      reading('A', sh('2026-03-02T00:00'), 3),
      reading('B', sh('2026-03-01T00:00'), 7, 1440, 'estimated'),
    ]);
    expect(lines(rows.takeDirect()).map(fields)).toEqual([
      ['A', '2026-03-01', '60', '{0,3600000,82800000}', '{1.5,2.25,0.125}', '\\N'],
      ['A', '2026-03-02', '60', '{0}', '{3}', '\\N'],
      ['B', '2026-03-01', '1440', '{0}', '{7}', '{t}'],
    ]);
    expect(lines(rows.takeStaged(), true)).toEqual([]);
    expect({ readings: rows.readings, superseded: rows.superseded, mayRepeatKeys: rows.mayRepeatKeys }).toEqual({ readings: 5, superseded: 0, mayRepeatKeys: false });
    expect(rows.directRanges()).toEqual(expect.arrayContaining([
      { customer: 'A', from: day('2026-03-01'), to: day('2026-03-03') },
      { customer: 'B', from: day('2026-03-01'), to: day('2026-03-02') },
    ]));
    expect(rows.directRanges()).toHaveLength(2);
    expect(Object.fromEntries(rows.lastDays())).toEqual({ A: day('2026-03-02'), B: day('2026-03-01') });
  });

  it('puts a reading at 23:30 local on its local day, not its UTC day', () => {
    // 2026-03-01 23:30 in Shanghai is 15:30 UTC the same day; 2026-03-02 07:00 local is 23:00 UTC on 03-01.
    const rows = rowsOf([reading('A', sh('2026-03-01T23:30'), 1, 30), reading('A', sh('2026-03-02T07:00'), 2, 30)]);
    expect(lines(rows.takeDirect()).map((l) => fields(l).slice(1, 4))).toEqual([
      ['2026-03-01', '30', `{${23.5 * HOUR}}`],
      ['2026-03-02', '30', `{${7 * HOUR}}`],
    ]);
  });

  it('keeps the later line of a repeated reading and counts the earlier as superseded; sorts offsets', () => {
    const rows = rowsOf([
      reading('A', sh('2026-03-01T02:00'), 1),
      reading('A', sh('2026-03-01T01:00'), 2),
      reading('A', sh('2026-03-01T02:00'), 3, 60, 'estimated'),
      reading('A', sh('2026-03-01T00:00'), 4),
    ]);
    expect(lines(rows.takeDirect()).map(fields)).toEqual([['A', '2026-03-01', '60', `{0,${HOUR},${2 * HOUR}}`, '{4,2,3}', '{f,f,t}']]);
    expect(rows.superseded).toBe(1);
  });

  it('drops the estimated flags when the estimated reading was superseded by an actual one', () => {
    const rows = rowsOf([reading('A', sh('2026-03-01T02:00'), 1, 60, 'estimated'), reading('A', sh('2026-03-01T02:00'), 3)]);
    expect(lines(rows.takeDirect()).map(fields)).toEqual([['A', '2026-03-01', '60', `{${2 * HOUR}}`, '{3}', '\\N']]);
  });

  it('stages every row from the first one on or before the customer\'s last stored day', () => {
    const rows = rowsOf(
      [reading('A', sh('2026-03-05T00:00'), 1), reading('B', sh('2026-03-04T00:00'), 2), reading('C', sh('2026-03-09T00:00'), 3)],
      { last: { A: '2026-03-04', B: '2026-03-04' } },
    );
    expect(lines(rows.takeDirect()).map((l) => fields(l)[0])).toEqual(['A']);
    expect(lines(rows.takeStaged(), true).map(fields)).toEqual([
      ['1', 'B', '2026-03-04', '60', '{0}', '{2}', '\\N'],
      ['2', 'C', '2026-03-09', '60', '{0}', '{3}', '\\N'],
    ]);
    expect(rows.stagedReadings).toBe(2);
    expect(rows.directRanges()).toEqual([{ customer: 'A', from: day('2026-03-05'), to: day('2026-03-06') }]);
  });

  it('stages everything when direct rows are not allowed', () => {
    const rows = rowsOf([reading('A', sh('2026-03-05T00:00'), 1)], { allowDirect: false });
    expect(lines(rows.takeDirect())).toEqual([]);
    expect(lines(rows.takeStaged(), true)).toHaveLength(1);
  });

  it('out of key order: stages the rest in chunks and says keys may repeat', () => {
    const rows = rowsOf(
      [
        reading('B', sh('2026-03-01T00:00'), 1),
        reading('A', sh('2026-03-01T00:00'), 2), // key went backwards
        reading('C', sh('2026-03-01T00:00'), 3),
        reading('A', sh('2026-03-01T01:00'), 4), // A's row was emitted with the full map: a second chunk
      ],
      { maxOpenRows: 2 },
    );
    expect(lines(rows.takeDirect())).toEqual([]); // B was still open when the order broke
    const staged = lines(rows.takeStaged(), true).map(fields);
    expect(staged.map((f) => [f[1], f[4], f[5]])).toEqual(expect.arrayContaining([
      ['B', '{0}', '{1}'], ['A', '{0}', '{2}'], ['C', '{0}', '{3}'], ['A', `{${HOUR}}`, '{4}'],
    ]));
    expect(staged).toHaveLength(4);
    const chunks = staged.map((f) => Number(f[0]));
    expect(new Set(chunks).size).toBe(4);
    // A's later reading is in a later chunk than its earlier one.
    const chunkOf = (kwh: string) => Number(staged.find((f) => f[5] === kwh)![0]);
    expect(chunkOf('{4}')).toBeGreaterThan(chunkOf('{2}'));
    expect(rows.mayRepeatKeys).toBe(true);
  });

  it('measures offsets from the local day\'s first instant on a 23-hour DST day (Europe/London, 2026-03-29)', () => {
    const london = zoneConverter('Europe/London');
    const dayStart = Date.parse('2026-03-29T00:00:00Z'); // 00:00 GMT
    const rows = rowsOf(
      [
        reading('L', Date.parse('2026-03-29T00:30:00Z'), 1, 30), // 00:30 GMT
        reading('L', Date.parse('2026-03-29T01:00:00Z'), 2, 30), // 02:00 BST, one hour later
        reading('L', Date.parse('2026-03-29T22:30:00Z'), 3, 30), // 23:30 BST, the day's last half hour
        reading('L', Date.parse('2026-03-29T23:00:00Z'), 4, 30), // 00:00 BST on the 30th
      ],
      { zone: 'Europe/London' },
    );
    expect(london.dayStartUtc(day('2026-03-29'))).toBe(dayStart);
    expect(london.dayStartUtc(day('2026-03-30'))).toBe(Date.parse('2026-03-29T23:00:00Z'));
    expect(lines(rows.takeDirect()).map((l) => fields(l).slice(1, 5))).toEqual([
      ['2026-03-29', '30', `{${0.5 * HOUR},${HOUR},${22.5 * HOUR}}`, '{1,2,3}'],
      ['2026-03-30', '30', '{0}', '{4}'],
    ]);
  });

  it('escapes customer ids for COPY and formats days', () => {
    const rows = rowsOf([reading('A\\B\tC', sh('2026-03-01T00:00'), 1)]);
    expect(lines(rows.takeDirect())[0].startsWith('A\\\\B\\tC\t2026-03-01\t')).toBe(true);
    expect(dayText(day('1999-12-31'))).toBe('1999-12-31');
    expect(SHANGHAI.localDayOf(sh('2026-12-31T23:59:59.999'))).toBe(day('2026-12-31'));
    expect(SHANGHAI.localDayOf(sh('2027-01-01T00:00'))).toBe(day('2027-01-01'));
  });
});
