// Running a workbench query through the page's data source: checked as
// read-only first, its extracts loaded (those it names, or all of them for
// SHOW / DESCRIBE without a table), asked in the foreground (the user waits
// for it; hidden views' catch-up queries wait behind it), and its column types
// asked from DuckDB (DESCRIBE) so exports and the grid know a DATE from a
// number: DuckDB-WASM hands both over as JavaScript numbers.

import type { DataSource } from '../data/source.ts';
import type { Row } from '../data/engine.ts';
import { columnTypeOfDuckDb, inferColumnType, type ExportColumnType } from '../export/columns.ts';
import { checkReadOnly, describable, tokenize, type ReadOnlyCheck } from './read-only.ts';

export interface ResultColumn {
  key: string;
  label: string;
  type: ExportColumnType;
  /** DuckDB's type name, when DESCRIBE gave it. */
  duckType: string | null;
}

export interface WorkbenchResult {
  sql: string;
  columns: ResultColumn[];
  rows: Row[];
  ms: number;
}

export class RefusedQueryError extends Error {
  override name = 'RefusedQueryError';
  constructor(readonly check: Extract<ReadOnlyCheck, { ok: false }>) {
    super(`refused (${check.reason}${check.word ? `: ${check.word}` : ''})`);
  }
}

/** Extract names the SQL mentions as words (outside strings and comments), in manifest order. */
export function referencedTables(sql: string, names: readonly string[]): string[] {
  const words = new Set<string>();
  for (const t of tokenize(sql)) if (t.kind === 'word' || t.kind === 'quoted') words.add(t.text.toLowerCase());
  return names.filter((n) => words.has(n.toLowerCase()));
}

export async function runWorkbenchQuery(source: Pick<DataSource, 'run' | 'manifest'>, text: string, o: { signal?: AbortSignal } = {}): Promise<WorkbenchResult> {
  const check = checkReadOnly(text);
  if (!check.ok) throw new RefusedQueryError(check);
  const manifest = await source.manifest();
  const names = manifest.files.map((f) => f.name);
  const named = referencedTables(check.sql, names);
  const extracts = named.length > 0 ? named : names;
  const started = performance.now();
  const rows = await source.run<Row>({ sql: check.sql, params: [], extracts }, { signal: o.signal });
  const ms = Math.round(performance.now() - started);
  let described: { column_name: string; column_type: string }[] | null = null;
  if (describable(check.sql)) {
    described = await source
      .run<{ column_name: string; column_type: string }>({ sql: `DESCRIBE ${check.sql}`, params: [], extracts }, { signal: o.signal })
      .catch(() => null);
  }
  const columns: ResultColumn[] = described && (rows.length === 0 || described.every((d) => d.column_name in rows[0]!))
    ? described.map((d) => ({ key: d.column_name, label: d.column_name, type: columnTypeOfDuckDb(d.column_type), duckType: d.column_type }))
    : Object.keys(rows[0] ?? {}).map((key) => ({ key, label: key, type: inferColumnType(rows.map((r) => r[key])), duckType: null }));
  return { sql: check.sql, columns, rows, ms };
}
