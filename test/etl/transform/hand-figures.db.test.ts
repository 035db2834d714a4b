// Mart figures on a small hand-made warehouse (hand-fixture.ts), each worked
// out by hand in the comments. The pool's session time zone is UTC on purpose:
// days, months and hours must follow ops.mart_settings.time_zone (Asia/Shanghai).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandFixture, markPending } from './hand-fixture.ts';
import { assignTestPseudonyms, rows, transform, transformDatabase, type TransformDatabase } from './transform-helpers.ts';

let db: TransformDatabase;
type Row = Record<string, any>;

beforeAll(async () => {
  db = await transformDatabase('thand');
  await loadHandFixture(db.pool);
  await assignTestPseudonyms(db.pool);
  await markPending(db.pool);
  await transform(db.pool, false);
});
afterAll(async () => {
  await db?.close();
});

const byMonth = async (sql: string) => new Map((await rows<Row>(db.pool, sql)).map((r) => [r.month, r]));

describe('rollups', () => {
  it('splits an hourly day into TOU periods and hours, with max demand and peak-valley rate', async () => {
    const [d] = await rows<Row>(db.pool, `select * from rollup.usage_day where customer_id = 'H2' and day = '2026-02-02'`);
    // 22 × 1 + 0.5 + 4 = 26.5; peak 08–12 & 17–21 = 7 × 1 + 4; valley 00–08 = 7 + 0.5; shoulder 8 hours
    expect(d).toMatchObject({ kwh: 26.5, kwh_peak: 11, kwh_valley: 7.5, kwh_shoulder: 8, interval_minutes: 60, readings: 24, max_kw: 4 });
    expect(d.kwh_by_hour).toHaveLength(24);
    expect(d.kwh_by_hour[3]).toBe(0.5);
    expect(d.kwh_by_hour[9]).toBe(4);
    expect(d.peak_valley_rate).toBeCloseTo((4 - 0.5) / 4, 12);
  });

  it('uses the finest interval of a day and ignores a daily read beside it', async () => {
    const [d] = await rows<Row>(db.pool, `select * from rollup.usage_day where customer_id = 'H3' and day = '2026-03-02'`);
    // 23 hours × 4 × 0.25 + 4 × 1.0 = 27; max demand 1.0 kWh per 15 min = 4 kW
    expect(d).toMatchObject({ kwh: 27, interval_minutes: 15, readings: 96, max_kw: 4 });
    expect(await rows(db.pool, `select count(*)::int as n from rollup.usage_day where customer_id = 'H3'`)).toEqual([{ n: 1 }]);
  });

  it('puts daily reads on their local day, with no hourly detail', async () => {
    const r = await rows<Row>(db.pool, `select day, kwh, kwh_peak, kwh_by_hour from rollup.usage_day where customer_id = 'H1' order by day limit 1`);
    // 2026-02-01 00:00+08 is 2026-01-31 16:00 UTC: still 1 Feb locally
    expect(r).toEqual([{ day: '2026-02-01', kwh: 10, kwh_peak: null, kwh_by_hour: null }]);
  });

  it('splits hours by day type, Spring Festival as holiday', async () => {
    const r = await rows<Row>(db.pool, `select day_type, days, kwh, kwh_by_hour[10] as h9 from rollup.usage_month_daytype
                                        where customer_id = 'H2' and month = '2026-02-01' order by day_type`);
    expect(r).toEqual([
      { day_type: 'weekend_holiday', days: 2, kwh: 18, h9: 0.75 }, // Sat 7 Feb + Tue 17 Feb (春节)
      { day_type: 'workday', days: 1, kwh: 26.5, h9: 4 },
    ]);
  });
});

