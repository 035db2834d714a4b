// The high-bill warning's arithmetic (etl/domain/high-bill.ts) against the
// tariff rules it must follow (etl/domain/tariffs.ts), computed here by hand
// from the catalogue prices.

import { describe, expect, it } from 'vitest';
import { decompose, highBillSeverity, projectBill, usualBill, type MonthToDate } from '../../../etl/domain/high-bill.ts';
import { billAmount, CAPACITY_CHARGE_PER_KVA_MONTH, RESIDENTIAL_TIERS as T, TOU_PRICE } from '../../../etl/domain/tariffs.ts';

const tiered = (o: Partial<MonthToDate> = {}): MonthToDate => ({
  customerClass: 'residential', tariff: 'tiered', capacityKva: null, kwh: 100, tou: { peak: 0, shoulder: 0, valley: 0 },
  daysRead: 10, daysInMonth: 31, kwhBeforeThisYear: 0, ...o,
});

describe('projectBill', () => {
  it('scales the month-to-date by days in month ÷ days read and prices it in tier 1', () => {
    const p = projectBill(tiered());
    expect(p.kwh).toBeCloseTo(310, 9);
    expect(p.amount).toBe(Math.round(310 * T.tier1Price * 100) / 100);
    expect(p.capacity).toBe(0);
  });

  it('prices a tier crossing from the year\'s cumulative kWh: 2,700 before, 310 projected → 60 in tier 1, 250 in tier 2', () => {
    const p = projectBill(tiered({ kwhBeforeThisYear: 2700 }));
    expect(p.amount).toBe(Math.round((60 * T.tier1Price + 250 * T.tier2Price) * 100) / 100);
    const q = projectBill(tiered({ kwhBeforeThisYear: 4700 }));
    expect(q.amount).toBe(Math.round((100 * T.tier2Price + 210 * T.tier3Price) * 100) / 100);
  });

  it('splits a TOU projection in the month-to-date period shares and adds the capacity charge', () => {
    const m: MonthToDate = {
      customerClass: 'large_industrial', tariff: 'tou', capacityKva: 800, kwh: 15_000, tou: { peak: 5000, shoulder: 6000, valley: 4000 },
      daysRead: 15, daysInMonth: 30, kwhBeforeThisYear: 0,
    };
    const p = projectBill(m);
    const price = TOU_PRICE.large_industrial;
    const expected = 10_000 * price.peak + 12_000 * price.shoulder + 8000 * price.valley + 800 * CAPACITY_CHARGE_PER_KVA_MONTH;
    expect(p.kwh).toBe(30_000);
    expect(p.tou).toEqual({ peak: 10_000, shoulder: 12_000, valley: 8000 });
    expect(p.amount).toBe(Math.round(expected * 100) / 100);
    expect(p.capacity).toBe(800 * CAPACITY_CHARGE_PER_KVA_MONTH);
  });

  it('prices a TOU account without sub-daily days at the shoulder price', () => {
    const p = projectBill({ ...tiered(), customerClass: 'commercial', tariff: 'tou', kwh: 200, daysRead: 20, daysInMonth: 30 });
    expect(p.amount).toBe(Math.round(300 * TOU_PRICE.commercial.shoulder * 100) / 100);
  });

  it('on a whole month read equals the bill billAmount() writes, for every tariff', () => {
    const cases: MonthToDate[] = [
      tiered({ kwh: 412.345, daysRead: 30, daysInMonth: 30, kwhBeforeThisYear: 2500 }),
      { ...tiered(), customerClass: 'commercial', tariff: 'tou', kwh: 1234.5, tou: { peak: 600, shoulder: 434.5, valley: 200 }, daysRead: 31 },
      { ...tiered(), customerClass: 'agricultural', tariff: 'flat', kwh: 777, daysRead: 31 },
      { ...tiered(), customerClass: 'residential', tariff: 'tou', kwh: 150, tou: { peak: 50, shoulder: 50, valley: 50 }, daysRead: 31 },
    ];
    for (const m of cases) {
      expect(projectBill(m).amount).toBe(billAmount({
        customerClass: m.customerClass, tariff: m.tariff, kwh: m.kwh, tou: m.tou, kwhBeforeThisYear: m.kwhBeforeThisYear, capacityKva: m.capacityKva, monthFraction: 1,
      }));
    }
  });
});

describe('decompose', () => {
  it('splits the energy difference into more kWh at the usual unit price and a dearer mix; the larger names the driver', () => {
    // usual: 300 kWh in tier 2 → 176.40 CNY; projected: 330 kWh all in tier 3
    const usual = { kwh: 300, amount: 300 * T.tier2Price };
    const p = { kwh: 330, amount: 330 * T.tier3Price, capacity: 0 };
    const d = decompose(p, usual, 'tiered', 'residential');
    expect(d.kwhEffect).toBeCloseTo(30 * T.tier2Price, 9);
    expect(d.priceEffect).toBeCloseTo(330 * (T.tier3Price - T.tier2Price), 9);
    expect(d.kwhEffect + d.priceEffect).toBeCloseTo(p.amount - usual.amount, 9);
    expect(d.driver).toBe('higher_tier');
    // twice the kWh at the same price: more kWh
    expect(decompose({ kwh: 600, amount: 600 * T.tier2Price, capacity: 0 }, usual, 'tiered', 'residential').driver).toBe('more_kwh');
  });

  it('names a dearer TOU mix more_peak, leaves the capacity charge out of the unit price, and has no price part on a flat tariff', () => {
    const cap = 500 * CAPACITY_CHARGE_PER_KVA_MONTH;
    const price = TOU_PRICE.large_industrial;
    const usual = { kwh: 3000, amount: 1000 * price.peak + 1000 * price.shoulder + 1000 * price.valley + cap };
    const p = { kwh: 3000, amount: 2500 * price.peak + 500 * price.shoulder + cap, capacity: cap };
    const d = decompose(p, usual, 'tou', 'large_industrial');
    expect(d.kwhEffect).toBeCloseTo(0, 9);
    expect(d.priceEffect).toBeCloseTo(p.amount - usual.amount, 9);
    expect(d.driver).toBe('more_peak');
    const flat = decompose({ kwh: 200, amount: 200 * 0.538, capacity: 0 }, { kwh: 100, amount: 53.8 }, 'flat', 'residential');
    expect(flat.priceEffect).toBeCloseTo(0, 9);
    expect(flat.driver).toBe('more_kwh');
  });
});

describe('usual bill and severity', () => {
  it('takes the median bill by amount (lower middle for an even count)', () => {
    expect(usualBill([{ amount: 90, kwh: 1 }, { amount: 50, kwh: 2 }, { amount: 70, kwh: 3 }])).toEqual({ amount: 70, kwh: 3 });
    expect(usualBill([{ amount: 90, kwh: 1 }, { amount: 50, kwh: 2 }, { amount: 70, kwh: 3 }, { amount: 80, kwh: 4 }]).amount).toBe(70);
  });
  it('grades by projected ÷ threshold: 1 below 1.3, 2 from 1.3, 3 from 2', () => {
    expect(highBillSeverity(129, 100)).toBe(1);
    expect(highBillSeverity(130, 100)).toBe(2);
    expect(highBillSeverity(200, 100)).toBe(3);
  });
});
