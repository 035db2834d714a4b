// End-to-end ingest throughput of one usage file against plain COPYs of the
// same file on the same server. Run:
//
//   npm run etl -- generate --customers 4000 --months 2 --out /tmp/x --end 2026-10
//   npx tsx bench/ingest.bench.ts /tmp/x [usage file name]
//
// Uses a scratch database on GRIDLENS_TEST_ADMIN_URL's server (default the
// local PostgreSQL service), dropped at the end. Prints the median of 3 runs:
//   ingest            ingestInbox on an inbox holding only that file (customers loaded before)
//   copy unindexed    COPY … (format csv) of the same bytes into a table without indexes
//   copy pk           the same into a table with core.usage_reading's primary key
//   copy pk+fk        … and its foreign key to core.customer
// BENCH_DROP_USAGE_FK=1 drops core.usage_reading's foreign key first (what-if).

import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createPool } from '../etl/db/connection.ts';
import { migrate } from '../etl/db/migrate.ts';
import { ingestInbox } from '../etl/ingest/ingest-inbox.ts';
import { createLogger } from '../etl/log.ts';

const TZ = 'Asia/Shanghai';
const inbox = resolve(process.argv[2] ?? '/tmp/x');
const usageName = process.argv[3] ?? readdirSync(join(inbox, 'usage')).sort().at(-1)!;
const adminUrl = process.env.GRIDLENS_TEST_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = createLogger({ level: 'warn' });

function inboxOf(entity: string, names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gridlens-bench-'));
  mkdirSync(join(dir, entity));
  for (const name of names) symlinkSync(join(inbox, entity, name), join(dir, entity, name));
  return dir;
}

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
const dbName = `gridlens_bench_${process.pid}`;
await admin.query(`create database ${dbName} template template0 encoding 'UTF8' locale 'C'`);
const url = new URL(adminUrl);
url.pathname = `/${dbName}`;
const pool = createPool(url.toString(), { tz: TZ, max: 2 });
const temp: string[] = [];
try {
  await migrate(pool, undefined, { logger });
  const run = async () => (await pool.query<{ id: number }>('insert into ops.etl_run default values returning id')).rows[0].id;
  const customers = inboxOf('customers', readdirSync(join(inbox, 'customers')));
  const usage = inboxOf('usage', [usageName]);
  temp.push(customers, usage);
  await ingestInbox({ pool, runId: await run(), inbox: customers, timeZone: TZ, logger });
  await pool.query(`create table public.plain (customer_id text, reading_start timestamptz, interval_minutes smallint, kwh double precision, quality text)`);
  await pool.query(`create table public.shaped (like core.usage_reading including defaults including constraints including indexes)`);
  await pool.query(`alter table public.shaped alter quality drop not null, add foreign key (customer_id) references core.customer`);
  await pool.query(`create table public.shaped_pk (like public.shaped including defaults including constraints including indexes)`);
  // What-if: BENCH_DROP_USAGE_FK=1 measures the ingest without core.usage_reading's foreign key.
  if (process.env.BENCH_DROP_USAGE_FK === '1') await pool.query('alter table core.usage_reading drop constraint usage_reading_customer_id_fkey');

  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const timed = async (prepare: () => Promise<unknown>, work: () => Promise<number>) => {
    const seconds: number[] = [];
    let rows = 0;
    for (let i = 0; i < 3; i++) {
      await prepare();
      await pool.query('checkpoint');
      const t0 = performance.now();
      rows = await work();
      seconds.push((performance.now() - t0) / 1000);
    }
    return { rows, seconds: median(seconds) };
  };
  const copyInto = (table: string) => async () => {
    const client = await pool.connect();
    try {
      const stream = client.query(copyFrom(`copy public.${table} (customer_id, reading_start, interval_minutes, kwh, quality) from stdin with (format csv, header)`));
      await pipeline(createReadStream(join(inbox, 'usage', usageName), { highWaterMark: 1 << 20 }), stream);
      return stream.rowCount;
    } finally {
      client.release();
    }
  };

  const results = {
    ingest: await timed(
      () => pool.query(`truncate core.usage_reading, rollup.pending_usage_day; delete from ops.etl_file where entity = 'usage'`),
      async () => (await ingestInbox({ pool, runId: await run(), inbox: usage, timeZone: TZ, logger })).files[0].loaded,
    ),
    'copy unindexed': await timed(() => pool.query('truncate public.plain'), copyInto('plain')),
    'copy pk': await timed(() => pool.query('truncate public.shaped_pk'), copyInto('shaped_pk')),
    'copy pk+fk': await timed(() => pool.query('truncate public.shaped'), copyInto('shaped')),
  };
  const server = (await pool.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0].v;
  console.log(`usage/${usageName}, PostgreSQL ${server}, median of 3`);
  const base = results['copy unindexed'].rows / results['copy unindexed'].seconds;
  for (const [name, r] of Object.entries(results)) {
    const rate = r.rows / r.seconds;
    console.log(`${name.padEnd(16)} ${String(r.rows).padStart(9)} rows ${r.seconds.toFixed(2).padStart(6)} s ${Math.round(rate).toLocaleString('en').padStart(11)} rows/s  ${((rate / base) * 100).toFixed(0).padStart(3)} % of copy unindexed`);
  }
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${dbName}`);
  await admin.end();
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
}
