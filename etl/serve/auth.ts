// Who is asking (the I/O edge of sign-in; the decisions are in the pure
// modules: session.ts, rate-limit.ts, login-page.ts, roles.ts). Two modes:
//
//   users  GET /login shows a form; POST /login checks the password against
//          the users file (scrypt), rate-limited per address and per user, and
//          sets a signed session cookie; POST /logout ends the session.
//   proxy  a reverse proxy has signed the user in and names them in a header
//          (GRIDLENS_AUTH_PROXY_HEADER); the header counts only on connections
//          from the proxy's own addresses (GRIDLENS_AUTH_PROXY_TRUSTED), so
//          nobody reaching the port directly can name themselves.
//
// In both, the user's role and regions come from the users file, read on each
// request (a changed role applies at once). GET /api/session says who is
// signed in. Sign-out is remembered by session id until the cookie would
// have expired (in this process: a restart forgets it, which the expiry
// bounds).

import type http from 'node:http';
import type { Logger } from '../log.ts';
import type { AuthConfig } from './auth-config.ts';
import { normalizeAddress } from './auth-config.ts';
import { HTML_SECURITY_HEADERS } from './http-policy.ts';
import { loginLocale, renderLoginPage, safeNext, type LoginNotice } from './login-page.ts';
import { verifyNobody, verifyPassword } from './password.ts';
import { LOGIN_LIMITS, LoginRateLimiter, type Limit } from './rate-limit.ts';
import { permissionsOf, type Principal } from './roles.ts';
import { sendJson } from './send.ts';
import {
  clearedSessionCookie,
  credentialFingerprint,
  newSessionId,
  parseCookies,
  SESSION_COOKIE,
  sessionCookie,
  signSession,
  verifySession,
} from './session.ts';
import { createUsersStore, UsersFileError } from './users-file.ts';

export type Identity =
  | { principal: Principal }
  | { principal: null; reason: 'no_session' | 'expired' | 'untrusted_address' | 'unknown_user' | 'users_file_invalid' };

export interface Auth {
  readonly mode: 'users' | 'proxy';
  /** Request headers the user is read from: what a user-dependent response must Vary on. */
  readonly vary: readonly string[];
  /** Answers /login, /logout and /api/session; false for every other path. */
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
  identify(req: http.IncomingMessage): Promise<Identity>;
  /** Answers a request without a user: the sign-in page for a page (users mode), else 401 JSON (403 for a user without a role). */
  refuse(req: http.IncomingMessage, res: http.ServerResponse, identity: Identity & { principal: null }, page: boolean): void;
}

export interface AuthOptions {
  config: AuthConfig;
  /** Key of the session cookies' signatures (session-secret.ts); unused in proxy mode. */
  secret: Buffer;
  logger?: Logger;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  limits?: { perAddress: Limit; perUser: Limit };
}

/** RFC 9110 wants a challenge with every 401; browsers show no dialog for a scheme they do not know. */
const CHALLENGE = { 'WWW-Authenticate': 'Gridlens-Login realm="Gridlens", login="/login"' };
const MAX_FORM_BYTES = 8 * 1024;

