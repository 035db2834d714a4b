// POST /api/target-list (permission export.target_list): the campaign
// planner's audited re-identification. The browser holds only pseudonymous
// keys; for a target list it sends the audience definition, the keys and the
// holdout keys, and gets back each key's account number (customer_id) —
// never a name, phone or address (core.customer_pii is not read).
//
// In one transaction: look every key up (core.customer_pseudonym, and the
// account's region in its latest month, as mart.customer and the region
// extracts have it), refuse the whole list when a key is unknown (422) or,
// for a region-restricted user, outside their regions (403), else write the
// audit record (ops.target_list_export) and answer. The record commits with
// the lookup, so no list leaves without one.

import type { ApiContext, ApiRequest, ApiResult, ApiRoute } from './api.ts';
import { parseTargetListRequest, refusalOf, type KeyLookup } from './target-list.ts';

export interface TargetListResponse {
  exportId: number;
  exportedAt: string;
  rowCount: number;
  holdoutCount: number;
  /** In the order of the request's keys. */
  rows: { customer_key: number; customer_id: string }[];
}

async function handle(req: ApiRequest, ctx: ApiContext): Promise<ApiResult> {
  const r = parseTargetListRequest(req.body);
  const client = await ctx.pool.connect();
  try {
    await client.query('begin');
    const { rows: found } = await client.query<KeyLookup & { ord: number }>(
      `select k.key as customer_key, p.customer_id, cm.region, k.ord::integer as ord
         from unnest($1::integer[]) with ordinality as k(key, ord)
         left join core.customer_pseudonym p on p.customer_key = k.key
         left join lateral (
           select x.region from rollup.customer_month x where x.customer_id = p.customer_id order by x.month desc limit 1
         ) cm on true
        order by k.ord`,
      [r.keys],
    );
    const refusal = refusalOf(found, req.principal.regions);
    if (refusal) {
      await client.query('rollback');
      ctx.logger?.warn('target_list_refused', { user: req.principal.user, role: req.principal.role, code: refusal.code, keys: r.keys.length });
      throw refusal;
    }
    const { rows: audit } = await client.query<{ id: number; exported_at: Date }>(
      `insert into ops.target_list_export
         (user_name, role, user_regions, audience_name, audience, holdout, row_count, holdout_count, customer_keys, holdout_keys)
       values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, $9::integer[], $10::integer[])
       returning id, exported_at`,
      [
        req.principal.user, req.principal.role, req.principal.regions === null ? null : [...req.principal.regions], r.name,
        JSON.stringify(r.audience), r.holdout === null ? null : JSON.stringify(r.holdout),
        r.keys.length, r.holdoutKeys.length, r.keys, r.holdoutKeys,
      ],
    );
    await client.query('commit');
    const a = audit[0]!;
    ctx.logger?.info('target_list_exported', { user: req.principal.user, role: req.principal.role, export_id: a.id, rows: r.keys.length, holdout: r.holdoutKeys.length });
    const body: TargetListResponse = {
      exportId: a.id,
      exportedAt: a.exported_at.toISOString(),
      rowCount: r.keys.length,
      holdoutCount: r.holdoutKeys.length,
      rows: found.map((f) => ({ customer_key: f.customer_key, customer_id: f.customer_id! })),
    };
    return { status: 200, json: body };
  } catch (err) {
    // Already rolled back (refusal) or failed mid-transaction: make sure nothing stays open.
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export const targetListRoute: ApiRoute = {
  method: 'POST',
  path: 'target-list',
  permission: 'export.target_list',
  handle,
};
