// High-bill warnings (sql/alerts/high_bill_*.sql, rollup.high_bill_alert, the
// high_bill rows of mart.usage_alert):
// - the SQL tariff twin rollup.bill_amount prices like tariffs.ts billAmount();
// - on the demo utility the warning finds the high bills the generator planted
//   (precision and recall from truth.json, printed), with the driver truth.json
//   expects and, at the month's end, the planted bill itself as the projection;
// - over nightly runs on hand-made accounts: a tier jump and a TOU peak shift
//   are warned with figures computed here from the catalogue prices, a rise
//   below the margin is not, a warning resolves when the projection falls back,
//   reopens, and resolves when the month ends; a full rebuild judges the as-of
//   day only.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billAmount, RESIDENTIAL_TIERS as T, residentialTieredCharge, TOU_INDEX_BY_HOUR, TOU_PRICE, type CustomerClass, type Tariff } from '../../../etl/domain/tariffs.ts';
import { generatedInbox, readTruth } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../run/pipeline-helpers.ts';

const SECRET = { GRIDLENS_PSEUDONYM_SECRET: 'high-bill-test-secret-0123456789' };

interface Warning {
  customer_id: string; month: string; first_seen: string; last_seen: string; flagged_days: number; status: string; resolved_on: string | null;
  projected_amount: string; usual_amount: string; threshold: string; projected_kwh: number; driver: string; days_read: number;
}
const WARNINGS = `select customer_id, month::text, first_seen::text, last_seen::text, flagged_days, status, resolved_on::text,
                         projected_amount::text, usual_amount::text, threshold::text, projected_kwh, driver, days_read
                    from rollup.high_bill_alert order by customer_id, month`;

