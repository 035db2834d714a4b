// Which file a request path names, if any (pure). Two roots only: the
// dashboard build, and under /extracts/ the current manifest and the files of
// a version. Anything else — an encoded slash or backslash, a dot segment, a
// hidden file, a NUL, another folder of the extracts — names nothing, so no
// path can reach outside the roots whatever the file system holds (the server
// also checks the resolved real path: routes.ts is the first of two fences).

export type Route =
  | { root: 'dashboard'; path: string; hashed: boolean; spaFallback: boolean }
  | { root: 'extracts'; path: string; versioned: boolean };

/** A name the server may serve: no leading dot, only these characters. */
const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._@+-]*$/;
/** Vite names built assets `assets/<name>-<hash>.<ext>` (hash: 8 url-safe base64 characters). */
const HASHED_ASSET = /^assets\/.+-[A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

export const EXTRACTS_PREFIX = '/extracts/';

/** The route of a request's pathname (without query), or null when it names nothing we serve. */
export function routeOf(pathname: string): Route | null {
  if (!pathname.startsWith('/')) return null;
  const raw = pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const s of raw) {
    let d: string;
    try {
      d = decodeURIComponent(s);
    } catch {
      return null;
    }
    segments.push(d);
  }
  if (pathname.startsWith(EXTRACTS_PREFIX)) return extractsRoute(segments.slice(1));
  if (segments.length === 1 && segments[0] === '') return { root: 'dashboard', path: 'index.html', hashed: false, spaFallback: false };
  if (!segments.every(safe)) return null;
  const path = segments.join('/');
  const last = segments[segments.length - 1]!;
  return { root: 'dashboard', path, hashed: HASHED_ASSET.test(path), spaFallback: !last.includes('.') && segments[0] !== 'assets' };
}

function extractsRoute(segments: string[]): Route | null {
  if (segments.length === 2 && segments[0] === 'current' && segments[1] === 'manifest.json') {
    return { root: 'extracts', path: 'current/manifest.json', versioned: false };
  }
  if (segments.length === 3 && segments[0] === 'versions' && safe(segments[1]!) && safe(segments[2]!)) {
    return { root: 'extracts', path: segments.join('/'), versioned: true };
  }
  return null;
}

function safe(segment: string): boolean {
  return SAFE_SEGMENT.test(segment) && !segment.includes('..');
}
