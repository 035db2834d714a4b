// Local wall-clock time in an IANA zone → UTC epoch milliseconds, fast enough
// for every row of a meter file. Intl.DateTimeFormat is the only source of zone
// rules in Node without a dependency, but one formatToParts call costs ~3 µs, so
// the offset is computed once per local calendar day and cached: a usage file
// has ~1 distinct day per 96 readings, which makes the per-row cost a Map lookup.
//
// Non-existent and ambiguous local times (DST gaps and folds) resolve to the
// LATER instant, which is what PostgreSQL does ("interpreted as standard time",
// docs appendix B.2): 01:30 on a spring-forward night in Europe/London becomes
// 02:30 BST, and 01:30 on a fall-back night is the second 01:30 (GMT). Loading
// the same text through SQL therefore yields the same instant as loading it here.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; no Date allocation). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Offsets in force during one local calendar day. `before === after` on all but
 * the (at most two per year) transition days; then `transition` is the first
 * UTC instant at which `after` applies.
 */
interface DayOffsets {
  readonly before: number;
  readonly after: number;
  readonly transition: number;
}

// Zone offsets lie within −12 h … +14 h, so every instant whose local date is
// day D lies in [D − 15 h, D + 39 h) in UTC (margins rounded outwards). The
// cache assumes at most one offset change within that ~2-day window, which
// holds for every zone's rules in practice.
const WINDOW_BEFORE_MS = 15 * HOUR_MS;
const WINDOW_AFTER_MS = 39 * HOUR_MS;

// Days 1970-01-01 … 2109-07-13 are cached in an array (a Map lookup per row costs
// more than the rest of the conversion); other days go to a bounded Map.
const ARRAY_CACHED_DAYS = 50_000;
const MAX_MAP_CACHED_DAYS = 10_000;

export class ZoneConverter {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly recentDays: (DayOffsets | undefined)[] = new Array<DayOffsets | undefined>(ARRAY_CACHED_DAYS).fill(undefined);
  private readonly otherDays = new Map<number, DayOffsets>();
  private lastDay = Number.NaN;
  private lastOffsets: DayOffsets = { before: 0, after: 0, transition: 0 };

  constructor(timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new RangeError(`unknown time zone "${timeZone}": use an IANA name such as Asia/Shanghai`);
    }
    this.timeZone = timeZone;
  }

  /**
   * UTC epoch ms of a local wall-clock time given as "local ms" (the wall-clock
   * fields encoded as if they were UTC, i.e. daysFromCivil(...) * DAY_MS + time).
   */
  toUtc(localMs: number): number {
    const offsets = this.offsetsOf(Math.floor(localMs / DAY_MS));
    if (offsets.before === offsets.after) return localMs - offsets.before;
    const withBefore = localMs - offsets.before;
    const withAfter = localMs - offsets.after;
    const beforeValid = withBefore < offsets.transition;
    const afterValid = withAfter >= offsets.transition;
    if (beforeValid !== afterValid) return beforeValid ? withBefore : withAfter;
    // Both valid: a fold (the wall-clock time happened twice). Neither valid: a
    // gap (it never happened). Either way take the later instant, as PostgreSQL.
    return Math.max(withBefore, withAfter);
  }

  /**
   * The local calendar day (days since 1970-01-01) of a UTC instant. The
   * offsets cached for day index D cover UTC instants [D − 15 h, D + 39 h),
   * which include the whole UTC day D.
   */
  localDayOf(utcMs: number): number {
    const offsets = this.offsetsOf(Math.floor(utcMs / DAY_MS));
    const offset = offsets.before === offsets.after || utcMs < offsets.transition ? offsets.before : offsets.after;
    return Math.floor((utcMs + offset) / DAY_MS);
  }

  /**
   * The first instant (UTC ms) of a local day: its midnight, or when midnight
   * falls in a DST gap, the instant PostgreSQL gives `day::timestamp at time
   * zone <zone>` (the later one, as toUtc).
   */
  dayStartUtc(day: number): number {
    return this.toUtc(day * DAY_MS);
  }

  private offsetsOf(day: number): DayOffsets {
    if (day === this.lastDay) return this.lastOffsets;
    const cached = day >= 0 && day < ARRAY_CACHED_DAYS ? this.recentDays[day] : this.otherDays.get(day);
    const offsets = cached ?? this.computeDay(day);
    this.lastDay = day;
    this.lastOffsets = offsets;
    return offsets;
  }

  /** Offset (ms, local − UTC) in force at a UTC instant, straight from Intl. */
  offsetAt(utcMs: number): number {
    const wholeSecond = Math.floor(utcMs / SECOND_MS) * SECOND_MS;
    let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    for (const part of this.format.formatToParts(wholeSecond)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        default: break;
      }
    }
    const local = daysFromCivil(year, month, day) * DAY_MS + hour * HOUR_MS + minute * 60_000 + second * SECOND_MS;
    return local - wholeSecond;
  }

  private computeDay(day: number): DayOffsets {
    const start = day * DAY_MS - WINDOW_BEFORE_MS;
    const end = day * DAY_MS + WINDOW_AFTER_MS;
    const before = this.offsetAt(start);
    const after = this.offsetAt(end);
    let transition = start;
    if (before !== after) {
      // Binary search to the second; transitions happen on whole seconds.
      let lo = start;
      let hi = end;
      while (hi - lo > SECOND_MS) {
        const mid = Math.floor((lo + hi) / 2 / SECOND_MS) * SECOND_MS;
        if (this.offsetAt(mid) === before) lo = mid;
        else hi = mid;
      }
      transition = hi;
    }
    const offsets = { before, after, transition };
    if (day >= 0 && day < ARRAY_CACHED_DAYS) {
      this.recentDays[day] = offsets;
    } else {
      if (this.otherDays.size >= MAX_MAP_CACHED_DAYS) this.otherDays.clear();
      this.otherDays.set(day, offsets);
    }
    return offsets;
  }
}

const converters = new Map<string, ZoneConverter>();

/** The shared, cached converter for a zone; throws RangeError for an unknown zone name. */
export function zoneConverter(timeZone: string = DEFAULT_TIME_ZONE): ZoneConverter {
  let converter = converters.get(timeZone);
  if (converter === undefined) {
    converter = new ZoneConverter(timeZone);
    converters.set(timeZone, converter);
  }
  return converter;
}