export function createAuth(o: AuthOptions): Auth {
  const now = o.now ?? Date.now;
  const users = createUsersStore(o.config.usersFile, o.logger);
  const limiter = new LoginRateLimiter(o.limits ?? LOGIN_LIMITS, now);
  /** Signed-out session ids → when their cookie would have expired (seconds). */
  const revoked = new Map<string, number>();
  const config = o.config;
  const secureCookie = config.mode === 'users' && config.secureCookie;

  const identify = async (req: http.IncomingMessage): Promise<Identity> => {
    try {
      if (config.mode === 'proxy') {
        const address = normalizeAddress(req.socket.remoteAddress ?? '');
        if (!config.trustedProxies.includes(address)) return { principal: null, reason: 'untrusted_address' };
        const named = req.headers[config.header];
        const name = typeof named === 'string' ? named.trim() : '';
        if (!name) return { principal: null, reason: 'no_session' };
        const entry = await users.lookup(name);
        if (!entry) {
          o.logger?.warn('proxy_user_unknown', { user: name });
          return { principal: null, reason: 'unknown_user' };
        }
        return { principal: { user: entry.name, role: entry.role, regions: entry.regions } };
      }
      const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
      if (!token) return { principal: null, reason: 'no_session' };
      const nowSeconds = Math.floor(now() / 1000);
      const check = verifySession(token, o.secret, nowSeconds);
      if (!check.ok) return { principal: null, reason: check.reason === 'expired' ? 'expired' : 'no_session' };
      if (revoked.has(check.claims.sid)) return { principal: null, reason: 'no_session' };
      const entry = await users.lookup(check.claims.user);
      // A removed user, one without a password now, or a changed password: the session is over.
      if (!entry?.password || credentialFingerprint(o.secret, entry.name, entry.password) !== check.claims.credential) {
        return { principal: null, reason: 'expired' };
      }
      return { principal: { user: entry.name, role: entry.role, regions: entry.regions } };
    } catch (err) {
      if (!(err instanceof UsersFileError)) throw err;
      o.logger?.error('users_file_invalid', { err });
      return { principal: null, reason: 'users_file_invalid' };
    }
  };

  const page = (res: http.ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': Buffer.byteLength(html),
      ...HTML_SECURITY_HEADERS,
      ...headers,
    });
    res.end(res.req?.method === 'HEAD' ? undefined : html);
  };

  const loginPage = (req: http.IncomingMessage, res: http.ServerResponse, status: number, o2: { next: string; lang?: string | null; user?: string; notice?: LoginNotice; retryAfter?: number }, headers: Record<string, string> = {}) =>
    page(res, status, renderLoginPage({ locale: loginLocale(req.headers['accept-language'], o2.lang), next: o2.next, user: o2.user, notice: o2.notice, retryAfterSeconds: o2.retryAfter }), headers);

  const login = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (crossSite(req)) {
      sendJson(res, 403, { error: 'cross_site', message: 'sign-in forms are accepted from this site only' });
      return;
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      sendJson(res, 415, { error: 'unsupported_media_type', message: 'POST /login takes the sign-in form (application/x-www-form-urlencoded: user, password, next)' });
      return;
    }
    const form = await readForm(req);
    if (!form) {
      sendJson(res, 413, { error: 'too_large', message: `the sign-in form is limited to ${MAX_FORM_BYTES} bytes` });
      return;
    }
    const user = (form.get('user') ?? '').trim();
    const password = form.get('password') ?? '';
    const next = safeNext(form.get('next'));
    const lang = form.get('lang');
    const address = clientAddress(req, config.trustedProxies);
    const wait = limiter.retryAfter(address, user);
    if (wait > 0) {
      o.logger?.warn('login_rate_limited', { user, address, retry_after: wait });
      loginPage(req, res, 429, { next, lang, user, notice: 'rate_limited', retryAfter: wait }, { 'Retry-After': String(wait) });
      return;
    }
    let entry;
    try {
      entry = user ? await users.lookup(user) : null;
    } catch (err) {
      if (!(err instanceof UsersFileError)) throw err;
      o.logger?.error('users_file_invalid', { err });
      loginPage(req, res, 503, { next, lang, user, notice: 'unavailable' });
      return;
    }
    const ok = entry?.password && password ? await verifyPassword(password, entry.password) : await verifyNobody(password || ' ');
    if (!ok || !entry?.password) {
      limiter.failed(address, user);
      o.logger?.warn('login_failed', { user, address });
      loginPage(req, res, 401, { next, lang, user, notice: 'invalid' }, CHALLENGE);
      return;
    }
    limiter.succeeded(user);
    const issuedAt = Math.floor(now() / 1000);
    const hours = config.mode === 'users' ? config.sessionHours : 12;
    const expiresAt = issuedAt + Math.round(hours * 3600);
    const token = signSession({ user: entry.name, sid: newSessionId(), issuedAt, expiresAt, credential: credentialFingerprint(o.secret, entry.name, entry.password) }, o.secret);
    o.logger?.info('login', { user: entry.name, role: entry.role, address });
    res.writeHead(303, { Location: next, 'Set-Cookie': sessionCookie(token, expiresAt - issuedAt, { secure: secureCookie }), 'Cache-Control': 'no-store', 'Content-Length': 0 });
    res.end();
  };

  const logout = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (crossSite(req)) {
      sendJson(res, 403, { error: 'cross_site', message: 'sign-out is accepted from this site only' });
      return;
    }
    const token = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
    const nowSeconds = Math.floor(now() / 1000);
    const check = token ? verifySession(token, o.secret, nowSeconds) : null;
    if (check?.ok) {
      revoked.set(check.claims.sid, check.claims.expiresAt);
      for (const [sid, until] of revoked) if (until <= nowSeconds) revoked.delete(sid);
      o.logger?.info('logout', { user: check.claims.user });
    }
    res.writeHead(303, { Location: '/login?notice=signed_out', 'Set-Cookie': clearedSessionCookie({ secure: secureCookie }), 'Cache-Control': 'no-store', 'Content-Length': 0 });
    res.end();
  };

  const notAllowed = (res: http.ServerResponse, allow: string) => sendJson(res, 405, { error: 'method_not_allowed', allow }, { Allow: allow });
  const vary = config.mode === 'proxy' ? [config.header] : ['Cookie'];

  const refuse: Auth['refuse'] = (req, res, identity, wantsPage) => {
    const headers = { Vary: vary.join(', ') };
    if (identity.reason === 'users_file_invalid') {
      sendJson(res, 503, { error: 'users_file_invalid', message: 'the users file is invalid: nobody can sign in until the administrator fixes it (see the server log)' }, headers);
    } else if (identity.reason === 'unknown_user') {
      sendJson(res, 403, { error: 'no_role', message: 'you are signed in at the proxy, but Gridlens has no role for you: ask the administrator to add you to the users file' }, headers);
    } else if (config.mode === 'users' && wantsPage) {
      const query = new URLSearchParams({ next: safeNext(req.url), ...(identity.reason === 'expired' ? { notice: 'expired' } : {}) });
      res.writeHead(303, { Location: `/login?${query}`, 'Cache-Control': 'no-store', Vary: headers.Vary, 'Content-Length': 0 });
      res.end();
    } else if (config.mode === 'proxy') {
      sendJson(res, 401, { error: 'unauthenticated', message: 'Gridlens is reached through its sign-in proxy only' }, { ...headers, ...CHALLENGE });
    } else {
      const message = identity.reason === 'expired' ? 'your session has ended: sign in again' : 'sign in first';
      sendJson(res, 401, { error: 'unauthenticated', message, login: '/login' }, { ...headers, ...CHALLENGE });
    }
  };

  const handle: Auth['handle'] = async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gridlens.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname === '/api/session') {
      if (method !== 'GET' && method !== 'HEAD') {
        notAllowed(res, 'GET, HEAD');
        return true;
      }
      const id = await identify(req);
      if (!id.principal) refuse(req, res, id, false);
      else {
        const p = id.principal;
        sendJson(res, 200, { user: p.user, role: p.role, permissions: permissionsOf(p.role), regions: p.regions, mode: config.mode }, { Vary: vary.join(', ') });
      }
      return true;
    }
    if (config.mode !== 'users') return false; // the proxy signs users in and out
    if (url.pathname === '/login') {
      if (method === 'POST') await login(req, res);
      else if (method === 'GET' || method === 'HEAD') {
        const notice = url.searchParams.get('notice');
        loginPage(req, res, 200, {
          next: safeNext(url.searchParams.get('next')),
          lang: url.searchParams.get('lang'),
          notice: notice === 'signed_out' || notice === 'expired' ? notice : undefined,
        });
      } else notAllowed(res, 'GET, HEAD, POST');
      return true;
    }
    if (url.pathname === '/logout') {
      if (method === 'POST') logout(req, res);
      else notAllowed(res, 'POST');
      return true;
    }
    return false;
  };

  return { mode: config.mode, vary, identify, handle, refuse };
}

