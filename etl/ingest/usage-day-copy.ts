// COPY encodings of core.usage_day / staging.usage_day rows (columns:
// [chunk,] customer_id, day, interval_minutes, offset_ms, kwh, estimated).
//
// The loader sends them in COPY's binary format: profiling the ingest showed
// the server spending ~24 % of its time parsing text (array_in, strtod for
// every kWh, the date) against ~24 % maintaining the primary key; binary
// fields are copied, not parsed. Binary also carries every float64 bit
// exactly, with no decimal round trip.
//
// Binary layout (PostgreSQL docs, COPY "Binary Format"; array_recv):
//   tuple  = int16 field count, then per field int32 byte length (−1 = NULL) + bytes
//   text   = UTF-8 bytes;  date = int32 days since 2000-01-01;  smallint = int16
//   array  = int32 ndim (1), int32 has-nulls (0), int32 element type oid,
//            int32 length, int32 lower bound (1), then per element int32 length + bytes
// All integers big-endian.

import type { CopyWriter } from './copy-writer.ts';
import type { UsageDayRow } from './usage-day-rows.ts';

const INT4_OID = 23;
const FLOAT8_OID = 701;
const BOOL_OID = 16;
/** Days from 1970-01-01 to PostgreSQL's epoch 2000-01-01. */
const PG_EPOCH_DAY = 10_957;
const ARRAY_HEADER = 20;

/**
 * Writes rows as binary COPY tuples into a CopyWriter opened with
 * `format binary`. Caches the UTF-8 bytes of the last customer id (rows come
 * grouped by customer).
 */
export class UsageDayBinaryEncoder {
  private customer = '';
  private customerBytes = Buffer.alloc(0);
  /** DataView over the writer's current buffer (setInt32 etc. compile to plain stores; Buffer.writeInt32BE did not, measured ~20 % of the ingest's Node time). */
  private view: DataView | null = null;
  private viewOf: Buffer | null = null;

  constructor(private readonly staged: boolean) {}

  write(writer: CopyWriter, row: UsageDayRow): void {
    if (row.customer !== this.customer) {
      this.customer = row.customer;
      this.customerBytes = Buffer.from(row.customer, 'utf8');
    }
    const n = row.offsets.length;
    const id = this.customerBytes;
    const estimated = row.estimated;
    const size = 2 + (this.staged ? 8 : 0) + 4 + id.length + 8 + 6
      + 4 + ARRAY_HEADER + n * 8
      + 4 + ARRAY_HEADER + n * 12
      + 4 + (estimated === null ? 0 : ARRAY_HEADER + n * 5);
    const { buffer, offset } = writer.reserve(size);
    if (buffer !== this.viewOf) {
      this.viewOf = buffer;
      this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    }
    const v = this.view!;
    let at = offset;
    v.setInt16(at, this.staged ? 7 : 6);
    at += 2;
    if (this.staged) {
      v.setInt32(at, 4);
      v.setInt32(at + 4, row.chunk);
      at += 8;
    }
    v.setInt32(at, id.length);
    at += 4;
    at += id.copy(buffer, at);
    v.setInt32(at, 4);
    v.setInt32(at + 4, row.day - PG_EPOCH_DAY);
    v.setInt32(at + 8, 2);
    v.setInt16(at + 12, row.interval);
    at += 14;

    v.setInt32(at, ARRAY_HEADER + n * 8);
    at = arrayHeader(v, at + 4, INT4_OID, n);
    const offsets = row.offsets;
    for (let i = 0; i < n; i++, at += 8) {
      v.setInt32(at, 4);
      v.setInt32(at + 4, offsets[i]);
    }

    v.setInt32(at, ARRAY_HEADER + n * 12);
    at = arrayHeader(v, at + 4, FLOAT8_OID, n);
    const kwh = row.kwh;
    for (let i = 0; i < n; i++, at += 12) {
      v.setInt32(at, 8);
      v.setFloat64(at + 4, kwh[i]);
    }

    if (estimated === null) {
      v.setInt32(at, -1);
      at += 4;
    } else {
      v.setInt32(at, ARRAY_HEADER + n * 5);
      at = arrayHeader(v, at + 4, BOOL_OID, n);
      for (let i = 0; i < n; i++, at += 5) {
        v.setInt32(at, 1);
        v.setUint8(at + 4, estimated[i] ? 1 : 0);
      }
    }
    if (at !== offset + size) throw new Error(`usage day row encoded to ${at - offset} bytes, expected ${size}`);
  }
}

/** One-dimensional array header, lower bound 1, no nulls; returns the offset after it. */
function arrayHeader(v: DataView, at: number, oid: number, n: number): number {
  v.setInt32(at, 1);
  v.setInt32(at + 4, 0);
  v.setInt32(at + 8, oid);
  v.setInt32(at + 12, n);
  v.setInt32(at + 16, 1);
  return at + ARRAY_HEADER;
}
