// The ingest step of the nightly ETL: every file of the inbox into core.
//
//   const { files } = await ingestInbox({ pool, runId, inbox, timeZone });
//
// Files are taken entity by entity in ENTITY_LOAD_ORDER (customers first, so
// the other entities can refer to customers loaded the same night), and in
// name order within an entity. Each file is hashed first: content already
// loaded by an earlier file (same entity and sha256) is recorded as skipped
// and not read. Every other file is loaded in its own transaction
// (load-file.ts), so a failure leaves the files before it loaded and nothing
// of the failing one; a rerun skips the former and loads the latter again.
//
// Uses one connection of the pool for the whole step. Errors other than a
// file's own rejection (database down, a bug) are thrown: the run has failed.

import type pg from 'pg';
import { log as defaultLog, type Logger } from '../log.ts';
import { discoverInbox, effectiveDateFromName, hashFile, type InboxFile } from './inbox.ts';
import { emptyResult, loadFile, recordFile, type FileResult } from './load-file.ts';
import { checkUsageTimeZone } from './usage-time-zone.ts';
import { faultPoint } from '../run/fault-point.ts';

export type { FileResult } from './load-file.ts';

export interface IngestOptions {
  pool: pg.Pool;
  /** An existing ops.etl_run id (created by the orchestrator). */
  runId: number;
  /** Folder holding `<entity>/*.csv[.gz]`. */
  inbox: string;
  /** The utility's IANA time zone: offset-less timestamps in files, and "day". */
  timeZone: string;
  logger?: Logger;
  /** Bytes of input processed so far and in all (skipped files count whole). */
  onProgress?: (doneBytes: number, totalBytes: number) => void;
}

async function runDate(client: pg.PoolClient, runId: number, timeZone: string): Promise<string> {
  const r = await client.query<{ day: string }>(`select (started_at at time zone $2)::date as day from ops.etl_run where id = $1`, [runId, timeZone]);
  if (r.rows.length === 0) throw new Error(`ops.etl_run has no run ${runId}: create the run before ingesting`);
  return r.rows[0].day;
}

async function knownCustomers(client: pg.PoolClient): Promise<Set<string>> {
  const r = await client.query<[string]>({ text: 'select customer_id from core.customer', rowMode: 'array' });
  const known = new Set<string>();
  for (const row of r.rows) known.add(row[0]);
  return known;
}

/** core.usage_extent: last stored local day per customer, days since 1970-01-01 (the usage loader's hint). */
async function usageExtent(client: pg.PoolClient): Promise<Map<string, number>> {
  const r = await client.query<[string, number]>({
    text: `select customer_id, last_day - date '1970-01-01' from core.usage_extent`,
    rowMode: 'array',
  });
  const extent = new Map<string, number>();
  for (const row of r.rows) extent.set(row[0], row[1]);
  return extent;
}

interface LoadedRow {
  run_id: number;
  file_name: string;
  encoding: string | null;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_superseded: number;
  rejected_by_reason: FileResult['rejectedByReason'];
  warnings: string[];
}

/** The ops.etl_file row of an earlier load of this content, if any (this run's own load of the same file first). */
async function earlierLoad(client: pg.PoolClient, runId: number, file: InboxFile, sha256: string): Promise<LoadedRow | null> {
  const r = await client.query<LoadedRow>(
    `select run_id, file_name, encoding, rows_read, rows_loaded, rows_rejected, rows_superseded, rejected_by_reason, warnings
     from ops.etl_file where entity = $1 and sha256 = $2 and not skipped and file_rejection_code is null
     order by (run_id = $3 and file_name = $4) desc, id limit 1`,
    [file.entity, sha256, runId, file.file],
  );
  return r.rows[0] ?? null;
}

