// The dashboard server (node:http): the Vite build under `/`, the extracts
// under /extracts/ (current/manifest.json and versions/<version>/<file>), and
// with authentication on (auth.ts) the sign-in routes, a user's own manifest
// and only the extract files their role and regions allow (extract-access.ts).
// Decisions are made by the pure modules (routes, http-policy, roles,
// access-manifest); this file is the I/O edge: read the request, find the
// file, stream it (send.ts).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { API_PREFIX, createApiHandler, type ApiContext, type ApiRoute } from './api.ts';
import { API_ROUTES } from './api-routes.ts';
import type { Auth } from './auth.ts';
import { createExtractAccess, type ExtractAccess } from './extract-access.ts';
import { cacheControlOf, contentTypeOf, extensionOf, HTML_SECURITY_HEADERS, isCompressible, REVALIDATE } from './http-policy.ts';
import { precompressFile } from './precompress.ts';
import { EXTRACTS_PREFIX, routeOf, type Route } from './routes.ts';
import { sendFile, sendJson, sendMemory } from './send.ts';
import { findFile, type FoundFile } from './static-files.ts';
import type { Principal } from './roles.ts';

export interface ServerOptions {
  /** The dashboard build (dist/dashboard). */
  distDir: string;
  /** The extracts root (config.extracts: versions/ and current). */
  extractsDir: string;
  logger?: Logger;
  /**
   * Who may read what. `npm start` passes an Auth (auth.ts: sign-in, roles,
   * regions). { mode: 'none' } (the default: tests, benchmarks, the Vite dev
   * server) serves everything to whoever reaches the port.
   */
  auth?: Auth | { mode: 'none' };
  /**
   * The warehouse, for the /api/ endpoints (api.ts: re-identification of a
   * target list, customer reports). Without it /api/ answers 404.
   */
  api?: ApiContext & { routes?: readonly ApiRoute[] };
}

