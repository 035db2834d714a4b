// The dashboard server on a real socket over temporary folders laid out like
// dist/dashboard and data/extracts: compression negotiation, precompressed
// variants, ETag/304, cache headers, the two roots and nothing else.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE } from '../../../etl/serve/http-policy.ts';
import { precompressTree } from '../../../etl/serve/precompress.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';

const VERSION = '20261126T020000Z-r1';
let root: string;
let dist: string;
let extracts: string;
let server: RunningServer;
const js = 'export const answer = 42;\n'.repeat(400);
const arrow = Buffer.concat(Array.from({ length: 200 }, (_, i) => Buffer.from(`row ${i % 7} kwh 12.5 segment residential\n`)));

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-serve-'));
  dist = path.join(root, 'dist');
  extracts = path.join(root, 'extracts');
  await fs.mkdir(path.join(dist, 'assets'), { recursive: true });
  await fs.writeFile(path.join(dist, 'index.html'), `<!doctype html><title>Gridlens</title>${'<!-- padding -->'.repeat(100)}`);
  await fs.writeFile(path.join(dist, 'assets', 'index-AbCdEf12.js'), js);
  await fs.writeFile(path.join(dist, 'assets', 'logo-AbCdEf12.png'), randomBytes(4096));
  await fs.writeFile(path.join(dist, '.gridlens-build'), 'stamp\n');
  await fs.writeFile(path.join(root, 'secret.txt'), 'TOP SECRET\n');
  await fs.symlink(path.join(root, 'secret.txt'), path.join(dist, 'assets', 'leak-AbCdEf12.js'));
  const version = path.join(extracts, 'versions', VERSION);
  await fs.mkdir(version, { recursive: true });
  await fs.writeFile(path.join(version, 'manifest.json'), JSON.stringify({ version: VERSION, pad: 'x'.repeat(2000) }));
  await fs.writeFile(path.join(version, 'kpi_month.arrow'), arrow);
  await fs.symlink(path.join('versions', VERSION), path.join(extracts, 'current'));
  await precompressTree(dist);
  await precompressTree(version);
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: extracts });
});

