// Shared by the ingest database tests: a scratch database per test file (so
// parallel files never see each other's rows), runs, small hand-written inboxes.

import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type pg from 'pg';
import { createPool } from '../../../etl/db/connection.ts';
import { migrate } from '../../../etl/db/migrate.ts';
import { ingestInbox, type FileResult } from '../../../etl/ingest/ingest-inbox.ts';
import { createLogger } from '../../../etl/log.ts';
import { createScratchDatabase } from '../../helpers/db.ts';
import { TMP } from '../../helpers/generated.ts';

export const TZ = 'Asia/Shanghai';
export const silent = createLogger({ level: 'silent' });

export interface IngestDatabase {
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function ingestDatabase(label: string): Promise<IngestDatabase> {
  const scratch = await createScratchDatabase(label);
  const pool = createPool(scratch.url, { tz: TZ, max: 3 });
  await migrate(pool, undefined, { logger: silent });
  return {
    pool,
    async close() {
      await pool.end();
      await scratch.drop();
    },
  };
}

export async function newRun(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ id: number }>('insert into ops.etl_run default values returning id')).rows[0].id;
}

/** Ingest `inbox` in a new run; results keyed by file for convenience. */
export async function ingest(pool: pg.Pool, inbox: string): Promise<{ runId: number; files: FileResult[]; byFile: Map<string, FileResult> }> {
  const runId = await newRun(pool);
  const { files } = await ingestInbox({ pool, runId, inbox, timeZone: TZ, logger: silent });
  return { runId, files, byFile: new Map(files.map((f) => [f.file, f])) };
}

const made: string[] = [];

/** A new inbox folder with the given files (path relative to the inbox → content). */
export function writeInbox(files: Record<string, string | Uint8Array>): string {
  const dir = join(TMP, 'ingest', `inbox-${process.pid}-${randomBytes(4).toString('hex')}`);
  made.push(dir);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

export function removeInboxes(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Row count and a checksum of every row of a table (order-independent). */
export async function tableChecksum(pool: pg.Pool, table: string): Promise<{ rows: number; md5: string }> {
  const r = await pool.query<{ rows: number; md5: string | null }>(
    `select count(*)::int as rows, md5(string_agg(t::text, E'\\n' order by t::text)) as md5 from ${table} t`,
  );
  return { rows: r.rows[0].rows, md5: r.rows[0].md5 ?? '' };
}

export const CORE_TABLES = [
  'core.customer', 'core.customer_history', 'core.customer_pii', 'core.usage_reading', 'core.usage_day', 'core.usage_extent',
  'core.bill', 'core.survey_response', 'core.survey_comment', 'core.ticket', 'core.campaign_contact',
  'rollup.pending_usage_day', 'rollup.pending_usage_range', 'rollup.pending_customer_month',
] as const;

/** The usage days pending for the rollups, one row per (customer_id, day): the ranges expanded, with the single days. */
export const PENDING_USAGE_DAYS = `(select customer_id, day from rollup.pending_usage_day
  union
  select customer_id, d::date from rollup.pending_usage_range cross join generate_series(day_from, day_to - 1, interval '1 day') d) pending`;

export const CUSTOMER_HEADER = 'customer_id,name,phone,address,customer_class,region,tariff,voltage_kv,capacity_kva,contract_type,contract_end,green_plan,preferred_channel,opened_on,closed_on';