/** Extract files a user may read: cached by the browser only, for a year (their URLs never change content). */
export const PRIVATE_IMMUTABLE = 'private, max-age=31536000, immutable';
/** A user's manifest: revalidated on every use, never kept by a shared cache. */
export const PRIVATE_REVALIDATE = 'private, no-cache';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export function createRequestHandler(o: ServerOptions): RequestHandler {
  const auth = !o.auth || o.auth.mode === 'none' ? null : (o.auth as Auth);
  const access = auth ? createExtractAccess({ extractsDir: o.extractsDir, logger: o.logger }) : null;
  // Files found without their variants are compressed in the background, once.
  const compressing = new Set<string>();
  const precompressLater = (file: FoundFile) => {
    if (compressing.has(file.path)) return;
    compressing.add(file.path);
    precompressFile(file.path)
      .catch((err: unknown) => o.logger?.warn('precompress_failed', { file: file.path, err }))
      .finally(() => compressing.delete(file.path));
  };
  const api = o.api ? createApiHandler(o.api.routes ?? API_ROUTES, o.api, auth) : null;
  const notFound = (res: http.ServerResponse): void => {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': REVALIDATE }).end('not found\n');
  };

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (auth && (await auth.handle(req, res))) return;
    if ((req.url ?? '').startsWith(API_PREFIX)) {
      if (!api) return sendJson(res, 404, { error: 'not_found', message: 'this server has no warehouse connection: /api/ is off' });
      return api(req, res, (req.url ?? '/').split('?')[0]!);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    // The raw path, not a WHATWG-normalised one: routeOf judges every segment as sent.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const route = routeOf(rawPath);
    if (auth && access && rawPath.startsWith(EXTRACTS_PREFIX)) {
      // Data: nothing without a user, not even whether a path exists.
      const id = await auth.identify(req);
      if (!id.principal) return auth.refuse(req, res, id, false);
      if (route?.root !== 'extracts') return notFound(res);
      return serveExtract(req, res, route, id.principal, auth, access);
    }
    let file = route ? await findFile(rootOf(route, o), route.path) : null;
    let servedRoute = route;
    if (!file && route?.root === 'dashboard' && route.spaFallback && (req.headers.accept ?? '').includes('text/html')) {
      // A client-side route (a bookmarked screen): the app decides from the URL.
      servedRoute = { root: 'dashboard', path: 'index.html', hashed: false, spaFallback: false };
      file = await findFile(o.distDir, 'index.html');
    }
    if (!file || !servedRoute) return notFound(res);
    const html = extensionOf(servedRoute.path) === 'html';
    if (auth && html) {
      // The app's pages need a user; its scripts, styles and wasm hold code, no data, and load without one.
      const id = await auth.identify(req);
      if (!id.principal) return auth.refuse(req, res, id, true);
    }
    await sendFile(req, res, file, {
      contentType: contentTypeOf(servedRoute.path),
      cacheControl: cacheControlOf(servedRoute),
      compressible: isCompressible(servedRoute.path, file.stat.size),
      // A page is the sign-in redirect for one request and the app for the next: no cache may mix them.
      vary: auth && html ? auth.vary : undefined,
      headers: html ? HTML_SECURITY_HEADERS : undefined,
    }, { precompressLater, logger: o.logger });
  };

  /** An extract path for a signed-in user: their manifest, or a file their role and regions allow. */
  const serveExtract = async (req: http.IncomingMessage, res: http.ServerResponse, route: Route & { root: 'extracts' }, principal: Principal, auth: Auth, access: ExtractAccess): Promise<void> => {
    const [first, versionSegment, name] = route.path.split('/');
    const version = first === 'current' ? await access.currentVersion() : versionSegment!;
    const served = version ? await access.served(principal, version) : null;
    if (!served) return notFound(res);
    const fileName = first === 'current' ? 'manifest.json' : name!;
    if (fileName === 'manifest.json') {
      return sendMemory(req, res, served.body, { contentType: contentTypeOf(fileName), cacheControl: PRIVATE_REVALIDATE, compressible: true, vary: auth.vary });
    }
    const decision = access.file(served, fileName);
    if (decision.kind === 'forbidden') {
      o.logger?.warn('extract_forbidden', { user: principal.user, role: principal.role, path: route.path });
      return sendJson(res, 403, { error: 'forbidden', message: `your role (${principal.role}${principal.regions ? `, regions ${principal.regions.join(', ')}` : ''}) may not read ${fileName}` }, { Vary: auth.vary.join(', ') });
    }
    const file = decision.kind === 'file' ? await findFile(decision.dir, decision.relative) : null;
    if (!file) return notFound(res);
    await sendFile(req, res, file, {
      contentType: contentTypeOf(fileName),
      cacheControl: PRIVATE_IMMUTABLE,
      compressible: isCompressible(fileName, file.stat.size),
    }, { precompressLater, logger: o.logger });
  };

  return (req, res) => {
    const started = performance.now();
    res.on('finish', () => o.logger?.debug('http_request', {
      method: req.method, path: req.url, status: res.statusCode, encoding: res.getHeader('content-encoding') ?? 'identity',
      ms: Math.round(performance.now() - started),
    }));
    serve(req, res).catch((err: unknown) => {
      o.logger?.error('http_request_failed', { path: req.url, err });
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('internal error\n');
      else res.destroy();
    });
  };
}

function rootOf(route: Route, o: ServerOptions): string {
  return route.root === 'dashboard' ? o.distDir : o.extractsDir;
}

export interface RunningServer {
  /** http://host:port/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(o: ServerOptions & { host: string; port: number }): Promise<RunningServer> {
  const server = http.createServer(createRequestHandler(o));
  // Idle keep-alive sockets must not hold `close` open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${o.port} on ${o.host} is already in use (another Gridlens or \`vite preview\`?): stop it, or start with PORT=<another port>.`, { cause: err })
          : err,
      ),
    );
    server.listen(o.port, o.host, () => {
      server.removeAllListeners('error');
      server.on('error', (err) => o.logger?.error('http_server_error', { err }));
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
