// Records a customer lookup by account number (ops.customer_lookup, migration 075).

import type pg from 'pg';
import { auditSql } from './report-sql.ts';

export async function auditLookup(db: Pick<pg.Pool, 'query'>, e: { actor: string; role: string; channel: 'api' | 'batch'; customerId: string; found: boolean }): Promise<void> {
  const q = auditSql(e.actor, e.role, e.channel, e.customerId, e.found);
  await db.query(q.text, q.values);
}
