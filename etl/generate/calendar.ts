// Civil-calendar helpers for the utility's local dates.
//
// A "day number" is the count of days since 1970-01-01 of a *local* calendar
// date; it never goes through a Date in a time zone, so it is the same on every
// machine. Timestamps in the generated CSVs are local time without offset, as
// the data contract allows.

export interface YearMonth {
  year: number;
  month: number; // 1–12
}

export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
}

export function fromDayNumber(n: number): { year: number; month: number; day: number } {
  const d = new Date(n * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekday(n: number): number {
  return (((n + 3) % 7) + 7) % 7;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Month index: year * 12 + (month - 1); consecutive months differ by one. */
export function monthIndex(ym: YearMonth): number {
  return ym.year * 12 + ym.month - 1;
}

export function fromMonthIndex(i: number): YearMonth {
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

/** The last month that has ended, in the machine's local calendar (the generator's default `--end`). */
export function lastCompleteMonth(now: Date = new Date()): YearMonth {
  return fromMonthIndex(now.getFullYear() * 12 + now.getMonth() - 1);
}

export function parseYearMonth(text: string): YearMonth | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { year: Number(m[1]), month };
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

export function formatYearMonth(ym: YearMonth): string {
  return `${ym.year}-${pad2(ym.month)}`;
}

export function formatDay(n: number): string {
  const { year, month, day } = fromDayNumber(n);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** "HH:MM" for each quarter hour of the day, index 0–95. */
export const QUARTER_HOUR_LABELS: readonly string[] = Array.from(
  { length: 96 },
  (_, q) => `${pad2(Math.floor(q / 4))}:${pad2((q % 4) * 15)}`,
);

/** "HH:MM:SS" from minutes after midnight (may include seconds). */
export function formatTimeOfDay(secondsOfDay: number): string {
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

/** Local timestamp text for a day number and seconds since midnight (may roll over days). */
export function formatLocalTimestamp(day: number, secondsOfDay: number): string {
  const extraDays = Math.floor(secondsOfDay / 86_400);
  return `${formatDay(day + extraDays)} ${formatTimeOfDay(secondsOfDay - extraDays * 86_400)}`;
}

// Lunar New Year (春节) dates. The Spring Festival shutdown is the largest
// calendar effect on Chinese load: factories close for one to three weeks.
const SPRING_FESTIVAL: Record<number, [number, number]> = {
  2015: [2, 19], 2016: [2, 8], 2017: [1, 28], 2018: [2, 16], 2019: [2, 5],
  2020: [1, 25], 2021: [2, 12], 2022: [2, 1], 2023: [1, 22], 2024: [2, 10],
  2025: [1, 29], 2026: [2, 17], 2027: [2, 6], 2028: [1, 26], 2029: [2, 13],
  2030: [2, 3], 2031: [1, 23], 2032: [2, 11], 2033: [1, 31], 2034: [2, 19],
  2035: [2, 8],
};

export function springFestival(year: number): number | null {
  const d = SPRING_FESTIVAL[year];
  return d ? dayNumber(year, d[0], d[1]) : null;
}

/** Kind of day for load shapes. */
export const enum DayKind {
  Workday = 0,
  Weekend = 1,
  /** Statutory holiday (treated as a weekend day for shapes). */
  Holiday = 2,
  /** Spring Festival week: the deepest dip of the year for business load. */
  SpringFestival = 3,
}

/**
 * Day kind of a local day. Statutory holidays modelled: New Year's Day,
 * Spring Festival (eve + 6 days), Labour Day (1–5 May), National Day (1–7 Oct).
 * The shorter lunar holidays and the make-up working days (调休) are left out
 * (documented in docs/demo-data.md).
 */
export function dayKind(n: number): DayKind {
  const { year, month, day } = fromDayNumber(n);
  for (const y of [year, year - 1]) {
    const sf = springFestival(y);
    if (sf !== null && n >= sf - 1 && n <= sf + 6) return DayKind.SpringFestival;
  }
  if ((month === 1 && day === 1) || (month === 5 && day <= 5) || (month === 10 && day <= 7)) return DayKind.Holiday;
  return weekday(n) >= 5 ? DayKind.Weekend : DayKind.Workday;
}

/** Days after the Spring Festival week during which factories ramp back up (0 = not in ramp). */
export function springFestivalRamp(n: number): number {
  const { year } = fromDayNumber(n);
  const sf = springFestival(year);
  if (sf === null) return 0;
  const after = n - (sf + 6);
  return after >= 1 && after <= 10 ? after : 0;
}
