// The SQL calendar and TOU periods agree with the TypeScript ones the demo
// generator and the tariff model use.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DayKind, dayKind, dayNumber, formatDay } from '../../../etl/generate/calendar.ts';
import { TOU_PERIOD_BY_HOUR } from '../../../etl/domain/tariffs.ts';
import { rows, transformDatabase, type TransformDatabase } from './transform-helpers.ts';

let db: TransformDatabase;
beforeAll(async () => {
  db = await transformDatabase('tcal');
});
afterAll(async () => {
  await db?.close();
});

it('core.calendar_day has the generator day kinds for 2015–2035', async () => {
  const r = await rows<{ day: string; day_type: string }>(db.pool,
    `select day, day_type from core.calendar_day where day between '2015-01-01' and '2035-12-31' order by day`);
  const expected = (n: number) => {
    const k = dayKind(n);
    return k === DayKind.Workday ? 'workday' : k === DayKind.Weekend ? 'weekend' : 'holiday';
  };
  const first = dayNumber(2015, 1, 1);
  const wrong = r.filter((x, i) => x.day !== formatDay(first + i) || x.day_type !== expected(first + i));
  expect(r.length).toBe(dayNumber(2036, 1, 1) - first);
  expect(wrong).toEqual([]);
});

it('rollup.tou_period matches TOU_PERIOD_BY_HOUR', async () => {
  const r = await rows<{ p: string }>(db.pool, `select rollup.tou_period(h) as p from generate_series(0, 23) h order by h`);
  expect(r.map((x) => x.p)).toEqual([...TOU_PERIOD_BY_HOUR]);
});
