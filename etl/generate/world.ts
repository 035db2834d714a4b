// Everything about the demo utility that does not depend on a single customer:
// the month calendar of the run, daily weather per district, grid outage events,
// survey waves and the campaign calendar. Sizes here grow with months and
// districts, never with customers.

import { DayKind, dayKind, dayNumber, daysInMonth, formatDay, formatYearMonth, fromDayNumber, fromMonthIndex, monthIndex, springFestivalRamp, type YearMonth } from './calendar.ts';
import { Rng } from './random.ts';
import { CLASS_MODEL, CUSTOMER_CLASSES, DISTRICTS, seasonalTable } from './utility-model.ts';
import type { CustomerClass } from '../domain/tariffs.ts';

export interface MonthInfo {
  offset: number; // 0-based within the run
  ym: YearMonth;
  label: string; // YYYY-MM
  compact: string; // YYYYMM
  firstDay: number; // day number
  lastDay: number;
  days: number;
}

export interface OutageEvent {
  id: number;
  district: number;
  day: number; // day number
  startHour: number;
  hours: number;
  /** Share of the district's customers on the affected feeders. */
  share: number;
  planted: boolean;
}

export interface SurveyWave {
  label: string; // e.g. 2025-Q3
  monthOffset: number;
  firstDay: number;
  lastDay: number;
}

export type OfferType = 'discount' | 'points' | 'green_plan' | 'long_term_contract' | 'energy_audit' | 'smart_home' | 'other';

export interface CampaignDefinition {
  id: string;
  name: string;
  kind: 'green' | 'tou_switch' | 'renewal' | 'audit' | 'points';
  offerType: OfferType;
  monthOffset: number;
  sentDay: number;
  holdoutShare: number;
}

export interface World {
  seed: number;
  months: MonthInfo[];
  firstDay: number;
  lastDay: number; // data as-of
  /** Per day offset from firstDay. */
  dayKinds: Uint8Array;
  sfRamp: Uint8Array;
  dayLabels: string[];
  dayOfYear: Uint16Array;
  /** Seasonal factor per class per day offset. */
  seasonal: Record<CustomerClass, Float64Array>;
  /** Weather anomaly (≈ N(0,1), autocorrelated) per district per day offset. */
  weather: Float32Array[];
  /** Outage events per district per month offset. */
  outages: OutageEvent[][][];
  incident: { district: number; monthOffset: number; waveAfter: string; waveBefore: string } | null;
  waves: SurveyWave[];
  campaigns: CampaignDefinition[];
}

