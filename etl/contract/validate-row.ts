// Turns one CSV record (strings) into a typed, canonical row of an entity, or
// says precisely why it cannot be loaded. The ingest runs this on every record,
// so all per-column decisions (which parser, which checks, which field index)
// are made once in makeRowValidator and the returned function only loops.
//
// Conventions applied to every field:
// - Surrounding whitespace is trimmed (exports padded by spreadsheets are common
//   and the padding never carries meaning); a field empty after trimming is null,
//   or the column's contract default, or `missing_value` if required.
// - No field may contain U+FFFD (the decoder's mark for bytes that were not
//   valid UTF-8) or NUL (PostgreSQL text cannot store it): `bad_encoding`.
// - Checks run in column order, then date order, then the customer hook; the
//   first problem found is the one reported.

import type { EntitySpec, RowOf } from './entities.ts';
import type { HeaderMap } from './header.ts';
import type { ReasonCode } from './reasons.ts';
import { type FieldParser, makeEnumParser, makeTimestampParser, parseBoolean, parseDate, parseInteger, parseNumber, showValue } from './fields.ts';

export interface RowValidatorOptions {
  /** Zone of timestamps written without an offset (default Asia/Shanghai). */
  readonly timeZone?: string;
  /**
   * Referential check for customer_id columns (usage, billing, surveys, tickets,
   * campaigns). Omit it to skip the check, e.g. when the ingest checks in SQL.
   */
  readonly isKnownCustomer?: (customerId: string) => boolean;
  /**
   * False: leave `key` empty. Building it costs a few string allocations per row;
   * the usage loader groups rows by its own key (usage-day-rows.ts).
   */
  readonly withKey?: boolean;
}

export type RowRejection = {
  readonly ok: false;
  readonly code: ReasonCode;
  /** The column at fault, or null when the row as a whole is (wrong field count). */
  readonly column: string | null;
  readonly message: string;
};

export type RowResult<R> = { readonly ok: true; readonly row: R; readonly key: string } | RowRejection;

export type RowValidator<R> = (fields: readonly string[]) => RowResult<R>;

type Value = string | number | boolean | null;

interface CompiledColumn {
  readonly name: string;
  readonly field: number;
  readonly required: boolean;
  readonly whenEmpty: Value;
  /** null for text columns, which are checked inline (no parse, no allocation). */
  readonly parse: FieldParser<string | number | boolean> | null;
  readonly maxLength: number;
  readonly check: ((value: number, text: string) => RowRejection | null) | null;
  readonly isCustomerRef: boolean;
}

/** Separates the parts of a compound key; cannot occur in trimmed text fields of real exports. */
export const KEY_SEPARATOR = '\u001f';

const reject = (code: ReasonCode, column: string | null, message: string): RowRejection => ({ ok: false, code, column, message });

const notText = (column: string, text: string): RowRejection =>
  reject('bad_encoding', column, `column "${column}": ${showValue(text)} contains bytes that are not valid text (is the file UTF-8 or GB18030?)`);

function rangeCheck(spec: EntitySpec['columns'][number]): CompiledColumn['check'] {
  const { name, range, oneOf } = spec;
  if (oneOf !== undefined) {
    const allowed = new Set(oneOf.values);
    const list = oneOf.values.join(', ');
    return (value, text) => (allowed.has(value) ? null : reject(oneOf.code, name, `column "${name}": ${showValue(text)} is not allowed; use one of ${list}`));
  }
  if (range === undefined) return null;
  const min = range.min ?? -Infinity;
  const max = range.max ?? Infinity;
  const allowed = range.max === undefined ? `≥ ${min}` : `${min}–${max}`;
  return (value, text) => {
    if (value >= min && value <= max) return null;
    // negative_kwh names the one kWh problem the contract spells out; too large a kWh is out_of_range.
    if (range.code === 'negative_kwh' && value < min) return reject('negative_kwh', name, `column "${name}": ${showValue(text)} is negative; kWh must be ≥ 0`);
    return reject('out_of_range', name, `column "${name}": ${showValue(text)} is out of range (allowed ${allowed})`);
  };
}

function parserFor(spec: EntitySpec['columns'][number], timeZone: string | undefined): CompiledColumn['parse'] {
  switch (spec.type) {
    case 'text':
      return null;
    case 'int':
      return parseInteger;
    case 'number':
      return parseNumber;
    case 'date':
      return parseDate;
    case 'timestamp':
      return makeTimestampParser(timeZone);
    case 'bool':
      return parseBoolean;
    case 'enum':
      if (spec.values === undefined) throw new Error(`enum column ${spec.name} has no values`);
      return makeEnumParser(spec.values);
  }
}

