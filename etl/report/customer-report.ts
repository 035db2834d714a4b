// Loads one customer's usage report from the warehouse (the I/O edge of
// build-report.ts): resolve the customer by pseudonymous key or account
// number, check the asker's regions, run report-sql.ts, assemble.

import type pg from 'pg';
import { buildReport, type HourRow, type MonthRow, type PeerRow, type ReferenceRow } from './build-report.ts';
import { byAccountSql, byKeySql, hourlySql, monthsSql, peersSql, referenceSql, yearToDateSql, type Sql } from './report-sql.ts';
import type { CustomerReport } from './report-types.ts';

type Queryable = Pick<pg.Pool, 'query'>;

export type Lookup = { key: number } | { account: string };

export type LoadResult =
  | { found: true; report: CustomerReport; customerId: string }
  /** unknown: no such key/account; no_data: known but no month in the rollups yet; region: outside the asker's regions. */
  | { found: false; reason: 'unknown' | 'no_data' | 'region' };

async function rows<T>(db: Queryable, q: Sql): Promise<T[]> {
  return (await db.query(q.text, q.values)).rows as T[];
}

/** The account and key a lookup names, or null. */
export async function resolveCustomer(db: Queryable, lookup: Lookup): Promise<{ customerId: string; customerKey: number | null } | null> {
  const found = await rows<{ customer_id: string; customer_key: number | null }>(db, 'key' in lookup ? byKeySql(lookup.key) : byAccountSql(lookup.account));
  return found[0] ? { customerId: found[0].customer_id, customerKey: found[0].customer_key } : null;
}

/** `regions`: the asker's regions (null = all). */
export async function loadCustomerReport(db: Queryable, lookup: Lookup, regions: readonly string[] | null): Promise<LoadResult> {
  const who = await resolveCustomer(db, lookup);
  if (!who) return { found: false, reason: 'unknown' };
  if (who.customerKey === null) return { found: false, reason: 'no_data' };
  const [ref] = await rows<ReferenceRow>(db, referenceSql(who.customerId));
  if (!ref) return { found: false, reason: 'no_data' };
  if (regions && !regions.includes(ref.region)) return { found: false, reason: 'region' };
  const [months, peers, hours, ytd] = await Promise.all([
    rows<MonthRow>(db, monthsSql(who.customerId, ref.month)),
    rows<PeerRow>(db, peersSql(ref.month, ref.segment, ref.region, ref.band)),
    rows<HourRow>(db, hourlySql(who.customerId, ref.month)),
    rows<{ kwh: number }>(db, yearToDateSql(who.customerId, ref.month)),
  ]);
  const report = buildReport({ customerKey: who.customerKey, ref, months, peers, hours, kwhYearToDate: ytd[0]?.kwh ?? 0 });
  return { found: true, report, customerId: who.customerId };
}