describe('the demo utility (2,000 accounts × 24 months, seed 1)', () => {
  let p: Pipeline;
  let inbox: string;
  beforeAll(async () => {
    inbox = generatedInbox({ customers: 2000, months: 24, seed: 1, end: '2026-10' });
    p = await pipelineDatabase('high-bill');
    const r = await etl(p, ['run', '--inbox', inbox, '--json'], SECRET);
    expect(r.code, r.stderr).toBe(0);
  }, 900_000);
  afterAll(async () => p?.close());

  it('rollup.bill_amount prices 2,000 random bills exactly as tariffs.ts billAmount()', async () => {
    const classes: CustomerClass[] = ['large_industrial', 'commercial', 'residential', 'agricultural'];
    const tariffs: Tariff[] = ['flat', 'tiered', 'tou'];
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const rows = Array.from({ length: 2000 }, () => {
      const cls = classes[Math.floor(rnd() * 4)];
      const tariff = tariffs[Math.floor(rnd() * 3)];
      const peak = Math.round(rnd() * 5_000_000) / 1000;
      const shoulder = Math.round(rnd() * 5_000_000) / 1000;
      const valley = Math.round(rnd() * 5_000_000) / 1000;
      const kwh = tariff === 'tou' ? peak + shoulder + valley : Math.round(rnd() * 3_000_000) / 1000;
      const before = Math.round(rnd() * 6_000_000) / 1000;
      const capacity = rnd() < 0.3 ? null : Math.round(rnd() * 2000);
      const fraction = rnd() < 0.5 ? 1 : Math.round(rnd() * 1000) / 1000;
      return { cls, tariff, kwh, peak, shoulder, valley, before, capacity, fraction };
    });
    const { rows: priced } = await p.pool.query<{ amount: string }>(
      `select rollup.bill_amount(c, t, k, pk, sh, va, b, cap, f)::text as amount
         from unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[])
              with ordinality as x(c, t, k, pk, sh, va, b, cap, f, n) order by n`,
      [rows.map((r) => r.cls), rows.map((r) => r.tariff), rows.map((r) => r.kwh), rows.map((r) => r.peak), rows.map((r) => r.shoulder),
       rows.map((r) => r.valley), rows.map((r) => r.before), rows.map((r) => r.capacity), rows.map((r) => r.fraction)]);
    let exact = 0;
    rows.forEach((r, i) => {
      const ts = billAmount({ customerClass: r.cls, tariff: r.tariff, kwh: r.kwh, tou: { peak: r.peak, shoulder: r.shoulder, valley: r.valley },
        kwhBeforeThisYear: r.before, capacityKva: r.capacity, monthFraction: r.fraction });
      // both round to the fen; they may differ by one fen on a float64 half-fen tie
      expect(Math.abs(Number(priced[i].amount) - ts), JSON.stringify(r)).toBeLessThanOrEqual(0.0100001);
      if (Number(priced[i].amount) === ts) exact++;
    });
    console.log(`rollup.bill_amount = billAmount() to the fen on ${exact} of ${rows.length} random bills`);
    expect(exact / rows.length).toBeGreaterThanOrEqual(0.99);
  });

  it('finds the planted high bills: precision and recall ≥ 0.9, with the expected driver and the planted bill as projection', async () => {
    const truth = readTruth(inbox);
    const cases: { customer_id: string; kind: string; month: string; billed_amount: number; expected_driver: string }[] = truth.planted.high_bills.cases;
    const { rows: warned } = await p.pool.query<Warning>(WARNINGS);
    const month = `${truth.period.last_month}-01`;
    const inMonth = warned.filter((w) => w.month === month);
    const planted = new Map(cases.map((c) => [c.customer_id, c]));
    const hits = inMonth.filter((w) => planted.has(w.customer_id));
    const precision = hits.length / inMonth.length;
    const recall = cases.filter((c) => inMonth.some((w) => w.customer_id === c.customer_id)).length / cases.length;
    const byKind = (k: string) => {
      const ks = cases.filter((c) => c.kind === k);
      return { planted: ks.length, found: ks.filter((c) => inMonth.some((w) => w.customer_id === c.customer_id)).length };
    };
    const driverRight = hits.filter((w) => w.driver === planted.get(w.customer_id)!.expected_driver).length;
    // the data end on the month's last day: the projection is the whole month, which the generator billed
    const amountRight = hits.filter((w) => Number(w.projected_amount) === planted.get(w.customer_id)!.billed_amount).length;
    const report = { planted: cases.length, warnings: inMonth.length, precision, recall, tier_jump: byKind('tier_jump'), peak_shift: byKind('peak_shift'),
      driver_as_expected: driverRight, projected_equals_bill: amountRight };
    console.log('high-bill warnings vs truth.json', JSON.stringify(report));
    expect(byKind('tier_jump').planted).toBeGreaterThanOrEqual(10);
    expect(byKind('peak_shift').planted).toBeGreaterThanOrEqual(5);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(driverRight / hits.length).toBeGreaterThanOrEqual(0.9);
    expect(amountRight).toBe(hits.length);
    // every tier jump crossed a boundary, and the warnings' drivers include a higher tier and more peak use
    expect(new Set(hits.map((w) => w.driver))).toEqual(new Set(['more_kwh', 'higher_tier', 'more_peak']));
  });

  it('shows in mart.usage_alert as high_bill rows with the projected and usual bill and the driver', async () => {
    const { rows: [m] } = await p.pool.query<{ n: number; bad: number }>(
      `select count(*)::int as n,
              count(*) filter (where projected_amount is null or usual_amount is null or driver is null or bill_month is null
                                  or observed <> projected_amount or baseline <> usual_amount or worst_day <> last_seen)::int as bad
         from mart.usage_alert where alert_type = 'high_bill'`);
    const { rows: [{ n }] } = await p.pool.query<{ n: number }>('select count(*)::int as n from rollup.high_bill_alert');
    expect(m.n).toBe(n);
    expect(m.bad).toBe(0);
    const { rows: [{ others }] } = await p.pool.query<{ others: number }>(
      `select count(*)::int as others from mart.usage_alert where alert_type <> 'high_bill' and (projected_amount is not null or driver is not null)`);
    expect(others).toBe(0);
  });
});

// ---- hand-made accounts over nights ----

const A = '9900000011'; // residential, tiered: 4,500 kWh billed this year, usually 500 kWh / 294.00 CNY
const B = '9900000012'; // commercial, TOU, hourly meter: usually 3,000 kWh in a 30/40/30 mix
const C = '9900000013'; // residential, tiered: a rise below the margin

const CUSTOMERS = 'customer_id,name,phone,address,customer_class,region,tariff,voltage_kv,capacity_kva,contract_type,contract_end,green_plan,preferred_channel,opened_on,closed_on\n'
  + `${A},,,,residential,江城区,tiered,0.22,8,standard,,false,app,2020-01-01,\n`
  + `${B},,,,commercial,江城区,tou,10,200,standard,,false,app,2020-01-01,\n`
  + `${C},,,,residential,江城区,tiered,0.22,8,standard,,false,app,2020-01-01,\n`;

