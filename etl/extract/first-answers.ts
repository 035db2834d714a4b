// The manifest's `answers`: the dashboard's default screen asked of
// DuckDB-WASM (the same engine, SQL builders and row conversion as the
// browser) over the extract files of the version being published, so the
// browser can show that screen and be interactive without fetching an extract
// or running a query first (dashboard/src/data/queries/first-screen.ts says
// which questions and why).
//
// An answer goes into the manifest only when its rows survive JSON exactly
// (numbers finite, no -0, plain values): the browser must get what DuckDB
// would have returned, or ask DuckDB itself.

import fs from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Engine, Row } from '../../dashboard/src/data/engine.ts';
import { firstScreenQueries } from '../../dashboard/src/data/queries/first-screen.ts';
import type { ManifestAnswer } from './manifest.ts';

export interface FirstAnswers {
  answers: ManifestAnswer[];
  /** Questions left out, with why (rows that JSON would change). */
  skipped: { sql: string; reason: string }[];
}

/**
 * Answers the first screen's questions. `files` are the version's extracts
 * (mart name → file name inside `dir`); `engine` starts a fresh DuckDB-WASM
 * (duckdb-node.ts startNodeEngine), dropped when done.
 */
export async function answerFirstScreen(o: {
  dir: string;
  files: readonly { name: string; file: string }[];
  dataAsOf: string;
  engine: () => Promise<Engine>;
}): Promise<FirstAnswers> {
  const queries = firstScreenQueries({ data_as_of: o.dataAsOf, files: o.files });
  if (queries.length === 0) return { answers: [], skipped: [] };
  const engine = await o.engine();
  const needed = [...new Set(queries.flatMap((q) => q.extracts))];
  for (const name of needed) {
    const file = o.files.find((f) => f.name === name)!;
    await engine.insertIPC(name, new Uint8Array(await fs.readFile(path.join(o.dir, file.file))));
  }
  const answers: ManifestAnswer[] = [];
  const skipped: FirstAnswers['skipped'] = [];
  for (const q of queries) {
    const rows = await engine.query(q.sql, q.params);
    const reason = jsonProblem(rows);
    if (reason) skipped.push({ sql: q.sql, reason });
    else answers.push({ sql: q.sql, params: [...q.params], extracts: [...q.extracts], rows });
  }
  return { answers, skipped };
}

/** Why `rows` would not come back from JSON as they are, or null when they would. */
export function jsonProblem(rows: readonly Row[]): string | null {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(rows));
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (isDeepStrictEqual(copy, rows)) return null;
  for (const [i, row] of rows.entries()) {
    const back = (copy as Row[])[i] ?? {};
    for (const [k, v] of Object.entries(row)) {
      if (!(k in back) || !isDeepStrictEqual(back[k], v)) return `row ${i}, column ${k}: ${String(v)} (${typeof v}) does not survive JSON`;
    }
  }
  return 'the rows do not survive JSON';
}