describe('mart.kpi_month', () => {
  it('counts customers, kWh, revenue, arrears and DSO per month', async () => {
    const k = await byMonth('select * from mart.kpi_month');
    expect([...k.keys()].sort()).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    // January: only bill B4 (100.00 for 250 kWh, issued 31 Jan, due 15 Feb, unpaid)
    expect(k.get('2026-01-01')).toMatchObject({
      active_customers: 3, new_customers: 0, closed_customers: 0, kwh: 0, billed_kwh: 250, revenue: 100,
      avg_price: 0.4, receivable_amount: 100, arrears_amount: 0, arrears_rate: 0, dso_days: 31,
    });
    // February: revenue B1 150.64 + B2 24.71 + credit note −5.00 (its period is Feb) + B5 200 = 370.35
    // open at 28 Feb: B4 100 + B1 + B2 + B5 = 475.35, overdue only B4
    const feb = k.get('2026-02-01')!;
    expect(feb).toMatchObject({ active_customers: 4, new_customers: 1, closed_customers: 0, kwh: 280 + 44.5, billed_kwh: 618.5 });
    expect(feb.revenue).toBeCloseTo(370.35, 9);
    expect(feb.avg_price).toBeCloseTo(370.35 / 618.5, 12);
    expect(feb.receivable_amount).toBeCloseTo(475.35, 9);
    expect(feb.arrears_amount).toBe(100);
    expect(feb.arrears_rate).toBeCloseTo(100 / 370.35, 12);
    expect(feb.dso_days).toBeCloseTo((475.35 / 370.35) * 28, 9);
    // March: B3 1000 issued 31 Mar; open at 31 Mar: B4 100 + B3 1000 + B5's unpaid remainder 50;
    // overdue: B4 and the remainder
    expect(k.get('2026-03-01')).toMatchObject({
      active_customers: 4, new_customers: 0, closed_customers: 1, kwh: 372 + 24 + 27, billed_kwh: 27, revenue: 1000,
      receivable_amount: 1150, arrears_amount: 150, arrears_rate: 0.15,
    });
    expect(k.get('2026-03-01')!.dso_days).toBeCloseTo(1.15 * 31, 9);
  });

  it('computes CSAT, NPS, complaints per 10k, SLA and offers', async () => {
    const k = await byMonth('select * from mart.kpi_month');
    // 4 responses, overall 5/4/2/3 → 2 satisfied; NPS answers 10, 8, 3 → (1 − 1) ÷ 3
    // tickets T1, T2 (complaints), T3, T4, T6 (outages): within target T1 (23 h) and T3 (30 min);
    // T2 25 h, T4 60 min, T6 unanswered are not
    expect(k.get('2026-02-01')).toMatchObject({
      survey_responses: 4, csat_pct: 50, nps_responses: 3, nps: 0, tickets: 5, complaints: 2, complaints_per_10k: 5000,
      sla_tickets: 5, first_response_within_sla_pct: 40, offers_sent: 60, offers_accepted: 15, offer_acceptance_pct: 25,
    });
    // T5 opened 1 Mar 00:30 local (28 Feb in UTC) is March's
    expect(k.get('2026-03-01')).toMatchObject({ tickets: 1, complaints: 0, sla_tickets: 0, first_response_within_sla_pct: null, csat_pct: null, nps: null });
  });
});

describe('mart.segment_month', () => {
  it('puts each account in its segment, tariff and band of the month', async () => {
    const r = await rows<Row>(db.pool, `select month, segment, region, tariff, band, customers from mart.segment_month order by 1, 2, 3`);
    expect(r.filter((x) => x.month === '2026-02-01')).toEqual([
      // no readings yet in the 12 months → band unknown; H4 stays commercial
      { month: '2026-02-01', segment: 'commercial', region: 'south', tariff: 'flat', band: 'unknown', customers: 1 },
      { month: '2026-02-01', segment: 'large_industrial', region: 'south', tariff: 'tou', band: 'unknown', customers: 1 },
      // 280 kWh in 28 days → 3,650 a year: between the 2,760 and 4,800 tiers
      { month: '2026-02-01', segment: 'residential', region: 'north', tariff: 'tiered', band: 'medium', customers: 1 },
      // commercial, 44.5 kWh in 3 days → 5,414 a year < 50,000: SME, under 0.2 × 50,000
      { month: '2026-02-01', segment: 'sme', region: 'north', tariff: 'flat', band: 'low', customers: 1 },
    ]);
    // H2 moved to TOU on 15 March: March is on tou, February stayed flat
    expect(r.filter((x) => x.month === '2026-03-01' && x.segment === 'sme')).toEqual([
      { month: '2026-03-01', segment: 'sme', region: 'north', tariff: 'tou', band: 'low', customers: 1 },
    ]);
  });

  it('computes kWh, revenue, bills, arrears, TOU shares and load factor of a cell', async () => {
    const [c] = await rows<Row>(db.pool, `select * from mart.segment_month where month = '2026-02-01' and segment = 'sme'`);
    // days 2 Feb (peak 11, valley 7.5, shoulder 8), 7 Feb (4, 4, 4), 17 Feb (2, 2, 2)
    expect(c).toMatchObject({ kwh: 44.5, billed_kwh: 38.5, bills: 1, arrears_amount: 0, interval_customers: 1, top_customer_share: 1 });
    expect(c.revenue).toBeCloseTo(19.71, 9); // bill 24.71 and its −5.00 credit note
    expect(c.avg_bill).toBeCloseTo(19.71, 9);
    expect(c.peak_share).toBeCloseTo(17 / 44.5, 12);
    expect(c.shoulder_share).toBeCloseTo(14 / 44.5, 12);
    expect(c.valley_share).toBeCloseTo(13.5 / 44.5, 12);
    // average 44.5 kWh ÷ 72 h over max 4 kW
    expect(c.load_factor).toBeCloseTo(44.5 / 72 / 4, 12);
    expect(c.peak_valley_rate).toBeCloseTo(0.875 / 3, 12);

    const [li] = await rows<Row>(db.pool, `select * from mart.segment_month where month = '2026-03-01' and segment = 'large_industrial'`);
    // 27 kWh over 24 h = 1.125 kW average, 4 kW max; peak hours 8–11 (4) + 17–20 (3 + 4)
    expect(li).toMatchObject({ band: 'low', kwh: 27, revenue: 1000, arrears_amount: 50, load_factor: 0.28125, peak_valley_rate: 0.75 });
    expect(li.peak_share).toBeCloseTo(11 / 27, 12);
    const [res] = await rows<Row>(db.pool, `select * from mart.segment_month where month = '2026-03-01' and segment = 'residential'`);
    // 652 kWh in 59 days → 4,033.6 a year; B4 still overdue
    expect(res).toMatchObject({ band: 'medium', kwh: 372, revenue: 0, arrears_amount: 100, interval_customers: 0, peak_share: null, load_factor: null });
  });
});

