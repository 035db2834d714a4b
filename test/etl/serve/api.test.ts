// The /api/ layer (etl/serve/api.ts) over real HTTP against the product's
// server and a real PostgreSQL pool: permission per route by role (proxy
// sign-in), 401 without a user, JSON-only and same-origin POSTs, the body
// size limit, 404/405, ApiError → its status and message, downloads, and
// anonymous admin with authentication off.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, MAX_API_BODY_BYTES, type ApiRoute } from '../../../etl/serve/api.ts';
import { createAuth } from '../../../etl/serve/auth.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { writeUsersFile } from '../../../etl/serve/users-file.ts';
import type { DatabaseHandle } from '../../../etl/db/connection.ts';
import { openTestDatabase } from '../../helpers/db.ts';

const ROUTES: ApiRoute[] = [
  {
    method: 'GET', path: 'echo', permission: 'extracts.aggregate',
    // Through the pool: the handler really reaches PostgreSQL.
    handle: async (req, ctx) => {
      const r = await ctx.pool.query<{ said: string }>('select $1::text as said', [req.query.get('say') ?? '']);
      return { status: 200, json: { said: r.rows[0]!.said, user: req.principal.user, role: req.principal.role } };
    },
  },
  {
    method: 'POST', path: 'count', permission: 'export.target_list',
    handle: async (req) => {
      const keys = (req.body as { keys?: unknown }).keys;
      if (!Array.isArray(keys)) throw new ApiError(422, 'bad_keys', 'keys must be an array');
      return { status: 200, json: { n: keys.length } };
    },
  },
  {
    method: 'GET', path: 'file', permission: 'workbench',
    handle: async () => ({ status: 200, bytes: Buffer.from('a,b\r\n1,2\r\n'), contentType: 'text/csv; charset=utf-8', fileName: '名单.csv' }),
  },
];

let root: string;
let db: DatabaseHandle;
let open: RunningServer;
let guarded: RunningServer;
let bare: RunningServer;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-api-'));
  const dist = path.join(root, 'dist');
  await fs.mkdir(dist, { recursive: true });
  await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Gridlens</title>');
  const usersFile = path.join(root, 'users.json');
  await writeUsersFile(usersFile, [
    { name: 'exec', role: 'executive', regions: null, password: null },
    { name: 'mkt', role: 'marketing', regions: null, password: null },
    { name: 'ana', role: 'analyst', regions: null, password: null },
  ]);
  db = await openTestDatabase(undefined, { max: 2 });
  const api = { pool: db.pool, routes: ROUTES };
  open = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: root, api });
  const auth = createAuth({ config: { mode: 'proxy', usersFile, header: 'x-forwarded-user', trustedProxies: ['127.0.0.1'] }, secret: Buffer.alloc(32, 1) });
  guarded = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: root, api, auth });
  bare = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: root });
}, 60_000);

afterAll(async () => {
  await Promise.all([open?.close(), guarded?.close(), bare?.close()]);
  await db?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const as = (user: string | null, extra: Record<string, string> = {}): Record<string, string> => (user ? { 'x-forwarded-user': user, ...extra } : extra);

describe('/api/ layer', () => {
  it('answers a GET through the pool, as anonymous admin with authentication off', async () => {
    const r = await fetch(`${open.url}api/echo?say=${encodeURIComponent('峰谷')}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(await r.json()).toEqual({ said: '峰谷', user: 'anonymous', role: 'admin' });
  });

  it('is off (404, saying why) on a server without a warehouse', async () => {
    const r = await fetch(`${bare.url}api/echo`);
    expect(r.status).toBe(404);
    expect((await r.json()).message).toMatch(/no warehouse connection/);
  });

  it('names unknown endpoints and the methods a known one accepts', async () => {
    const unknown = await fetch(`${open.url}api/nothing`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).message).toBe('no API endpoint /api/nothing');
    const wrong = await fetch(`${open.url}api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('checks each route\'s permission against the user\'s role', async () => {
    expect((await fetch(`${guarded.url}api/echo`)).status).toBe(401);
    const exec = await fetch(`${guarded.url}api/echo?say=x`, { headers: as('exec') });
    expect(await exec.json()).toEqual({ said: 'x', user: 'exec', role: 'executive' });
    const post = (user: string) => fetch(`${guarded.url}api/count`, { method: 'POST', headers: as(user, { 'content-type': 'application/json' }), body: JSON.stringify({ keys: ['a', 'b'] }) });
    const refused = await post('exec');
    expect(refused.status).toBe(403);
    expect((await refused.json()).message).toBe('your role (executive) may not use /api/count');
    expect(await (await post('mkt')).json()).toEqual({ n: 2 });
    expect((await fetch(`${guarded.url}api/file`, { headers: as('mkt') })).status).toBe(403);
    const file = await fetch(`${guarded.url}api/file`, { headers: as('ana') });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('名单.csv')}`);
    expect(await file.text()).toBe('a,b\r\n1,2\r\n');
  });

  it('takes POST bodies as same-origin JSON within the size limit only', async () => {
    const post = (body: string | Blob, headers: Record<string, string>) => fetch(`${open.url}api/count`, { method: 'POST', headers, body });
    expect((await post('keys=a', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    const bad = await post('{"keys":', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toBe('bad_json');
    const foreign = await post('{"keys":[]}', { 'content-type': 'application/json', origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toBe('cross_origin');
    const same = await post('{"keys":[1]}', { 'content-type': 'application/json; charset=utf-8', origin: open.url.replace(/\/$/, '') });
    expect(await same.json()).toEqual({ n: 1 });
    const refused = await post('{"keys":"a"}', { 'content-type': 'application/json' });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: 'bad_keys', message: 'keys must be an array' });
    const big = await post(new Blob([new Uint8Array(MAX_API_BODY_BYTES + 1).fill(0x20)]), { 'content-type': 'application/json' }).catch((err: unknown) => err);
    // The server answers 413 and stops reading; the client may see the answer or the reset.
    if (big instanceof Response) expect(big.status).toBe(413);
    else expect(String((big as Error).cause ?? big)).toMatch(/EPIPE|ECONNRESET|other side closed|socket/i);
  });
});
