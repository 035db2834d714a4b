// One extract file → a copy holding only the rows of some regions (Arrow IPC
// stream in, Arrow IPC stream out, one record batch at a time: memory is
// bounded by a batch, as when the file was written).
//
// Columns are copied at the buffer level with their types and nulls intact
// (float64, int32, date32[day], bool, dictionary<int32,utf8> — every type an
// extract has, arrow-columns.ts). Text columns get a new dictionary holding
// only the strings of the kept rows: the input's dictionaries hold every
// region's values, and reusing them would hand the browser other regions'
// names (or any per-customer text) as dictionary entries. Like the publish
// writer, later batches add to the dictionary as deltas.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import {
  type Data,
  type DataType,
  type Dictionary,
  type Field,
  makeData,
  RecordBatch,
  RecordBatchReader,
  RecordBatchStreamWriter,
  type Schema,
  Struct,
  Type,
  Utf8,
  Vector,
} from 'apache-arrow';

export interface RegionFilter {
  /** The column naming a row's region. */
  column: string;
  allowed: ReadonlySet<string>;
  /** Keep rows whose region is null (an aggregate's all-regions level); false drops them. */
  keepNull: boolean;
  /** Bool column flagging suppressed cells, counted among the kept rows (absent: 0). */
  suppressedColumn?: string;
}

export interface FilteredFile {
  rows: number;
  bytes: number;
  /** Hex SHA-256 of the written file. */
  sha256: string;
  /** Kept rows with the suppressed flag set. */
  cellsSuppressed: number;
}

/** Decoded strings of one dictionary column, by dictionary index; reset when the dictionary is replaced (not extended). */
interface DictionaryCache {
  first: Data | null;
  strings: (string | undefined)[];
}

/** The output dictionary of one text column: grows across batches, written as deltas. */
interface DictionaryOut {
  index: Map<string, number>;
  chunks: Data<Utf8>[];
}

export class RegionFilterError extends Error {
  override name = 'RegionFilterError';
}

function stringAt(d: Data, i: number, cache: DictionaryCache): string {
  const dictionary = d.dictionary as Vector<Utf8>;
  if (dictionary.data[0] !== cache.first) {
    cache.first = dictionary.data[0] ?? null;
    cache.strings = [];
  }
  const k = (d.values as Int32Array)[i]!;
  let s = cache.strings[k];
  if (s === undefined) {
    s = dictionary.get(k) as string;
    cache.strings[k] = s;
  }
  return s;
}

function utf8Data(values: readonly string[]): Data<Utf8> {
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

function validityOf(d: Data, keep: Int32Array): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  if (d.nullCount === 0) return { nullBitmap: undefined, nullCount: 0 };
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  for (let j = 0; j < keep.length; j++) {
    if (d.getValid(keep[j]!)) continue;
    bitmap ??= new Uint8Array((keep.length + 7) >> 3).fill(0xff);
    bitmap[j >> 3]! &= ~(1 << (j & 7));
    nulls++;
  }
  return { nullBitmap: bitmap, nullCount: nulls };
}

/** Column `d` at the rows `keep` (ascending row numbers), same type. */
function gather(d: Data, field: Field, keep: Int32Array, dictIn: DictionaryCache, dictOut: DictionaryOut): Data {
  const type: DataType = field.type;
  const { nullBitmap, nullCount } = validityOf(d, keep);
  const length = keep.length;
  switch (type.typeId) {
    case Type.Float:
    case Type.Int:
    case Type.Date: {
      const src = d.values as Float64Array | Int32Array;
      if (type.typeId === Type.Int && !(src instanceof Int32Array)) break;
      const out = new (src.constructor as Float64ArrayConstructor | Int32ArrayConstructor)(length);
      for (let j = 0; j < length; j++) out[j] = src[keep[j]!]!;
      return makeData({ type, length, nullCount, nullBitmap, data: out } as Parameters<typeof makeData>[0]);
    }
    case Type.Bool: {
      const values = new Vector([d]);
      const bits = new Uint8Array((length + 7) >> 3);
      for (let j = 0; j < length; j++) if (values.get(keep[j]!) === true) bits[j >> 3]! |= 1 << (j & 7);
      return makeData({ type, length, nullCount, nullBitmap, data: bits } as Parameters<typeof makeData>[0]);
    }
    case Type.Dictionary: {
      const dictType = type as Dictionary;
      if (dictType.indices.bitWidth !== 32 || dictType.dictionary.typeId !== Type.Utf8) break;
      const out = new Int32Array(length);
      const fresh: string[] = [];
      for (let j = 0; j < length; j++) {
        const i = keep[j]!;
        if (!d.getValid(i)) continue;
        const s = stringAt(d, i, dictIn);
        let k = dictOut.index.get(s);
        if (k === undefined) {
          k = dictOut.index.size;
          dictOut.index.set(s, k);
          fresh.push(s);
        }
        out[j] = k;
      }
      if (fresh.length > 0 || dictOut.chunks.length === 0) dictOut.chunks.push(utf8Data(fresh));
      return makeData({ type: dictType, length, nullCount, nullBitmap, data: out, dictionary: new Vector(dictOut.chunks.slice()) });
    }
  }
  throw new RegionFilterError(`column "${field.name}" has Arrow type ${String(type)}, which extracts do not use (etl/extract/arrow-columns.ts): the region filter cannot copy it.`);
}

