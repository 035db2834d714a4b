// The target list: the audience's rows (pseudonymous, from DuckDB), the
// holdout flags (holdout.ts) and the account numbers the server hands out for
// this export only (POST /api/target-list, audited: etl/serve/target-list-route.ts).
// The request and the file rows are built here (pure); the fetch is the one I/O.
// The same endpoint re-identifies other lists too (the Alerts view's alert
// list: alerts/alert-list.ts): any request names what it is in `audience`
// (e.g. {"kind": "usage_alerts", …}), and a list without a holdout sends none.

import type { AudienceDefinition } from './audience.ts';
import { compactAudience } from './audience.ts';
import type { HoldoutOptions } from './holdout.ts';
import type { TargetRow } from '../data/queries/audience.ts';

export const TARGET_LIST_ENDPOINT = 'api/target-list';

export interface TargetListRequestBody {
  name: string | null;
  audience: Record<string, unknown>;
  /** null: the list has no holdout (stored as null in the audit record). */
  holdout: HoldoutOptions | null;
  keys: number[];
  holdoutKeys: number[];
}

export interface TargetListReply {
  exportId: number;
  exportedAt: string;
  rowCount: number;
  holdoutCount: number;
  rows: { customer_key: number; customer_id: string }[];
}

export function targetListRequest(name: string | null, def: AudienceDefinition, holdout: HoldoutOptions, rows: readonly TargetRow[], held: ReadonlySet<number>): TargetListRequestBody {
  const keys = rows.map((r) => r.customer_key);
  return { name, audience: compactAudience(def), holdout, keys, holdoutKeys: keys.filter((k) => held.has(k)) };
}

/** The file's columns, in order: account number first, then the pseudonymous key, the holdout flag (1 = do not contact) and the profile. */
export const TARGET_FILE_COLUMNS = [
  { key: 'customer_id', label: 'camp.col.customer_id', type: 'text' },
  { key: 'customer_key', label: 'col.customer_key', type: 'integer' },
  { key: 'holdout', label: 'camp.col.holdout', type: 'integer' },
  { key: 'segment', label: 'col.segment', type: 'text' },
  { key: 'region', label: 'col.region', type: 'text' },
  { key: 'tariff', label: 'col.tariff', type: 'text' },
  { key: 'band', label: 'col.band', type: 'text' },
  { key: 'value_tier', label: 'col.value_tier', type: 'text' },
  { key: 'churn_risk', label: 'col.churn_risk', type: 'number' },
  { key: 'revenue_12m', label: 'col.revenue_12m', type: 'number' },
  { key: 'kwh_12m', label: 'camp.col.kwh_12m', type: 'number' },
  { key: 'contract_end', label: 'camp.col.contract_end', type: 'date' },
  { key: 'preferred_channel', label: 'col.preferred_channel', type: 'text' },
  { key: 'last_offer_on', label: 'camp.col.last_offer_on', type: 'date' },
  { key: 'last_offer_type', label: 'camp.col.last_offer_type', type: 'text' },
] as const;

export type TargetFileRow = TargetRow & { customer_id: string; holdout: 0 | 1 };

/** Each row with its key's account number from the reply; a key the reply lacks is an error (never a blank account number). */
export function withAccountNumbers<T extends { customer_key: number }>(rows: readonly T[], reply: TargetListReply): (T & { customer_id: string })[] {
  const ids = new Map(reply.rows.map((r) => [r.customer_key, r.customer_id]));
  return rows.map((r) => {
    const id = ids.get(r.customer_key);
    if (id === undefined) throw new Error(`the server sent no account number for customer key ${r.customer_key}`);
    return { ...r, customer_id: id };
  });
}

/** The file's rows: each audience row with its account number and holdout flag. */
export function targetFileRows(rows: readonly TargetRow[], held: ReadonlySet<number>, reply: TargetListReply): TargetFileRow[] {
  return withAccountNumbers(rows, reply).map((r) => ({ ...r, holdout: (held.has(r.customer_key) ? 1 : 0) as 0 | 1 }));
}

/** POSTs the request; a refusal (4xx/5xx) becomes an Error carrying the server's message. */
export async function requestTargetList(body: TargetListRequestBody, base: URL, fetchImpl: typeof fetch = fetch): Promise<TargetListReply> {
  const res = await fetchImpl(new URL(TARGET_LIST_ENDPOINT, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: reported below
  }
  if (!res.ok) {
    const message = json && typeof json === 'object' && 'message' in json ? String((json as { message: unknown }).message) : `HTTP ${res.status}`;
    throw new Error(message);
  }
  return json as TargetListReply;
}
