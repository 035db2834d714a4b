// Reads Arrow IPC stream bytes with DuckDB-WASM in Node, when the package is
// installed (a dev dependency: @duckdb/duckdb-wasm 1.32.0, which the dashboard uses).
// Uses the blocking Node bundle (stack-notes.md).

import { blockingDuckDBBundle, instantiateBlockingDuckDB } from '../../../etl/extract/duckdb-node.ts';

export const duckdbBundle = blockingDuckDBBundle();

interface DuckResult {
  toArray(): { toJSON(): Record<string, unknown> }[];
}
interface DuckConnection {
  insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string }): void;
  query(sql: string): DuckResult;
  close(): void;
}
interface DuckDatabase {
  connect(): DuckConnection;
}

/** Loads `tables` (name → IPC stream bytes) and returns the rows of `sql` as plain objects (BigInt → string). */
export async function queryWithDuckDB(tables: Record<string, Uint8Array>, sql: string): Promise<Record<string, unknown>[]> {
  const db = await instantiateBlockingDuckDB<DuckDatabase>();
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