describe('mart.load_profile', () => {
  it('averages kWh per customer-hour by day type', async () => {
    const r = await rows<Row>(db.pool, `select day_type, hour, customers, customer_days, kwh_per_customer_hour from mart.load_profile
                                        where month = '2026-02-01' and segment = 'sme' and hour in (3, 9) order by 1, 2`);
    expect(r).toEqual([
      { day_type: 'weekend_holiday', hour: 3, customers: 1, customer_days: 2, kwh_per_customer_hour: 0.375 },
      { day_type: 'weekend_holiday', hour: 9, customers: 1, customer_days: 2, kwh_per_customer_hour: 0.375 },
      { day_type: 'workday', hour: 3, customers: 1, customer_days: 1, kwh_per_customer_hour: 0.5 },
      { day_type: 'workday', hour: 9, customers: 1, customer_days: 1, kwh_per_customer_hour: 4 },
    ]);
    expect(await rows(db.pool, `select count(*)::int as n from mart.load_profile`)).toEqual([{ n: 24 * 4 }]); // Feb ×2 day types, Mar sme + li
  });
});

describe('mart.satisfaction_month', () => {
  it('gives means, CSAT and NPS per cell', async () => {
    const r = await rows<Row>(db.pool, `select segment, region, channel, responses, overall_mean, reliability_mean, service_mean,
                                               csat_pct, nps_responses, promoters, passives, detractors, nps
                                        from mart.satisfaction_month where month = '2026-02-01' order by 1`);
    expect(r).toEqual([
      { segment: 'large_industrial', region: 'south', channel: 'phone', responses: 1, overall_mean: 3, reliability_mean: 3, service_mean: 3, csat_pct: 0, nps_responses: 0, promoters: 0, passives: 0, detractors: 0, nps: null },
      { segment: 'residential', region: 'north', channel: 'app', responses: 1, overall_mean: 5, reliability_mean: 4, service_mean: 5, csat_pct: 100, nps_responses: 1, promoters: 1, passives: 0, detractors: 0, nps: 100 },
      { segment: 'sme', region: 'north', channel: 'app', responses: 1, overall_mean: 4, reliability_mean: 2, service_mean: null, csat_pct: 100, nps_responses: 1, promoters: 0, passives: 1, detractors: 0, nps: 0 },
      { segment: 'unknown', region: 'unknown', channel: 'web', responses: 1, overall_mean: 2, reliability_mean: 1, service_mean: 2, csat_pct: 0, nps_responses: 1, promoters: 0, passives: 0, detractors: 1, nps: -100 },
    ]);
  });
});

