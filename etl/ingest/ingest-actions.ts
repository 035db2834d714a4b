// Ingest of the improvement-action register: `<inbox>/actions/*.csv[.gz]`
// (our own addition to the data contract; format in etl/actions/action-row.ts)
// into core.improvement_action, with the ingest's rules: files in name order;
// content already loaded (entity 'actions', sha256) is recorded as skipped;
// each file in ONE transaction; a rejected row is quarantined in
// ops.rejected_row with file, line, reason and raw text, never dropped; the
// file's ops.etl_file row accounts for it (read = loaded + rejected +
// superseded, superseded = an earlier row of the same action_id in the file);
// a header without a required column rejects the whole file (every count 0).
// Across files the later row of an action_id wins (upsert).
//
// A register is a few hundred rows at most, so a file is read whole.

import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { FileRejection, type ReasonCode } from '../contract/reasons.ts';
import { log as defaultLog, type Logger } from '../log.ts';
import { mapActionHeader, validateAction, type ActionRow } from '../actions/action-row.ts';
import type { CsvRecord } from './csv-parser.ts';
import { CsvDecoder } from './decode.ts';
import { hashFile } from './inbox.ts';
import { readRecords } from './read-records.ts';
import type { FileResult } from './load-file.ts';

export const ACTIONS_FOLDER = 'actions';

/** The counts of a register file: those of a contract file (load-file.ts), without an entity. */
export type ActionFileResult = Omit<FileResult, 'entity'>;

interface Rejected {
  line: number;
  code: ReasonCode;
  field: string | null;
  message: string;
  raw: string;
}

/** The register's files, in name order (the same filters as discoverInbox). */
export async function discoverActionFiles(inbox: string): Promise<{ file: string; path: string; bytes: number; gzip: boolean }[]> {
  const dir = path.join(inbox, ACTIONS_FOLDER);
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => !n.startsWith('.') && /\.csv(\.gz)?$/i.test(n)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out = [];
  for (const name of names) {
    const full = path.join(dir, name);
    const stat = await fs.stat(full);
    if (stat.isFile()) out.push({ file: `${ACTIONS_FOLDER}/${name}`, path: full, bytes: stat.size, gzip: /\.gz$/i.test(name) });
  }
  return out;
}

/**
 * Parse and validate one file's records (pure apart from reading): the rows
 * to load (last per action_id), the rejected ones, and the count superseded.
 * Throws FileRejection for a file without a usable header.
 */
export function sortRecords(records: readonly CsvRecord[], knownRegions: ReadonlySet<string>): {
  rows: (ActionRow & { line: number })[]; rejected: Rejected[]; superseded: number; read: number; warnings: string[];
} {
  if (records.length === 0) throw new FileRejection('empty_file', 'the actions file is empty: it has no header row');
  const head = records[0];
  if (head.error !== null) throw new FileRejection('not_csv', `the header row (line ${head.line}) is not valid CSV: ${head.error.message}`);
  const header = mapActionHeader(head.fields);
  if (!header.ok) throw new FileRejection(header.code, header.message);
  const byId = new Map<string, ActionRow & { line: number }>();
  const rejected: Rejected[] = [];
  let superseded = 0;
  for (const r of records.slice(1)) {
    if (r.error !== null) {
      rejected.push({ line: r.line, code: r.error.code, field: null, message: r.error.message, raw: r.raw });
      continue;
    }
    const v = validateAction(header, r.fields, knownRegions);
    if (!v.ok) {
      rejected.push({ line: r.line, code: v.code, field: v.column, message: v.message, raw: r.raw });
      continue;
    }
    if (byId.has(v.row.action_id)) superseded++;
    byId.set(v.row.action_id, { ...v.row, line: r.line });
  }
  return { rows: [...byId.values()], rejected, superseded, read: records.length - 1, warnings: header.warnings };
}

async function recordActionFile(client: pg.PoolClient, runId: number, r: ActionFileResult): Promise<void> {
  await client.query(
    `insert into ops.etl_file (run_id, entity, file_name, sha256, bytes, encoding, skipped, rows_read, rows_loaded, rows_rejected,
                               rows_superseded, rejected_by_reason, file_rejection_code, file_rejection_message, warnings)
     values ($1, 'actions', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (run_id, entity, file_name) do update set
       sha256 = excluded.sha256, bytes = excluded.bytes, encoding = excluded.encoding, skipped = excluded.skipped,
       rows_read = excluded.rows_read, rows_loaded = excluded.rows_loaded, rows_rejected = excluded.rows_rejected,
       rows_superseded = excluded.rows_superseded, rejected_by_reason = excluded.rejected_by_reason,
       file_rejection_code = excluded.file_rejection_code, file_rejection_message = excluded.file_rejection_message,
       warnings = excluded.warnings, loaded_at = now()`,
    [runId, r.file, r.sha256, r.bytes, r.encoding, r.skipped, r.read, r.loaded, r.rejected, r.superseded,
      JSON.stringify(r.rejectedByReason), r.fileRejection?.code ?? null, r.fileRejection?.message ?? null, JSON.stringify(r.warnings)],
  );
}

