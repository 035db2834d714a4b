// The parts of sign-in that need no server: scrypt hashes, signed session
// cookies (tampering, expiry), the failure limiter and its Retry-After, the
// role model, the sign-in page's language and redirect target, the settings,
// the users file and the default account made on first start.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig, normalizeAddress } from '../../../etl/serve/auth-config.ts';
import { loginLocale, renderLoginPage, safeNext } from '../../../etl/serve/login-page.ts';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../etl/serve/password.ts';
import { FailureWindow, LoginRateLimiter } from '../../../etl/serve/rate-limit.ts';
import { can, mayReadExtract, ROLES } from '../../../etl/serve/roles.ts';
import { loadOrCreateSessionSecret } from '../../../etl/serve/session-secret.ts';
import { clearedSessionCookie, credentialFingerprint, parseCookies, sessionCookie, signSession, verifySession, type SessionClaims } from '../../../etl/serve/session.ts';
import { createUsersStore, ensureDefaultAccount, formatUsersFile, parseUsersFile, UsersFileError } from '../../../etl/serve/users-file.ts';
import { MARTS } from '../../../etl/transform/mart-catalog.ts';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-auth-'));
});
afterAll(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

describe('password hashes (scrypt)', () => {
  it('verifies the password it was made from and nothing else; every hash has its own salt', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', hash)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
    const again = await hashPassword('correct horse battery staple');
    expect(again).not.toBe(hash);
    expect(await verifyPassword('correct horse battery staple', again)).toBe(true);
  });

  it('compares Unicode passwords in NFC, refuses malformed hashes and unbounded parameters', async () => {
    const hash = await hashPassword('密码 café', { N: 1 << 10, r: 8, p: 1 });
    expect(await verifyPassword('密码 cafe\u0301', hash)).toBe(true); // the same text, decomposed
    const [, , salt, key] = hash.split('$');
    expect(await verifyPassword('密码 café', `scrypt$N=1024,r=8,p=1$${salt}$${key!.slice(0, -2)}AA`)).toBe(false);
    for (const bad of ['plain text', `scrypt$N=1000,r=8,p=1$${salt}$${key}`, `scrypt$N=2097152,r=8,p=1$${salt}$${key}`, `scrypt$N=1024,r=64,p=1$${salt}$${key}`, `bcrypt$${salt}$${key}`]) {
      expect(parsePasswordHash(bad), bad).toBeNull();
      expect(await verifyPassword('密码 café', bad), bad).toBe(false);
    }
  });
});

describe('session cookies', () => {
  const secret = Buffer.from('a'.repeat(64), 'hex');
  const claims: SessionClaims = { user: 'east', sid: 'abc123', issuedAt: 1_000_000, expiresAt: 1_000_000 + 3600, credential: 'fp' };

  it('round-trips the claims while valid and says "expired" from the expiry on', () => {
    const token = signSession(claims, secret);
    expect(verifySession(token, secret, claims.issuedAt)).toEqual({ ok: true, claims });
    expect(verifySession(token, secret, claims.expiresAt - 1)).toEqual({ ok: true, claims });
    expect(verifySession(token, secret, claims.expiresAt)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects any change to the claims or the signature, and another secret', () => {
    const token = signSession(claims, secret);
    const [v, body, sig] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ u: 'admin', s: 'abc123', i: claims.issuedAt, e: claims.expiresAt, c: 'fp' })).toString('base64url');
    expect(verifySession(`${v}.${forged}.${sig}`, secret, claims.issuedAt)).toEqual({ ok: false, reason: 'bad_signature' });
    const longer = Buffer.from(JSON.stringify({ u: 'east', s: 'abc123', i: claims.issuedAt, e: claims.expiresAt + 10 ** 6, c: 'fp' })).toString('base64url');
    expect(verifySession(`${v}.${longer}.${sig}`, secret, claims.issuedAt)).toEqual({ ok: false, reason: 'bad_signature' });
    const flipped = sig.slice(0, -1) + (sig.endsWith('A') ? 'B' : 'A');
    expect(verifySession(`${v}.${body}.${flipped}`, secret, claims.issuedAt)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySession(token, Buffer.from('b'.repeat(64), 'hex'), claims.issuedAt)).toEqual({ ok: false, reason: 'bad_signature' });
    for (const junk of ['', 'v1', `v2.${body}.${sig}`, `${v}.${body}`, `${v}.${body}.${sig}.x`, `${v}.${body}!.${sig}`]) {
      expect(verifySession(junk, secret, claims.issuedAt).ok, junk).toBe(false);
    }
  });

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/, with Max-Age, Secure when asked; parses Cookie headers', () => {
    const set = sessionCookie('tok', 3600, { secure: false });
    expect(set).toBe('gridlens_session=tok; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax');
    expect(sessionCookie('tok', 60, { secure: true })).toMatch(/; Secure$/);
    expect(clearedSessionCookie({ secure: false })).toMatch(/^gridlens_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    expect(parseCookies('a=1; gridlens_session=v1.x.y; b="q"')).toEqual(new Map([['a', '1'], ['gridlens_session', 'v1.x.y'], ['b', 'q']]));
  });

  it('fingerprints the credential: a new password hash gives another fingerprint', () => {
    const a = credentialFingerprint(secret, 'East', 'scrypt$1');
    expect(credentialFingerprint(secret, 'east', 'scrypt$1')).toBe(a);
    expect(credentialFingerprint(secret, 'east', 'scrypt$2')).not.toBe(a);
  });

  it('makes the server secret once under GRIDLENS_HOME (mode 0600) and reads it back', async () => {
    const home = path.join(tmp, 'home-secret');
    const first = await loadOrCreateSessionSecret(home);
    expect(first.length).toBe(32);
    expect((await fs.stat(path.join(home, 'session.secret'))).mode & 0o777).toBe(0o600);
    expect((await loadOrCreateSessionSecret(home)).equals(first)).toBe(true);
  });
});

