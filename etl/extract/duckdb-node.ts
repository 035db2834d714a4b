// DuckDB-WASM in Node: the blocking Node bundle (stack-notes.md: the async API
// in Node needs web-worker@1.2.0; the blocking bundle needs nothing),
// instantiated with the wasm files of the installed package, and the data
// layer's Engine over it: same SQL, same settings, same result conversion as
// the browser's engine (dashboard/src/data/duckdb-browser.ts). The ETL uses it
// to answer the dashboard's first-screen questions at publish time
// (first-answers.ts); the tests run the dashboard's query builders on it.

import { createRequire } from 'node:module';
import path from 'node:path';
import { CONNECTION_SETTINGS, rowsOf, type ArrowResult, type Engine } from '../../dashboard/src/data/engine.ts';
import type { Param } from '../../dashboard/src/data/sql.ts';

const require = createRequire(import.meta.url);

interface BlockingModule<Database> {
  VoidLogger: new () => unknown;
  NODE_RUNTIME: unknown;
  createDuckDB(
    bundles: Record<string, { mainModule: string; mainWorker: string }>,
    logger: unknown,
    runtime: unknown,
  ): Promise<Database & { instantiate(progress: () => void): Promise<void> }>;
}

/** Path of the blocking bundle, or null when @duckdb/duckdb-wasm is not installed. */
export function blockingDuckDBBundle(): string | null {
  try {
    return require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  } catch {
    return null;
  }
}

/** A new, instantiated DuckDB-WASM database (typed by the caller's view of its API). */
export async function instantiateBlockingDuckDB<Database>(): Promise<Database> {
  const bundle = blockingDuckDBBundle();
  if (bundle === null) throw new Error('@duckdb/duckdb-wasm is not installed');
  const duckdb = require(bundle) as BlockingModule<Database>;
  const dist = path.dirname(bundle);
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => undefined);
  return db;
}

interface BlockingConnection {
  insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string; create?: boolean }): void;
  query(sql: string): ArrowResult;
  prepare(sql: string): { query(...params: Param[]): ArrowResult; close(): void };
}
interface BlockingDatabase {
  open(config: object): void;
  connect(): BlockingConnection;
}

/** A new DuckDB-WASM database with the data layer's Engine over it; `statementsPrepared` counts prepared statements. */
export async function startNodeEngine(): Promise<Engine & { statementsPrepared(): number }> {
  const db = await instantiateBlockingDuckDB<BlockingDatabase>();
  db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = db.connect();
  for (const s of CONNECTION_SETTINGS) conn.query(s);
  let prepared = 0;
  return {
    async insertIPC(table, bytes) {
      conn.insertArrowFromIPCStream(bytes, { name: table, create: true });
    },
    async query(sql, params) {
      if (params.length === 0) return rowsOf(conn.query(sql));
      const stmt = conn.prepare(sql);
      prepared++;
      try {
        return rowsOf(stmt.query(...params));
      } finally {
        stmt.close();
      }
    },
    statementsPrepared: () => prepared,
  };
}
