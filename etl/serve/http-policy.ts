// HTTP decisions that need no I/O: content types, which files are worth
// compressing, Accept-Encoding negotiation, cache headers and ETag matching.

import type { Route } from './routes.ts';

export type Encoding = 'br' | 'gzip' | 'identity';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  wasm: 'application/wasm',
  arrow: 'application/vnd.apache.arrow.stream',
  png: 'image/png',
  jpg: 'image/jpeg',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  woff: 'font/woff',
};

/** Formats that compress well (already-compressed images and fonts do not). */
const COMPRESSIBLE = new Set(['html', 'js', 'mjs', 'css', 'json', 'map', 'txt', 'svg', 'wasm', 'arrow']);

/** Below this size a compressed variant saves less than its headers cost. */
export const MIN_COMPRESS_BYTES = 1024;

export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function contentTypeOf(path: string): string {
  return TYPES[extensionOf(path)] ?? 'application/octet-stream';
}

export function isCompressible(path: string, size: number): boolean {
  return size >= MIN_COMPRESS_BYTES && COMPRESSIBLE.has(extensionOf(path));
}

/**
 * The encoding to send, from the Accept-Encoding header and the encodings at
 * hand (identity always is). Highest q wins; on a tie br, then gzip, then
 * identity. `*` covers encodings not named; q=0 refuses one (identity too,
 * which we still send rather than answer 406: no browser does that).
 */
export function negotiateEncoding(acceptEncoding: string | undefined, available: readonly Encoding[]): Encoding {
  if (!acceptEncoding) return 'identity';
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) weight = Number(m[1]);
    }
    if (Number.isFinite(weight)) q.set(name.trim().toLowerCase(), weight);
  }
  const star = q.get('*');
  const weightOf = (e: Encoding) => q.get(e) ?? (e === 'identity' ? (star === 0 ? 0 : 0.001) : star ?? 0);
  let best: Encoding = 'identity';
  let bestQ = 0;
  for (const e of ['br', 'gzip', 'identity'] as const) {
    if (e !== 'identity' && !available.includes(e)) continue;
    const w = weightOf(e);
    if (w > bestQ) {
      best = e;
      bestQ = w;
    }
  }
  return best;
}

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/**
 * Hashed build assets and versioned extract files never change under their
 * name: cache them for a year. Everything else (index.html, manifest.json,
 * unhashed files) is revalidated on every use, cheaply thanks to the ETag.
 */
export function cacheControlOf(route: Route): string {
  if (route.root === 'dashboard') return route.hashed ? IMMUTABLE : REVALIDATE;
  return route.versioned ? IMMUTABLE : REVALIDATE;
}

/** True when If-None-Match names `etag` (weak comparison, as RFC 9110 prescribes for GET/HEAD), or is `*`. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  const mine = strip(etag);
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === mine);
}

/**
 * Content-Security-Policy of the dashboard's HTML. Everything the app loads is
 * bundled and served from this origin (no CDN), so 'self' is the whole list:
 * no inline or foreign script runs and no other origin is reachable, a second
 * fence behind rendering survey text as text. DuckDB-WASM compiles its engine
 * inside its worker, whose own response carries no CSP, so the page needs no
 * 'wasm-unsafe-eval' (the end-to-end test checks no page meets a violation).
 * Workers may also start from blob: URLs; img-src data:/blob: for chart images
 * and exports; style-src 'unsafe-inline' for the inline styles ECharts and
 * React put on elements.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every HTML page of the dashboard gets. */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};
