// The query benchmark's own utility when it is given no database: a small
// generated utility put through the real ETL (bench/browser/extracts.ts) into
// an embedded PostgreSQL that is kept (unlike the browser benchmark's), since
// the live side queries its marts. Cached under .gridlens/bench/queries-<options>/
// (git-ignored): the cluster in pg-home/pg, the extracts beside it; reused
// when both are there.

import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../etl/config.ts';
import { openDatabase } from '../../etl/db/connection.ts';
import { generateExtracts } from '../browser/extracts.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface UtilityOptions {
  customers: number;
  months: number;
  seed: number;
  /** Last month, 'YYYY-MM'. */
  end: string;
  log?: (line: string) => void;
}

export interface BenchUtility {
  url: string;
  extracts: string;
  /** Stops the embedded server (its data stays for the next run). */
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export async function benchUtility(o: UtilityOptions): Promise<BenchUtility> {
  const dir = join(ROOT, '.gridlens/bench', `queries-c${o.customers}-m${o.months}-s${o.seed}-e${o.end}`);
  const env = { GRIDLENS_HOME: join(dir, 'pg-home'), GRIDLENS_PG_PORT: String(await freePort()), GRIDLENS_LOG_LEVEL: 'warn' };
  const db = await openDatabase(loadConfig(env, ROOT), { max: 1 });
  try {
    const extracts = join(dir, 'extracts');
    const loaded = await db.pool.query(`select 1 from mart.kpi_month limit 1`).then(() => true, () => false);
    if (!loaded && existsSync(extracts)) rmSync(extracts, { recursive: true, force: true });
    await generateExtracts({ ...o, dir, databaseUrl: db.url });
    return { url: db.url, extracts, close: () => db.close() };
  } catch (err) {
    await db.close();
    throw err;
  }
}
