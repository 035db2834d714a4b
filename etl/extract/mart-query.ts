// What an extract reads from a mart view, decided before anything is written:
// the columns (with their extract types), the personal-data check, and the SQL
// that applies small-cell suppression to aggregate marts.
//
// Suppression ("15/15" practice, docs/decisions.md): an aggregate cell with
// fewer than K customers (customersColumn < K, or null) — or, when the mart
// declares a dominanceColumn, one customer holding more than 15 % of the cell —
// keeps its grain (dimension) columns, gets every other column nulled,
// including the customer count itself, and `suppressed = true`. The dashboard
// shows such a count as "< K" (K is in the manifest). The dominance column is
// never exported. All of it is SQL, run by PostgreSQL as part of the cursor.

import type pg from 'pg';
import type { MartSpec } from '../transform/mart-catalog.ts';
import { extractTypeOf, pgTypeName, type ExtractColumnType } from './arrow-columns.ts';

/** A mart to export: its catalog entry (grain, customersColumn, dominanceColumn). */
export type ExtractSpec = MartSpec;

export const DOMINANCE_LIMIT = 0.15;
/** Boolean column added to aggregate extracts. */
export const SUPPRESSED_COLUMN = 'suppressed';

export class ExtractSpecError extends Error {
  override name = 'ExtractSpecError';
}

/**
 * Column names that must never reach an extract (personal data, or source
 * record ids that link back to a person). Checked case-insensitively; see also
 * PERSONAL_DATA_TOKENS.
 */
export const PERSONAL_DATA_COLUMNS: readonly string[] = [
  'customer_id', 'account_id', 'account_no', 'account_number', 'meter_id', 'meter_no',
  'name', 'customer_name', 'full_name', 'first_name', 'last_name', 'contact_name', 'person_name',
  'phone', 'mobile', 'telephone', 'email', 'address', 'street', 'postcode', 'postal_code', 'zip',
  'id_card', 'id_number', 'national_id', 'birth_date', 'date_of_birth',
  'comment', 'comments', 'raw_line', 'bill_id', 'ticket_id', 'response_id', 'contact_id',
];

/** A name containing one of these `_`-separated words is refused too (e.g. billing_address, contact_phone). */
export const PERSONAL_DATA_TOKENS: readonly string[] = [
  'phone', 'mobile', 'tel', 'telephone', 'email', 'address', 'addr', 'comment', 'comments', 'raw', 'pii', 'idcard', 'passport',
];

/** The columns of `names` that look like personal data. */
export function personalDataColumns(names: readonly string[]): string[] {
  const exact = new Set(PERSONAL_DATA_COLUMNS);
  const tokens = new Set(PERSONAL_DATA_TOKENS);
  return names.filter((n) => {
    const lower = n.toLowerCase();
    return exact.has(lower) || lower.endsWith('_customer_id') || lower.split('_').some((t) => tokens.has(t));
  });
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface MartColumn {
  name: string;
  oid: number;
}

export interface ExtractPlan {
  spec: ExtractSpec;
  /** Columns as the mart has them. */
  martColumns: MartColumn[];
  /** The SQL whose rows are the extract. */
  sql: string;
  suppressed: boolean;
}

/** The columns of mart.<name>, without reading its rows. */
export async function describeMart(client: pg.ClientBase, name: string): Promise<MartColumn[]> {
  try {
    const r = await client.query(`select * from mart.${quoteIdent(name)} limit 0`);
    return r.fields.map((f) => ({ name: f.name, oid: f.dataTypeID }));
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') {
      throw new ExtractSpecError(`mart.${name} does not exist: install the mart views (sql/marts) before publishing extracts.`);
    }
    throw err;
  }
}

/**
 * Checks a mart against its catalog entry and the rules for extracts, and
 * builds the extract SQL. Throws ExtractSpecError saying what to fix.
 */
export function planExtract(spec: ExtractSpec, martColumns: MartColumn[], k: number): ExtractPlan {
  const where = `mart.${spec.name}`;
  const names = martColumns.map((c) => c.name);
  const has = new Set(names);
  if (new Set(names).size !== names.length) throw new ExtractSpecError(`${where} has two columns with the same name: rename one.`);

  const personal = personalDataColumns(names);
  if (personal.length > 0) {
    throw new ExtractSpecError(
      `${where} has column(s) ${personal.join(', ')} that look like personal data, which extracts must never carry: ` +
        `remove them from the mart (customers are identified by the pseudonymous customer_key only).`,
    );
  }
  for (const g of spec.grain) if (!has.has(g)) throw new ExtractSpecError(`${where} lacks grain column "${g}" (mart-catalog.ts): add it or fix the catalog.`);

  const dominance = spec.dominanceColumn ?? null;
  const exported = martColumns.filter((c) => c.name !== dominance);
  for (const c of exported) {
    try {
      extractTypeOf(c.name, c.oid);
    } catch (err) {
      throw new ExtractSpecError(`${where}: ${(err as Error).message}`);
    }
  }
  const ordered = spec.grain.map(quoteIdent).join(', ');
  const orderBy = ordered ? ` order by ${ordered}` : '';

  if (spec.customersColumn === null) {
    return { spec, martColumns, suppressed: false, sql: `select ${exported.map((c) => quoteIdent(c.name)).join(', ')} from mart.${quoteIdent(spec.name)}${orderBy}` };
  }

  const cc = martColumns.find((c) => c.name === spec.customersColumn);
  if (!cc) throw new ExtractSpecError(`${where} lacks its customers column "${spec.customersColumn}" (mart-catalog.ts).`);
  if (!isNumeric(cc.oid)) throw new ExtractSpecError(`${where}.${cc.name} counts customers but has type ${pgTypeName(cc.oid)}: make it an integer.`);
  if (has.has(SUPPRESSED_COLUMN)) throw new ExtractSpecError(`${where} has a column "${SUPPRESSED_COLUMN}", which the extract adds itself: rename it.`);
  if (dominance !== null) {
    const dc = martColumns.find((c) => c.name === dominance);
    if (!dc) throw new ExtractSpecError(`${where} lacks its dominance column "${dominance}".`);
    if (!isNumeric(dc.oid)) throw new ExtractSpecError(`${where}.${dominance} is a share but has type ${pgTypeName(dc.oid)}: make it numeric.`);
  }
  if (!Number.isFinite(k) || k <= 0) throw new ExtractSpecError(`suppression K must be a positive number, not ${k}`);

  const flag = 'gridlens__suppressed';
  const grain = new Set(spec.grain);
  const select = exported.map((c) =>
    grain.has(c.name) ? `q.${quoteIdent(c.name)}` : `case when q.${flag} then null else q.${quoteIdent(c.name)} end as ${quoteIdent(c.name)}`,
  );
  select.push(`q.${flag} as ${SUPPRESSED_COLUMN}`);
  let rule = `coalesce(m.${quoteIdent(cc.name)} < ${k}, true)`;
  if (dominance !== null) rule += ` or coalesce(m.${quoteIdent(dominance)} > ${DOMINANCE_LIMIT}, false)`;
  return {
    spec,
    martColumns,
    suppressed: true,
    sql: `select ${select.join(', ')} from (select m.*, (${rule}) as ${flag} from mart.${quoteIdent(spec.name)} m) q${orderBy}`,
  };
}

function isNumeric(oid: number): boolean {
  let t: ExtractColumnType;
  try {
    t = extractTypeOf('', oid);
  } catch {
    return false;
  }
  return t === 'int32' || t === 'float64';
}

