// Assembles the customer usage report from the rows of report-sql.ts (pure):
// the 12 months with last year and the peers, the totals compared, the
// hour-of-day profile, the TOU split and its saving, the tier position and
// the advice. Formulas: docs/metrics.md, "Customer usage report".

import type { CustomerClass, Tariff } from '../domain/tariffs.ts';
import { chooseAdvice } from './advice.ts';
import type { CustomerReport, ReportMonth } from './report-types.ts';
import { tierPosition } from './tier-position.ts';
import { scaledSplit, shiftSaving, touSwitch } from './tou-saving.ts';

export interface ReferenceRow {
  month: string;
  customer_class: string;
  segment: string;
  region: string;
  tariff: string;
  band: string;
  annual_kwh: number | null;
  status: 'active' | 'closed';
  as_of: string;
  k: number;
}

export interface MonthRow {
  month: string;
  days_in_month: number;
  kwh: number | null;
  days: number | null;
  kwh_peak: number | null;
  kwh_shoulder: number | null;
  kwh_valley: number | null;
  interval_kwh: number | null;
  load_factor: number | null;
  kwh_last_year: number | null;
}

export interface PeerRow {
  month: string;
  customers: number;
  median_daily_kwh: number | null;
  efficient_daily_kwh: number | null;
}

export interface HourRow {
  day_type: 'workday' | 'weekend_holiday';
  hour: number;
  kwh: number;
}

export interface ReportInput {
  customerKey: number;
  ref: ReferenceRow;
  months: MonthRow[];
  peers: PeerRow[];
  hours: HourRow[];
  kwhYearToDate: number;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export function buildReport(input: ReportInput): CustomerReport {
  const { ref } = input;
  const peerByMonth = new Map(input.peers.map((p) => [p.month, p]));
  const months: ReportMonth[] = input.months.map((m) => {
    const p = peerByMonth.get(m.month);
    const shown = p && p.customers >= ref.k;
    const days = m.days ?? m.days_in_month;
    return {
      month: m.month,
      kwh: m.kwh,
      days: m.days,
      kwh_last_year: m.kwh_last_year,
      peer_median_kwh: shown && p.median_daily_kwh !== null ? p.median_daily_kwh * days : null,
      peer_efficient_kwh: shown && p.efficient_daily_kwh !== null ? p.efficient_daily_kwh * days : null,
      peer_customers: p?.customers ?? 0,
    };
  });

  const withKwh = months.filter((m) => m.kwh !== null);
  const yoy = withKwh.filter((m) => m.kwh_last_year !== null);
  const peered = withKwh.filter((m) => m.peer_median_kwh !== null && m.peer_efficient_kwh !== null);
  const yearOnYear = yoy.length
    ? { kwh: sum(yoy.map((m) => m.kwh!)), kwh_last_year: sum(yoy.map((m) => m.kwh_last_year!)), months: yoy.length }
    : null;
  const peers = peered.length
    ? { kwh: sum(peered.map((m) => m.kwh!)), median_kwh: sum(peered.map((m) => m.peer_median_kwh!)), efficient_kwh: sum(peered.map((m) => m.peer_efficient_kwh!)), months: peered.length }
    : null;

  // TOU split over the 12 months' sub-daily days, scaled to all their kWh.
  const kwh12 = sum(withKwh.map((m) => m.kwh!));
  const interval = input.months.filter((m) => m.interval_kwh !== null && m.interval_kwh > 0);
  const split = interval.length
    ? scaledSplit(kwh12, sum(interval.map((m) => m.interval_kwh!)), sum(interval.map((m) => m.kwh_peak ?? 0)), sum(interval.map((m) => m.kwh_shoulder ?? 0)), sum(interval.map((m) => m.kwh_valley ?? 0)))
    : null;
  const splitTotal = split ? split.peak + split.shoulder + split.valley : 0;
  const tou = split && splitTotal > 0
    ? { kwh_peak: split.peak, kwh_shoulder: split.shoulder, kwh_valley: split.valley, peak_share: split.peak / splitTotal, shoulder_share: split.shoulder / splitTotal, valley_share: split.valley / splitTotal }
    : null;

  const lf = input.months.filter((m) => m.load_factor !== null).map((m) => m.load_factor!);
  const loadFactor = lf.length ? sum(lf) / lf.length : null;

  const hourly = hourlyOf(input.hours);
  const cls = ref.customer_class as CustomerClass;
  const tariff = ref.tariff as Tariff;
  const shift = shiftSaving(cls, tariff, tou ? split : null);
  const sw = touSwitch(cls, tariff, tou ? split : null);
  const tier = tariff === 'tiered' && cls === 'residential'
    ? tierPosition(Number(ref.month.slice(0, 4)), input.kwhYearToDate, ref.annual_kwh)
    : null;

  const advice = chooseAdvice({
    customerClass: cls,
    tariff,
    peers: peers ? { kwh: peers.kwh, medianKwh: peers.median_kwh, efficientKwh: peers.efficient_kwh } : null,
    yearOnYear: yearOnYear ? { kwh: yearOnYear.kwh, kwhLastYear: yearOnYear.kwh_last_year } : null,
    peakShare: tou?.peak_share ?? null,
    loadFactor,
    shift,
    touSwitch: sw,
    tier,
  });

  return {
    customer: {
      customer_key: input.customerKey,
      customer_class: ref.customer_class, segment: ref.segment, region: ref.region, tariff: ref.tariff, band: ref.band, status: ref.status,
    },
    as_of: ref.as_of,
    period: { from: months[0]?.month ?? ref.month, to: ref.month },
    months,
    totals: { kwh: kwh12, year_on_year: yearOnYear, peers, annual_kwh: ref.annual_kwh },
    peer_group: { segment: ref.segment, region: ref.region, band: ref.band, k: ref.k },
    hourly,
    tou,
    shift,
    tou_switch: sw,
    tier,
    load_factor: loadFactor,
    advice,
  };
}

function hourlyOf(rows: HourRow[]): CustomerReport['hourly'] {
  if (rows.length === 0) return null;
  const of = (type: HourRow['day_type']): number[] | null => {
    const r = rows.filter((x) => x.day_type === type);
    if (r.length === 0) return null;
    const out = new Array<number>(24).fill(0);
    for (const x of r) out[x.hour] = x.kwh;
    return out;
  };
  return { workday: of('workday'), weekend_holiday: of('weekend_holiday') };
}
