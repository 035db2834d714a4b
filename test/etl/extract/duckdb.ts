// Reads Arrow IPC stream bytes with DuckDB-WASM in Node, when the package is
// installed (a dev dependency: @duckdb/duckdb-wasm 1.32.0, which the dashboard uses).
// Uses the blocking Node bundle (stack-notes.md).

import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function resolveBundle(): string | null {
  try {
    return require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  } catch {
    return null;
  }
}

export const duckdbBundle = resolveBundle();

interface DuckResult {
  toArray(): { toJSON(): Record<string, unknown> }[];
}
interface DuckConnection {
  insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string }): void;
  query(sql: string): DuckResult;
  close(): void;
}
interface DuckModule {
  VoidLogger: new () => unknown;
  NODE_RUNTIME: unknown;
  createDuckDB(
    bundles: Record<string, { mainModule: string; mainWorker: string }>,
    logger: unknown,
    runtime: unknown,
  ): Promise<{ instantiate(progress: () => void): Promise<void>; connect(): DuckConnection }>;
}

/** Loads `tables` (name → IPC stream bytes) and returns the rows of `sql` as plain objects (BigInt → string). */
export async function queryWithDuckDB(tables: Record<string, Uint8Array>, sql: string): Promise<Record<string, unknown>[]> {
  if (!duckdbBundle) throw new Error('@duckdb/duckdb-wasm is not installed');
  const duckdb = require(duckdbBundle) as DuckModule;
  const dist = path.dirname(duckdbBundle);
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: path.join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: path.join(dist, 'duckdb-node-eh.worker.cjs') },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  await db.instantiate(() => undefined);
  const conn = db.connect();
  try {
    for (const [name, bytes] of Object.entries(tables)) conn.insertArrowFromIPCStream(bytes, { name });
    return conn.query(sql).toArray().map((r) => {
      const o = r.toJSON();
      for (const k of Object.keys(o)) if (typeof o[k] === 'bigint') o[k] = String(o[k]);
      return o;
    });
  } finally {
    conn.close();
  }
}
