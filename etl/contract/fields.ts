// Strict parsers for one field of the contract's types. They run on every field
// of every row (hundreds of thousands of rows per second), so the happy paths
// read digits with charCodeAt, allocate nothing but the result, and never use a
// regular expression; diagnosis of *why* a value is wrong happens only on the
// failure path. Parsers expect a non-empty, already-trimmed string: emptiness
// (null vs missing_value) is the row validator's decision.

import type { ReasonCode } from './reasons.ts';
import { DAY_MS, DEFAULT_TIME_ZONE, daysFromCivil, zoneConverter } from './time-zone.ts';

export type FieldResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ReasonCode; readonly message: string };

export type FieldParser<T> = (text: string) => FieldResult<T>;

const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const fail = (code: ReasonCode, message: string): FieldResult<never> => ({ ok: false, code, message });

const MAX_SHOWN = 40;

/** A value quoted for an error message, cut to a readable length. */
export function showValue(text: string): string {
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} chars)` : text;
  return JSON.stringify(shown);
}

/** Value of the two ASCII digits at `at`, or −1 (also past the end: NaN fails both tests). */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - 48;
  const low = text.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

// ---- Dates ----------------------------------------------------------------

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DASH = 45;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// readDate's result, kept in module variables so the hot path allocates nothing.
let dateYear = 0;
let dateMonth = 0;
let dateDay = 0;
const FORMAT = 'expected YYYY-MM-DD (four-digit year, two-digit month and day, e.g. 2026-11-26)';

/** Read a `YYYY-MM-DD` prefix into dateYear/dateMonth/dateDay; returns null, or what is wrong. */
function readDate(text: string): string | null {
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if ((century | yearInCentury | month | day) < 0 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return FORMAT;
  const year = century * 100 + yearInCentury;
  if (year === 0) return 'year 0000 does not exist';
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) return `${MONTHS[month - 1]} ${year} has ${last} days`;
  dateYear = year;
  dateMonth = month;
  dateDay = day;
  return null;
}

/** A real calendar date written exactly `YYYY-MM-DD`; the value is the same string. */
export function parseDate(text: string): FieldResult<string> {
  if (text.length === 10) {
    const problem = readDate(text);
    if (problem === null) return ok(text);
    const what = problem === FORMAT ? 'is not a date' : 'is not a real date';
    return fail('bad_date', `${showValue(text)} ${what}: ${problem}`);
  }
  const hint = text.length > 10 && readDate(text) === null ? 'a date must not include a time of day' : 'expected YYYY-MM-DD (e.g. 2026-11-26)';
  return fail('bad_date', `${showValue(text)} is not a date: ${hint}`);
}

// ---- Timestamps -----------------------------------------------------------

const COLON = 58;
const TIMESTAMP_FORMS = 'expected YYYY-MM-DD HH:MM[:SS] or ISO 8601 such as 2026-11-26T08:30:00+08:00';

/**
 * A parser for `YYYY-MM-DD HH:MM[:SS[.fff]]` and ISO 8601 (`T`, optional `Z`,
 * `±HH`, `±HH:MM` or `±HHMM`) → epoch ms UTC. Without an offset the time is
 * local to `timeZone`. `24:00[:00]` is the end of the day (next day 00:00, as
 * ISO 8601 allows); leap seconds (`:60`) are rejected.
 */
export function makeTimestampParser(timeZone: string = DEFAULT_TIME_ZONE): FieldParser<number> {
  const zone = zoneConverter(timeZone);
  const bad = (text: string, why: string) => fail('bad_timestamp', `${showValue(text)} is not a valid timestamp: ${why}`);

  return (text: string) => {
    const length = text.length;
    const problem = readDate(text);
    if (problem !== null) return bad(text, problem === FORMAT ? TIMESTAMP_FORMS : problem);
    if (length === 10) return bad(text, 'the time of day is missing (e.g. 2026-11-26 00:00)');
    const separator = text.charCodeAt(10);
    if (separator !== 32 && separator !== 84 && separator !== 116) return bad(text, TIMESTAMP_FORMS); // ' ', 'T', 't'
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    if (hour < 0 || minute < 0 || text.charCodeAt(13) !== COLON) return bad(text, TIMESTAMP_FORMS);
    let at = 16;
    let second = 0;
    let millis = 0;
    if (text.charCodeAt(at) === COLON) {
      second = twoDigits(text, at + 1);
      if (second < 0) return bad(text, TIMESTAMP_FORMS);
      at += 3;
      if (text.charCodeAt(at) === 46) {
        // Fraction: 1–9 digits, kept to the millisecond (truncated).
        const start = ++at;
        while (at < length && at - start < 9) {
          const digit = text.charCodeAt(at) - 48;
          if (!(digit >= 0 && digit <= 9)) break;
          if (at - start < 3) millis = millis * 10 + digit;
          at++;
        }
        if (at === start) return bad(text, TIMESTAMP_FORMS);
        for (let n = Math.min(at - start, 3); n < 3; n++) millis *= 10;
      }
    }
    if (hour > 24 || (hour === 24 && (minute | second | millis) !== 0)) return bad(text, `hour ${hour} does not exist (00–23, or 24:00 for the end of a day)`);
    if (minute > 59) return bad(text, `minute ${minute} does not exist`);
    if (second > 59) return bad(text, second === 60 ? 'leap seconds (:60) are not supported' : `second ${second} does not exist`);

    const local = daysFromCivil(dateYear, dateMonth, dateDay) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
    if (at === length) return ok(zone.toUtc(local));

    const sign = text.charCodeAt(at);
    if ((sign === 90 || sign === 122) && at + 1 === length) return ok(local); // 'Z' / 'z'
    if (sign !== 43 && sign !== 45) return bad(text, TIMESTAMP_FORMS); // '+' / '-'
    const offsetHours = twoDigits(text, at + 1);
    let offsetMinutes = 0;
    let end = at + 3;
    if (end < length) {
      if (text.charCodeAt(end) === COLON) end++;
      offsetMinutes = twoDigits(text, end);
      end += 2;
    }
    if (offsetHours < 0 || offsetMinutes < 0 || end !== length) return bad(text, `the UTC offset must be Z, ±HH, ±HH:MM or ±HHMM`);
    if (offsetHours > 18 || offsetMinutes > 59) return bad(text, `UTC offset ${text.slice(at)} is out of range`);
    const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
    return ok(sign === 43 ? local - offset : local + offset);
  };
}

// ---- Numbers --------------------------------------------------------------

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Why a string that failed the number grammar is not a number (failure path only). */
function numberProblem(text: string): string {
  const lower = text.toLowerCase();
  if (lower.includes('nan') || lower.includes('inf')) return 'NaN and Infinity are not allowed';
  if (/^[+-]?0x/.test(lower)) return 'hexadecimal is not allowed';
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(text)) return 'thousands separators are not allowed (write 1234.5, not 1,234.5)';
  if (text.includes(',')) return 'the decimal point must be "." (not ",")';
  if (/[\s\u00a0\u3000]/.test(text)) return 'spaces are not allowed inside a number';
  if (/[\uff10-\uff19]/.test(text)) return 'full-width digits are not allowed';
  return 'expected a plain decimal number such as 12.5';
}

/**
 * A decimal number: optional sign, digits with an optional `.` fraction, an
 * optional exponent. Rejects NaN, Infinity, hex, thousands separators and
 * values that overflow a float64 (1e309).
 */
export function parseNumber(text: string): FieldResult<number> {
  const length = text.length;
  let at = 0;
  let code = text.charCodeAt(0);
  const negative = code === 45;
  if (code === 43 || code === 45) code = text.charCodeAt(++at);
  let digits = 0;
  let mantissa = 0; // all digits as an integer, exact while digits <= 15
  let fractionDigits = 0;
  while (isDigit(code)) { digits++; mantissa = mantissa * 10 + code - 48; code = text.charCodeAt(++at); }
  if (code === 46) {
    code = text.charCodeAt(++at);
    while (isDigit(code)) { digits++; fractionDigits++; mantissa = mantissa * 10 + code - 48; code = text.charCodeAt(++at); }
  }
  let exact = digits <= 15;
  if (digits > 0 && (code === 101 || code === 69)) {
    exact = false;
    code = text.charCodeAt(++at);
    if (code === 43 || code === 45) code = text.charCodeAt(++at);
    let exponentDigits = 0;
    while (isDigit(code)) { exponentDigits++; code = text.charCodeAt(++at); }
    if (exponentDigits === 0) digits = 0;
  }
  if (digits === 0 || at !== length) return fail('bad_number', `${showValue(text)} is not a number: ${numberProblem(text)}`);
  if (exact) {
    // Both operands are exact doubles and IEEE division rounds correctly, so this
    // equals Number(text) (Clinger's fast path) at a fraction of the cost.
    const magnitude = mantissa / POWERS_OF_TEN[fractionDigits];
    return ok(negative && magnitude !== 0 ? -magnitude : magnitude);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return fail('out_of_range', `${showValue(text)} is too large for a number`);
  return ok(value === 0 ? 0 : value); // no −0
}

/** A whole number (optional sign, digits only) within the safe-integer range. */
export function parseInteger(text: string): FieldResult<number> {
  const length = text.length;
  let at = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) at = 1;
  if (at === length) return fail('bad_number', `${showValue(text)} is not a whole number`);
  for (let i = at; i < length; i++) {
    if (!isDigit(text.charCodeAt(i))) {
      const asNumber = parseNumber(text);
      const why = asNumber.ok ? 'a whole number is required' : numberProblem(text);
      return fail('bad_number', `${showValue(text)} is not a whole number: ${why}`);
    }
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return fail('out_of_range', `${showValue(text)} is too large for a whole number`);
  return ok(value === 0 ? 0 : value);
}

// ---- Booleans and enums ---------------------------------------------------

// Results are shared immutable objects, so the common paths allocate nothing.
const TRUE: FieldResult<boolean> = ok(true);
const FALSE: FieldResult<boolean> = ok(false);
const BOOLEANS = new Map<string, FieldResult<boolean>>([
  ['true', TRUE], ['1', TRUE], ['yes', TRUE], ['y', TRUE], ['是', TRUE],
  ['false', FALSE], ['0', FALSE], ['no', FALSE], ['n', FALSE], ['否', FALSE],
]);

/** true/false, 1/0, yes/no, y/n, 是/否 in any letter case. */
export function parseBoolean(text: string): FieldResult<boolean> {
  return (
    BOOLEANS.get(text) ??
    BOOLEANS.get(text.toLowerCase()) ??
    fail('bad_bool', `${showValue(text)} is not a yes/no value: use true/false, 1/0, yes/no, y/n or 是/否`)
  );
}

/**
 * A parser mapping a canonical value or any of its synonyms (case-insensitive)
 * to the canonical value. Throws if two values share a label: that is a bug in
 * the contract spec, not in the data.
 */
export function makeEnumParser<V extends string>(
  values: readonly { readonly value: V; readonly synonyms: readonly string[] }[],
): FieldParser<V> {
  const byLabel = new Map<string, FieldResult<V>>();
  for (const { value, synonyms } of values) {
    const result = ok(value);
    for (const label of [value, ...synonyms]) {
      const key = label.toLowerCase();
      const existing = byLabel.get(key);
      if (existing?.ok && existing.value !== value) throw new Error(`enum label "${label}" maps to both ${existing.value} and ${value}`);
      byLabel.set(key, result);
    }
  }
  const allowed = values.map((v) => (v.synonyms.length > 0 ? `${v.value} (${v.synonyms.join(', ')})` : v.value)).join(', ');
  return (text: string) =>
    byLabel.get(text) ?? byLabel.get(text.toLowerCase()) ?? fail('bad_enum', `${showValue(text)} is not one of: ${allowed}`);
}
