// Groups a usage file's validated readings into core.usage_day rows (one per
// customer × local day × interval, readings in arrays: migration 053), ready
// for COPY (usage-day-copy.ts encodes them). Pure logic: load-file.ts owns the
// COPY streams and the transaction.
//
// Where a row goes:
// - "direct" (COPY straight into core.usage_day) while the file is in key
//   order (customer, interval, day never decreasing) and the row's day lies
//   after the customer's last stored day (the extent hint): such a row cannot
//   meet a stored one, and no later line of the file can bring its key again.
// - "staged" (staging.usage_day, then merged by SQL) from the first row that
//   fails either test on, for the rest of the file: one-way, so the loader
//   switches COPY streams at most once.
//
// In key order only one row is open at a time; it is emitted when the key
// changes. Out of order, rows stay open in a map until it holds MAX_OPEN_ROWS,
// then all are emitted as one chunk; a key can then be emitted in several
// chunks, which the merge collapses (later chunk wins per reading).
//
// Duplicate readings (same key and start) inside one emitted row: the later
// line wins, the earlier is counted as superseded here. Duplicates across
// chunks, or against a row this file already wrote directly, are counted by
// the SQL merge.

import { DAY_MS, type ZoneConverter } from '../contract/time-zone.ts';

export interface UsageReading {
  readonly customer_id: string;
  /** UTC epoch milliseconds. */
  readonly reading_start: number;
  readonly interval_minutes: number;
  readonly kwh: number;
  readonly quality: string;
}

/** Open rows kept when the file is not in key order (≈ 30 MB at 96 readings each). */
export const MAX_OPEN_ROWS = 20_000;

/** A row for core.usage_day (or staging.usage_day, with its chunk). */
export interface UsageDayRow {
  readonly customer: string;
  /** Local day, days since 1970-01-01. */
  readonly day: number;
  readonly interval: number;
  /** Sorted, each once. */
  readonly offsets: readonly number[];
  readonly kwh: readonly number[];
  /** Null when every reading is actual. */
  readonly estimated: readonly boolean[] | null;
  /** Staged rows: the emission chunk (later chunk wins in the merge); 0 for direct rows. */
  readonly chunk: number;
}

class DayRow implements UsageDayRow {
  readonly offsets: number[] = [];
  readonly kwh: number[] = [];
  /** Null until a reading is estimated. */
  estimated: boolean[] | null = null;
  /** Offsets arrived strictly increasing (the common case: no sort needed). */
  increasing = true;
  chunk = 0;

  constructor(
    readonly customer: string,
    readonly interval: number,
    /** Local day, days since 1970-01-01. */
    readonly day: number,
    /** UTC ms of the day's first instant and of the next day's. */
    readonly start: number,
    readonly end: number,
  ) {}

  add(offset: number, kwh: number, estimated: boolean): void {
    const n = this.offsets.length;
    if (n > 0 && offset <= this.offsets[n - 1]) this.increasing = false;
    this.offsets.push(offset);
    this.kwh.push(kwh);
    if (estimated) {
      if (this.estimated === null) this.estimated = new Array<boolean>(n).fill(false);
      this.estimated.push(true);
    } else if (this.estimated !== null) {
      this.estimated.push(false);
    }
  }

  /** Sort by offset, keeping the later reading of a repeated offset; returns how many were dropped. */
  normalise(): number {
    if (this.increasing) return 0;
    const order = this.offsets.map((_, i) => i);
    // Stable sort: equal offsets keep line order, so the last of a run is the latest line.
    order.sort((a, b) => this.offsets[a] - this.offsets[b]);
    const keep: number[] = [];
    for (let i = 0; i < order.length; i++) {
      if (i + 1 < order.length && this.offsets[order[i + 1]] === this.offsets[order[i]]) continue;
      keep.push(order[i]);
    }
    const offsets = keep.map((i) => this.offsets[i]);
    const kwh = keep.map((i) => this.kwh[i]);
    const estimated = this.estimated === null ? null : keep.map((i) => this.estimated![i]);
    const dropped = this.offsets.length - keep.length;
    this.offsets.length = 0;
    this.offsets.push(...offsets);
    this.kwh.length = 0;
    this.kwh.push(...kwh);
    this.estimated = estimated !== null && estimated.some(Boolean) ? estimated : null;
    this.increasing = true;
    return dropped;
  }
}

/** Runs of consecutive days per customer, [from, to) in days since 1970-01-01. */
export interface DayRange {
  customer: string;
  from: number;
  to: number;
}

const dayTexts = new Map<number, string>();
/** 'YYYY-MM-DD' of a day number (cached: a file has few distinct days). */
export function dayText(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayTexts.size > 100_000) dayTexts.clear();
    dayTexts.set(day, text);
  }
  return text;
}

/** Key order of rows: customer, then interval, then day. */
function compareKey(customer: string, interval: number, day: number, row: DayRow): number {
  if (customer !== row.customer) return customer < row.customer ? -1 : 1;
  if (interval !== row.interval) return interval - row.interval;
  return day - row.day;
}

