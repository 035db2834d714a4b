// /api/customer-report: one customer's usage report (etl/report/), as JSON of
// figures and codes only (report-types.ts: no account number, name, phone or
// address).
//
//   GET  ?key=<customer_key>            permission extracts.customer (the key is in the customer extract)
//   POST {"account": "<customer_id>"}   permission export.target_list; audited (ops.customer_lookup).
//                                       A POST, so the account number stays out of URLs, logs and history.
//
// A customer outside a region-restricted user's regions answers 404 like an
// unknown one: the answer does not tell whether the account exists.

import { loadCustomerReport, type LoadResult } from '../report/customer-report.ts';
import { auditLookup } from '../report/lookup-audit.ts';
import { ApiError, type ApiRequest, type ApiRoute } from './api.ts';

const PATH = 'customer-report';
const KEY = /^[1-9]\d{0,9}$/;
/** Account numbers are short codes; anything longer is not one. */
const MAX_ACCOUNT_LENGTH = 64;

function answer(result: LoadResult, what: string): { status: number; json: unknown } {
  if (result.found) return { status: 200, json: result.report };
  if (result.reason === 'no_data') {
    throw new ApiError(404, 'no_data', `${what} has no usage in the warehouse yet: it appears after the next ETL run that loads its readings.`);
  }
  throw new ApiError(404, 'unknown_customer', `no customer ${what} in the regions you may see: check the number.`);
}

export const customerReportByKey: ApiRoute = {
  method: 'GET',
  path: PATH,
  permission: 'extracts.customer',
  async handle(req: ApiRequest, ctx) {
    const key = req.query.get('key') ?? '';
    if (!KEY.test(key) || Number(key) > 2 ** 31 - 1) {
      throw new ApiError(400, 'bad_key', 'give the customer\'s pseudonymous key as ?key=<number> (the customer list\'s first column); account numbers are looked up with a POST.');
    }
    return answer(await loadCustomerReport(ctx.pool, { key: Number(key) }, req.principal.regions), `with key ${key}`);
  },
};

export const customerReportByAccount: ApiRoute = {
  method: 'POST',
  path: PATH,
  permission: 'export.target_list',
  async handle(req: ApiRequest, ctx) {
    const body = req.body as { account?: unknown } | null;
    const account = typeof body?.account === 'string' ? body.account.trim() : '';
    if (!account || account.length > MAX_ACCOUNT_LENGTH) {
      throw new ApiError(400, 'bad_account', 'send {"account": "<account number>"} as JSON.');
    }
    const result = await loadCustomerReport(ctx.pool, { account }, req.principal.regions);
    await auditLookup(ctx.pool, { actor: req.principal.user, role: req.principal.role, channel: 'api', customerId: account, found: result.found });
    ctx.logger?.info('customer_report_by_account', { user: req.principal.user, found: result.found });
    return answer(result, 'with this account number');
  },
};