function compileColumn(spec: EntitySpec['columns'][number], field: number, timeZone: string | undefined): CompiledColumn {
  return {
    name: spec.name,
    field,
    required: spec.required,
    whenEmpty: spec.default ?? null,
    parse: parserFor(spec, timeZone),
    maxLength: spec.maxLength ?? Infinity,
    check: rangeCheck(spec),
    isCustomerRef: spec.references === 'customers',
  };
}

/** True when the first or last character might be whitespace (cheap pre-check before trim()). */
function mayNeedTrim(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first <= 32 || last <= 32 || first >= 0x80 || last >= 0x80;
}

function lessThan(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') return a < b; // YYYY-MM-DD sorts as text
  return false;
}

/** Build the validator for records of one file, given its mapped header. */
export function makeRowValidator<S extends EntitySpec>(spec: S, header: HeaderMap, options: RowValidatorOptions = {}): RowValidator<RowOf<S>> {
  if (header.entity !== spec.name) throw new Error(`header was mapped for ${header.entity}, not ${spec.name}`);
  const columns = spec.columns.map((c, i) => compileColumn(c, header.fieldIndex[i], options.timeZone));
  const position = (name: string) => spec.columns.findIndex((c) => c.name === name);
  const orderRules = spec.order.map((r) => ({ later: columns[position(r.later)], earlier: columns[position(r.earlier)] }));
  const keyColumns = spec.key.map((name) => spec.columns[position(name)].name);
  const fieldCount = header.fieldCount;
  const isKnownCustomer = options.isKnownCustomer;
  const withKey = options.withKey ?? true;

  const textOf = (fields: readonly string[], column: CompiledColumn) => (column.field >= 0 ? fields[column.field].trim() : '');

  return (fields) => {
    if (fields.length !== fieldCount) {
      const hint = fields.length > fieldCount ? 'an unquoted comma inside a value?' : 'a row cut short?';
      return reject('wrong_field_count', null, `expected ${fieldCount} fields as in the header, found ${fields.length} (${hint})`);
    }
    const row: Record<string, Value> = {};
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i];
      let text = column.field >= 0 ? fields[column.field] : '';
      if (text.length > 0 && mayNeedTrim(text)) text = text.trim();
      if (text.length === 0) {
        if (column.required) return reject('missing_value', column.name, `column "${column.name}" is required but empty`);
        row[column.name] = column.whenEmpty;
        continue;
      }
      if (column.parse === null) {
        if (text.length > column.maxLength) {
          return reject('text_too_long', column.name, `column "${column.name}": ${showValue(text)} is longer than ${column.maxLength} characters`);
        }
        if (text.indexOf('\ufffd') !== -1 || text.indexOf('\u0000') !== -1) return notText(column.name, text);
        row[column.name] = text;
        continue;
      }
      const parsed = column.parse(text);
      if (!parsed.ok) {
        // Invalid bytes or a NUL inside a number, date or enum: the problem is the bytes, not the value's form.
        if (text.indexOf('\ufffd') !== -1 || text.indexOf('\u0000') !== -1) return notText(column.name, text);
        return reject(parsed.code, column.name, `column "${column.name}": ${parsed.message}`);
      }
      if (column.check !== null) {
        const problem = column.check(parsed.value as number, text);
        if (problem !== null) return problem;
      }
      row[column.name] = parsed.value;
    }

    for (const { later, earlier } of orderRules) {
      if (lessThan(row[later.name], row[earlier.name])) {
        return reject(
          'date_order',
          later.name,
          `column "${later.name}": ${showValue(textOf(fields, later))} is before ${earlier.name} ${showValue(textOf(fields, earlier))}`,
        );
      }
    }

    if (isKnownCustomer !== undefined) {
      for (const column of columns) {
        const id = row[column.name];
        if (column.isCustomerRef && typeof id === 'string' && !isKnownCustomer(id)) {
          return reject('unknown_customer', column.name, `column "${column.name}": ${showValue(id)} is not a known customer (load it in a customers file first)`);
        }
      }
    }

    if (!withKey) return { ok: true, row: row as RowOf<S>, key: '' };
    let key = String(row[keyColumns[0]]);
    for (let k = 1; k < keyColumns.length; k++) key += KEY_SEPARATOR + String(row[keyColumns[k]]);
    return { ok: true, row: row as RowOf<S>, key };
  };
}
