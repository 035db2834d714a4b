import { describe, expect, it } from 'vitest';
import { makeTimestampParser } from '../../../etl/contract/fields.ts';
import { DAY_MS, ZoneConverter, daysFromCivil, zoneConverter } from '../../../etl/contract/time-zone.ts';

const utc = (iso: string) => Date.parse(iso);

/** "Local ms" of wall-clock fields, as ZoneConverter.toUtc expects them. */
const local = (y: number, mo: number, d: number, h = 0, mi = 0) => daysFromCivil(y, mo, d) * DAY_MS + h * 3_600_000 + mi * 60_000;

/** Wall-clock text of a UTC instant in a zone, straight from Intl (the oracle). */
const formats = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string, instant: number): string {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

describe('daysFromCivil', () => {
  it('matches Date.UTC across eras, leap days and the epoch', () => {
    for (const [y, m, d] of [[1970, 1, 1], [1969, 12, 31], [2000, 2, 29], [2024, 2, 29], [1900, 3, 1], [1600, 1, 1], [2100, 12, 31], [1, 1, 1]]) {
      const expected = new Date(0).setUTCFullYear(y, m - 1, d) / DAY_MS;
      expect(daysFromCivil(y, m, d)).toBe(Math.floor(expected));
    }
  });
});

describe('ZoneConverter', () => {
  it('Asia/Shanghai is UTC+8 all year (no DST since 1991)', () => {
    const zone = zoneConverter('Asia/Shanghai');
    expect(zone.toUtc(local(2026, 1, 15, 8))).toBe(utc('2026-01-15T00:00:00Z'));
    expect(zone.toUtc(local(2026, 7, 15, 8))).toBe(utc('2026-07-15T00:00:00Z'));
  });

  it('returns one shared converter per zone', () => {
    expect(zoneConverter('Europe/London')).toBe(zoneConverter('Europe/London'));
  });

  describe('Europe/London around its DST switches (2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT)', () => {
    const zone = new ZoneConverter('Europe/London');

    it.each([
      ['winter', local(2026, 1, 15, 12), '2026-01-15T12:00:00Z'],
      ['summer', local(2026, 7, 15, 12), '2026-07-15T11:00:00Z'],
      ['spring-forward day, before the gap', local(2026, 3, 29, 0, 59), '2026-03-29T00:59:00Z'],
      ['spring-forward day, after the gap', local(2026, 3, 29, 2, 0), '2026-03-29T01:00:00Z'],
      ['spring-forward day, evening', local(2026, 3, 29, 23, 0), '2026-03-29T22:00:00Z'],
      ['fall-back day, before the fold', local(2026, 10, 25, 0, 30), '2026-10-24T23:30:00Z'],
      ['fall-back day, after the fold', local(2026, 10, 25, 2, 0), '2026-10-25T02:00:00Z'],
      ['fall-back day, evening', local(2026, 10, 25, 23, 0), '2026-10-25T23:00:00Z'],
    ])('%s', (_label, wall, iso) => {
      expect(zone.toUtc(wall)).toBe(utc(iso));
    });

    it('a non-existent time (in the spring gap) is moved forward by the gap: 01:30 → 02:30 BST, as PostgreSQL does', () => {
      expect(zone.toUtc(local(2026, 3, 29, 1, 30))).toBe(utc('2026-03-29T01:30:00Z'));
      expect(zone.toUtc(local(2026, 3, 29, 1, 0))).toBe(utc('2026-03-29T01:00:00Z'));
    });

    it('an ambiguous time (in the autumn fold) is the later instant, standard time: 01:30 → 01:30 GMT, as PostgreSQL does', () => {
      expect(zone.toUtc(local(2026, 10, 25, 1, 30))).toBe(utc('2026-10-25T01:30:00Z'));
      expect(zone.toUtc(local(2026, 10, 25, 1, 0))).toBe(utc('2026-10-25T01:00:00Z'));
      expect(zone.toUtc(local(2026, 10, 25, 1, 59))).toBe(utc('2026-10-25T01:59:00Z'));
    });

    it('timestamps with an explicit offset ignore the zone, even in the fold', () => {
      const parse = makeTimestampParser('Europe/London');
      expect(parse('2026-10-25T01:30:00+01:00')).toEqual({ ok: true, value: utc('2026-10-25T00:30:00Z') });
      expect(parse('2026-10-25 01:30')).toEqual({ ok: true, value: utc('2026-10-25T01:30:00Z') });
    });
  });

  // Property check against Intl: for every quarter hour across both 2026 switch
  // days (and a southern-hemisphere zone and a 30-minute DST zone), formatting
  // the result back to wall-clock time gives the input, except inside gaps.
  it.each(['Europe/London', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Shanghai', 'UTC'])(
    'round-trips every quarter hour of 2026 transition weeks in %s',
    (timeZone) => {
      const zone = new ZoneConverter(timeZone);
      const days = [[3, 26], [3, 27], [3, 28], [3, 29], [3, 30], [4, 4], [4, 5], [4, 6], [10, 3], [10, 4], [10, 5], [10, 24], [10, 25], [10, 26], [11, 1], [11, 2]];
      for (const [month, day] of days) {
        for (let minute = 0; minute < 24 * 60; minute += 15) {
          const wall = local(2026, month, day, 0, minute);
          const instant = zone.toUtc(wall);
          const back = wallClock(timeZone, instant);
          const wanted = wallClock('UTC', wall);
          if (back !== wanted) {
            // Only a gap may move the time, and only forwards by at most an hour.
            const shift = zone.offsetAt(instant) - zone.offsetAt(instant - 3 * 3_600_000);
            expect(shift, `${timeZone} ${wanted} → ${back}`).toBeGreaterThan(0);
            expect(instant + zone.offsetAt(instant) - wall).toBe(shift);
          }
          // In a fold the later instant is chosen: no later instant shows the same wall time.
          for (const step of [1_800_000, 3_600_000]) {
            expect(wallClock(timeZone, instant + step), `${timeZone} ${wanted}: earlier instant of a fold`).not.toBe(wanted);
          }
        }
      }
    },
  );
});