const USUAL_B = { peak: 900, shoulder: 1200, valley: 900 };
const touAmount = (s: { peak: number; shoulder: number; valley: number }): number =>
  Math.round((s.peak * TOU_PRICE.commercial.peak + s.shoulder * TOU_PRICE.commercial.shoulder + s.valley * TOU_PRICE.commercial.valley) * 100) / 100;

function billingFile(): string {
  let s = 'bill_id,customer_id,period_start,period_end,kwh,amount,issued_on,due_on,paid_on,paid_amount\n';
  let cumulative = 0;
  for (let m = 1; m <= 9; m++) {
    const start = `2026-${String(m).padStart(2, '0')}-01`;
    const end = new Date(Date.UTC(2026, m, 0)).toISOString().slice(0, 10);
    const a = Math.round(residentialTieredCharge(cumulative, 500) * 100) / 100;
    cumulative += 500;
    s += `A${m},${A},${start},${end},500,${a.toFixed(2)},${end},${end},,\n`;
    if (m >= 7) {
      s += `B${m},${B},${start},${end},3000,${touAmount(USUAL_B).toFixed(2)},${end},${end},,\n`;
      s += `C${m},${C},${start},${end},300,${(Math.round(residentialTieredCharge((m - 7) * 300, 300) * 100) / 100).toFixed(2)},${end},${end},,\n`;
    }
  }
  return s;
}

const oct = (d: number): string => `2026-10-${String(d).padStart(2, '0')}`;

/** October days [from, to] (and November days as 31 + n): A and C daily reads, B hourly (peak-heavy: 90 % of 100 kWh in the peak hours). */
function usageFile(from: number, to: number, aKwh: (d: number) => number, cKwh = 11): string {
  let s = 'customer_id,reading_start,interval_minutes,kwh,quality\n';
  for (let d = from; d <= to; d++) {
    const day = d <= 31 ? oct(d) : `2026-11-${String(d - 31).padStart(2, '0')}`;
    s += `${A},${day} 00:00,1440,${aKwh(d).toFixed(3)},\n`;
    s += `${C},${day} 00:00,1440,${cKwh.toFixed(3)},\n`;
    for (let h = 0; h < 24; h++) {
      const period = TOU_INDEX_BY_HOUR[h];
      const kwh = period === 0 ? 90 / 8 : period === 1 ? 10 / 8 : 0;
      s += `${B},${day} ${String(h).padStart(2, '0')}:00,60,${kwh.toFixed(3)},\n`;
    }
  }
  return s;
}

