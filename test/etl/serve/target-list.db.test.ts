// POST /api/target-list against real PostgreSQL through the product's server
// (proxy sign-in, users with roles and regions): a list's account numbers
// are exactly core.customer_pseudonym's for its keys and nothing else (no
// name, phone or address anywhere in the answer); unknown keys and keys
// outside a user's regions refuse the whole list, naming how many and the
// first few, and write nothing; an export writes its audit record (who,
// role, regions, audience, counts, keys) in the same transaction; roles
// without export.target_list are refused.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../../etl/serve/auth.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { describeKeys, parseTargetListRequest, refusalOf } from '../../../etl/serve/target-list.ts';
import { writeUsersFile } from '../../../etl/serve/users-file.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../run/pipeline-helpers.ts';

let p: Pipeline;
let server: RunningServer;
let root: string;
let region: string;
let other: string;
let byKey: Map<number, { customer_id: string; region: string }>;

beforeAll(async () => {
  const inbox = generatedInbox({ customers: 150, months: 3, seed: 61, end: '2026-10' });
  p = await pipelineDatabase('targetlist');
  const r = await etl(p, ['run', '--inbox', inbox, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const { rows } = await p.pool.query<{ customer_key: number; customer_id: string; region: string }>(
    `select m.customer_key, p.customer_id, m.region from mart.customer m join core.customer_pseudonym p using (customer_key)`);
  byKey = new Map(rows.map((x) => [x.customer_key, x]));
  const regions = [...new Set(rows.map((x) => x.region))].sort();
  [region, other] = [regions[0]!, regions[1]!];
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-target-'));
  const dist = path.join(root, 'dist');
  await fs.mkdir(dist);
  await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Gridlens</title>');
  const usersFile = path.join(root, 'users.json');
  await writeUsersFile(usersFile, [
    { name: 'exec', role: 'executive', regions: null, password: null },
    { name: 'mkt', role: 'marketing', regions: null, password: null },
    { name: 'local', role: 'marketing', regions: [region], password: null },
  ]);
  const auth = createAuth({ config: { mode: 'proxy', usersFile, header: 'x-forwarded-user', trustedProxies: ['127.0.0.1'] }, secret: Buffer.alloc(32, 2) });
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: root, api: { pool: p.pool }, auth });
}, 600_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

function post(user: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}api/target-list`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-user': user }, body: JSON.stringify(body),
  });
}

async function auditCount(): Promise<number> {
  return (await p.pool.query<{ n: number }>(`select count(*)::integer as n from ops.target_list_export`)).rows[0]!.n;
}

const AUDIENCE = { segment: ['residential'], churn: { min: 0.05 }, offerType: 'points' };

describe('POST /api/target-list', () => {
  it('maps every key to its account number, writes the audit record, and answers nothing personal', async () => {
    const keys = [...byKey.keys()].sort((a, b) => b - a).slice(0, 60);
    const holdoutKeys = keys.filter((_, i) => i % 10 === 3);
    const before = await auditCount();
    const res = await post('mkt', { name: '春季积分', audience: AUDIENCE, holdout: { share: 0.1, seed: '1', stratify: true }, keys, holdoutKeys });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const text = await res.text();
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(['exportId', 'exportedAt', 'holdoutCount', 'rowCount', 'rows']);
    expect(body.rowCount).toBe(60);
    expect(body.holdoutCount).toBe(holdoutKeys.length);
    // In the request's order, each key with its own account number (core.customer_pseudonym), and only those two fields.
    expect(body.rows.map((r: { customer_key: number }) => r.customer_key)).toEqual(keys);
    const { rows: truth } = await p.pool.query<{ customer_key: number; customer_id: string }>(
      `select customer_key, customer_id from core.customer_pseudonym where customer_key = any($1::integer[])`, [keys]);
    const want = new Map(truth.map((t) => [t.customer_key, t.customer_id]));
    for (const r of body.rows) {
      expect(Object.keys(r).sort()).toEqual(['customer_id', 'customer_key']);
      expect(r.customer_id).toBe(want.get(r.customer_key));
    }
    // No name, phone or address of these customers (or anyone's) anywhere in the answer.
    const { rows: pii } = await p.pool.query<{ name: string | null; phone: string | null; address: string | null }>(`select name, phone, address from core.customer_pii`);
    expect(pii.length).toBeGreaterThan(100);
    for (const x of pii) for (const v of [x.name, x.phone, x.address]) if (v && v.length >= 3) expect(text.includes(v), v).toBe(false);
    // The audit record, committed with the answer.
    expect(await auditCount()).toBe(before + 1);
    const { rows: audit } = await p.pool.query(`select * from ops.target_list_export where id = $1`, [body.exportId]);
    expect(audit[0]).toMatchObject({
      user_name: 'mkt', role: 'marketing', user_regions: null, audience_name: '春季积分', audience: AUDIENCE,
      holdout: { share: 0.1, seed: '1', stratify: true }, row_count: 60, holdout_count: holdoutKeys.length, customer_keys: keys, holdout_keys: holdoutKeys,
    });
    expect(Math.abs(new Date(audit[0].exported_at).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a list with unknown keys, naming how many and the first few, and writes nothing', async () => {
    const known = [...byKey.keys()].slice(0, 10);
    const unknown = [11, 7, 5, 3, 2, 1].filter((k) => !byKey.has(k));
    expect(unknown.length).toBe(6);
    const before = await auditCount();
    const res = await post('mkt', { audience: AUDIENCE, keys: [...known, ...unknown], holdoutKeys: [] });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error).toBe('unknown_keys');
    expect(body.message).toMatch(/^6 keys \(1, 2, 3, 5, 7, …\) are not known customers/);
    expect(JSON.stringify(body)).not.toMatch(new RegExp(byKey.get(known[0]!)!.customer_id));
    expect(await auditCount()).toBe(before);
  });

  it('keeps a region-restricted user to their regions', async () => {
    const inside = [...byKey].filter(([, v]) => v.region === region).map(([k]) => k);
    const outside = [...byKey].filter(([, v]) => v.region === other).map(([k]) => k).sort((a, b) => a - b);
    expect(inside.length).toBeGreaterThan(3);
    const before = await auditCount();
    const refused = await post('local', { audience: AUDIENCE, keys: [...inside, ...outside.slice(0, 2)] });
    expect(refused.status).toBe(403);
    const body = await refused.json();
    expect(body.error).toBe('outside_regions');
    expect(body.message).toBe(`2 keys (${outside[0]}, ${outside[1]}) belong to customers outside your regions (${region}): the list was not exported.`);
    expect(await auditCount()).toBe(before);

    const ok = await post('local', { audience: AUDIENCE, keys: inside });
    expect(ok.status).toBe(200);
    const { exportId, rows } = await ok.json();
    expect(rows.map((r: { customer_id: string }) => r.customer_id).sort()).toEqual(inside.map((k) => byKey.get(k)!.customer_id).sort());
    const { rows: audit } = await p.pool.query(`select user_name, user_regions, row_count, holdout_count from ops.target_list_export where id = $1`, [exportId]);
    expect(audit[0]).toEqual({ user_name: 'local', user_regions: [region], row_count: inside.length, holdout_count: 0 });
    // The unrestricted marketing user may export the other region.
    expect((await post('mkt', { audience: AUDIENCE, keys: outside })).status).toBe(200);
  });

  it('is for roles with export.target_list only, and signed-in users only', async () => {
    const keys = [...byKey.keys()].slice(0, 3);
    const exec = await post('exec', { audience: AUDIENCE, keys });
    expect(exec.status).toBe(403);
    expect((await exec.json()).message).toBe('your role (executive) may not use /api/target-list');
    const anon = await fetch(`${server.url}api/target-list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ audience: AUDIENCE, keys }) });
    expect(anon.status).toBe(401);
  });

  it('says what is wrong with a malformed request', async () => {
    const k = [...byKey.keys()];
    const cases: [unknown, RegExp][] = [
      [[1, 2], /JSON object/],
      [{ keys: [k[0]] }, /"audience" must be/],
      [{ audience: {}, keys: [] }, /non-empty array/],
      [{ audience: {}, keys: [k[0], 'x', -1, 1.5] }, /3 entries of "keys" are not customer keys/],
      [{ audience: {}, keys: [k[0], k[0]] }, /repeats 1 key/],
      [{ audience: {}, keys: [k[0]], holdoutKeys: [k[1]] }, /1 holdout key\(s\) are not in "keys"/],
    ];
    for (const [body, message] of cases) {
      const res = await post('mkt', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await res.json()).message).toMatch(message);
    }
  });
});

describe('target-list checks (pure)', () => {
  it('names at most five keys, sorted', () => {
    expect(describeKeys([9, 3])).toBe('2 keys (3, 9)');
    expect(describeKeys([1])).toBe('1 key (1)');
    expect(describeKeys([7, 6, 5, 4, 3, 2, 1])).toBe('7 keys (1, 2, 3, 4, 5, …)');
  });

  it('refuses unknown keys before regions; null regions allow every region', () => {
    const found = [
      { customer_key: 1, customer_id: 'A', region: 'x' },
      { customer_key: 2, customer_id: null, region: null },
      { customer_key: 3, customer_id: 'C', region: 'y' },
    ];
    expect(refusalOf(found, ['x'])?.code).toBe('unknown_keys');
    expect(refusalOf([found[0]!, found[2]!], ['x'])?.status).toBe(403);
    expect(refusalOf([found[0]!, found[2]!], null)).toBeNull();
    expect(refusalOf([found[0]!], ['x'])).toBeNull();
    expect(parseTargetListRequest({ audience: { a: 1 }, keys: [5], name: '  ' }).name).toBeNull();
  });
});