export function buildWorld(seed: number, end: YearMonth, monthCount: number): World {
  const endIndex = monthIndex(end);
  const months: MonthInfo[] = [];
  for (let k = 0; k < monthCount; k++) {
    const ym = fromMonthIndex(endIndex - monthCount + 1 + k);
    const days = daysInMonth(ym.year, ym.month);
    const firstDay = dayNumber(ym.year, ym.month, 1);
    const label = formatYearMonth(ym);
    months.push({ offset: k, ym, label, compact: label.replace('-', ''), firstDay, lastDay: firstDay + days - 1, days });
  }
  const firstDay = months[0].firstDay;
  const lastDay = months[monthCount - 1].lastDay;
  const dayCount = lastDay - firstDay + 1;

  const dayKinds = new Uint8Array(dayCount);
  const sfRamp = new Uint8Array(dayCount);
  const dayLabels: string[] = new Array(dayCount);
  const dayOfYear = new Uint16Array(dayCount);
  for (let d = 0; d < dayCount; d++) {
    const n = firstDay + d;
    dayKinds[d] = dayKind(n);
    sfRamp[d] = springFestivalRamp(n);
    dayLabels[d] = formatDay(n);
    dayOfYear[d] = Math.min(365, n - dayNumber(fromDayNumber(n).year, 1, 1));
  }
  const seasonal = {} as Record<CustomerClass, Float64Array>;
  for (const cls of CUSTOMER_CLASSES) {
    const table = seasonalTable(CLASS_MODEL[cls]);
    const perDay = new Float64Array(dayCount);
    for (let d = 0; d < dayCount; d++) perDay[d] = table[dayOfYear[d]];
    seasonal[cls] = perDay;
  }

  // Weather: a province-wide AR(1) anomaly plus a smaller local one per district.
  const weatherRng = new Rng(seed, 101);
  const province = new Float32Array(dayCount);
  let p = 0;
  for (let d = 0; d < dayCount; d++) province[d] = p = 0.85 * p + 0.53 * weatherRng.normal();
  const weather = DISTRICTS.map((_, k) => {
    const r = new Rng(seed, 102, k);
    const w = new Float32Array(dayCount);
    let l = 0;
    for (let d = 0; d < dayCount; d++) {
      l = 0.7 * l + 0.35 * r.normal();
      w[d] = province[d] + l;
    }
    return w;
  });

  const waves: SurveyWave[] = [];
  for (const m of months) {
    // Fieldwork in the middle month of each quarter, days 5–25.
    if (m.ym.month % 3 === 2) {
      waves.push({ label: `${m.ym.year}-Q${(m.ym.month + 1) / 3}`, monthOffset: m.offset, firstDay: m.firstDay + 4, lastDay: m.firstDay + 24 });
    }
  }

  // Planted reliability incident: the most outage-prone district, in the month
  // before a survey wave about 60% through the run, so that wave sees it and
  // the wave before it does not.
  let incident: World['incident'] = null;
  const candidates = waves.filter((w, i) => i > 0 && w.monthOffset >= 1);
  if (candidates.length > 0) {
    const target = candidates[Math.min(candidates.length - 1, Math.floor(candidates.length * 0.6))];
    const waveIndex = waves.indexOf(target);
    incident = {
      district: DISTRICTS.findIndex((d) => d.name === '云岭县'),
      monthOffset: target.monthOffset - 1,
      waveAfter: target.label,
      waveBefore: waves[waveIndex - 1].label,
    };
  }

  const outages: OutageEvent[][][] = [];
  let eventId = 0;
  DISTRICTS.forEach((district, k) => {
    const r = new Rng(seed, 103, k);
    const perMonth: OutageEvent[][] = [];
    for (const m of months) {
      const planted = incident !== null && incident.district === k && incident.monthOffset === m.offset;
      const count = planted ? 10 : r.poisson(district.outageEventsPerMonth);
      const events: OutageEvent[] = [];
      for (let e = 0; e < count; e++) {
        events.push({
          id: ++eventId,
          district: k,
          day: m.firstDay + r.int(m.days),
          startHour: r.int(24),
          hours: planted ? r.between(3, 9) : r.between(1, 5),
          share: planted ? 0.3 + 0.2 * r.next() : 0.02 + 0.06 * r.next(),
          planted,
        });
      }
      events.sort((a, b) => a.day - b.day || a.startHour - b.startHour);
      perMonth.push(events);
    }
    outages.push(perMonth);
  });

  const campaigns: CampaignDefinition[] = [];
  const calendar: { month: number; kind: CampaignDefinition['kind']; offer: OfferType; name: string; holdout: number }[] = [
    { month: 3, kind: 'green', offer: 'green_plan', name: '绿电套餐推广', holdout: 0.15 },
    { month: 5, kind: 'tou_switch', offer: 'discount', name: '分时电价优惠推广', holdout: 0.2 },
    { month: 6, kind: 'renewal', offer: 'long_term_contract', name: '长期合同续签', holdout: 0.1 },
    { month: 9, kind: 'audit', offer: 'energy_audit', name: '免费节能诊断', holdout: 0.2 },
    { month: 11, kind: 'points', offer: 'points', name: '积分回馈计划', holdout: 0.1 },
  ];
  for (const m of months) {
    for (const c of calendar) {
      if (m.ym.month !== c.month) continue;
      const sentDay = m.firstDay + 9;
      // Only campaigns whose response window (30 days) closed before the data as-of.
      if (sentDay + 45 > lastDay) continue;
      campaigns.push({
        id: `CMP${m.ym.year}${String(c.month).padStart(2, '0')}`,
        name: `${m.ym.year}年${c.name}`,
        kind: c.kind,
        offerType: c.offer,
        monthOffset: m.offset,
        sentDay,
        holdoutShare: c.holdout,
      });
    }
  }

  return { seed, months, firstDay, lastDay, dayKinds, sfRamp, dayLabels, dayOfYear, seasonal, weather, outages, incident, waves, campaigns };
}

export function isBusinessDay(kind: number): boolean {
  return kind === DayKind.Workday;
}