describe('high-bill warnings over nightly runs', () => {
  let p: Pipeline;
  let inbox: string;
  beforeAll(async () => {
    p = await pipelineDatabase('high-bill-life');
    inbox = join(p.home, '..', 'inbox');
    for (const d of ['customers', 'usage', 'billing']) mkdirSync(join(inbox, d), { recursive: true });
    writeFileSync(join(inbox, 'customers', 'customers_2026-01.csv'), CUSTOMERS);
    writeFileSync(join(inbox, 'billing', 'billing_2026-09.csv'), billingFile());
  }, 120_000);
  afterAll(async () => p?.close());

  async function night(name: string, content: string, extra: string[] = []): Promise<Warning[]> {
    writeFileSync(join(inbox, 'usage', name), content);
    const r = await etl(p, ['run', '--inbox', inbox, '--json', ...extra], SECRET);
    expect(r.code, r.stderr).toBe(0);
    return (await p.pool.query<Warning>(WARNINGS)).rows;
  }

  // A's projection after n days read with mtd kWh: 300 kWh left in tier 2 (4,500 → 4,800), the rest in tier 3
  const tierA = (mtd: number, days: number): { kwh: number; amount: number } => {
    const kwh = (mtd * 31) / days;
    return { kwh, amount: Math.round((Math.min(kwh, 300) * T.tier2Price + Math.max(0, kwh - 300) * T.tier3Price) * 100) / 100 };
  };
  const usualA = Math.round(500 * T.tier2Price * 100) / 100; // 294.00: Jul–Sep, all in tier 2

  it('warns on a tier jump and a TOU peak shift, not on a rise below the margin; resolves, reopens, and ends with the month', async () => {
    // Night 1: October 1–10. A 20 kWh a day (→ 620 kWh, 320 of them in tier 3); B all peak-heavy; C 11 kWh a day (341 vs 300 kWh: +14 %).
    let w = await night('usage_2026-10-a.csv', usageFile(1, 10, () => 20));
    expect(w.map((x) => x.customer_id)).toEqual([A, B]);
    const a1 = tierA(200, 10);
    expect(w[0]).toMatchObject({ month: '2026-10-01', first_seen: oct(10), last_seen: oct(10), flagged_days: 1, status: 'open', resolved_on: null,
      usual_amount: usualA.toFixed(2), threshold: (Math.round(usualA * 1.3 * 100) / 100).toFixed(2), driver: 'higher_tier', days_read: 10 });
    expect(Number(w[0].projected_amount)).toBe(a1.amount);
    expect(w[0].projected_kwh).toBeCloseTo(a1.kwh, 9);
    // B: 3,100 kWh projected, 90 % peak, 10 % shoulder
    const b = touAmount({ peak: 2790, shoulder: 310, valley: 0 });
    expect(Number(w[1].projected_amount)).toBeCloseTo(b, 2);
    expect(w[1]).toMatchObject({ usual_amount: touAmount(USUAL_B).toFixed(2), driver: 'more_peak', status: 'open' });

    // Night 2: A nearly stops (0.5 kWh a day on 11–15): its projection falls under the threshold → resolved today; B stays open.
    w = await night('usage_2026-10-b.csv', usageFile(11, 15, () => 0.5));
    expect(tierA(202.5, 15).amount).toBeLessThan(usualA * 1.3);
    expect(w[0]).toMatchObject({ customer_id: A, first_seen: oct(10), last_seen: oct(10), flagged_days: 1, status: 'resolved', resolved_on: oct(15) });
    expect(w[1]).toMatchObject({ customer_id: B, first_seen: oct(10), last_seen: oct(15), flagged_days: 2, status: 'open' });

    // Night 3: A at 40 kWh a day (16–20): over the threshold again → the same warning reopens with tonight's figures.
    w = await night('usage_2026-10-c.csv', usageFile(16, 20, () => 40));
    const a3 = tierA(402.5, 20);
    expect(w[0]).toMatchObject({ customer_id: A, first_seen: oct(10), last_seen: oct(20), flagged_days: 2, status: 'open', resolved_on: null, days_read: 20 });
    expect(Number(w[0].projected_amount)).toBe(a3.amount);
    const beforeRebuild = w;

    // A full rebuild judges the as-of day only: the same warnings, first seen on it.
    const full = await etl(p, ['run', '--inbox', inbox, '--full', '--json'], SECRET);
    expect(full.code, full.stderr).toBe(0);
    const rebuilt = (await p.pool.query<Warning>(WARNINGS)).rows;
    expect(rebuilt.map((x) => ({ ...x, first_seen: oct(20), flagged_days: 1 }))).toEqual(rebuilt);
    expect(rebuilt.map((x) => [x.customer_id, x.projected_amount, x.driver, x.status]))
      .toEqual(beforeRebuild.map((x) => [x.customer_id, x.projected_amount, x.driver, x.status]));

    // Night 4: November 1–3: October is over, its open warnings resolve on November 1; November is not judged yet (3 days read).
    w = await night('usage_2026-11-a.csv', usageFile(32, 34, () => 10));
    expect(w.map((x) => [x.customer_id, x.month, x.status, x.resolved_on])).toEqual([
      [A, '2026-10-01', 'resolved', '2026-11-01'],
      [B, '2026-10-01', 'resolved', '2026-11-01'],
    ]);
    // the mart words it as the Alerts view does
    const { rows: mart } = await p.pool.query<{ reason: string; driver: string }>(
      `select reason, driver from mart.usage_alert where alert_type = 'high_bill' order by driver`);
    expect(mart.map((r) => r.driver)).toEqual(['higher_tier', 'more_peak']);
    expect(mart[0].reason).toBe(`projected bill ${a3.amount.toFixed(2)} CNY for 2026-10 against a usual ${usualA.toFixed(2)} CNY (threshold ${(Math.round(usualA * 1.3 * 100) / 100).toFixed(2)} CNY); main driver: a higher tier`);
  }, 900_000);
});