describe('failed sign-in limits', () => {
  it('blocks a user after max failures in the window, with the seconds until the oldest leaves it', () => {
    let now = 0;
    const w = new FailureWindow({ max: 3, windowMs: 60_000 }, () => now);
    for (const t of [0, 10_000, 20_000]) {
      expect(w.retryAfter('k')).toBe(0);
      now = t;
      w.fail('k');
    }
    expect(w.retryAfter('k')).toBe(40); // the failure at 0 s leaves the window at 60 s
    now = 59_500;
    expect(w.retryAfter('k')).toBe(1);
    now = 60_000;
    expect(w.retryAfter('k')).toBe(0);
    w.fail('k');
    expect(w.retryAfter('k')).toBe(10); // now 10 s, 20 s, 60 s: free at 70 s
    w.clear('k');
    expect(w.retryAfter('k')).toBe(0);
  });

  it('limits per user (any address, any case) and per address (any user); success clears the user only', () => {
    let now = 1_000_000;
    const l = new LoginRateLimiter({ perAddress: { max: 4, windowMs: 60_000 }, perUser: { max: 2, windowMs: 60_000 } }, () => now);
    l.failed('10.0.0.1', 'East');
    l.failed('10.0.0.2', 'east ');
    expect(l.retryAfter('10.0.0.3', 'EAST')).toBe(60);
    expect(l.retryAfter('10.0.0.3', 'west')).toBe(0);
    l.succeeded('east');
    expect(l.retryAfter('10.0.0.3', 'east')).toBe(0);
    now += 5_000;
    l.failed('10.0.0.1', 'a');
    l.failed('10.0.0.1', 'b');
    expect(l.retryAfter('10.0.0.1', 'd')).toBe(0);
    l.failed('10.0.0.1', 'c');
    expect(l.retryAfter('10.0.0.1', 'd')).toBe(55); // four failures from 10.0.0.1, the first 5 s ago
    expect(l.retryAfter('10.0.0.9', 'd')).toBe(0);
  });
});

describe('roles', () => {
  it('each role holds the permissions of the one before; executives read aggregate extracts only', () => {
    expect(ROLES).toEqual(['executive', 'marketing', 'analyst', 'admin']);
    expect(ROLES.map((r) => can(r, 'extracts.customer'))).toEqual([false, true, true, true]);
    expect(ROLES.map((r) => can(r, 'export.target_list'))).toEqual([false, true, true, true]);
    expect(ROLES.map((r) => can(r, 'workbench'))).toEqual([false, false, true, true]);
    expect(ROLES.map((r) => can(r, 'admin'))).toEqual([false, false, false, true]);
    for (const m of MARTS) {
      expect(mayReadExtract('executive', m.customersColumn), m.name).toBe(m.customersColumn !== null);
      expect(mayReadExtract('marketing', m.customersColumn), m.name).toBe(true);
    }
    expect(MARTS.filter((m) => !mayReadExtract('executive', m.customersColumn)).map((m) => m.name)).toEqual(['customer', 'usage_alert']);
    expect(mayReadExtract('executive', undefined)).toBe(false); // a mart the manifest does not describe
  });
});

