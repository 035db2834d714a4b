// Who may use the `reports` batch's private server: only the batch's own
// browser, which sends a random token made for this run in a header
// (Playwright's extra HTTP headers). Anyone else reaching the loopback port
// while the batch runs gets 401: the server answers per-customer reports and
// must not be open to other local users. The batch's principal is a
// marketing user of every region (the reports are looked up by key).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Auth } from '../serve/auth.ts';
import { sendJson } from '../serve/send.ts';

export const BATCH_TOKEN_HEADER = 'x-gridlens-batch-token';

export function batchAuth(user: string): { auth: Auth; token: string } {
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const auth: Auth = {
    // Not a sign-in mode of the product: the server only asks identify/refuse/handle.
    mode: 'proxy',
    vary: [BATCH_TOKEN_HEADER],
    handle: async () => false,
    identify: async (req) => {
      const given = req.headers[BATCH_TOKEN_HEADER];
      const ok = typeof given === 'string' && given.length === token.length && timingSafeEqual(Buffer.from(given), expected);
      return ok ? { principal: { user, role: 'marketing', regions: null } } : { principal: null, reason: 'no_session' };
    },
    refuse: (_req, res) => sendJson(res, 401, { error: 'unauthorized', message: 'this server answers the reports batch only' }),
  };
  return { auth, token };
}
