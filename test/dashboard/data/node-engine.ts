// The data layer's Engine over DuckDB-WASM's blocking Node bundle
// (stack-notes.md: the async API in Node needs web-worker@1.2.0; the blocking
// bundle needs nothing). Same SQL, same settings, same result conversion as
// the browser engine (dashboard/src/data/duckdb-browser.ts).

import { CONNECTION_SETTINGS, rowsOf, type ArrowResult, type Engine } from '../../../dashboard/src/data/engine.ts';
import type { Param } from '../../../dashboard/src/data/sql.ts';
import { instantiateBlockingDuckDB } from '../../helpers/duckdb-node.ts';

interface BlockingConnection {
  insertArrowFromIPCStream(bytes: Uint8Array, options: { name: string; create?: boolean }): void;
  query(sql: string): ArrowResult;
  prepare(sql: string): { query(...params: Param[]): ArrowResult; close(): void };
}
interface BlockingDatabase {
  open(config: object): void;
  connect(): BlockingConnection;
}

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
