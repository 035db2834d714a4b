// Hours of day on DST days: readings are stored by offset from the local day's
// first instant (core.usage_day), and the rollup reads the hour from the
// instant. On Europe/London's 23-hour day (2026-03-29) the reading one hour
// after midnight is 02:00 BST; on the 25-hour day (2026-10-25) hour 01 occurs
// twice. Plain days take the arithmetic path (hour = offset ÷ 1 h): both must
// agree with the instants.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transform, transformDatabase, type TransformDatabase } from './transform-helpers.ts';

let db: TransformDatabase;
const LONDON = { GRIDLENS_TZ: 'Europe/London' };

beforeAll(async () => {
  db = await transformDatabase('dst_day');
  await db.pool.query(`update ops.mart_settings set time_zone = 'Europe/London'`);
  await db.pool.query(`insert into core.customer (customer_id, customer_class, region, tariff, opened_on) values ('L1', 'residential', 'r', 'tiered', '2020-01-01')`);
  // Every half hour of three local days: 23 h, 24 h and 25 h long; kWh = 1 + the UTC hour, so each hour's sum is known.
  await db.pool.query(
    `insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh)
     select 'L1', t, 30, 1 + extract(hour from t at time zone 'UTC')
     from generate_series(timestamptz '2026-03-29 00:00+00', timestamptz '2026-03-29 22:30+00', interval '30 minutes') t
     union all
     select 'L1', t, 30, 1 + extract(hour from t at time zone 'UTC')
     from generate_series(timestamptz '2026-06-01 00:00+01', timestamptz '2026-06-01 23:30+01', interval '30 minutes') t
     union all
     select 'L1', t, 30, 1 + extract(hour from t at time zone 'UTC')
     from generate_series(timestamptz '2026-10-25 00:00+01', timestamptz '2026-10-25 23:30+00', interval '30 minutes') t`,
  );
  await db.pool.query(`insert into rollup.pending_usage_day values ('L1', '2026-03-29'), ('L1', '2026-06-01'), ('L1', '2026-10-25')`);
  await transform(db.pool, false, LONDON);
}, 120_000);
afterAll(async () => {
  await db?.close();
});

/** Expected kWh per local hour 0..23 from the instants, computed here. */
function expectedHours(readings: { at: Date; kwh: number }[]): number[] {
  const hours = new Array<number>(24).fill(0);
  const hourOf = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', hourCycle: 'h23' });
  for (const r of readings) hours[Number(hourOf.format(r.at))] += r.kwh;
  return hours;
}

describe('usage_day on DST days (Europe/London)', () => {
  it.each([
    ['2026-03-29', 46],
    ['2026-06-01', 48],
    ['2026-10-25', 50],
  ])('%s: %i readings, each in its local hour', async (day, count) => {
    const readings = (await db.pool.query<{ at: Date; kwh: number }>(
      `select reading_start as at, kwh from core.usage_reading
       where customer_id = 'L1' and (reading_start at time zone 'Europe/London')::date = $1`, [day])).rows;
    expect(readings).toHaveLength(count);
    const [row] = (await db.pool.query(`select readings, kwh, kwh_by_hour from rollup.usage_day where customer_id = 'L1' and day = $1`, [day])).rows;
    expect(row.readings).toBe(count);
    expect(row.kwh).toBe(readings.reduce((s, r) => s + r.kwh, 0));
    expect(row.kwh_by_hour).toEqual(expectedHours(readings));
  });

  it('stores the short day\'s readings by offset from its first instant', async () => {
    const [row] = (await db.pool.query(`select offset_ms from core.usage_day where customer_id = 'L1' and day = '2026-03-29'`)).rows;
    expect(row.offset_ms).toHaveLength(46);
    expect(row.offset_ms.at(-1)).toBe(22.5 * 3_600_000); // 23:30 BST is 22.5 h after 00:00 GMT
  });
});