describe('sign-in page', () => {
  it('speaks zh-CN or English from ?lang= or Accept-Language (by q), English otherwise', () => {
    expect(loginLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(loginLocale('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(loginLocale('zh;q=0.5, en;q=0.7')).toBe('en');
    expect(loginLocale('fr-FR, zh-TW;q=0.3')).toBe('zh-CN');
    expect(loginLocale('de, fr')).toBe('en');
    expect(loginLocale(undefined)).toBe('en');
    expect(loginLocale('en', 'zh-CN')).toBe('zh-CN');
    expect(renderLoginPage({ locale: 'zh-CN', next: '/' })).toContain('<html lang="zh-CN">');
    expect(renderLoginPage({ locale: 'zh-CN', next: '/' })).toContain('用户名');
    expect(renderLoginPage({ locale: 'en', next: '/' })).toContain('User name');
  });

  it('returns only to a path of this server, and escapes what it echoes', () => {
    expect(safeNext('/?view=segments&drill=a')).toBe('/?view=segments&drill=a');
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/login?next=/', '', null, '/a\nb']) {
      expect(safeNext(bad), String(bad)).toBe('/');
    }
    const html = renderLoginPage({ locale: 'en', next: '/"><script>alert(1)</script>', user: '<b>' });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&quot;&gt;&lt;script&gt;');
    expect(html).toContain('value="&lt;b&gt;"');
    expect(html).not.toMatch(/<script|\son\w+=/i); // no script of any kind: the CSP allows none inline
  });
});

describe('settings', () => {
  it('defaults to the users file under GRIDLENS_HOME and 12-hour sessions; proxy mode needs trusted addresses', () => {
    expect(loadAuthConfig({}, '/h', '/cwd')).toEqual({ mode: 'users', usersFile: '/h/users.json', sessionHours: 12, secureCookie: false, trustedProxies: [] });
    expect(loadAuthConfig({ GRIDLENS_USERS_FILE: 'conf/u.json', GRIDLENS_SESSION_HOURS: '1.5', GRIDLENS_COOKIE_SECURE: 'true', GRIDLENS_AUTH_PROXY_TRUSTED: '10.0.0.5' }, '/h', '/cwd'))
      .toEqual({ mode: 'users', usersFile: '/cwd/conf/u.json', sessionHours: 1.5, secureCookie: true, trustedProxies: ['10.0.0.5'] });
    expect(loadAuthConfig({ GRIDLENS_AUTH: 'proxy', GRIDLENS_AUTH_PROXY_TRUSTED: '127.0.0.1, ::ffff:10.0.0.5', GRIDLENS_AUTH_PROXY_HEADER: 'X-Remote-User' }, '/h', '/cwd'))
      .toEqual({ mode: 'proxy', usersFile: '/h/users.json', header: 'x-remote-user', trustedProxies: ['127.0.0.1', '10.0.0.5'] });
    expect(() => loadAuthConfig({ GRIDLENS_AUTH: 'proxy' }, '/h')).toThrow(/GRIDLENS_AUTH_PROXY_TRUSTED/);
    expect(() => loadAuthConfig({ GRIDLENS_AUTH: 'proxy', GRIDLENS_AUTH_PROXY_TRUSTED: 'proxy.local' }, '/h')).toThrow(/not an IP address/);
    expect(() => loadAuthConfig({ GRIDLENS_AUTH: 'none' }, '/h')).toThrow(/cannot be turned off/);
    expect(() => loadAuthConfig({ GRIDLENS_SESSION_HOURS: '0' }, '/h')).toThrow(/GRIDLENS_SESSION_HOURS/);
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('users file', () => {
  it('checks every entry and says which one is wrong', async () => {
    const hash = await hashPassword('x'.repeat(12), { N: 1 << 10, r: 8, p: 1 });
    const ok = parseUsersFile(JSON.stringify({ users: [
      { name: 'east', role: 'marketing', regions: ['东港区', ' 江城区', '东港区'], password: hash },
      { name: 'ceo@utility.cn', role: 'executive' },
    ] }), 'u.json');
    expect(ok).toEqual([
      { name: 'east', role: 'marketing', regions: ['东港区', '江城区'].sort(), password: hash },
      { name: 'ceo@utility.cn', role: 'executive', regions: null, password: null },
    ]);
    expect(parseUsersFile(formatUsersFile(ok), 'u.json')).toEqual(ok);
    const cases: [unknown, RegExp][] = [
      [{ users: [{ name: 'a', role: 'boss' }] }, /users\[0\] \("a"\): "role" must be one of executive, marketing, analyst, admin/],
      [{ users: [{ name: 'a', role: 'admin' }, { name: 'A', role: 'admin' }] }, /users\[1\]: the name "A" appears twice/],
      [{ users: [{ name: 'a', role: 'admin', password: 'hunter2' }] }, /never as plain text/],
      [{ users: [{ name: 'a', role: 'admin', regions: [] }] }, /"regions" must be a non-empty list/],
      [{ users: [{ name: '../x', role: 'admin' }] }, /"name" must be/],
      [{ people: [] }, /"users" array/],
    ];
    for (const [doc, re] of cases) expect(() => parseUsersFile(JSON.stringify(doc), 'u.json')).toThrow(re);
    expect(() => parseUsersFile('{', 'u.json')).toThrow(UsersFileError);
  });

  it('makes the default admin account on first start only: a generated password whose hash alone is stored, mode 0600', async () => {
    const file = path.join(tmp, 'first-start', 'users.json');
    const account = await ensureDefaultAccount(file);
    expect(account?.user).toBe('admin');
    expect(account!.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain(account!.password);
    const [admin] = parseUsersFile(text, file);
    expect(admin).toMatchObject({ name: 'admin', role: 'admin', regions: null });
    expect(await verifyPassword(account!.password, admin!.password!)).toBe(true);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await ensureDefaultAccount(file)).toBeNull();
    expect(await fs.readFile(file, 'utf8')).toBe(text);
  });

  it('the store re-reads the file when it changes and fails closed while it is invalid', async () => {
    const file = path.join(tmp, 'store.json');
    await fs.writeFile(file, JSON.stringify({ users: [{ name: 'a', role: 'executive' }] }));
    const store = createUsersStore(file);
    expect((await store.lookup('A'))?.role).toBe('executive');
    await fs.writeFile(file, JSON.stringify({ users: [{ name: 'a', role: 'analyst', regions: ['x'] }] }) + ' ');
    expect(await store.lookup('a')).toMatchObject({ role: 'analyst', regions: ['x'] });
    await fs.writeFile(file, '{"users": [');
    await expect(store.lookup('a')).rejects.toThrow(UsersFileError);
    await fs.rm(file);
    await expect(store.lookup('a')).rejects.toThrow(/does not exist/);
  });

  it('`npm run etl -- users` adds a user with a generated password printed once, changes roles and regions, refuses bad usage', async () => {
    const home = path.join(tmp, 'cli-home');
    const cli = (...args: string[]) =>
      promisify(execFile)('npx', ['tsx', 'etl/cli.ts', 'users', ...args], { cwd: path.resolve(import.meta.dirname, '../../..'), env: { ...process.env, GRIDLENS_HOME: home } })
        .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => e);
    const added = await cli('add', 'li.wei', '--role', 'marketing', '--regions', '东港区,高新区');
    expect(added.code, added.stderr).toBe(0);
    const password = /password: (\S+)/.exec(added.stdout)![1]!;
    const [entry] = parseUsersFile(await fs.readFile(path.join(home, 'users.json'), 'utf8'), 'users.json');
    expect(entry).toMatchObject({ name: 'li.wei', role: 'marketing', regions: ['东港区', '高新区'].sort() });
    expect(await verifyPassword(password, entry!.password!)).toBe(true);
    expect((await cli('set', 'LI.WEI', '--role', 'analyst', '--all-regions')).code).toBe(0);
    expect((await cli('list')).stdout).toBe('li.wei\tanalyst\tall regions\tpassword\n');
    const bad = await cli('add', 'x', '--role', 'boss');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--role must be one of executive, marketing, analyst, admin/);
  }, 60_000);
});
