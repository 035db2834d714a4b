// Whether DuckDB-WASM (extracts) and PostgreSQL (mart views) gave the same
// answer to a question: same columns, same rows in the same order, numbers
// equal up to floating-point noise (sums of doubles depend on the order they
// are added in; PostgreSQL numeric is exact where the extract is float64).
// Rows that agree only in another order are reported as such (near-ties of an
// ORDER BY over computed doubles may swap), and count as the same answer.

export type Row = Record<string, unknown>;

export interface AnswerDiff {
  same: boolean;
  /** True when the rows agree only once both sides are sorted. */
  orderDiffers: boolean;
  /** What differs first, for the report; null when the same. */
  detail: string | null;
}

const ABSOLUTE = 1e-6;
const RELATIVE = 1e-9;

function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** Equal values: numbers within tolerance, everything else by its text (dates as 'YYYY-MM-DD'). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== null && y !== null) {
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
    return Math.abs(x - y) <= ABSOLUTE + RELATIVE * Math.max(Math.abs(x), Math.abs(y));
  }
  return String(a) === String(b);
}

function rowDiff(a: Row, b: Row, columns: readonly string[]): string | null {
  for (const c of columns) if (!sameValue(a[c], b[c])) return `${c}: ${JSON.stringify(a[c])} vs ${JSON.stringify(b[c])}`;
  return null;
}

/** A sort key that puts equal rows (up to tolerance) next to each other: numbers at 6 significant digits. */
function sortKey(r: Row, columns: readonly string[]): string {
  return columns
    .map((c) => {
      const v = r[c];
      const n = numberOf(v);
      return n === null ? JSON.stringify(v ?? null) : Number.isFinite(n) ? n.toPrecision(6) : String(n);
    })
    .join('\u0000');
}

/** Compares `duck`'s rows with `pg`'s. */
export function compareAnswers(duck: readonly Row[], pg: readonly Row[]): AnswerDiff {
  const columns = Object.keys(duck[0] ?? pg[0] ?? {});
  const pgColumns = Object.keys(pg[0] ?? duck[0] ?? {});
  if (columns.join(',') !== pgColumns.join(',')) {
    return { same: false, orderDiffers: false, detail: `columns differ: [${columns.join(', ')}] vs [${pgColumns.join(', ')}]` };
  }
  if (duck.length !== pg.length) return { same: false, orderDiffers: false, detail: `${duck.length} rows vs ${pg.length}` };
  let first: string | null = null;
  for (let i = 0; i < duck.length && first === null; i++) {
    const d = rowDiff(duck[i]!, pg[i]!, columns);
    if (d) first = `row ${i}: ${d}`;
  }
  if (first === null) return { same: true, orderDiffers: false, detail: null };
  const a = [...duck].sort((x, y) => (sortKey(x, columns) < sortKey(y, columns) ? -1 : 1));
  const b = [...pg].sort((x, y) => (sortKey(x, columns) < sortKey(y, columns) ? -1 : 1));
  for (let i = 0; i < a.length; i++) if (rowDiff(a[i]!, b[i]!, columns)) return { same: false, orderDiffers: false, detail: first };
  return { same: true, orderDiffers: true, detail: `same rows in another order (${first})` };
}
