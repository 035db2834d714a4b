// The workbench's query history and saved queries: kept in the browser
// (localStorage) and, for saved queries, in the URL too ('name<TAB>sql'
// values of `wsq`), so a shared link brings them along. Pure list operations
// plus two small storage functions that never throw (private browsing,
// storage full: the lists then live for the page only).

export interface SavedQuery {
  name: string;
  sql: string;
}

export interface HistoryEntry {
  sql: string;
  /** ISO time of the run. */
  at: string;
  /** Rows returned; null when it failed. */
  rows: number | null;
  ms: number | null;
}

export const HISTORY_KEY = 'gridlens.workbench.history';
export const SAVED_KEY = 'gridlens.workbench.saved';
export const HISTORY_KEPT = 30;

/** 'name<TAB>sql' → a saved query (null when there is no tab or no name). */
export function parseSaved(value: string): SavedQuery | null {
  const i = value.indexOf('\t');
  if (i <= 0) return null;
  const name = value.slice(0, i).trim();
  const sql = value.slice(i + 1);
  return name && sql.trim() ? { name, sql } : null;
}

export function formatSaved(q: SavedQuery): string {
  return `${q.name.replace(/\t/g, ' ')}\t${q.sql}`;
}

/** Saved queries of both sources by name, the URL's winning (a shared link says what it means). */
export function mergeSaved(fromStorage: readonly SavedQuery[], fromUrl: readonly SavedQuery[]): SavedQuery[] {
  const byName = new Map<string, SavedQuery>();
  for (const q of fromStorage) byName.set(q.name, q);
  for (const q of fromUrl) byName.set(q.name, q);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** A run added to the history: newest first, the same SQL once, at most HISTORY_KEPT. */
export function addToHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...history.filter((h) => h.sql !== entry.sql)].slice(0, HISTORY_KEPT);
}

export function readList<T>(key: string, valid: (x: unknown) => x is T): T[] {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter(valid) : [];
  } catch {
    return [];
  }
}

export function writeList(key: string, list: readonly unknown[]): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(list));
  } catch {
    // Storage unavailable or full: the list lives for this page only.
  }
}

export const isSavedQuery = (x: unknown): x is SavedQuery =>
  typeof x === 'object' && x !== null && typeof (x as SavedQuery).name === 'string' && typeof (x as SavedQuery).sql === 'string';

export const isHistoryEntry = (x: unknown): x is HistoryEntry =>
  typeof x === 'object' && x !== null && typeof (x as HistoryEntry).sql === 'string' && typeof (x as HistoryEntry).at === 'string';
