// Loads one input file, in ONE transaction on the given client:
//   truncate staging → COPY the valid rows out (streamed, parse → validate →
//   COPY text, through a row sink: row-sinks.ts) → quarantine rejected rows in
//   ops.rejected_row (COPY, in batches) → merge into core (merge.ts) → record
//   ops.etl_file → commit. Usage rows go as day rows, mostly straight into
//   core.usage_day; if that meets a stored row the file is loaded once more,
//   all through staging.
// A crash or error anywhere rolls the whole file back; a rerun loads it again.
//
// Whole-file rejections (FileRejection: not text, corrupt .gz, bad header,
// no header) roll back whatever was staged and are recorded in a transaction
// of their own with every count 0: no row of the file is accounted as read,
// because the rows of a file whose header or bytes cannot be trusted are not
// rows (and a corrupt .gz may fail after an unknown share of them).

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { ENTITIES, personalColumns, type EntityName } from '../contract/entities.ts';
import { mapHeader, type HeaderMap } from '../contract/header.ts';
import { FileRejection, type ReasonCode } from '../contract/reasons.ts';
import { makeRowValidator } from '../contract/validate-row.ts';
import { CsvParser, type CsvRecord } from './csv-parser.ts';
import { zoneConverter } from '../contract/time-zone.ts';
import { CopyWriter, copyEscape } from './copy-writer.ts';
import { CsvDecoder } from './decode.ts';
import type { InboxFile } from './inbox.ts';
import { readRecords } from './read-records.ts';
import { StagingSink, UsageSink, type RowSink } from './row-sinks.ts';
import { fastUsageHeader, makeUsageLineReader } from './usage-fast-lines.ts';
import { faultPoint } from '../run/fault-point.ts';

export interface FileResult {
  entity: EntityName;
  /** Path relative to the inbox, forward slashes. */
  file: string;
  sha256: string;
  bytes: number;
  read: number;
  loaded: number;
  rejected: number;
  superseded: number;
  /** The same content was already loaded: nothing read, all counts 0. */
  skipped: boolean;
  rejectedByReason: Partial<Record<ReasonCode, number>>;
  fileRejection: { code: string; message: string } | null;
  warnings: string[];
  encoding: string | null;
}

export interface LoadFileContext {
  client: pg.PoolClient;
  runId: number;
  /** Position of the file in the run (staging.file_seq). */
  fileSeq: number;
  file: InboxFile;
  sha256: string;
  timeZone: string;
  /** customers: when attribute changes take effect (YYYY-MM-DD). */
  effectiveDate: string;
  isKnownCustomer: (customerId: string) => boolean;
  /** customers: receives the ids of the file's valid rows once the file has committed. */
  onCustomersLoaded?: (customerIds: readonly string[]) => void;
  /** usage: last stored local day per customer (core.usage_extent; days since 1970-01-01). */
  lastUsageDay?: (customerId: string) => number | undefined;
  /** usage: open day rows kept when the file is out of key order (default MAX_OPEN_ROWS; tests lower it). */
  usageMaxOpenRows?: number;
  /** usage: receives the last day per customer written by the file once it has committed. */
  onUsageDaysLoaded?: (lastDays: ReadonlyMap<string, number>) => void;
  onBytes?: (bytes: number) => void;
  /** Receives the milliseconds spent streaming into staging and merging into core. */
  onTimings?: (timings: { copyMs: number; mergeMs: number }) => void;
}

/** Rejected rows pending their COPY into ops.rejected_row. */
const REJECT_BATCH_ROWS = 10_000;
const REJECT_BATCH_CHARS = 8 * 1024 * 1024;

class Quarantine {
  private text = '';
  private rows = 0;
  readonly byReason: Partial<Record<ReasonCode, number>> = {};
  count = 0;
  private readonly prefix: string;

  constructor(runId: number, entity: EntityName, file: string) {
    this.prefix = `${runId}\t${entity}\t${copyEscape(file)}\t`;
  }

  add(line: number, code: ReasonCode, field: string | null, message: string, raw: string): void {
    this.byReason[code] = (this.byReason[code] ?? 0) + 1;
    this.count++;
    this.rows++;
    this.text += `${this.prefix}${line}\t${code}\t${field === null ? '\\N' : copyEscape(field)}\t${copyEscape(message)}\t${copyEscape(raw)}\n`;
  }

  get full(): boolean {
    return this.rows >= REJECT_BATCH_ROWS || this.text.length >= REJECT_BATCH_CHARS;
  }