/**
 * A form post from another site (login CSRF, forced sign-out): browsers send
 * Sec-Fetch-Site (all current ones) and Origin with every POST. Requests
 * without either (curl, tests) are not from a browser page and pass.
 */
function crossSite(req: http.IncomingMessage): boolean {
  // Sec-Fetch-Site first: unlike Host, a proxy does not rewrite it.
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * The client's address for the failure limit: the socket's, or behind a
 * trusted proxy the last X-Forwarded-For entry (the one that proxy added;
 * earlier entries are whatever the client wrote). Without this, every
 * sign-in through a proxy would share one address and one limit.
 */
function clientAddress(req: http.IncomingMessage, trustedProxies: readonly string[]): string {
  const socket = normalizeAddress(req.socket.remoteAddress ?? '');
  const forwarded = req.headers['x-forwarded-for'];
  if (!trustedProxies.includes(socket) || typeof forwarded !== 'string') return socket;
  const last = forwarded.split(',').map((a) => a.trim()).filter(Boolean).pop();
  return last ? normalizeAddress(last) : socket;
}

/** The url-encoded form of a request, or null when it is larger than MAX_FORM_BYTES. */
function readForm(req: http.IncomingMessage): Promise<URLSearchParams | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_FORM_BYTES) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? null : new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}