/**
 * Writes to `dest` the rows of `src` whose `filter.column` is an allowed
 * region (or null, when `keepNull`). A file with no kept rows still gets one
 * empty record batch, so every reader sees a table with the right columns.
 */
export async function filterExtractByRegion(src: string, dest: string, filter: RegionFilter): Promise<FilteredFile> {
  const reader = await RecordBatchReader.from(createReadStream(src));
  await reader.open();
  const schema = reader.schema as Schema;
  const regionAt = schema.fields.findIndex((f) => f.name === filter.column);
  if (regionAt < 0) throw new RegionFilterError(`${src} has no column "${filter.column}"`);
  const regionType = schema.fields[regionAt]!.type;
  const suppressedAt = filter.suppressedColumn ? schema.fields.findIndex((f) => f.name === filter.suppressedColumn && f.type.typeId === Type.Bool) : -1;
  const dictIn: DictionaryCache[] = schema.fields.map(() => ({ first: null, strings: [] }));
  const dictOut: DictionaryOut[] = schema.fields.map(() => ({ index: new Map(), chunks: [] }));

  const fh = await fs.open(dest, 'wx', 0o644);
  const hash = createHash('sha256');
  let bytes = 0;
  const writer = new RecordBatchStreamWriter();
  const pump = (async () => {
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const buf = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await fh.write(buf);
    };
    for await (const chunk of writer) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      pending.push(chunk);
      pendingBytes += chunk.byteLength;
      if (pendingBytes >= 1 << 20) await flush();
    }
    await flush();
  })();
  let pumpError: unknown;
  pump.catch((err: unknown) => void (pumpError = err));

  let rows = 0;
  let written = 0;
  let cellsSuppressed = 0;
  const emit = (batch: RecordBatch, keep: Int32Array) => {
    const children = schema.fields.map((f, c) => gather(batch.data.children[c]!, f, keep, dictIn[c]!, dictOut[c]!));
    writer.write(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: keep.length, nullCount: 0, children })));
    written++;
  };
  try {
    for await (const batch of reader) {
      const region = batch.data.children[regionAt]!;
      const plain = regionType.typeId === Type.Dictionary ? null : new Vector([region]);
      const keep = new Int32Array(batch.numRows);
      let n = 0;
      for (let i = 0; i < batch.numRows; i++) {
        let ok: boolean;
        if (!region.getValid(i)) ok = filter.keepNull;
        else if (regionType.typeId === Type.Dictionary) ok = filter.allowed.has(stringAt(region, i, dictIn[regionAt]!));
        else ok = filter.allowed.has(String(plain!.get(i)));
        if (ok) keep[n++] = i;
      }
      if (suppressedAt >= 0 && n > 0) {
        const flags = new Vector([batch.data.children[suppressedAt]!]);
        for (let j = 0; j < n; j++) if (flags.get(keep[j]!) === true) cellsSuppressed++;
      }
      if (n > 0) emit(batch, keep.subarray(0, n));
      rows += n;
      if (pumpError !== undefined) throw pumpError;
    }
    if (written === 0) emit(new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children: schema.fields.map((f) => emptyData(f)) })), new Int32Array(0));
    writer.close();
    await pump;
    await fh.sync();
  } catch (err) {
    writer.abort(err);
    await pump.catch(() => undefined);
    throw err;
  } finally {
    await fh.close();
  }
  return { rows, bytes, sha256: hash.digest('hex'), cellsSuppressed };
}

/** An empty column of `field`'s type (the input had no batch at all). */
function emptyData(field: Field): Data {
  const type = field.type;
  switch (type.typeId) {
    case Type.Float: return makeData({ type, length: 0, data: new Float64Array(0) } as Parameters<typeof makeData>[0]);
    case Type.Int: case Type.Date: return makeData({ type, length: 0, data: new Int32Array(0) } as Parameters<typeof makeData>[0]);
    case Type.Bool: return makeData({ type, length: 0, data: new Uint8Array(0) } as Parameters<typeof makeData>[0]);
    case Type.Dictionary: return makeData({ type: type as Dictionary, length: 0, data: new Int32Array(0), dictionary: new Vector([utf8Data([])]) });
  }
  throw new RegionFilterError(`column "${field.name}" has Arrow type ${String(type)}, which extracts do not use.`);
}