export async function ingestInbox(o: IngestOptions): Promise<{ files: FileResult[] }> {
  const logger = (o.logger ?? defaultLog).child({ step: 'ingest', runId: o.runId });
  const files = await discoverInbox(o.inbox);
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  let doneBytes = 0;
  o.onProgress?.(0, totalBytes);
  logger.info('ingest_start', { inbox: o.inbox, files: files.length, bytes: totalBytes });

  const client = await o.pool.connect();
  // A checked-out client that loses its connection emits 'error': without a
  // listener that would crash the process; the failing query reports it.
  const onClientError = (err: Error) => logger.warn('ingest_connection_error', { err });
  client.on('error', onClientError);
  let broken = false;
  const results: FileResult[] = [];
  try {
    await checkUsageTimeZone(client, o.timeZone);
    const known = await knownCustomers(client);
    const extent = await usageExtent(client);
    const today = await runDate(client, o.runId, o.timeZone);
    const isKnownCustomer = (id: string) => known.has(id);

    for (const [index, file] of files.entries()) {
      const started = Date.now();
      const sha256 = await hashFile(file.path);
      let result: FileResult;
      const earlier = await earlierLoad(client, o.runId, file, sha256);
      if (earlier !== null && earlier.run_id === o.runId && earlier.file_name === file.file) {
        // This run already loaded this file (the step is being retried): report that load again.
        result = {
          ...emptyResult(file, sha256), encoding: earlier.encoding, read: earlier.rows_read, loaded: earlier.rows_loaded,
          rejected: earlier.rows_rejected, superseded: earlier.rows_superseded, rejectedByReason: earlier.rejected_by_reason,
          warnings: earlier.warnings,
        };
      } else if (earlier !== null) {
        result = { ...emptyResult(file, sha256), skipped: true };
        await recordFile(client, o.runId, result);
        logger.info('ingest_file_skipped', { file: file.file, sha256, sameAs: earlier.file_name, run: earlier.run_id });
      } else {
        let fileBytes = 0;
        let timings = {};
        result = await loadFile({
          client,
          runId: o.runId,
          fileSeq: index + 1,
          file,
          sha256,
          timeZone: o.timeZone,
          effectiveDate: effectiveDateFromName(file.file) ?? today,
          isKnownCustomer,
          onCustomersLoaded: (ids) => {
            for (const id of ids) known.add(id);
          },
          lastUsageDay: (id) => extent.get(id),
          onUsageDaysLoaded: (lastDays) => {
            for (const [id, day] of lastDays) if (!(extent.get(id)! >= day)) extent.set(id, day);
          },
          onTimings: (t) => (timings = t),
          onBytes: (n) => {
            fileBytes += n;
            o.onProgress?.(doneBytes + Math.min(fileBytes, file.bytes), totalBytes);
          },
        });
        await faultPoint('ingest:file-committed');
        const fields = {
          file: file.file, read: result.read, loaded: result.loaded, rejected: result.rejected, superseded: result.superseded,
          rejectedByReason: result.rejectedByReason, encoding: result.encoding, ms: Date.now() - started, ...timings,
        };
        if (result.fileRejection) logger.warn('ingest_file_rejected', { file: file.file, code: result.fileRejection.code, message: result.fileRejection.message });
        else logger.info('ingest_file', fields);
        for (const warning of result.warnings) logger.warn('ingest_file_warning', { file: file.file, warning });
      }
      results.push(result);
      doneBytes += file.bytes;
      o.onProgress?.(doneBytes, totalBytes);
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.off('error', onClientError);
    // After an unexpected error the connection may be mid-protocol: do not pool it.
    client.release(broken);
  }

  const sum = (k: 'read' | 'loaded' | 'rejected' | 'superseded') => results.reduce((s, r) => s + r[k], 0);
  logger.info('ingest_done', {
    files: results.length,
    skipped: results.filter((r) => r.skipped).length,
    rejectedFiles: results.filter((r) => r.fileRejection !== null).length,
    read: sum('read'), loaded: sum('loaded'), rejected: sum('rejected'), superseded: sum('superseded'),
  });
  return { files: results };
}
