// The report's assembly (etl/report/build-report.ts) on hand-made rows:
// peers hidden below K and scaled to the customer's days, year on year over
// the months with both years only, the TOU split scaled to all kWh, the
// hourly profile, and the tier position only for residential tiered accounts.

import { describe, expect, it } from 'vitest';
import { buildReport, type MonthRow, type ReferenceRow } from '../../../etl/report/build-report.ts';

const ref: ReferenceRow = {
  month: '2026-10-01', customer_class: 'commercial', segment: 'commercial', region: '东港区', tariff: 'tou', band: 'low',
  annual_kwh: 1_000, status: 'active', as_of: '2026-10-31', k: 3,
};

const month = (m: string, o: Partial<MonthRow> = {}): MonthRow => ({
  month: m, days_in_month: 30, kwh: 100, days: 30, kwh_peak: null, kwh_shoulder: null, kwh_valley: null, interval_kwh: null, load_factor: null, kwh_last_year: null, ...o,
});

describe('buildReport', () => {
  it('peers: shown from K customers on, per day × the customer\'s days; compared over those months only', () => {
    const r = buildReport({
      customerKey: 7, ref, hours: [], kwhYearToDate: 0,
      months: [month('2026-09-01', { kwh: 120, days: 20 }), month('2026-10-01', { kwh: 90, days: 30 })],
      peers: [
        { month: '2026-09-01', customers: 3, median_daily_kwh: 5, efficient_daily_kwh: 4 },
        { month: '2026-10-01', customers: 2, median_daily_kwh: 9, efficient_daily_kwh: 8 },
      ],
    });
    expect(r.months.map((m) => [m.peer_median_kwh, m.peer_efficient_kwh])).toEqual([[100, 80], [null, null]]);
    expect(r.totals.peers).toEqual({ kwh: 120, median_kwh: 100, efficient_kwh: 80, months: 1 });
    expect(r.totals.kwh).toBe(210);
    expect(r.customer).toEqual({ customer_key: 7, customer_class: 'commercial', segment: 'commercial', region: '东港区', tariff: 'tou', band: 'low', status: 'active' });
  });

  it('year on year over the months with kWh in both years', () => {
    const r = buildReport({
      customerKey: 1, ref, hours: [], kwhYearToDate: 0, peers: [],
      months: [month('2026-08-01', { kwh: 50 }), month('2026-09-01', { kwh: 110, kwh_last_year: 100 }), month('2026-10-01', { kwh: null, kwh_last_year: 80 })],
    });
    expect(r.totals.year_on_year).toEqual({ kwh: 110, kwh_last_year: 100, months: 1 });
  });

  it('TOU split scaled to all kWh; the shift saving and a full 24-hour profile', () => {
    const r = buildReport({
      customerKey: 1, ref, kwhYearToDate: 0, peers: [],
      months: [
        month('2026-09-01', { kwh: 1_000, interval_kwh: 1_000, kwh_peak: 500, kwh_shoulder: 300, kwh_valley: 200, load_factor: 0.4 }),
        month('2026-10-01', { kwh: 1_000, interval_kwh: null }), // a daily-read month
      ],
      hours: [{ day_type: 'workday', hour: 0, kwh: 1.5 }, { day_type: 'workday', hour: 23, kwh: 2 }],
    });
    // 2,000 kWh at the measured shares 50 / 30 / 20 %.
    expect(r.tou).toMatchObject({ kwh_peak: 1_000, kwh_shoulder: 600, kwh_valley: 400, peak_share: 0.5 });
    // 10 % of 1,000 peak kWh × (1.0145 − 0.3021).
    expect(r.shift).toMatchObject({ verdict: 'saves', savingCny: 71.24 });
    expect(r.load_factor).toBe(0.4);
    expect(r.hourly!.workday).toHaveLength(24);
    expect(r.hourly!.workday![23]).toBe(2);
    expect(r.hourly!.weekend_holiday).toBeNull();
    expect(r.tier).toBeNull();
    expect(r.advice.map((a) => a.id)).toContain('shift_peak');
  });

  it('no interval data: no profile, no split; the tier position for a residential tiered account', () => {
    const r = buildReport({
      customerKey: 1, ref: { ...ref, customer_class: 'residential', segment: 'residential', tariff: 'tiered', annual_kwh: 3_000 },
      months: [month('2026-10-01', { kwh: 250 })], peers: [], hours: [], kwhYearToDate: 2_700,
    });
    expect(r.hourly).toBeNull();
    expect(r.tou).toBeNull();
    expect(r.shift.verdict).toBe('no_interval_data');
    expect(r.tier).toMatchObject({ year: 2026, kwhYearToDate: 2_700, tier: 1, kwhToNextTier: 60, projectedTier: 2 });
    expect(r.advice.map((a) => a.id)).toEqual(['tier_next_soon', 'tier_surcharge']);
  });
});
