// An incremental sequence of nights must give the same rollups and marts as a
// full rebuild of the same warehouse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDay, loadStep1, loadStep2, markStep } from './synthetic.ts';
import { assignTestPseudonyms, RELATIONS, rows, snapshots as snapshotsOf, transform, transformDatabase, type TransformDatabase } from './transform-helpers.ts';

/**
 * Marts this small synthetic warehouse (a few customers, three months, no
 * register) cannot fill: still compared, but an empty answer is expected.
 * Their own tests fill them from generated utilities: action_effect needs an
 * actions/ register (test/dashboard/data/action-effect.db.test.ts),
 * forecast_month 24 complete months (test/etl/transform/forecasts.db.test.ts),
 * detractor_followup survey cases with a next wave
 * (test/etl/transform/detractor-followup.db.test.ts).
 */
const EMPTY_IN_THIS_FIXTURE = new Set(['mart.action_effect', 'mart.forecast_month', 'mart.detractor_followup']);

let db: TransformDatabase;
const snapshots = () => snapshotsOf(db.pool);

beforeAll(async () => {
  db = await transformDatabase('tincr');
});
afterAll(async () => {
  await db?.close();
});

describe('incremental nights', () => {
  it('give the same rollups and marts as a full rebuild', async () => {
    // night 1: two months of history
    await loadStep1(db.pool);
    await assignTestPseudonyms(db.pool);
    await markStep(db.pool, 1, '2026-01-01', '2026-03-01');
    const n1 = await transform(db.pool, false);
    expect(n1.usageDays).toBe(
      (await rows<{ n: number }>(db.pool, `select count(distinct (customer_id, (reading_start at time zone 'Asia/Shanghai')::date))::int as n from core.usage_reading`))[0].n,
    );
    // night 2: March, corrections of February, payments, a closure, a tariff change
    await loadStep2(db.pool);
    await assignTestPseudonyms(db.pool);
    await markStep(db.pool, 2, '2026-03-01', '2026-04-01', [['S07', '2026-02-10'], ['S01', '2026-02-10'], ['S08', '2026-02-27'], ['S08', '2026-02-28']]);
    await transform(db.pool, false);
    // nights 3–5: one day each
    for (const day of ['2026-04-01', '2026-04-02', '2026-04-03']) {
      await loadDay(db.pool, day);
      const next = new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10);
      await markStep(db.pool, 99, day, next);
      const r = await transform(db.pool, false);
      expect(r.customerMonths).toBeGreaterThan(0);
    }
    expect(await rows(db.pool, `select (select count(*) from rollup.pending_usage_day)::int as d, (select count(*) from rollup.pending_customer_month)::int as m`)).toEqual([{ d: 0, m: 0 }]);
    const incremental = await snapshots();

    await transform(db.pool, true);
    const full = await snapshots();
    for (const rel of RELATIONS) {
      if (!EMPTY_IN_THIS_FIXTURE.has(rel)) expect(incremental[rel].length, rel).toBeGreaterThan(0);
      expect(incremental[rel], rel).toEqual(full[rel]);
    }
  });

  it('a night with nothing pending changes nothing', async () => {
    const before = await snapshots();
    expect(await transform(db.pool, false)).toEqual({ usageDays: 0, customerMonths: 0 });
    expect(await snapshots()).toEqual(before);
  });

  it('a stale rollup row is only repaired when its key is pending, and then exactly', async () => {
    await db.pool.query(`update rollup.usage_day set kwh = -1 where customer_id = 'S07' and day = '2026-03-03'`);
    await transform(db.pool, false);
    expect(await rows(db.pool, `select kwh from rollup.usage_day where customer_id = 'S07' and day = '2026-03-03'`)).toEqual([{ kwh: -1 }]);
    await db.pool.query(`insert into rollup.pending_usage_day values ('S07', '2026-03-03')`);
    await transform(db.pool, false);
    const [{ kwh }] = await rows<{ kwh: number }>(db.pool, `select kwh from rollup.usage_day where customer_id = 'S07' and day = '2026-03-03'`);
    const [{ sum }] = await rows<{ sum: number }>(db.pool,
      `select sum(kwh) as sum from core.usage_reading where customer_id = 'S07' and reading_start >= '2026-03-03 00:00+08' and reading_start < '2026-03-04 00:00+08'`);
    expect(kwh).toBe(sum);
  });
});
