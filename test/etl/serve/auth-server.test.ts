// Users and roles over real HTTP, against the product's server (etl/serve/)
// with authentication on, serving extracts that a generated utility's real
// ETL run published: sign-in and sign-out, the sign-in page's headers, 401 /
// redirect for requests without a user, the failure limit with Retry-After,
// each role's manifest and 403s, a user restricted to regions receiving only
// their regions' rows (read back with apache-arrow and compared with the
// unfiltered file and with PostgreSQL), the dashboard's data layer in
// DuckDB-WASM on those files, and the proxy header trusted only from the
// proxy's address.
//
// Not *.db.test.ts: one PostgreSQL is enough (the server reads files).
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../etl/extract/manifest.ts';
import { createAuth } from '../../../etl/serve/auth.ts';
import { HTML_SECURITY_HEADERS } from '../../../etl/serve/http-policy.ts';
import { hashPassword } from '../../../etl/serve/password.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { signSession, credentialFingerprint } from '../../../etl/serve/session.ts';
import { writeUsersFile, type UserEntry } from '../../../etl/serve/users-file.ts';
import { ExtractWithheldError, httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';
import { segmentGroupsQuery } from '../../../dashboard/src/data/queries/segments.ts';
import { defaultFilters } from '../../../dashboard/src/data/sql.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../run/pipeline-helpers.ts';

const PASSWORD = 'a long enough password 1';
const SECRET = Buffer.from('5e'.repeat(32), 'hex');
let p: Pipeline;
let root: string;
let usersFile: string;
let server: RunningServer;
let proxyServer: RunningServer;
let regions: string[];
let east: string[];
let west: string[];
let users: UserEntry[];

beforeAll(async () => {
  const inbox = generatedInbox({ customers: 300, months: 3, seed: 23, end: '2026-10', surveyRate: 0.3 });
  p = await pipelineDatabase('auth');
  const run = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: '3' });
  expect(run.code, run.stderr).toBe(0);
  regions = (await p.pool.query<{ region: string }>('select distinct region from mart.customer order by 1')).rows.map((r) => r.region);
  expect(regions.length).toBeGreaterThanOrEqual(4);
  east = [regions[0]!, regions[2]!];
  west = [regions[1]!];

  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-auth-server-'));
  const dist = path.join(root, 'dist');
  await fs.mkdir(path.join(dist, 'assets'), { recursive: true });
  await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Gridlens</title><script type="module" src="/assets/app-AbCdEf12.js"></script>');
  await fs.writeFile(path.join(dist, 'assets', 'app-AbCdEf12.js'), 'export {};\n');
  usersFile = path.join(root, 'home', 'users.json');
  const hash = await hashPassword(PASSWORD);
  users = [
    { name: 'admin', role: 'admin', regions: null, password: hash },
    { name: 'exec', role: 'executive', regions: null, password: hash },
    { name: 'mkt', role: 'marketing', regions: null, password: hash },
    { name: 'limited', role: 'marketing', regions: null, password: hash },
    { name: 'east', role: 'marketing', regions: east, password: hash },
    { name: 'east-exec', role: 'executive', regions: east, password: hash },
    { name: 'west', role: 'analyst', regions: west, password: hash },
    { name: 'proxied', role: 'executive', regions: null, password: null },
  ];
  await writeUsersFile(usersFile, users);
  const auth = createAuth({
    config: { mode: 'users', usersFile, sessionHours: 1, secureCookie: false, trustedProxies: [] },
    secret: SECRET,
    limits: { perAddress: { max: 1000, windowMs: 60_000 }, perUser: { max: 3, windowMs: 60_000 } },
  });
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts, auth });
  const proxy = createAuth({ config: { mode: 'proxy', usersFile, header: 'x-forwarded-user', trustedProxies: ['127.0.0.1'] }, secret: SECRET });
  proxyServer = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts, auth: proxy });
}, 600_000);

