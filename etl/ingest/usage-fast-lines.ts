// A fast path for the plain lines of a usage file: the bulk of every night.
//
// The general path builds a record (fields array, raw line), a typed row and a
// result object per line; for 2M readings that allocation is most of the
// ingest's time (a third of it in the garbage collector, measured). Usage files
// are nearly all lines of one shape, so such lines are read here straight from
// the decoded text, without allocating, into the day rows:
//
//   customer_id,YYYY-MM-DD HH:MM[:SS],interval,kwh[,quality]
//
// under the header `customer_id,reading_start,interval_minutes,kwh[,quality]`
// in that order. The reader only ACCEPTS: a line it has any doubt about
// (quotes, spaces, another timestamp form, an offset, 24:00, a sign or an
// exponent, more than 15 digits, more than KWH_MAX kWh, a synonym, an unknown
// customer, an invalid value of any kind) returns false and goes the general
// way, which then gives the exact value or the exact rejection. For every line
// it accepts, the values equal the general validator's (a test compares them
// line by line).

import { CUSTOMER_ID_MAX, KWH_MAX } from '../contract/entities.ts';
import { DAY_MS, daysFromCivil, type ZoneConverter } from '../contract/time-zone.ts';
import type { HeaderMap } from '../contract/header.ts';

export type AddReading = (customer: string, utcMs: number, interval: number, kwh: number, estimated: boolean) => void;

export interface UsageLineReaderOptions {
  zone: ZoneConverter;
  isKnownCustomer: (customerId: string) => boolean;
  add: AddReading;
}

const COMMA = 44;
const QUOTE = 34;
const DOT = 46;
/** Positions of the digits in YYYY-MM-DD HH:MM. */
const DIGIT_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15];
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

const digit = (text: string, at: number) => text.charCodeAt(at) - 48;
const isDigit = (d: number) => d >= 0 && d <= 9;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Whether a file with this header can use the fast path: the contract's usage columns in contract order, nothing else. */
export function fastUsageHeader(header: HeaderMap): boolean {
  const f = header.fieldIndex;
  if (header.fieldCount === 4) return f[0] === 0 && f[1] === 1 && f[2] === 2 && f[3] === 3 && f[4] === -1;
  if (header.fieldCount === 5) return f[0] === 0 && f[1] === 1 && f[2] === 2 && f[3] === 3 && f[4] === 4;
  return false;
}

/**
 * The reader for one file: (text, from, to) → true when the line was a plain,
 * valid reading and was added.
 */
export function makeUsageLineReader(withQuality: boolean, o: UsageLineReaderOptions): (text: string, from: number, to: number) => boolean {
  const { zone, isKnownCustomer, add } = o;
  let lastCustomer = '';

  return (text, from, to) => {
    // customer_id: 1–32 printable ASCII characters, no quote; known.
    let at = from;
    let customer = lastCustomer;
    const n = customer.length;
    if (n > 0 && text.charCodeAt(from + n) === COMMA && text.startsWith(customer, from)) {
      at = from + n;
    } else {
      for (;;) {
        if (at >= to) return false;
        const c = text.charCodeAt(at);
        if (c === COMMA) break;
        if (!(c > 32 && c < 127) || c === QUOTE) return false;
        at++;
      }
      if (at === from || at - from > CUSTOMER_ID_MAX) return false;
      customer = text.slice(from, at);
      if (!isKnownCustomer(customer)) return false;
      lastCustomer = customer;
    }

    // reading_start: YYYY-MM-DD HH:MM[:SS], local time (no offset).
    const t = at + 1;
    const year = digit(text, t) * 1000 + digit(text, t + 1) * 100 + digit(text, t + 2) * 10 + digit(text, t + 3);
    const month = digit(text, t + 5) * 10 + digit(text, t + 6);
    const day = digit(text, t + 8) * 10 + digit(text, t + 9);
    const hour = digit(text, t + 11) * 10 + digit(text, t + 12);
    const minute = digit(text, t + 14) * 10 + digit(text, t + 15);
    for (let k = 0; k < DIGIT_AT.length; k++) if (!isDigit(digit(text, t + DIGIT_AT[k]))) return false;
    const separator = text.charCodeAt(t + 10);
    if (text.charCodeAt(t + 4) !== 45 || text.charCodeAt(t + 7) !== 45 || text.charCodeAt(t + 13) !== 58) return false;
    if (separator !== 32 && separator !== 84 && separator !== 116) return false;
    if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) return false;
    let second = 0;
    at = t + 16;
    if (text.charCodeAt(at) === 58) {
      const s1 = digit(text, at + 1);
      const s2 = digit(text, at + 2);
      if (!isDigit(s1) || !isDigit(s2)) return false;
      second = s1 * 10 + s2;
      if (second > 59) return false;
      at += 3;
    }
    if (text.charCodeAt(at) !== COMMA) return false;
    const utc = zone.toUtc(daysFromCivil(year, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000);

    // interval_minutes: 15, 30, 60 or 1440 exactly.
    at++;
    let interval: number;
    const i1 = text.charCodeAt(at);
    const i2 = text.charCodeAt(at + 1);
    if (text.charCodeAt(at + 2) === COMMA) {
      if (i1 === 49 && i2 === 53) interval = 15;
      else if (i1 === 51 && i2 === 48) interval = 30;
      else if (i1 === 54 && i2 === 48) interval = 60;
      else return false;
      at += 3;
    } else if (i1 === 49 && i2 === 52 && text.charCodeAt(at + 2) === 52 && text.charCodeAt(at + 3) === 48 && text.charCodeAt(at + 4) === COMMA) {
      interval = 1440;
      at += 5;
    } else {
      return false;
    }

    // kwh: digits with an optional fraction, at most 15 digits (exact: see parseNumber).
    let digits = 0;
    let fraction = 0;
    let mantissa = 0;
    let c = text.charCodeAt(at) - 48;
    while (at < to && isDigit(c)) { digits++; mantissa = mantissa * 10 + c; c = text.charCodeAt(++at) - 48; }
    if (at < to && c === DOT - 48) {
      c = text.charCodeAt(++at) - 48;
      while (at < to && isDigit(c)) { digits++; fraction++; mantissa = mantissa * 10 + c; c = text.charCodeAt(++at) - 48; }
    }
    if (digits === 0 || digits > 15) return false;
    const kwh = mantissa / POWERS_OF_TEN[fraction];
    // Never true while KWH_MAX ≥ 10^15 (15 digits cannot reach it); kept so that
    // lowering the bound cannot make this path accept what the validator rejects.
    if (kwh > KWH_MAX) return false;

    // quality: empty (actual), actual or estimated; then the end of the line.
    let estimated = false;
    if (withQuality) {
      if (text.charCodeAt(at) !== COMMA || at >= to) return false;
      at++;
      const left = to - at;
      if (left === 9 && text.startsWith('estimated', at)) estimated = true;
      else if (left !== 0 && !(left === 6 && text.startsWith('actual', at))) return false;
      at = to;
    }
    if (at !== to) return false;
    add(customer, utc, interval, kwh, estimated);
    return true;
  };
}
