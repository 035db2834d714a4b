// The one I/O interface of the data layer towards DuckDB (the Mosaic
// "Connector" idea): insert an extract, run a query with bound parameters.
// The browser implements it over DuckDB-WASM's async API in a worker
// (duckdb-browser.ts); tests and the ETL's first answers over the Node blocking bundle
// (etl/extract/duckdb-node.ts). Everything above it is shared.

import type { Param } from './sql.ts';

export type Row = Record<string, unknown>;

export interface Engine {
  /** Creates table `table` from Arrow IPC *stream* bytes (never an apache-arrow Table: stack-notes.md, the Arrow trap). */
  insertIPC(table: string, bytes: Uint8Array): Promise<void>;
  /** Runs `sql`, binding `params` to its `?` placeholders through a prepared statement. */
  query(sql: string, params: readonly Param[]): Promise<Row[]>;
}

/** Settings run once on a new connection. */
export const CONNECTION_SETTINGS = [
  // No request may leave localhost, and duckdb-wasm would fetch a missing
  // extension from the internet (stack-notes.md): never install or load one.
  'SET autoinstall_known_extensions = false',
  'SET autoload_known_extensions = false',
];

/** The parts of an Arrow (17, DuckDB-WASM's own) result table we read. */
export interface ArrowResult {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChildAt(i: number): { get(row: number): unknown } | null;
}

/**
 * Plain row objects from a DuckDB result. BigInt (COUNT/SUM over integers)
 * becomes a number; builders cast in SQL so this is a safety net, not the plan.
 */
export function rowsOf(table: ArrowResult): Row[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((_, i) => table.getChildAt(i));
  const rows: Row[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (let c = 0; c < names.length; c++) row[names[c]!] = plainValue(columns[c]?.get(r) ?? null);
    rows[r] = row;
  }
  return rows;
}

function plainValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  return v;
}