afterAll(async () => {
  await server?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with the path sent exactly as given (no client-side normalisation). */
function request(rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decode(r: Reply): Buffer {
  const e = r.headers['content-encoding'];
  if (e === 'br') return zlib.brotliDecompressSync(r.body);
  if (e === 'gzip') return zlib.gunzipSync(r.body);
  return r.body;
}

describe('dashboard server', () => {
  it('negotiates brotli, gzip or identity from Accept-Encoding and sends the precompressed bytes', async () => {
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.8', 'gzip'],
      ['gzip;q=0.5, br;q=0.4', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      [undefined, undefined],
    ];
    for (const [accept, expected] of cases) {
      const r = await request('/assets/index-AbCdEf12.js', accept ? { 'Accept-Encoding': accept } : {});
      expect(r.status, String(accept)).toBe(200);
      expect(r.headers['content-encoding'], String(accept)).toBe(expected);
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(decode(r).toString()).toBe(js);
      if (expected) expect(r.body.length).toBeLessThan(js.length / 10);
    }
    const png = await request('/assets/logo-AbCdEf12.png', { 'Accept-Encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.headers['content-type']).toBe('image/png');
  });

  it('sends ETags per representation and answers If-None-Match with 304 and no body', async () => {
    const br = await request('/assets/index-AbCdEf12.js', { 'Accept-Encoding': 'br' });
    const plain = await request('/assets/index-AbCdEf12.js');
    expect(br.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const again = await request('/assets/index-AbCdEf12.js', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(br.headers.etag);
    expect(again.headers['cache-control']).toBe(IMMUTABLE);
    const weak = await request('/assets/index-AbCdEf12.js', { 'If-None-Match': `"nope", W/${plain.headers.etag}` });
    expect(weak.status).toBe(304);
    const stale = await request('/assets/index-AbCdEf12.js', { 'Accept-Encoding': 'br', 'If-None-Match': plain.headers.etag! });
    expect(stale.status).toBe(200);
  });

  it('caches hashed assets and versioned extract files for a year, revalidates index.html and the manifest', async () => {
    expect((await request('/assets/index-AbCdEf12.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const index = await request('/', { 'Accept-Encoding': 'gzip' });
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(decode(index).toString()).toContain('<title>Gridlens</title>');
    expect((await request('/index.html')).headers['cache-control']).toBe('no-cache');

    const manifest = await request('/extracts/current/manifest.json', { 'Accept-Encoding': 'br' });
    expect(manifest.status).toBe(200);
    expect(manifest.headers['cache-control']).toBe('no-cache');
    expect(manifest.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(decode(manifest).toString()).version).toBe(VERSION);

    const file = await request(`/extracts/versions/${VERSION}/kpi_month.arrow`, { 'Accept-Encoding': 'gzip, br' });
    expect(file.status).toBe(200);
    expect(file.headers['cache-control']).toBe(IMMUTABLE);
    expect(file.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    expect(file.headers['content-encoding']).toBe('br');
    expect(decode(file).equals(arrow)).toBe(true);
  });

  it('sends the HTML with a same-origin Content-Security-Policy (no inline script, no framing); data files without it', async () => {
    for (const p of ['/', '/index.html', '/segments']) {
      const r = await request(p, { Accept: 'text/html' });
      expect(r.status, p).toBe(200);
      const csp = String(r.headers['content-security-policy']);
      expect(csp, p).toContain("default-src 'self'");
      expect(csp, p).toContain("script-src 'self'");
      expect(csp, p).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(r.headers['x-frame-options'], p).toBe('DENY');
      expect(r.headers['referrer-policy'], p).toBe('no-referrer');
    }
    expect((await request('/assets/index-AbCdEf12.js')).headers['content-security-policy']).toBeUndefined();
    expect((await request('/extracts/current/manifest.json')).headers['content-security-policy']).toBeUndefined();
  });

  it('never serves anything outside the build and the extracts', async () => {
    const attempts = [
      '/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%5c..%5csecret.txt', '/extracts/current/../../secret.txt', '/extracts/versions/..%2f..%2f..%2fsecret.txt/x',
      `/extracts/versions/${VERSION}/..%2f..%2f..%2fsecret.txt`, '/extracts/versions/../../secret.txt',
      '/assets/leak-AbCdEf12.js', '/.gridlens-build', '/%00', '/assets/index-AbCdEf12.js%00.png',
      // Under /extracts/ only current/manifest.json and versions/<version>/<file>.
      '/extracts/current/kpi_month.arrow', `/extracts/versions/${VERSION}`, '/extracts/', '//etc/passwd',
      // Double-encoded: decoded once they are literal '%2e%2e' names, never a second time into '..'.
      '/%252e%252e/secret.txt', '/assets/%252e%252e%252f%252e%252e%252fsecret.txt', '/assets/..%252f..%252fsecret.txt',
      `/extracts/versions/${VERSION}/%252e%252e%252f%252e%252e%252f%252e%252e%252fsecret.txt`, '/extracts/versions/%252e%252e/%252e%252e/secret.txt',
    ];
    for (const p of attempts) {
      const r = await request(p, { Accept: 'text/html' });
      expect([400, 404], p).toContain(r.status);
      expect(r.body.toString(), p).not.toContain('SECRET');
    }
  });

  it('answers 404 for unknown files, serves index.html for client-side routes, HEAD without a body, 405 otherwise', async () => {
    for (const p of ['/assets/nope-AbCdEf12.js', '/nope.txt', `/extracts/versions/${VERSION}/nope.arrow`, '/extracts/versions/20990101T000000Z-r9/kpi_month.arrow', '/extracts/current/nope.json']) {
      const r = await request(p, { Accept: 'text/html' });
      expect(r.status, p).toBe(404);
      expect(r.headers['cache-control'], p).toBe('no-cache');
    }
    const route = await request('/segments', { Accept: 'text/html,application/xhtml+xml' });
    expect(route.status).toBe(200);
    expect(route.body.toString()).toContain('<title>Gridlens</title>');
    expect(route.headers['cache-control']).toBe('no-cache');
    expect((await request('/segments')).status).toBe(404);

    const head = await request('/assets/index-AbCdEf12.js', { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect((await request('/', {}, 'POST')).status).toBe(405);
  });

  it('precompresses a newly published version on first request and then sends the variants', async () => {
    const v2 = '20261127T020000Z-r2';
    await fs.mkdir(path.join(extracts, 'versions', v2));
    await fs.writeFile(path.join(extracts, 'versions', v2, 'segment_month.arrow'), arrow);
    const url = `/extracts/versions/${v2}/segment_month.arrow`;
    const first = await request(url, { 'Accept-Encoding': 'br, gzip' });
    expect(first.status).toBe(200);
    expect(first.headers['content-encoding']).toBeUndefined();
    expect(first.body.equals(arrow)).toBe(true);
    const deadline = Date.now() + 10_000;
    let later = first;
    while (Date.now() < deadline && later.headers['content-encoding'] !== 'br') {
      await new Promise((r) => setTimeout(r, 50));
      later = await request(url, { 'Accept-Encoding': 'br, gzip' });
    }
    expect(later.headers['content-encoding']).toBe('br');
    expect(decode(later).equals(arrow)).toBe(true);
    expect((await fs.readdir(path.join(extracts, 'versions', v2))).sort()).toEqual(['segment_month.arrow', 'segment_month.arrow.br', 'segment_month.arrow.gz']);
  });
});

describe('startServer', () => {
  it('says what to do when the port is taken', async () => {
    await expect(startServer({ host: '127.0.0.1', port: server.port, distDir: dist, extractsDir: extracts })).rejects.toThrow(
      new RegExp(`port ${server.port} on 127.0.0.1 is already in use .*PORT=`),
    );
  });
});
