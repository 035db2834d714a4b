// The pure parts of serving: which path names which file, encodings, cache headers, ETag matching.
import { describe, expect, it } from 'vitest';
import { cacheControlOf, contentTypeOf, etagMatches, isCompressible, negotiateEncoding } from '../../../etl/serve/http-policy.ts';
import { routeOf } from '../../../etl/serve/routes.ts';
import { loadServeConfig } from '../../../etl/serve/serve-config.ts';

describe('routeOf', () => {
  it('maps the dashboard and the two extract paths, and marks hashed assets and versioned files', () => {
    expect(routeOf('/')).toEqual({ root: 'dashboard', path: 'index.html', hashed: false, spaFallback: false });
    expect(routeOf('/assets/index-Dq3x_9Ab.js')).toMatchObject({ root: 'dashboard', path: 'assets/index-Dq3x_9Ab.js', hashed: true });
    expect(routeOf('/assets/duckdb-eh-BOPdH4nM.wasm')).toMatchObject({ hashed: true });
    expect(routeOf('/favicon.svg')).toMatchObject({ hashed: false, spaFallback: false });
    expect(routeOf('/segments')).toMatchObject({ spaFallback: true });
    expect(routeOf('/extracts/current/manifest.json')).toEqual({ root: 'extracts', path: 'current/manifest.json', versioned: false });
    expect(routeOf('/extracts/versions/20261126T020000Z-r42-2/kpi_month.arrow')).toEqual({
      root: 'extracts', path: 'versions/20261126T020000Z-r42-2/kpi_month.arrow', versioned: true,
    });
  });

  it('names nothing for dot segments, encoded separators, hidden files, NUL or other extract paths', () => {
    for (const p of ['/../x', '/a/../b', '/%2e%2e/x', '/a%2fb', '/a%5cb', '/.env', '/assets/.x', '/a%00', '/%E0%A4%A',
      '/a//b', '/a/', '/extracts/current/kpi_month.arrow', '/extracts/versions/v', '/extracts/versions/../x/y',
      '/extracts/versions/%2e%2e/x', '/extracts/x/y/z', 'relative']) {
      expect(routeOf(p), p).toBeNull();
    }
  });
});

describe('http policy', () => {
  it('negotiates by q-value, br before gzip on a tie, only encodings at hand', () => {
    expect(negotiateEncoding('gzip, deflate, br', ['br', 'gzip'])).toBe('br');
    expect(negotiateEncoding('gzip, deflate, br', ['gzip'])).toBe('gzip');
    expect(negotiateEncoding('gzip, deflate, br', [])).toBe('identity');
    expect(negotiateEncoding('br;q=0.5, gzip;q=0.9', ['br', 'gzip'])).toBe('gzip');
    expect(negotiateEncoding('br;q=0, *;q=0.1', ['br', 'gzip'])).toBe('gzip');
    expect(negotiateEncoding('deflate', ['br', 'gzip'])).toBe('identity');
    expect(negotiateEncoding(undefined, ['br', 'gzip'])).toBe('identity');
    expect(negotiateEncoding('', ['br', 'gzip'])).toBe('identity');
  });

  it('caches for a year only what never changes under its name', () => {
    expect(cacheControlOf({ root: 'dashboard', path: 'assets/a-12345678.js', hashed: true, spaFallback: false })).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf({ root: 'dashboard', path: 'index.html', hashed: false, spaFallback: false })).toBe('no-cache');
    expect(cacheControlOf({ root: 'extracts', path: 'versions/v/a.arrow', versioned: true })).toBe('public, max-age=31536000, immutable');
    expect(cacheControlOf({ root: 'extracts', path: 'current/manifest.json', versioned: false })).toBe('no-cache');
  });

  it('types and compressibility', () => {
    expect(contentTypeOf('a/b.wasm')).toBe('application/wasm');
    expect(contentTypeOf('x.arrow')).toBe('application/vnd.apache.arrow.stream');
    expect(contentTypeOf('README')).toBe('application/octet-stream');
    expect(isCompressible('a.wasm', 34e6)).toBe(true);
    expect(isCompressible('a.js', 100)).toBe(false);
    expect(isCompressible('a.png', 1e6)).toBe(false);
  });

  it('matches ETags weakly, lists and *', () => {
    expect(etagMatches('"a"', '"a"')).toBe(true);
    expect(etagMatches('W/"a"', '"a"')).toBe(true);
    expect(etagMatches('"b", "a"', '"a"')).toBe(true);
    expect(etagMatches('*', '"a"')).toBe(true);
    expect(etagMatches('"b"', '"a"')).toBe(false);
    expect(etagMatches(undefined, '"a"')).toBe(false);
  });
});

describe('loadServeConfig', () => {
  it('defaults to 127.0.0.1:4173 and refuses a bad PORT', () => {
    expect(loadServeConfig({})).toEqual({ port: 4173, host: '127.0.0.1' });
    expect(loadServeConfig({ PORT: '8080', GRIDLENS_HOST: '0.0.0.0' })).toEqual({ port: 8080, host: '0.0.0.0' });
    expect(() => loadServeConfig({ PORT: 'http' })).toThrow(/PORT="http" is not a TCP port/);
    expect(() => loadServeConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});
