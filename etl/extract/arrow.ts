// Query results → an Arrow IPC *stream* file that DuckDB-WASM reads well
// (stack-notes.md: DuckDB-WASM needs the stream format; BigInt/decimal results
// are a trap, so no Int64 or Decimal ever reaches the browser; the type
// mapping is in arrow-columns.ts).
//
// Rows are streamed with a server-side cursor (DECLARE … / FETCH n, so the
// caller must be in a transaction) and each FETCH becomes one record batch:
// memory is bounded by the batch, not the result. int8 columns are written as
// Int32 optimistically; a value out of Int32 range restarts the file with that
// column as Float64 (same transaction, so the same snapshot when it is
// REPEATABLE READ).

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { RecordBatchStreamWriter, type Schema } from 'apache-arrow';
import type pg from 'pg';
import { extractTypes, Int8OutOfRange, makeEncoder, schemaOf, toRecordBatch, type Encoder, type ExtractColumn, type Row } from './arrow-columns.ts';

export interface WriteArrowOptions {
  /** Rows per FETCH and per record batch (default 50,000). */
  batchRows?: number;
  /** Sees each fetched batch (column names, rows as arrays) before it is encoded; may throw to abort. */
  onBatch?: (columns: readonly string[], rows: readonly unknown[][]) => void;
}

export interface WriteArrowResult {
  rows: number;
  bytes: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  columns: ExtractColumn[];
  /** Number of true values per bool column. */
  trueCounts: Record<string, number>;
}

let cursorSeq = 0;
const FLUSH_BYTES = 1 << 20;

/**
 * Runs `sql` through a cursor and writes its rows to `file` as an Arrow IPC
 * stream, fsynced. Must be called inside a transaction on `client` (a failed
 * query aborts it: the caller rolls back). A result with no rows still gets one
 * empty record batch, so every reader sees a table with the right columns.
 * On failure the file may be left partly written: the caller removes it.
 */
export async function writeQueryToArrowFile(
  client: pg.ClientBase,
  sql: string,
  file: string,
  options: WriteArrowOptions = {},
): Promise<WriteArrowResult> {
  const batchRows = Math.max(1, Math.floor(options.batchRows ?? 50_000));
  const int8AsFloat = new Set<string>();
  for (;;) {
    try {
      return await writeOnce(client, sql, file, batchRows, int8AsFloat, options.onBatch);
    } catch (err) {
      if (!(err instanceof Int8OutOfRange) || int8AsFloat.has(err.column)) throw err;
      int8AsFloat.add(err.column); // rare: start again with that column as Float64
    }
  }
}

async function writeOnce(
  client: pg.ClientBase,
  sql: string,
  file: string,
  batchRows: number,
  int8AsFloat: ReadonlySet<string>,
  onBatch: WriteArrowOptions['onBatch'],
): Promise<WriteArrowResult> {
  const cursor = `gridlens_extract_${++cursorSeq}`;
  await client.query(`declare ${cursor} no scroll cursor for ${sql}`);
  const fh = await fs.open(file, 'w', 0o644);
  const hash = createHash('sha256');
  let bytes = 0;
  const writer = new RecordBatchStreamWriter();
  // Drains the writer's byte queue into the file in ~1 MiB writes.
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
      if (pendingBytes >= FLUSH_BYTES) await flush();
    }
    await flush();
  })();
  let pumpError: unknown;
  pump.catch((err: unknown) => void (pumpError = err)); // handled here; awaited below

  try {
    let encoders: Encoder[] | undefined;
    let schema: Schema | undefined;
    let rows = 0;
    for (;;) {
      const result = await client.query<Row>({ text: `fetch forward ${batchRows} from ${cursor}`, rowMode: 'array', types: extractTypes });
      if (!encoders) {
        encoders = result.fields.map((f) => makeEncoder(f, int8AsFloat.has(f.name)));
        schema = schemaOf(encoders);
      }
      onBatch?.(result.fields.map((f) => f.name), result.rows);
      if (result.rows.length > 0 || rows === 0) {
        writer.write(toRecordBatch(schema!, encoders, result.rows));
        rows += result.rows.length;
      }
      if (pumpError !== undefined) throw pumpError;
      if (result.rows.length < batchRows) break;
    }
    await client.query(`close ${cursor}`);
    writer.close();
    await pump;
    await fh.sync();
    const trueCounts: Record<string, number> = {};
    for (const e of encoders!) if (e.column.type === 'bool') trueCounts[e.column.name] = e.trues;
    return { rows, bytes, sha256: hash.digest('hex'), columns: encoders!.map((e) => e.column), trueCounts };
  } catch (err) {
    writer.abort(err);
    await pump.catch(() => undefined);
    if (err instanceof Int8OutOfRange) await client.query(`close ${cursor}`);
    throw err;
  } finally {
    await fh.close();
  }
}