  async flush(client: pg.PoolClient): Promise<void> {
    if (this.rows === 0) return;
    const writer = new CopyWriter(client, 'copy ops.rejected_row (run_id, entity, file_name, line, reason_code, field, message, raw_line) from stdin');
    writer.add(this.text);
    this.text = '';
    this.rows = 0;
    await writer.end();
  }
}

/** The first record is the header: map it, or reject the file. */
function headerOf(record: CsvRecord | undefined, entity: EntityName): HeaderMap {
  if (record === undefined) throw new FileRejection('empty_file', `the ${entity} file is empty: it has no header row`);
  if (record.error !== null) throw new FileRejection('not_csv', `the header row (line ${record.line}) is not valid CSV: ${record.error.message}`);
  const header = mapHeader(ENTITIES[entity], record.fields);
  if (!header.ok) throw new FileRejection(header.code, header.message);
  return header;
}

export function emptyResult(file: InboxFile, sha256: string): FileResult {
  return {
    entity: file.entity, file: file.file, sha256, bytes: file.bytes, read: 0, loaded: 0, rejected: 0, superseded: 0,
    skipped: false, rejectedByReason: {}, fileRejection: null, warnings: [], encoding: null,
  };
}

/** PostgreSQL's unique_violation on core.usage_day: a direct COPY met a stored row (the extent hint was stale). */
function isStaleUsageHint(err: unknown): boolean {
  const e = err as { code?: string; table?: string; constraint?: string };
  return e?.code === '23505' && (e.table === 'usage_day' || e.constraint === 'usage_day_pkey');
}

/** Load one file (see the module comment). Throws only for unexpected errors, after rolling back. */
export async function loadFile(ctx: LoadFileContext): Promise<FileResult> {
  if (ctx.file.entity !== 'usage') return loadFileOnce(ctx, true);
  try {
    return await loadFileOnce(ctx, true);
  } catch (err) {
    // A usage day row the hint said was new is stored already (written by hand,
    // or the hint lags): load the file again, every row through the merge.
    if (!isStaleUsageHint(err)) throw err;
    return loadFileOnce(ctx, false);
  }
}

