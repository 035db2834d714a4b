// The server's few data endpoints under /api/ (everything else the browser
// computes itself from the extracts). They exist for what an extract must
// never hold: turning pseudonymous keys back into account numbers for a
// target list (audited), and one customer's report resolved by account number.
//
// Each route names the permission it needs (roles.ts); the handler gets the
// parsed request and the warehouse pool and returns a status and a JSON body
// (or raw bytes for a download). This file is the I/O edge: method, size and
// origin checks, body parsing, errors → JSON. The routes themselves live in
// their own files and are listed in api-routes.ts.

import type http from 'node:http';
import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { Auth } from './auth.ts';
import { can, type Permission, type Principal } from './roles.ts';
import { sendJson } from './send.ts';

export const API_PREFIX = '/api/';

/** The largest request body accepted: a target list of 1M 20-character keys fits. */
export const MAX_API_BODY_BYTES = 32 * 2 ** 20;

export interface ApiRequest {
  method: 'GET' | 'POST';
  /** The path after /api/, e.g. 'reidentify'. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body of a POST; undefined for a GET. */
  body: unknown;
  /** Who asks. With authentication off (tests, benchmarks) an anonymous admin. */
  principal: Principal;
}

export type ApiResult =
  | { status: number; json: unknown }
  | { status: number; bytes: Buffer; contentType: string; fileName?: string };

export interface ApiContext {
  pool: pg.Pool;
  logger?: Logger;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** The path after /api/, exact. */
  path: string;
  permission: Permission;
  handle(req: ApiRequest, ctx: ApiContext): Promise<ApiResult>;
}

/** A request the handler refuses with a message for the user (4xx), not a server fault. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** Who a request comes from when authentication is off: everything is open then anyway. */
export const ANONYMOUS_ADMIN: Principal = { user: 'anonymous', role: 'admin', regions: null };

export type ApiHandler = (req: http.IncomingMessage, res: http.ServerResponse, rawPath: string) => Promise<void>;

export function createApiHandler(routes: readonly ApiRoute[], ctx: ApiContext, auth: Auth | null): ApiHandler {
  return async (req, res, rawPath) => {
    const path = rawPath.slice(API_PREFIX.length);
    const candidates = routes.filter((r) => r.path === path);
    if (candidates.length === 0) return sendJson(res, 404, { error: 'not_found', message: `no API endpoint /api/${path}` });
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      return sendJson(res, 405, { error: 'method_not_allowed', message: `/api/${path} accepts ${candidates.map((r) => r.method).join(', ')}` }, { Allow: candidates.map((r) => r.method).join(', ') });
    }
    let principal = ANONYMOUS_ADMIN;
    if (auth) {
      const id = await auth.identify(req);
      if (!id.principal) return auth.refuse(req, res, id, false);
      principal = id.principal;
    }
    if (!can(principal.role, route.permission)) {
      ctx.logger?.warn('api_forbidden', { user: principal.user, role: principal.role, path });
      return sendJson(res, 403, { error: 'forbidden', message: `your role (${principal.role}) may not use /api/${path}` });
    }
    let body: unknown;
    if (route.method === 'POST') {
      // A cross-site form cannot send JSON without a preflight, and a page of
      // another origin is refused outright (the cookies are SameSite too).
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') return sendJson(res, 415, { error: 'unsupported_media_type', message: 'send the request body as application/json' });
      const origin = req.headers.origin;
      if (origin && req.headers.host && new URL(origin).host !== req.headers.host) {
        return sendJson(res, 403, { error: 'cross_origin', message: `requests from ${origin} are not accepted` });
      }
      const read = await readBody(req, MAX_API_BODY_BYTES);
      if (read === null) return sendJson(res, 413, { error: 'too_large', message: `the request body is over ${MAX_API_BODY_BYTES / 2 ** 20} MiB` });
      try {
        body = JSON.parse(read.toString('utf8'));
      } catch {
        return sendJson(res, 400, { error: 'bad_json', message: 'the request body is not valid JSON' });
      }
    }
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    let result: ApiResult;
    try {
      result = await route.handle({ method: route.method, path, query, body, principal }, ctx);
    } catch (err) {
      if (err instanceof ApiError) return sendJson(res, err.status, { error: err.code, message: err.message });
      throw err;
    }
    if ('json' in result) return sendJson(res, result.status, result.json);
    const headers: Record<string, string | number> = {
      'Content-Type': result.contentType,
      'Content-Length': result.bytes.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    };
    if (result.fileName) headers['Content-Disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(result.fileName)}`;
    res.writeHead(result.status, headers);
    res.end(result.bytes);
  };
}

/** The request body, or null once it passes `limit` bytes (the rest is not read). */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.destroy();
      return null;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