export async function ingestActions(o: { pool: pg.Pool; runId: number; inbox: string; logger?: Logger }): Promise<{ files: ActionFileResult[] }> {
  const logger = (o.logger ?? defaultLog).child({ step: 'actions', runId: o.runId });
  const files = await discoverActionFiles(o.inbox);
  if (files.length === 0) return { files: [] };
  const client = await o.pool.connect();
  let broken = false;
  const results: ActionFileResult[] = [];
  try {
    const regions = new Set((await client.query<{ region: string }>('select distinct region from core.customer')).rows.map((r) => r.region));
    for (const f of files) {
      const sha256 = await hashFile(f.path);
      const result: ActionFileResult = {
        file: f.file, sha256, bytes: f.bytes, read: 0, loaded: 0, rejected: 0, superseded: 0, skipped: false,
        rejectedByReason: {}, fileRejection: null, warnings: [], encoding: null,
      };
      const earlier = await client.query<{ run_id: string; file_name: string; read: number; loaded: number; rejected: number; superseded: number }>(
        `select run_id, file_name, rows_read::int as read, rows_loaded::int as loaded, rows_rejected::int as rejected, rows_superseded::int as superseded from ops.etl_file where entity = 'actions' and sha256 = $1 and not skipped and file_rejection_code is null
         order by (run_id = $2 and file_name = $3) desc, id limit 1`, [sha256, o.runId, f.file]);
      const e = earlier.rows[0];
      if (e !== undefined && Number(e.run_id) === o.runId && e.file_name === f.file) {
        // This run already loaded it (the step is being retried): report that load again.
        results.push({ ...result, read: e.read, loaded: e.loaded, rejected: e.rejected, superseded: e.superseded });
        continue;
      }
      if (e !== undefined) {
        result.skipped = true;
        await recordActionFile(client, o.runId, result);
        results.push(result);
        continue;
      }
      const decoder = new CsvDecoder();
      let inTransaction = false;
      try {
        const records: CsvRecord[] = [];
        for await (const batch of readRecords(f.path, { gzip: f.gzip, decoder })) records.push(...batch);
        const sorted = sortRecords(records, regions);
        result.encoding = decoder.encoding;
        result.read = sorted.read;
        result.superseded = sorted.superseded;
        result.warnings = sorted.warnings;
        await client.query('begin');
        inTransaction = true;
        for (const r of sorted.rejected) {
          result.rejectedByReason[r.code] = (result.rejectedByReason[r.code] ?? 0) + 1;
          await client.query(
            `insert into ops.rejected_row (run_id, entity, file_name, line, reason_code, field, message, raw_line) values ($1, 'actions', $2, $3, $4, $5, $6, $7)`,
            [o.runId, f.file, r.line, r.code, r.field, r.message, r.raw]);
        }
        result.rejected = sorted.rejected.length;
        for (const r of sorted.rows) {
          await client.query(
            `insert into core.improvement_action (action_id, action_date, regions, segments, target, description, file_name, line, run_id)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (action_id) do update set action_date = excluded.action_date, regions = excluded.regions, segments = excluded.segments,
               target = excluded.target, description = excluded.description, file_name = excluded.file_name, line = excluded.line, run_id = excluded.run_id`,
            [r.action_id, r.action_date, r.regions, r.segments, r.target, r.description, f.file, r.line, o.runId]);
        }
        result.loaded = sorted.rows.length;
        await recordActionFile(client, o.runId, result);
        await client.query('commit');
        inTransaction = false;
        // No description in the log: free text stays in the warehouse.
        logger.info('actions_file', { file: f.file, read: result.read, loaded: result.loaded, rejected: result.rejected, superseded: result.superseded });
      } catch (err) {
        if (inTransaction) await client.query('rollback').catch(() => undefined);
        if (!(err instanceof FileRejection)) throw err;
        const rejected: ActionFileResult = { ...result, read: 0, loaded: 0, rejected: 0, superseded: 0, rejectedByReason: {}, fileRejection: { code: err.code, message: err.message }, encoding: decoder.encoding };
        await recordActionFile(client, o.runId, rejected);
        logger.warn('actions_file_rejected', { file: f.file, code: err.code, message: err.message });
        results.push(rejected);
        continue;
      }
      results.push(result);
    }
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    client.release(broken);
  }
  return { files: results };
}