describe('mart.satisfaction_month_totals', () => {
  it('holds every level: null = all; the fine level is satisfaction_month, the top level the whole month', async () => {
    const fine = await rows<Row>(db.pool, `select * from mart.satisfaction_month order by month, segment, region, channel`);
    const finest = await rows<Row>(db.pool, `select * from mart.satisfaction_month_totals
                                              where segment is not null and region is not null and channel is not null order by month, segment, region, channel`);
    expect(finest).toEqual(fine);
    const [all] = await rows<Row>(db.pool, `select responses, nps_responses, promoters, detractors, nps, csat_pct, overall_mean
                                          from mart.satisfaction_month_totals
                                          where month = '2026-02-01' and segment is null and region is null and channel is null`);
    // The four responses of February: overall 3, 5, 4, 2; NPS answers 10, 8, 3
    expect(all).toEqual({ responses: 4, nps_responses: 3, promoters: 1, detractors: 1, nps: 0, csat_pct: 50, overall_mean: 3.5 });
    const byRegion = await rows<Row>(db.pool, `select region, responses from mart.satisfaction_month_totals
                                                where month = '2026-02-01' and segment is null and region is not null and channel is null order by region`);
    expect(byRegion).toEqual([{ region: 'north', responses: 2 }, { region: 'south', responses: 1 }, { region: 'unknown', responses: 1 }]);
  });
});

describe('mart.service_month_totals', () => {
  it('holds every level, exact medians included: the fine level is service_month', async () => {
    const fine = await rows<Row>(db.pool, `select * from mart.service_month order by month, channel, type, region, segment`);
    const finest = await rows<Row>(db.pool, `select * from mart.service_month_totals
                                              where channel is not null and type is not null and region is not null and segment is not null
                                              order by month, channel, type, region, segment`);
    // The finest level is level_mask 0 (GROUPING: no column rolled up); service_month leaves the mask out.
    expect(finest.map((r) => r.level_mask)).toEqual(fine.map(() => 0));
    expect(finest.map(({ level_mask: _, ...r }) => r)).toEqual(fine);
    const [outages] = await rows<Row>(db.pool, `select tickets, sla_tickets, first_responses_within_sla, median_first_response_hours
                                              from mart.service_month_totals
                                              where month = '2026-02-01' and type = 'outage' and channel is null and region is null and segment is null`);
    // February's outage reports T3 (30 min: within 45 min), T4 (60 min), T6 (unanswered): median of the answered 0.75 h
    expect(outages).toMatchObject({ tickets: 3, sla_tickets: 3, first_responses_within_sla: 1, median_first_response_hours: 0.75 });
  });
});

describe('mart.service_month', () => {
  it('measures first response against the SLA targets', async () => {
    const r = await rows<Row>(db.pool, `select * from mart.service_month order by month, channel, type`);
    const cell = (channel: string, type: string) => r.find((x) => x.channel === channel && x.type === type);
    expect(cell('hotline', 'outage')).toMatchObject({
      month: '2026-02-01', region: 'south', segment: 'large_industrial', tickets: 2, customers: 1, first_responses: 2,
      sla_tickets: 2, first_responses_within_sla: 1, first_response_within_sla_pct: 50, median_first_response_hours: 0.75,
      resolved: 2, median_resolution_hours: 3, satisfaction_responses: 2, post_resolution_satisfaction: 3.5,
    });
    expect(cell('hotline', 'outage')!.p90_first_response_hours).toBeCloseTo(0.95, 12);
    expect(cell('hotline', 'complaint')).toMatchObject({ segment: 'sme', first_responses_within_sla: 1, median_first_response_hours: 23, median_resolution_hours: 48 });
    expect(cell('app', 'complaint')).toMatchObject({ segment: 'residential', first_responses_within_sla: 0, first_response_within_sla_pct: 0, median_first_response_hours: 25, resolved: 0 });
    expect(cell('app', 'outage')).toMatchObject({ first_responses: 0, sla_tickets: 1, first_response_within_sla_pct: 0, median_first_response_hours: null });
    expect(cell('counter', 'inquiry')).toMatchObject({ month: '2026-03-01', region: 'unknown', segment: 'unknown', customers: 0, sla_tickets: 0, first_response_within_sla_pct: null });
    expect(cell('counter', 'inquiry')!.median_first_response_hours).toBeCloseTo(10 / 60, 12);
  });

  it('follows the SLA targets in the settings', async () => {
    await transform(db.pool, false, { GRIDLENS_SLA_OUTAGE_MINUTES: '60', GRIDLENS_SLA_COMPLAINT_HOURS: '25' });
    const [k] = await rows<Row>(db.pool, `select first_response_within_sla_pct from mart.kpi_month where month = '2026-02-01'`);
    expect(k.first_response_within_sla_pct).toBe(80); // T2 (25 h) and T4 (60 min) now within; T6 still unanswered
    await transform(db.pool, false);
  });
});