async function loadFileOnce(ctx: LoadFileContext, allowDirect: boolean): Promise<FileResult> {
  const { client, file } = ctx;
  const entity = file.entity;
  const spec = ENTITIES[entity];
  const result = emptyResult(file, ctx.sha256);
  const decoder = new CsvDecoder();
  // The bytes are hashed again as they are loaded: a file that changed since it
  // was hashed (still being written?) must not be recorded under the old hash.
  const hash = createHash('sha256');
  const onChunk = (bytes: Buffer) => {
    hash.update(bytes);
    ctx.onBytes?.(bytes.length);
  };
  const parser = new CsvParser();
  const records = readRecords(file.path, { gzip: file.gzip, decoder, onChunk, parser });
  let sink: RowSink | null = null;
  let usage: UsageSink | null = null;
  let inTransaction = false;

  try {
    // The header comes first, before any transaction: most whole-file problems show here.
    let first = await records.next();
    while (!first.done && first.value.length === 0) first = await records.next();
    const batch0 = first.done ? [] : first.value;
    const header = headerOf(batch0[0], entity);
    result.warnings.push(...header.warnings);

    const validate = makeRowValidator(spec, header, {
      timeZone: ctx.timeZone,
      isKnownCustomer: ctx.isKnownCustomer,
      withKey: entity !== 'usage', // the usage sink keys rows itself
    });
    const quarantine = new Quarantine(ctx.runId, entity, file.file);
    const customerIds: string[] | null = entity === 'customers' ? [] : null;
    let read = 0;

    /** Validate a batch of records into the sink and the quarantine. Synchronous: the hot loop. */
    const take = (rows: RowSink, batch: CsvRecord[], from: number): void => {
      for (let i = from; i < batch.length; i++) {
        const record = batch[i];
        read++;
        if (record.error !== null) {
          quarantine.add(record.line, record.error.code, null, record.error.message, record.raw);
          continue;
        }
        const v = validate(record.fields);
        if (v.ok) {
          rows.add(v.row, v.key, record.line);
          if (customerIds !== null) customerIds.push((v.row as { customer_id: string }).customer_id);
        } else {
          quarantine.add(record.line, v.code, v.column, v.message, record.raw);
        }
      }
    };

    const t0 = performance.now();
    await client.query('begin');
    inTransaction = true;
    await client.query(`set local work_mem = '128MB'`);
    if (entity === 'usage') {
      await client.query('truncate staging.usage_day');
      const zone = zoneConverter(ctx.timeZone);
      usage = new UsageSink(client, {
        zone,
        lastStoredDay: ctx.lastUsageDay ?? (() => undefined),
        allowDirect,
        maxOpenRows: ctx.usageMaxOpenRows,
      });
      sink = usage;
      if (fastUsageHeader(header)) {
        // Plain lines skip the record/row objects (usage-fast-lines.ts); the rest, in order, go through take().
        const rows = usage;
        const readLine = makeUsageLineReader(header.fieldCount === 5, {
          zone,
          isKnownCustomer: ctx.isKnownCustomer,
          add: usage.addValues,
        });
        parser.setLineHook({
          line: (text, from, to) => {
            if (!readLine(text, from, to)) return false;
            read++;
            return true;
          },
          records: (batch) => take(rows, batch, 0),
        });
      }
    } else {
      await client.query(`truncate staging.${entity}`);
      sink = new StagingSink(client, spec, ctx.fileSeq);
    }
    take(sink, batch0, 1);
    await sink.flush();
    await faultPoint('ingest:copy'); // rows sent, COPY open
    for (;;) {
      if (quarantine.full) {
        // One statement at a time on a connection: finish this COPY, quarantine, continue in a new one.
        await sink.pause();
        await quarantine.flush(client);
      }
      const next = await records.next();
      if (next.done) break;
      take(sink, next.value, 0);
      await sink.flush();
    }
    await sink.flush();
    await sink.pause();
    await quarantine.flush(client);
    if (hash.digest('hex') !== ctx.sha256) {
      throw new Error(`${file.file} changed while it was being loaded (is it still being written?); nothing of it was loaded: run again once the file is complete`);
    }

    const t1 = performance.now();
    result.superseded = await sink.finish({
      runId: ctx.runId,
      effectiveDate: ctx.effectiveDate,
      personalColumns: personalColumns(spec).filter((name) => header.indexOf[name] !== undefined),
    });
    result.read = read;
    result.rejected = quarantine.count;
    result.rejectedByReason = quarantine.byReason;
    result.loaded = sink.staged - result.superseded;
    result.encoding = decoder.encoding;
    if (decoder.replacements > 0) {
      result.warnings.push(
        `${decoder.replacements} byte sequence(s) were not valid ${decoder.encoding ?? 'UTF-8'} text; the rows holding them were rejected (bad_encoding)`,
      );
    }
    await recordFile(client, ctx.runId, result);
    await client.query('commit');
    inTransaction = false;
    ctx.onTimings?.({ copyMs: Math.round(t1 - t0), mergeMs: Math.round(performance.now() - t1) });
    if (customerIds !== null) ctx.onCustomersLoaded?.(customerIds);
    if (usage !== null) ctx.onUsageDaysLoaded?.(usage.lastDays());
    return result;
  } catch (err) {
    if (sink !== null) await sink.abort(err instanceof Error ? err : new Error(String(err)));
    if (!(err instanceof FileRejection)) {
      if (inTransaction) await client.query('rollback').catch(() => undefined); // keep the original error
      throw err;
    }
    if (inTransaction) await client.query('rollback');
    const rejected = emptyResult(file, ctx.sha256);
    rejected.fileRejection = { code: err.code, message: err.message };
    rejected.warnings = result.warnings;
    rejected.encoding = decoder.encoding;
    await recordFile(client, ctx.runId, rejected);
    return rejected;
  } finally {
    await records.return(undefined); // closes the file streams if we stopped early
  }
}

/** Insert (or, for a retry within the same run, replace) the file's ops.etl_file row. */
export async function recordFile(client: pg.PoolClient, runId: number, r: FileResult): Promise<void> {
  await client.query(
    `insert into ops.etl_file (run_id, entity, file_name, sha256, bytes, encoding, skipped, rows_read, rows_loaded, rows_rejected,
                               rows_superseded, rejected_by_reason, file_rejection_code, file_rejection_message, warnings)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (run_id, entity, file_name) do update set
       sha256 = excluded.sha256, bytes = excluded.bytes, encoding = excluded.encoding, skipped = excluded.skipped,
       rows_read = excluded.rows_read, rows_loaded = excluded.rows_loaded, rows_rejected = excluded.rows_rejected,
       rows_superseded = excluded.rows_superseded, rejected_by_reason = excluded.rejected_by_reason,
       file_rejection_code = excluded.file_rejection_code, file_rejection_message = excluded.file_rejection_message,
       warnings = excluded.warnings, loaded_at = now()`,
    [
      runId, r.entity, r.file, r.sha256, r.bytes, r.encoding, r.skipped, r.read, r.loaded, r.rejected, r.superseded,
      JSON.stringify(r.rejectedByReason), r.fileRejection?.code ?? null, r.fileRejection?.message ?? null, JSON.stringify(r.warnings),
    ],
  );
}
