// Reading the SQL files that etl/transform runs (sql/rollups, sql/marts, sql/alerts).
// Files are read once per process: they ship with the code, like migrations.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

const cache = new Map<string, string>();

/** Text of sql/<folder>/<name>.sql. */
export function sqlFile(folder: 'rollups' | 'marts' | 'alerts', name: string): string {
  const key = `${folder}/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(`${SQL_DIR}${folder}/${name}.sql`, 'utf8');
    cache.set(key, text);
  }
  return text;
}
