// The dashboard server (node:http): the Vite build under `/`, the extracts
// under /extracts/ (current/manifest.json and versions/<version>/<file>).
// Decisions are made by the pure modules (routes, http-policy); this file is
// the I/O edge: read the request, find the file, stream it.

import { createReadStream } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';
import { cacheControlOf, contentTypeOf, etagMatches, extensionOf, HTML_SECURITY_HEADERS, isCompressible, negotiateEncoding, REVALIDATE, type Encoding } from './http-policy.ts';
import { precompressFile } from './precompress.ts';
import { routeOf, type Route } from './routes.ts';
import { etagOf, findFile, freshVariants, type FoundFile } from './static-files.ts';

export interface ServerOptions {
  /** The dashboard build (dist/dashboard). */
  distDir: string;
  /** The extracts root (config.extracts: versions/ and current). */
  extractsDir: string;
  logger?: Logger;
}

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export function createRequestHandler(o: ServerOptions): RequestHandler {
  // Files found without their variants are compressed in the background, once.
  const compressing = new Set<string>();
  const precompressLater = (file: FoundFile) => {
    if (compressing.has(file.path)) return;
    compressing.add(file.path);
    precompressFile(file.path)
      .catch((err: unknown) => o.logger?.warn('precompress_failed', { file: file.path, err }))
      .finally(() => compressing.delete(file.path));
  };

  const serve = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    // The raw path, not a WHATWG-normalised one: routeOf judges every segment as sent.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const route = routeOf(rawPath);
    let file = route ? await findFile(rootOf(route, o), route.path) : null;
    let servedRoute = route;
    if (!file && route?.root === 'dashboard' && route.spaFallback && (req.headers.accept ?? '').includes('text/html')) {
      // A client-side route (a bookmarked screen): the app decides from the URL.
      servedRoute = { root: 'dashboard', path: 'index.html', hashed: false, spaFallback: false };
      file = await findFile(o.distDir, 'index.html');
    }
    if (!file || !servedRoute) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': REVALIDATE }).end('not found\n');
      return;
    }

    const compressible = isCompressible(servedRoute.path, file.stat.size);
    const variants = compressible ? await freshVariants(file) : new Map<Encoding, FoundFile>();
    if (compressible && variants.size < 2) precompressLater(file);
    const encoding = negotiateEncoding(req.headers['accept-encoding'], [...variants.keys()]);
    const body = encoding === 'identity' ? file : variants.get(encoding)!;
    const etag = await etagOf(body);
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': contentTypeOf(servedRoute.path),
      'Cache-Control': cacheControlOf(servedRoute),
      ETag: etag,
      'X-Content-Type-Options': 'nosniff',
    };
    if (compressible) headers.Vary = 'Accept-Encoding';
    if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
    if (extensionOf(servedRoute.path) === 'html') Object.assign(headers, HTML_SECURITY_HEADERS);

    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    headers['Content-Length'] = body.stat.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(body.path)
      .on('error', (err) => {
        o.logger?.warn('serve_read_failed', { file: body.path, err });
        res.destroy(err);
      })
      .pipe(res);
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
