// DuckDB-WASM in Node for tests: the blocking Node bundle (stack-notes.md: the
// async API in Node needs web-worker@1.2.0; the blocking bundle needs nothing),
// instantiated with the wasm files of the installed package.

import { createRequire } from 'node:module';
import path from 'node:path';

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
