// `npm start` as a user runs it (tsx etl/start.ts), on a scratch database and a
// small generated inbox: it runs the ETL, builds the dashboard when needed,
// serves the build and the extracts on PORT behind sign-in (the default admin
// account and its password printed on first start), and stops cleanly on SIGTERM.
// Service project only (the dashboard build writes the repository's dist/).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedInbox } from '../../helpers/generated.ts';
import { pipelineDatabase, type Pipeline } from '../run/pipeline-helpers.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
let p: Pipeline;
let child: ChildProcess | null = null;

beforeAll(async () => {
  p = await pipelineDatabase('start');
}, 120_000);
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await p?.close();
});

describe('npm start', () => {
  it('runs the ETL, serves the dashboard and the extracts on PORT, and stops on SIGTERM', async () => {
    const inbox = generatedInbox({ customers: 120, months: 2, seed: 41, end: '2026-10' });
    child = spawn(process.execPath, ['--import', 'tsx', 'etl/start.ts'], {
      cwd: ROOT,
      env: {
        ...process.env, DATABASE_URL: p.scratch.url, GRIDLENS_HOME: p.home, GRIDLENS_EXTRACTS: p.extracts,
        GRIDLENS_INBOX: inbox, PORT: '0', GRIDLENS_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      child!.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
        const m = /Dashboard: (http:\/\/\S+)[^]*\n(?:First start|Sign-in):.*\n/.exec(stdout);
        if (m) resolveUrl(m[1]!);
      });
      void exited.then((code) => reject(new Error(`npm start exited with ${code} before serving:\n${stdout}\n${stderr}`)));
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // Sign-in is on: nothing without a user; the first start made `admin` and printed its password once.
    expect((await fetch(new URL('extracts/current/manifest.json', url))).status).toBe(401);
    const printed = /sign in as "admin" with password (\S+)/.exec(stdout);
    expect(printed, stdout).not.toBeNull();
    const usersFile = await readFile(join(p.home, 'users.json'), 'utf8');
    expect(usersFile).toContain('"name": "admin"');
    expect(usersFile).not.toContain(printed![1]!);
    const login = await fetch(new URL('login', url), {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user: 'admin', password: printed![1]!, next: '/' }),
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const headers = { Cookie: cookie };

    const manifest = await fetch(new URL('extracts/current/manifest.json', url), { headers });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('cache-control')).toBe('private, no-cache');
    const m = (await manifest.json()) as { version: string; files: { name: string; file: string; bytes: number }[]; summary?: { month: string } };
    expect(m.files.map((f) => f.name)).toContain('kpi_month');
    expect(m.summary?.month).toBe('2026-10-01');
    const kpi = m.files.find((f) => f.name === 'kpi_month')!;
    const file = await fetch(new URL(`extracts/versions/${m.version}/${kpi.file}`, url), { headers });
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(kpi.bytes);
    const index = await fetch(url, { headers });
    if (/only the extracts are served/.test(stdout)) expect(index.status).toBe(404);
    else {
      expect(index.status, stdout).toBe(200);
      expect(await index.text()).toContain('<script');
    }

    child.kill('SIGTERM');
    expect(await exited, stderr).toBe(0);
  }, 600_000);
});