describe('mart.campaign_result', () => {
  it('gives uplift with a 95 % normal-approximation interval', async () => {
    const [c] = await rows<Row>(db.pool, `select * from mart.campaign_result`);
    expect(c).toMatchObject({
      campaign_id: 'CMP1', offer_type: 'green_plan', segment: 'unknown', campaign_name: 'green push', first_sent_on: '2026-02-05',
      targeted: 100, holdout: 40, treated: 60, responded: 30, response_rate: 0.5, accepted_treated: 15, accepted_holdout: 4,
      treated_acceptance_rate: 0.25, holdout_acceptance_rate: 0.1,
    });
    // se = √(0.25 × 0.75 / 60 + 0.1 × 0.9 / 40) = √0.005375 = 0.0733143…; 1.96 × se = 0.1436960…
    expect(c.uplift).toBeCloseTo(0.15, 12);
    expect(c.uplift_low).toBeCloseTo(0.0063040, 6);
    expect(c.uplift_high).toBeCloseTo(0.2936960, 6);
  });
});

describe('mart.customer', () => {
  it('profiles each account under its pseudonymous key', async () => {
    const r = await rows<Row>(db.pool, `select c.*, p.customer_id as id from mart.customer c join core.customer_pseudonym p using (customer_key) order by p.customer_id`);
    const by = new Map(r.map((x) => [x.id, x]));
    expect(r).toHaveLength(4);
    expect(by.get('H1')).toMatchObject({
      segment: 'residential', band: 'medium', status: 'active', tenure_months: 14, kwh_12m: 652, late_payment_ratio: 0.5,
      arrears: 100, overall: 5, nps: 10, nps_class: 'promoter', tickets_12m: 2, complaints_12m: 1, outages_12m: 1,
      need_green: false, need_reliability: false, need_price: true, seasonality_index: null, value_tier: 'low',
    });
    expect(by.get('H1')!.revenue_12m).toBeCloseTo(250.64, 9);
    // z = −3 + 0.6 × 1 complaint + 0.3 × 1 outage + 1.5 × 0.5 late ratio = −1.35
    expect(by.get('H1')!.churn_risk).toBeCloseTo(1 / (1 + Math.exp(1.35)), 12);
    expect(by.get('H2')).toMatchObject({ segment: 'sme', tariff: 'tou', late_payment_ratio: 1, nps_class: 'passive', need_reliability: true, need_price: true, need_green: false });
    expect(by.get('H2')!.churn_risk).toBeCloseTo(1 / (1 + Math.exp(0.9)), 12); // −3 + 0.6 + 1.5
    expect(by.get('H3')).toMatchObject({
      segment: 'large_industrial', tenure_months: 21, revenue_12m: 1200, load_factor: 0.28125, late_payment_ratio: 0,
      arrears: 50, nps_class: null, outages_12m: 2, need_reliability: true, need_green: true, need_price: false, contract_end: '2026-06-30',
    });
    // −3 + 0.3 × 2 outages + 0.8 contract ends within 180 days = −1.6
    expect(by.get('H3')!.churn_risk).toBeCloseTo(1 / (1 + Math.exp(1.6)), 12);
    expect(by.get('H4')).toMatchObject({ status: 'closed', churn_risk: null, tenure_months: 1, band: 'unknown', kwh_12m: 0, revenue_12m: 0 });
  });

  it('carries no account number or other personal data', async () => {
    const cols = await rows<{ column_name: string }>(db.pool, `select column_name from information_schema.columns where table_schema = 'mart'`);
    const names = cols.map((c) => c.column_name);
    for (const bad of ['customer_id', 'name', 'phone', 'address', 'comment']) expect(names).not.toContain(bad);
  });
});

describe('mart column types', () => {
  it('are integer counts, double precision measures, date, text and boolean only', async () => {
    const r = await rows<{ table_name: string; column_name: string; data_type: string }>(db.pool,
      `select table_name, column_name, data_type from information_schema.columns where table_schema = 'mart' order by 1, ordinal_position`);
    const odd = r.filter((c) => !['integer', 'double precision', 'date', 'text', 'boolean'].includes(c.data_type));
    expect(odd).toEqual([]);
    const month = r.filter((c) => c.column_name === 'month').map((c) => c.data_type);
    expect(new Set(month)).toEqual(new Set(['date']));
  });
});

describe('settings', () => {
  it('moves commercial accounts between SME and commercial with the threshold', async () => {
    await transform(db.pool, false, { GRIDLENS_SME_THRESHOLD_KWH: '5000' });
    const r = await rows<Row>(db.pool, `select month, segment, band from mart.segment_month where region = 'north' and segment <> 'residential' and month >= '2026-02-01' order by 1`);
    // 5,414 kWh a year in February, 6,251 in March: now above the threshold
    expect(r).toEqual([
      { month: '2026-02-01', segment: 'commercial', band: 'low' },
      { month: '2026-03-01', segment: 'commercial', band: 'low' },
    ]);
    await transform(db.pool, false);
  });
});
