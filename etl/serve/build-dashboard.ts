// The production build of the dashboard for `npm start`: `vite build`
// (vite.config.ts: dashboard/ → dist/dashboard) when the sources changed
// since the last build, then brotli/gzip variants of every asset. "Changed"
// = a hash of every source file's path and bytes (dashboard/, vite.config.ts,
// package.json, package-lock.json), stored in dist/dashboard/.gridlens-build;
// the server never serves dot files, so the stamp stays private.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { precompressTree } from './precompress.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const DASHBOARD_DIR = path.join(REPO_ROOT, 'dashboard');
export const DIST_DIR = path.join(REPO_ROOT, 'dist/dashboard');
const STAMP = '.gridlens-build';
const INPUTS = ['vite.config.ts', 'package.json', 'package-lock.json'];

export interface BuildResult {
  built: boolean;
  /** Why nothing was built (up to date, or no dashboard sources yet). */
  skipped: 'up_to_date' | 'no_dashboard' | null;
  seconds: number;
  variantsWritten: number;
}

/** Hash of the build's inputs: every file under dashboard/ and the top-level build files. */
export async function sourceHash(root = REPO_ROOT): Promise<string> {
  const h = createHash('sha256');
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  await walk(path.join(root, 'dashboard'));
  for (const f of INPUTS) if (existsSync(path.join(root, f))) files.push(path.join(root, f));
  for (const f of files.sort()) {
    h.update(path.relative(root, f)).update('\0').update(await fs.readFile(f)).update('\0');
  }
  return h.digest('hex');
}

export async function buildDashboard(o: { logger?: Logger; force?: boolean; root?: string; outDir?: string } = {}): Promise<BuildResult> {
  const root = o.root ?? REPO_ROOT;
  const outDir = o.outDir ?? path.join(root, 'dist/dashboard');
  const started = performance.now();
  const seconds = () => Number(((performance.now() - started) / 1000).toFixed(1));
  if (!existsSync(path.join(root, 'dashboard/index.html'))) {
    o.logger?.warn('dashboard_build_skipped', { reason: 'dashboard/index.html does not exist yet: only the extracts are served' });
    return { built: false, skipped: 'no_dashboard', seconds: seconds(), variantsWritten: 0 };
  }
  const hash = await sourceHash(root);
  const stampFile = path.join(outDir, STAMP);
  const stamp = await fs.readFile(stampFile, 'utf8').catch(() => null);
  let built = false;
  if (o.force || stamp?.trim() !== hash || !existsSync(path.join(outDir, 'index.html'))) {
    const { build } = await import('vite');
    await build({
      configFile: path.join(root, 'vite.config.ts'),
      root: path.join(root, 'dashboard'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    built = true;
  }
  // Also after an up-to-date check: a previous start may have stopped mid-way.
  const variants = await precompressTree(outDir);
  if (built) await fs.writeFile(stampFile, hash + '\n');
  const result: BuildResult = { built, skipped: built ? null : 'up_to_date', seconds: seconds(), variantsWritten: variants.written };
  o.logger?.info(built ? 'dashboard_built' : 'dashboard_up_to_date', { dir: outDir, seconds: result.seconds, variants_written: variants.written });
  return result;
}