export interface UsageDayRowsOptions {
  zone: ZoneConverter;
  /** Last stored local day per customer (core.usage_extent), days since 1970-01-01. */
  lastStoredDay: (customer: string) => number | undefined;
  /** False: every row goes to staging (the retry after a stale extent hint). */
  allowDirect: boolean;
  /** Open rows kept out of key order before they are emitted (default MAX_OPEN_ROWS). */
  maxOpenRows?: number;
}

export class UsageDayRows {
  /** Rows for core.usage_day. */
  direct: UsageDayRow[] = [];
  /** Rows for staging.usage_day (with their chunk). */
  staged: UsageDayRow[] = [];
  /** Readings given to add(). */
  readings = 0;
  /** Readings dropped as earlier duplicates inside one emitted row. */
  superseded = 0;
  /** Readings in staged lines (after in-row duplicates were dropped). */
  stagedReadings = 0;
  /** Whether a key may occur in several staged lines (out-of-order input): the merge must collapse them. */
  mayRepeatKeys = false;

  private directOpen: boolean;
  private inKeyOrder = true;
  private current: DayRow | null = null;
  private readonly open = new Map<string, DayRow>();
  private chunk = 0;
  private readonly lastDay = new Map<string, number>();
  private readonly runs = new Map<string, DayRange>();
  private readonly ranges: DayRange[] = [];

  constructor(private readonly o: UsageDayRowsOptions) {
    this.directOpen = o.allowDirect;
  }

  add(r: UsageReading): void {
    this.addValues(r.customer_id, r.reading_start, r.interval_minutes, r.kwh, r.quality === 'estimated');
  }

  /** add() without the row object (the fast line reader: usage-fast-lines.ts). */
  addValues(customer: string, t: number, interval: number, kwh: number, estimated: boolean): void {
    this.readings++;
    let row = this.current;
    if (row === null || t < row.start || t >= row.end || customer !== row.customer || interval !== row.interval) {
      row = this.rowFor(customer, interval, t);
    }
    row.add(t - row.start, kwh, estimated);
  }

  private rowFor(customer: string, interval: number, t: number): DayRow {
    const day = this.o.zone.localDayOf(t);
    const previous = this.current;
    if (this.inKeyOrder) {
      if (previous === null || compareKey(customer, interval, day, previous) > 0) {
        if (previous !== null) this.emit(previous);
        return (this.current = this.newRow(customer, interval, day));
      }
      // The key went backwards: from here on rows wait in the map.
      this.inKeyOrder = false;
      this.directOpen = false;
      this.mayRepeatKeys = true;
      if (previous !== null) this.open.set(mapKey(previous.customer, previous.interval, previous.day), previous);
    }
    const key = mapKey(customer, interval, day);
    let row = this.open.get(key);
    if (row === undefined) {
      if (this.open.size >= (this.o.maxOpenRows ?? MAX_OPEN_ROWS)) this.emitOpen();
      row = this.newRow(customer, interval, day);
      this.open.set(key, row);
    }
    return (this.current = row);
  }

  private newRow(customer: string, interval: number, day: number): DayRow {
    return new DayRow(customer, interval, day, this.o.zone.dayStartUtc(day), this.o.zone.dayStartUtc(day + 1));
  }

  private emitOpen(): void {
    for (const row of this.open.values()) this.emit(row);
    this.open.clear();
    this.current = null;
  }

  /** Emit every open row; call once after the last add(). */
  finish(): void {
    if (this.inKeyOrder) {
      if (this.current !== null) this.emit(this.current);
      this.current = null;
    } else {
      this.emitOpen();
    }
    for (const run of this.runs.values()) this.ranges.push(run);
    this.runs.clear();
  }

  private emit(row: DayRow): void {
    this.superseded += row.normalise();
    const last = this.lastDay.get(row.customer);
    if (last === undefined || row.day > last) this.lastDay.set(row.customer, row.day);
    if (this.directOpen) {
      const stored = this.o.lastStoredDay(row.customer);
      if (stored !== undefined && row.day <= stored) this.directOpen = false;
    }
    if (this.directOpen) {
      this.direct.push(row);
      this.extendRun(row.customer, row.day);
    } else {
      row.chunk = ++this.chunk;
      this.staged.push(row);
      this.stagedReadings += row.offsets.length;
    }
  }

  /** Pending day ranges of the direct rows (staged rows get theirs from the merge). */
  private extendRun(customer: string, day: number): void {
    const run = this.runs.get(customer);
    if (run !== undefined && day >= run.from && day <= run.to) {
      if (day + 1 > run.to) run.to = day + 1;
      return;
    }
    if (run !== undefined) this.ranges.push(run);
    this.runs.set(customer, { customer, from: day, to: day + 1 });
  }

  /** Day ranges of the rows written directly (complete after finish()). */
  directRanges(): readonly DayRange[] {
    return this.ranges;
  }

  /** Last day per customer over every emitted row (for core.usage_extent). */
  lastDays(): ReadonlyMap<string, number> {
    return this.lastDay;
  }

  /** Take the rows emitted since the last call. */
  takeDirect(): UsageDayRow[] {
    const lines = this.direct;
    this.direct = [];
    return lines;
  }

  takeStaged(): UsageDayRow[] {
    const lines = this.staged;
    this.staged = [];
    return lines;
  }
}

function mapKey(customer: string, interval: number, day: number): string {
  return `${customer}\u001f${interval}\u001f${day}`;
}