afterAll(async () => {
  await server?.close();
  await proxyServer?.close();
  await p?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(target: RunningServer, rawPath: string, o: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: target.port, path: rawPath, method: o.method ?? 'GET', headers: o.headers, localAddress: o.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const get = (rawPath: string, headers: Record<string, string> = {}) => request(server, rawPath, { headers });
const json = <T = Record<string, unknown>>(r: Reply): T => JSON.parse(decode(r).toString()) as T;

function decode(r: Reply): Buffer {
  const e = r.headers['content-encoding'];
  if (e === 'br') return zlib.brotliDecompressSync(r.body);
  if (e === 'gzip') return zlib.gunzipSync(r.body);
  return r.body;
}

function postLogin(user: string, password: string, next = '/', headers: Record<string, string> = {}): Promise<Reply> {
  return request(server, '/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ user, password, next }).toString(),
  });
}

/** Signs in and returns the Cookie header to send. */
async function signIn(user: string): Promise<string> {
  const r = await postLogin(user, PASSWORD);
  expect(r.status, `${user}: ${r.body.toString()}`).toBe(303);
  const set = r.headers['set-cookie']![0]!;
  return set.split(';')[0]!;
}

async function manifestOf(cookie: string): Promise<Manifest> {
  const r = await get('/extracts/current/manifest.json', { Cookie: cookie, 'Accept-Encoding': 'br' });
  expect(r.status).toBe(200);
  return json<Manifest>(r);
}

async function fileOf(cookie: string, m: Manifest, file: string): Promise<Reply> {
  return get(`/extracts/versions/${m.version}/${encodeURIComponent(file)}`, { Cookie: cookie });
}

/** Rows of an Arrow table as plain objects (dates as numbers, text as strings). */
function rowsOf(t: Table): Record<string, unknown>[] {
  return t.toArray().map((r) => ({ ...(r as { toJSON(): Record<string, unknown> }).toJSON() }));
}

const canon = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('without a user', () => {
  it('the app redirects to the sign-in page; data and the API answer 401 JSON; the build\'s code loads without one', async () => {
    const page = await get('/', { Accept: 'text/html' });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2F');
    expect(page.headers['cache-control']).toBe('no-store');
    const deep = await get('/segments?view=segments&drill=x', { Accept: 'text/html' });
    expect(deep.status).toBe(303);
    expect(new URLSearchParams(deep.headers.location!.split('?')[1]).get('next')).toBe('/segments?view=segments&drill=x');
    for (const path of ['/extracts/current/manifest.json', '/extracts/versions/20260101T000000Z-r1/kpi_month.arrow', '/extracts/nothing/here', '/api/session']) {
      const r = await get(path, { Accept: 'text/html' });
      expect(r.status, path).toBe(401);
      expect(r.headers['content-type'], path).toBe('application/json; charset=utf-8');
      expect(r.headers['cache-control'], path).toBe('no-store');
      expect(r.headers['www-authenticate'], path).toMatch(/^Gridlens-Login /);
      expect(json(r), path).toMatchObject({ error: 'unauthenticated', login: '/login' });
    }
    const asset = await get('/assets/app-AbCdEf12.js');
    expect(asset.status).toBe(200);
    expect(asset.body.toString()).toBe('export {};\n');
  });

  it('the sign-in page is a plain form under the dashboard\'s security headers, in zh-CN or English', async () => {
    const zh = await get('/login?next=%2F%3Fview%3Dusage', { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    expect(zh.status).toBe(200);
    expect(zh.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) expect(zh.headers[name.toLowerCase()], name).toBe(value);
    const csp = String(zh.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(zh.headers['x-content-type-options']).toBe('nosniff');
    expect(zh.headers['referrer-policy']).toBe('no-referrer');
    expect(zh.headers['cache-control']).toBe('no-store');
    const html = zh.body.toString();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain('name="next" value="/?view=usage"');
    expect(html).toContain('登录');
    expect(html).not.toMatch(/<script|\son\w+=/i);
    const en = await get('/login', { 'Accept-Language': 'en-GB,en;q=0.9' });
    expect(en.body.toString()).toContain('Sign in to Gridlens');
  });
});

describe('sign-in and sign-out', () => {
  it('a right password sets a signed HttpOnly SameSite cookie and goes back; a wrong one sets nothing', async () => {
    const wrong = await postLogin('admin', 'not the password', '/?view=usage');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body.toString()).toContain('data-notice="invalid"');
    const nobody = await postLogin('nobody', PASSWORD);
    expect(nobody.status).toBe(401);
    expect(nobody.body.toString()).toContain('data-notice="invalid"'); // the same answer as a wrong password

    const ok = await postLogin('ADMIN', PASSWORD, '/?view=usage');
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/?view=usage');
    const set = ok.headers['set-cookie']![0]!;
    expect(set).toMatch(/^gridlens_session=v1\.[\w-]+\.[\w-]+; Path=\/; Max-Age=3600; HttpOnly; SameSite=Lax$/);
    const cookie = set.split(';')[0]!;
    const session = await get('/api/session', { Cookie: cookie });
    expect(session.status).toBe(200);
    expect(json(session)).toEqual({ user: 'admin', role: 'admin', permissions: ['extracts.aggregate', 'extracts.customer', 'export.target_list', 'workbench', 'admin'], regions: null, mode: 'users' });
    const app = await get('/', { Cookie: cookie, Accept: 'text/html' });
    expect(app.status).toBe(200);
    expect(app.body.toString()).toContain('<title>Gridlens</title>');
    expect(app.headers.vary).toContain('Cookie');
    expect(app.headers['content-security-policy']).toBe(HTML_SECURITY_HEADERS['Content-Security-Policy']);

    const offsite = await postLogin('admin', PASSWORD, '/', { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' });
    expect(offsite.status).toBe(403);
    const redirectOut = await postLogin('admin', PASSWORD, 'https://evil.example/');
    expect(redirectOut.headers.location).toBe('/');
  });

  it('sign-out ends the session: the same cookie is refused afterwards', async () => {
    const cookie = await signIn('mkt');
    expect((await get('/api/session', { Cookie: cookie })).status).toBe(200);
    const out = await request(server, '/logout', { method: 'POST', headers: { Cookie: cookie } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login?notice=signed_out');
    expect(out.headers['set-cookie']![0]).toMatch(/^gridlens_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax/);
    expect((await get('/api/session', { Cookie: cookie })).status).toBe(401);
    expect((await get('/extracts/current/manifest.json', { Cookie: cookie })).status).toBe(401);
    expect((await get('/logout')).status).toBe(405);
  });

  it('refuses a tampered, foreign-keyed or expired cookie, and one from before a password change', async () => {
    const cookie = await signIn('exec');
    const [name, token] = cookie.split('=') as [string, string];
    const [v, body, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, u: 'admin' })).toString('base64url');
    expect((await get('/api/session', { Cookie: `${name}=${v}.${forged}.${sig}` })).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const execHash = users.find((u) => u.name === 'exec')!.password;
    const otherKey = signSession({ user: 'admin', sid: 'x', issuedAt: now, expiresAt: now + 600, credential: credentialFingerprint(Buffer.alloc(32), 'admin', execHash) }, Buffer.alloc(32));
    expect((await get('/api/session', { Cookie: `${name}=${otherKey}` })).status).toBe(401);
    const expired = signSession({ user: 'exec', sid: 'y', issuedAt: now - 7200, expiresAt: now - 1, credential: credentialFingerprint(SECRET, 'exec', execHash) }, SECRET);
    const r = await get('/api/session', { Cookie: `${name}=${expired}` });
    expect(r.status).toBe(401);
    expect(json(r).message).toMatch(/session has ended/);
    const page = await get('/', { Cookie: `${name}=${expired}`, Accept: 'text/html' });
    expect(page.headers.location).toBe('/login?next=%2F&notice=expired');
    // A still-valid cookie of the same user works until their password changes.
    const valid = signSession({ user: 'exec', sid: 'z', issuedAt: now, expiresAt: now + 600, credential: credentialFingerprint(SECRET, 'exec', execHash) }, SECRET);
    expect((await get('/api/session', { Cookie: `${name}=${valid}` })).status).toBe(200);
    const newHash = await hashPassword('a new password for exec');
    const changed = users.map((u) => (u.name === 'exec' ? { ...u, password: newHash } : u));
    await writeUsersFile(usersFile, changed);
    try {
      expect((await get('/api/session', { Cookie: `${name}=${valid}` })).status).toBe(401);
    } finally {
      await writeUsersFile(usersFile, users);
    }
    expect((await get('/api/session', { Cookie: `${name}=${valid}` })).status).toBe(200);
  });

  it('limits failed sign-ins per user with 429 and Retry-After, even for the right password', async () => {
    for (let i = 0; i < 3; i++) expect((await postLogin('limited', `wrong ${i}`)).status).toBe(401);
    const blocked = await postLogin('limited', PASSWORD);
    expect(blocked.status).toBe(429);
    const retry = Number(blocked.headers['retry-after']);
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);
    expect(blocked.headers['set-cookie']).toBeUndefined();
    expect(blocked.body.toString()).toContain('data-notice="rate_limited"');
    // Another user from the same address is not held up by it.
    expect((await postLogin('mkt', PASSWORD)).status).toBe(303);
  });

  it('behind a trusted TLS proxy, limits each client address the proxy reports, not the proxy\'s own', async () => {
    const auth = createAuth({
      config: { mode: 'users', usersFile, sessionHours: 1, secureCookie: false, trustedProxies: ['127.0.0.1'] },
      secret: SECRET,
      limits: { perAddress: { max: 2, windowMs: 60_000 }, perUser: { max: 100, windowMs: 60_000 } },
    });
    const proxied = await startServer({ host: '127.0.0.1', port: 0, distDir: root, extractsDir: p.extracts, auth });
    try {
      const attempt = (forwardedFor: string, localAddress = '127.0.0.1') => request(proxied, '/login', {
        method: 'POST', localAddress,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': forwardedFor },
        body: new URLSearchParams({ user: 'admin', password: 'wrong' }).toString(),
      });
      expect((await attempt('203.0.113.1')).status).toBe(401);
      expect((await attempt('198.51.100.7, 203.0.113.1')).status).toBe(401); // the proxy's entry is the last one
      expect((await attempt('203.0.113.1')).status).toBe(429);
      expect((await attempt('203.0.113.2')).status).toBe(401); // another client behind the same proxy
      // Not from the proxy: X-Forwarded-For is the client's own words, and its socket address counts.
      expect((await attempt('203.0.113.3', '127.0.0.2')).status).toBe(401);
      expect((await attempt('203.0.113.4', '127.0.0.2')).status).toBe(401);
      expect((await attempt('203.0.113.5', '127.0.0.2')).status).toBe(429);
    } finally {
      await proxied.close();
    }
  });
});

describe('roles', () => {
  it('an executive\'s manifest lists the aggregate extracts only; the customer extract is 403', async () => {
    const admin = await manifestOf(await signIn('admin'));
    const cookie = await signIn('exec');
    const m = await manifestOf(cookie);
    expect(admin.files.map((f) => f.name)).toContain('customer');
    // the per-customer extracts: the customer list and the abnormal-usage alerts
    const perCustomer = ['customer', 'usage_alert'];
    expect(m.files.map((f) => f.name)).toEqual(admin.files.map((f) => f.name).filter((n) => !perCustomer.includes(n)));
    expect(m.files).toEqual(admin.files.filter((f) => !perCustomer.includes(f.name))); // the same files, untouched
    expect(m.access).toEqual({ user: 'exec', role: 'executive', permissions: ['extracts.aggregate'], regions: null, withheld: perCustomer });
    for (const name of perCustomer) expect(Object.keys(m.suppression.marts)).not.toContain(name);
    expect(m.summary).toEqual(admin.summary);
    // The first screen's answers read aggregate extracts only: the executive gets them all.
    expect(admin.answers?.length).toBeGreaterThanOrEqual(4);
    expect(m.answers).toEqual(admin.answers);
    const customer = admin.files.find((f) => f.name === 'customer')!;
    const refused = await fileOf(cookie, m, customer.file);
    expect(refused.status).toBe(403);
    expect(json(refused)).toMatchObject({ error: 'forbidden' });
    expect((await get(`/extracts/versions/${m.version}/manifest.json`, { Cookie: cookie })).body.toString()).not.toContain('"customer.arrow"');
    const kpi = m.files.find((f) => f.name === 'kpi_month')!;
    const ok = await fileOf(cookie, m, kpi.file);
    expect(ok.status).toBe(200);
    expect(ok.headers['cache-control']).toBe('private, max-age=31536000, immutable');
    expect(createHash('sha256').update(decode(ok)).digest('hex')).toBe(kpi.sha256);
    expect((await fileOf(await signIn('mkt'), m, customer.file)).status).toBe(200);
  });

  it('the manifest is private, varies by cookie, revalidates with its ETag, and follows a role change in the users file at once', async () => {
    const cookie = await signIn('mkt');
    const r = await get('/extracts/current/manifest.json', { Cookie: cookie, 'Accept-Encoding': 'br' });
    expect(r.headers['cache-control']).toBe('private, no-cache');
    expect(r.headers.vary).toBe('Accept-Encoding, Cookie');
    expect(r.headers['content-encoding']).toBe('br');
    const again = await get('/extracts/current/manifest.json', { Cookie: cookie, 'Accept-Encoding': 'br', 'If-None-Match': r.headers.etag! });
    expect(again.status).toBe(304);
    // Another user holding this ETag gets their own manifest, never a 304 for this one.
    const exec = await get('/extracts/current/manifest.json', { Cookie: await signIn('exec'), 'Accept-Encoding': 'br', 'If-None-Match': r.headers.etag! });
    expect(exec.status).toBe(200);
    expect(exec.headers.etag).not.toBe(r.headers.etag);

    await writeUsersFile(usersFile, users.map((u) => (u.name === 'mkt' ? { ...u, role: 'executive' as const } : u)));
    try {
      const demoted = await manifestOf(cookie);
      expect(demoted.access?.role).toBe('executive');
      expect(demoted.files.map((f) => f.name)).not.toContain('customer');
    } finally {
      await writeUsersFile(usersFile, users);
    }
  });
});

describe('users restricted to regions', () => {
  it('receive only the rows of their regions, in files whose manifest entries match, under names of their own', async () => {
    const adminCookie = await signIn('admin');
    const admin = await manifestOf(adminCookie);
    const cookie = await signIn('east');
    const m = await manifestOf(cookie);
    expect(m.access).toMatchObject({ user: 'east', role: 'marketing', regions: [...east].sort(), withheld: [] });
    expect(m.files.map((f) => f.name)).toEqual(admin.files.map((f) => f.name));
    const allowed = new Set(east);
    let regional = 0;
    for (const f of m.files) {
      const base = admin.files.find((a) => a.name === f.name)!;
      const got = await fileOf(cookie, m, f.file);
      expect(got.status, f.name).toBe(200);
      const bytes = decode(got);
      expect(bytes.length, f.name).toBe(f.bytes);
      expect(createHash('sha256').update(bytes).digest('hex'), f.name).toBe(f.sha256);
      const table = tableFromIPC(bytes);
      expect(table.numRows, f.name).toBe(f.rows);
      expect(table.schema.fields.map((x) => `${x.name}:${String(x.type)}`), f.name).toEqual(tableFromIPC(decode(await fileOf(adminCookie, admin, base.file))).schema.fields.map((x) => `${x.name}:${String(x.type)}`));
      if (!f.schema.some((c) => c.name === 'region')) {
        expect(f, f.name).toEqual(base); // company-wide aggregates: the published file, whole
        continue;
      }
      regional++;
      expect(f.file, f.name).toMatch(/^[a-z_]+@r-[0-9a-f]{16}\.arrow$/);
      const aggregate = admin.suppression.marts[f.name]!.customers_column !== null;
      const rows = rowsOf(table);
      for (const row of rows) {
        const region = row.region as string | null;
        expect(region === null ? aggregate : allowed.has(region), `${f.name}: region ${region}`).toBe(true);
      }
      // Exactly the unfiltered file's rows of those regions (and its all-regions rows for aggregates), values intact.
      const all = rowsOf(tableFromIPC(decode(await fileOf(adminCookie, admin, base.file))));
      const expected = all.filter((r) => (r.region === null ? aggregate : allowed.has(r.region as string)));
      expect(canon(rows), f.name).toEqual(canon(expected));
      // And as many as PostgreSQL counts in the mart.
      const { rows: [{ n }] } = await p.pool.query<{ n: number }>(
        `select count(*)::int as n from mart.${f.name} where region = any($1)${aggregate ? ' or region is null' : ''}`, [east]);
      expect(f.rows, f.name).toBe(n);
      expect(m.suppression.marts[f.name]!.cells, f.name).toBe(f.rows);
      expect(m.suppression.marts[f.name]!.cells_suppressed, f.name).toBe(rows.filter((r) => r.suppressed === true).length);
      expect(f.rows, f.name).toBeLessThan(base.rows);
      expect((await fileOf(cookie, m, base.file)).status, `${f.name}: the unfiltered file`).toBe(403);
    }
    expect(regional).toBeGreaterThanOrEqual(5); // segment_month, satisfaction_*, service_*, customer
    expect(m.summary).toEqual(admin.summary); // from kpi_month, company-wide
    // Answers computed over a whole regional extract ("what moved" reads segment_month) are not theirs;
    // the company-wide ones (kpi_month) are.
    expect(admin.answers!.some((a) => a.extracts.includes('segment_month'))).toBe(true);
    expect(m.answers!.some((a) => a.extracts.includes('segment_month'))).toBe(false);
    expect(m.answers!.map((a) => a.sql)).toEqual(admin.answers!.filter((a) => a.extracts.every((e) => e === 'kpi_month')).map((a) => a.sql));
    expect(m.answers!.length).toBeGreaterThan(0);

    // Another region set: other names, other rows; neither may fetch the other's files.
    const westCookie = await signIn('west');
    const w = await manifestOf(westCookie);
    const eastCustomer = m.files.find((f) => f.name === 'customer')!;
    const westCustomer = w.files.find((f) => f.name === 'customer')!;
    expect(westCustomer.file).not.toBe(eastCustomer.file);
    expect((await fileOf(westCookie, w, eastCustomer.file)).status).toBe(403);
    expect((await fileOf(cookie, m, westCustomer.file)).status).toBe(403);
    const westRows = rowsOf(tableFromIPC(decode(await fileOf(westCookie, w, westCustomer.file))));
    expect(new Set(westRows.map((r) => r.region))).toEqual(new Set(west));
    // The same regions under another role share the copies, minus what the role may not read.
    const ee = await manifestOf(await signIn('east-exec'));
    expect(ee.files).toEqual(m.files.filter((f) => f.name !== 'customer' && f.name !== 'usage_alert')); // per-customer extracts withheld
    const key = /@r-([0-9a-f]{16})\./.exec(eastCustomer.file)![1]!;
    const index = JSON.parse(await fs.readFile(path.join(p.extracts, 'versions', m.version, '.regions', key, 'index.json'), 'utf8')) as { regions: string[] };
    expect(index.regions).toEqual([...east].sort());
  });

  it('the dashboard\'s data layer loads them in DuckDB-WASM; an executive gets the Segments groups without the customer extract', async () => {
    const connect = async (user: string) => {
      const cookie = await signIn(user);
      const fetchWithCookie: typeof fetch = (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), Cookie: cookie } });
      return createDataSource({ engine: startNodeEngine, fetcher: httpExtractFetcher(new URL('extracts/', server.url), fetchWithCookie) });
    };
    const restricted = await connect('east');
    await restricted.load(['segment_month', 'customer', 'service_month_totals']); // the row counts are checked against the manifest on load
    const customerRegions = await restricted.run<{ region: string; n: number }>({ sql: 'select region, count(*)::INTEGER as n from customer group by 1 order by 1', params: [], extracts: ['customer'] });
    const pg = (await p.pool.query<{ region: string; n: number }>('select region, count(*)::int as n from mart.customer where region = any($1) group by 1 order by 1', [east])).rows;
    expect(customerRegions).toEqual(pg);
    const segmentRegions = await restricted.run<{ region: string }>({ sql: 'select distinct region from segment_month order by 1', params: [], extracts: ['segment_month'] });
    expect(segmentRegions.map((r) => r.region)).toEqual([...east].sort());

    const exec = await connect('exec');
    const admin = await connect('admin');
    const m = await exec.manifest();
    const filters = defaultFilters(m.data_as_of);
    await expect(exec.run({ sql: 'select count(*) from customer', params: [], extracts: ['customer'] })).rejects.toBeInstanceOf(ExtractWithheldError);
    const groups = await exec.run<Record<string, unknown>>(segmentGroupsQuery(filters, [], { needs: false }));
    const full = await admin.run<Record<string, unknown>>(segmentGroupsQuery(filters, []));
    expect(groups.length).toBeGreaterThan(0);
    const strip = (r: Record<string, unknown>) => ({ ...r, need_green: 0, need_reliability: 0, need_price: 0 });
    expect(groups).toEqual(full.map(strip));
    expect(full.some((r) => (r.need_green as number) + (r.need_price as number) + (r.need_reliability as number) > 0)).toBe(true);
  }, 120_000);
});

describe('proxy mode', () => {
  it('trusts the user header only on connections from the proxy\'s address', async () => {
    const viaProxy = await request(proxyServer, '/extracts/current/manifest.json', { headers: { 'X-Forwarded-User': 'proxied' } });
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.headers.vary).toBe('Accept-Encoding, x-forwarded-user');
    const m = json<Manifest>(viaProxy);
    expect(m.access).toMatchObject({ user: 'proxied', role: 'executive', withheld: ['customer', 'usage_alert'] });
    // The same header from another address (127.0.0.2 is this machine too, but not the proxy) names nobody.
    const direct = await request(proxyServer, '/extracts/current/manifest.json', { headers: { 'X-Forwarded-User': 'admin' }, localAddress: '127.0.0.2' });
    expect(direct.status).toBe(401);
    const page = await request(proxyServer, '/', { headers: { 'X-Forwarded-User': 'admin', Accept: 'text/html' }, localAddress: '127.0.0.2' });
    expect(page.status).toBe(401);
    expect((await request(proxyServer, '/api/session', { headers: { 'X-Forwarded-User': 'admin' } })).status).toBe(200);
    const unknown = await request(proxyServer, '/extracts/current/manifest.json', { headers: { 'X-Forwarded-User': 'stranger' } });
    expect(unknown.status).toBe(403);
    expect(json(unknown).error).toBe('no_role');
    expect((await request(proxyServer, '/extracts/current/manifest.json')).status).toBe(401);
    // No password sign-in behind a proxy.
    const form = await request(proxyServer, '/login', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `user=admin&password=${encodeURIComponent(PASSWORD)}` });
    expect(form.headers['set-cookie']).toBeUndefined();
  });
});
