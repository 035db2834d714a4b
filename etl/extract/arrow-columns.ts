// PostgreSQL result columns → Arrow columns (pure: no I/O). The mapping:
//
//   PostgreSQL                         Arrow                      manifest type
//   numeric, float4, float8            Float64                    float64
//   int2, int4                         Int32                      int32
//   int8 (counts)                      Int32 while every value    int32
//                                      fits, else Float64         (or float64)
//   text, varchar, bpchar, name        Dictionary<Utf8, Int32>    dictionary<int32,utf8>
//   date                               DateDay                    date32[day]
//   boolean                            Bool                       bool
//   anything else                      refused: cast it in the mart's SQL
//
// Nulls are kept (validity bitmaps). A text column's dictionary grows across
// batches and each batch's dictionary vector shares the earlier chunks, so the
// IPC writer sends only the new strings as a dictionary *delta*.

import {
  Bool,
  type Data,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  type DataType,
  Utf8,
  Vector,
} from 'apache-arrow';
import type pg from 'pg';

export type ExtractColumnType = 'float64' | 'int32' | 'dictionary<int32,utf8>' | 'date32[day]' | 'bool';

export interface ExtractColumn {
  name: string;
  type: ExtractColumnType;
  /** PostgreSQL type it came from (for messages). */
  pgType: string;
}

export class ExtractTypeError extends Error {
  override name = 'ExtractTypeError';
}

// PostgreSQL type OIDs (pg_type.oid; stable across versions).
const OID = {
  bool: 16, char: 18, name: 19, int8: 20, int2: 21, int4: 23, text: 25, float4: 700, float8: 701,
  bpchar: 1042, varchar: 1043, date: 1082, numeric: 1700,
} as const;
const OID_NAMES: Record<number, string> = Object.fromEntries(Object.entries(OID).map(([k, v]) => [v, k]));
const KNOWN_OTHERS: Record<number, string> = {
  1114: 'timestamp', 1184: 'timestamptz', 1083: 'time', 1186: 'interval', 790: 'money', 2950: 'uuid',
  114: 'json', 3802: 'jsonb', 17: 'bytea', 1009: 'text[]', 1007: 'int4[]',
};

/** Name of a PostgreSQL type OID, for messages. */
export function pgTypeName(oid: number): string {
  return OID_NAMES[oid] ?? KNOWN_OTHERS[oid] ?? `oid ${oid}`;
}

/** The extract type of a result column; throws ExtractTypeError for types the dashboard should not get. */
export function extractTypeOf(name: string, oid: number, int8AsFloat = false): ExtractColumnType {
  switch (oid) {
    case OID.numeric: case OID.float4: case OID.float8:
      return 'float64';
    case OID.int2: case OID.int4:
      return 'int32';
    case OID.int8:
      return int8AsFloat ? 'float64' : 'int32';
    case OID.text: case OID.varchar: case OID.bpchar: case OID.name: case OID.char:
      return 'dictionary<int32,utf8>';
    case OID.date:
      return 'date32[day]';
    case OID.bool:
      return 'bool';
    default:
      throw new ExtractTypeError(
        `column "${name}" has type ${pgTypeName(oid)}, which extracts do not carry: cast it in the mart's SQL ` +
          `(to date, a number, boolean or text; timestamps → date or hour-of-day integers).`,
      );
  }
}

// Text-format parsers used for the cursor, independent of the pool's: numbers
// as JS numbers (int8 without the pool's 2^53 guard: too-large values go to
// Float64 anyway), dates as their 'YYYY-MM-DD' text, everything else text.
const identity = (v: string): string => v;
const toNumber = (v: string): number => Number(v);
export const extractTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number) => {
    switch (oid) {
      case OID.bool: return (v: string) => v === 't';
      case OID.int2: case OID.int4: case OID.int8: case OID.float4: case OID.float8: case OID.numeric: return toNumber;
      default: return identity;
    }
  }) as pg.CustomTypesConfig['getTypeParser'],
};

// ------------------------------------------------------------------ encoders

export type Row = unknown[];

export interface Encoder {
  readonly type: DataType;
  readonly column: ExtractColumn;
  /** true values seen (bool columns only). */
  trues: number;
  encode(rows: Row[], c: number): Data;
}

/** An int8 value outside Int32: the writer starts again with that column as Float64. */
export class Int8OutOfRange extends Error {
  constructor(readonly column: string) {
    super(`int8 column ${column} has a value outside the int32 range`);
  }
}

/** Validity bitmap with every bit set, or the existing one. */
function clearValid(bitmap: Uint8Array | undefined, n: number, i: number): Uint8Array {
  const b = bitmap ?? new Uint8Array((n + 7) >> 3).fill(0xff);
  b[i >> 3]! &= ~(1 << (i & 7));
  return b;
}

/**
 * Walks column `c` of `rows`: nulls clear their validity bit, every other value
 * goes to `put`. Shared by every encoder below.
 */
function scanColumn(rows: Row[], c: number, put: (i: number, v: unknown) => void): { bitmap: Uint8Array | undefined; nulls: number } {
  const n = rows.length;
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = rows[i]![c];
    if (v === null) {
      bitmap = clearValid(bitmap, n, i);
      nulls++;
    } else put(i, v);
  }
  return { bitmap, nulls };
}

