// Maps a file's header row onto an entity's columns. Column order is free in the
// contract, so everything downstream addresses fields through this map.
//
// Duplicate header names: if a *contract* column appears twice the whole file is
// rejected (`duplicate_column`): the two copies may disagree and picking one
// would load data nobody chose. Duplicated *unknown* columns are ignored like any
// unknown column (one warning each).

import type { EntitySpec } from './entities.ts';

export interface HeaderMap {
  readonly entity: EntitySpec['name'];
  /** Number of fields in the header; every record must have exactly this many. */
  readonly fieldCount: number;
  /** Per entity column (same order as spec.columns): its field index in a record, or −1 if absent. */
  readonly fieldIndex: readonly number[];
  /** Column name → field index, for the columns present. */
  readonly indexOf: Readonly<Record<string, number>>;
  /** Human-readable notes about ignored columns. */
  readonly warnings: readonly string[];
}

export type HeaderResult =
  | ({ readonly ok: true } & HeaderMap)
  | {
      readonly ok: false;
      readonly code: 'missing_required_column' | 'duplicate_column' | 'not_csv';
      readonly message: string;
      /** Required columns not found (for missing_required_column). */
      readonly missing: readonly string[];
    };

/** Header cell as written, BOM removed and trimmed (for messages). */
function display(cell: string): string {
  return (cell.charCodeAt(0) === 0xfeff ? cell.slice(1) : cell).trim();
}

const quoteList = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** What a first header cell that no CSV header starts with says the file is, or null. */
function otherFormat(firstCell: string): string | null {
  if (/^[[{]/.test(firstCell)) return 'JSON';
  if (/^<(!doctype|html|\?xml|table|head|body|meta)\b/i.test(firstCell)) return 'HTML or XML (a web page, or a sheet saved as a web page)';
  return null;
}

/** Locate the entity's columns in a header row; reject the file if a required one is missing. */
export function mapHeader(spec: EntitySpec, header: readonly string[]): HeaderResult {
  const shown = header.map(display);
  const names = shown.map((cell) => cell.toLowerCase());

  // A one-column header full of ';' or tabs is a file with the wrong delimiter:
  // say so instead of listing every column as missing.
  if (names.length === 1 && /[;\t|]/.test(names[0])) {
    const delimiter = names[0].includes(';') ? '";"' : names[0].includes('\t') ? 'tab' : '"|"';
    return {
      ok: false,
      code: 'not_csv',
      message: `${spec.name} file uses ${delimiter} as delimiter; the contract requires commas`,
      missing: [],
    };
  }

  const known = new Map<string, number>(spec.columns.map((c, i) => [c.name, i]));
  const fieldIndex: number[] = spec.columns.map(() => -1);
  const indexOf: Record<string, number> = {};
  const warnings: string[] = [];
  const duplicates: string[] = [];

  names.forEach((name, field) => {
    const column = known.get(name);
    if (column === undefined) {
      warnings.push(
        name === ''
          ? `${spec.name} file: column ${field + 1} has no name and is ignored`
          : `${spec.name} file: unknown column "${shown[field]}" is ignored`,
      );
    } else if (fieldIndex[column] !== -1) {
      if (!duplicates.includes(name)) duplicates.push(name);
    } else {
      fieldIndex[column] = field;
      indexOf[name] = field;
    }
  });

  if (duplicates.length > 0) {
    return {
      ok: false,
      code: 'duplicate_column',
      message: `${spec.name} file has ${duplicates.length === 1 ? 'column' : 'columns'} ${quoteList(duplicates)} more than once; keep one copy`,
      missing: [],
    };
  }

  const missing = spec.columns.filter((c, i) => c.required && fieldIndex[i] === -1).map((c) => c.name);
  const nothingMatched = fieldIndex.every((i) => i === -1);
  // A JSON document or a web page saved under a .csv name is not a CSV with a
  // wrong header: say what it is (not_csv), as for a binary file.
  const other = nothingMatched ? otherFormat(shown[0] ?? '') : null;
  if (other !== null) {
    return { ok: false, code: 'not_csv', message: `${spec.name} file looks like ${other}, not CSV: export it as comma-separated text with a header row`, missing: [] };
  }
  if (missing.length > 0) {
    const hint = nothingMatched ? ' (no contract column was found: is the first line the header row?)' : '';
    return {
      ok: false,
      code: 'missing_required_column',
      message: `${spec.name} file is missing required ${missing.length === 1 ? 'column' : 'columns'} ${quoteList(missing)}${hint}`,
      missing,
    };
  }

  return { ok: true, entity: spec.name, fieldCount: header.length, fieldIndex, indexOf, warnings };
}
