// `npm start`'s dashboard build on a tiny Vite project: built once with
// precompressed variants, skipped while the sources are unchanged, rebuilt
// when one changes.
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../../etl/serve/build-dashboard.ts';

let root: string;
let outDir: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-build-'));
  outDir = path.join(root, 'dist/dashboard');
  await fs.mkdir(path.join(root, 'dashboard'), { recursive: true });
  await fs.writeFile(path.join(root, 'package.json'), '{ "type": "module" }\n');
  await fs.writeFile(path.join(root, 'vite.config.ts'), 'export default {};\n');
  await fs.writeFile(path.join(root, 'dashboard/index.html'), '<!doctype html><title>t</title><script type="module" src="./main.js"></script>\n');
  await fs.writeFile(path.join(root, 'dashboard/main.js'), `document.title = ${JSON.stringify('x'.repeat(4000))};\n`);
});
afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('buildDashboard', () => {
  it('builds with variants, skips when up to date, rebuilds after a change', async () => {
    const first = await buildDashboard({ root, outDir });
    expect(first).toMatchObject({ built: true, skipped: null });
    const assets = await fs.readdir(path.join(outDir, 'assets'));
    const js = assets.find((f) => /^index-[\w-]+\.js$/.test(f))!;
    expect(js).toBeDefined();
    expect(assets).toEqual(expect.arrayContaining([`${js}.br`, `${js}.gz`]));
    expect(existsSync(path.join(outDir, '.gridlens-build'))).toBe(true);

    const second = await buildDashboard({ root, outDir });
    expect(second).toMatchObject({ built: false, skipped: 'up_to_date', variantsWritten: 0 });

    await fs.writeFile(path.join(root, 'dashboard/main.js'), `document.title = ${JSON.stringify('y'.repeat(4000))};\n`);
    expect(await buildDashboard({ root, outDir })).toMatchObject({ built: true });
  }, 120_000);

  it('serves the extracts alone when there are no dashboard sources', async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-build-empty-'));
    try {
      expect(await buildDashboard({ root: empty })).toMatchObject({ built: false, skipped: 'no_dashboard' });
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });
});