class Float64Encoder implements Encoder {
  readonly type = new Float64();
  trues = 0;
  constructor(readonly column: ExtractColumn) {}
  encode(rows: Row[], c: number): Data {
    const values = new Float64Array(rows.length);
    const { bitmap, nulls } = scanColumn(rows, c, (i, v) => { values[i] = v as number; });
    return makeData({ type: this.type, length: rows.length, nullCount: nulls, nullBitmap: bitmap, data: values });
  }
}

class Int32Encoder implements Encoder {
  readonly type = new Int32();
  trues = 0;
  constructor(readonly column: ExtractColumn, private readonly checkRange: boolean) {}
  encode(rows: Row[], c: number): Data {
    const values = new Int32Array(rows.length);
    const { bitmap, nulls } = scanColumn(rows, c, (i, v) => {
      const x = v as number;
      if (this.checkRange && (x > 2147483647 || x < -2147483648)) throw new Int8OutOfRange(this.column.name);
      values[i] = x;
    });
    return makeData({ type: this.type, length: rows.length, nullCount: nulls, nullBitmap: bitmap, data: values });
  }
}

class BoolEncoder implements Encoder {
  readonly type = new Bool();
  trues = 0;
  constructor(readonly column: ExtractColumn) {}
  encode(rows: Row[], c: number): Data {
    const bits = new Uint8Array((rows.length + 7) >> 3);
    const { bitmap, nulls } = scanColumn(rows, c, (i, v) => {
      if (v === true) {
        bits[i >> 3]! |= 1 << (i & 7);
        this.trues++;
      }
    });
    return makeData({ type: this.type, length: rows.length, nullCount: nulls, nullBitmap: bitmap, data: bits });
  }
}

const DATE_RE = /^(\d{4,})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' (PostgreSQL's ISO date output) → days since 1970-01-01. */
export function dateToDays(text: string, column = 'date'): number {
  const m = DATE_RE.exec(text);
  if (!m) {
    throw new ExtractTypeError(
      `column "${column}" holds the date ${JSON.stringify(text)}, which extracts cannot carry (infinity, BC or a non-ISO DateStyle): ` +
        `replace it in the mart's SQL (e.g. nullif(d, 'infinity')).`,
    );
  }
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // years < 100 too (Date.UTC maps them to 19xx)
  return Math.round(d.getTime() / 86_400_000);
}

class DateEncoder implements Encoder {
  readonly type = new DateDay();
  trues = 0;
  constructor(readonly column: ExtractColumn) {}
  encode(rows: Row[], c: number): Data {
    const values = new Int32Array(rows.length);
    // Rows come ordered by the grain, so consecutive dates repeat: parse each once.
    let last = '';
    let lastDays = 0;
    const { bitmap, nulls } = scanColumn(rows, c, (i, v) => {
      if (v !== last) {
        last = v as string;
        lastDays = dateToDays(last, this.column.name);
      }
      values[i] = lastDays;
    });
    return makeData({ type: this.type, length: rows.length, nullCount: nulls, nullBitmap: bitmap, data: values });
  }
}

function utf8Data(values: string[]): Data<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += Buffer.byteLength(values[i]!, 'utf8');
    offsets[i + 1] = total;
  }
  const bytes = Buffer.allocUnsafe(total);
  for (let i = 0; i < values.length; i++) bytes.write(values[i]!, offsets[i]!, 'utf8');
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data: new Uint8Array(bytes.buffer, bytes.byteOffset, total) });
}

class DictionaryEncoder implements Encoder {
  readonly type = new Dictionary(new Utf8(), new Int32());
  trues = 0;
  private readonly index = new Map<string, number>();
  /** Dictionary chunks written so far; shared by every batch, so the writer sends only new chunks (deltas). */
  private readonly chunks: Data<Utf8>[] = [];
  constructor(readonly column: ExtractColumn) {}
  encode(rows: Row[], c: number): Data {
    const indices = new Int32Array(rows.length);
    const fresh: string[] = [];
    const { bitmap, nulls } = scanColumn(rows, c, (i, v) => {
      let k = this.index.get(v as string);
      if (k === undefined) {
        k = this.index.size;
        this.index.set(v as string, k);
        fresh.push(v as string);
      }
      indices[i] = k;
    });
    if (fresh.length > 0 || this.chunks.length === 0) this.chunks.push(utf8Data(fresh));
    return makeData({
      type: this.type, length: rows.length, nullCount: nulls, nullBitmap: bitmap, data: indices,
      dictionary: new Vector(this.chunks.slice()),
    });
  }
}

export function makeEncoder(field: pg.FieldDef, int8AsFloat: boolean): Encoder {
  const type = extractTypeOf(field.name, field.dataTypeID, int8AsFloat);
  const column: ExtractColumn = { name: field.name, type, pgType: pgTypeName(field.dataTypeID) };
  switch (type) {
    case 'float64': return new Float64Encoder(column);
    case 'int32': return new Int32Encoder(column, field.dataTypeID === OID.int8);
    case 'dictionary<int32,utf8>': return new DictionaryEncoder(column);
    case 'date32[day]': return new DateEncoder(column);
    case 'bool': return new BoolEncoder(column);
  }
}

export function toRecordBatch(schema: Schema, encoders: Encoder[], rows: Row[]): RecordBatch {
  const children = encoders.map((e, c) => e.encode(rows, c));
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/** The Arrow schema of `encoders` (every field nullable). */
export function schemaOf(encoders: Encoder[]): Schema {
  return new Schema(encoders.map((e) => new Field(e.column.name, e.type, true)));
}
