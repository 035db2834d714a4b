// DuckDB-WASM in a Web Worker, every file bundled by Vite (engine-worker.ts:
// the wasm and the worker scripts are emitted as hashed assets and served by
// our own server, compressed and cached; no CDN, no request leaves localhost).
// Both bundles ship; engine-worker.ts picks eh (WebAssembly exceptions,
// faster) where the browser has them, else mvp, and starts its worker early
// (engine-boot.ts). Only the chosen wasm is downloaded.

import * as duckdb from '@duckdb/duckdb-wasm';
import { CONNECTION_SETTINGS, rowsOf, type ArrowResult, type Engine, type Row } from './engine.ts';
import type { EngineBundle } from './engine-worker.ts';
import type { Param } from './sql.ts';

/** Prepared statements kept per connection (by SQL text): filter changes re-run the same SQL with new values. */
const STATEMENT_CACHE = 64;

interface PreparedLike {
  query(...params: Param[]): Promise<ArrowResult>;
  close(): Promise<void>;
}

/** Sub-steps of the engine's start, next to the data source's marks (benchmarks read them). */
const mark = (name: string): void => void globalThis.performance?.mark?.(`gridlens:data:${name}`);

/** DuckDB in `worker` (already started with `bundle`'s worker script: engine-boot.ts). */
export async function startBrowserEngine(worker: Worker, bundle: EngineBundle): Promise<Engine> {
  mark('duckdb-module');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule);
  mark('duckdb-instantiated');
  // BigInt and DECIMAL results become doubles (the BigInt trap: stack-notes.md).
  await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = await db.connect();
  for (const s of CONNECTION_SETTINGS) await conn.query(s);

  const statements = new Map<string, Promise<PreparedLike>>();
  const prepared = (sql: string): Promise<PreparedLike> => {
    let s = statements.get(sql);
    if (s) {
      // Re-insert: the Map's order is the eviction order (least recently used first).
      statements.delete(sql);
      statements.set(sql, s);
      return s;
    }
    s = conn.prepare(sql) as unknown as Promise<PreparedLike>;
    s.catch(() => statements.delete(sql));
    statements.set(sql, s);
    if (statements.size > STATEMENT_CACHE) {
      const [oldestSql, oldest] = statements.entries().next().value as [string, Promise<PreparedLike>];
      statements.delete(oldestSql);
      oldest.then((p) => p.close()).catch(() => undefined);
    }
    return s;
  };

  return {
    async insertIPC(table, bytes) {
      await conn.insertArrowFromIPCStream(bytes, { name: table, create: true });
    },
    async query(sql, params): Promise<Row[]> {
      if (params.length === 0) return rowsOf((await conn.query(sql)) as unknown as ArrowResult);
      const stmt = await prepared(sql);
      return rowsOf(await stmt.query(...params));
    },
  };
}
