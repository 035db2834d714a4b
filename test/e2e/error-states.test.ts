// The dashboard when the extracts fail it, in Debian Chromium on the
// production build and the product's server: a damaged manifest.json, a
// manifest or an extract the server answers with 500, an extract cut short or
// overwritten on disk. Each gives a visible error that names what failed —
// never a blank page. Screenshots go to test/e2e/screenshots/error-*.png.
//
// The damaged files are real files served by etl/serve/server.ts (one copy of
// a real ETL run's extracts per case); a 500 cannot be provoked from that
// server on purpose, so those two answers are set with Playwright's routing.

import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { startServer, type RunningServer } from '../../etl/serve/server.ts';
import { generatedInbox, TMP } from '../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';
import { FAULT_FIXTURE } from '../etl/run/faults-helpers.ts';
import { launchChromium, type Browser } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const E2E_TMP = join(TMP, 'e2e');
const DIST = join(E2E_TMP, `dist-errors-${process.pid}`);
const CASES = join(E2E_TMP, `error-cases-${process.pid}`);
const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
/** The extract the Usage view's monthly chart reads, and that chart. */
const EXTRACT = 'segment_month';
const CHART = 'figure[data-chart="usage-monthly"]';

let p: Pipeline;
let browser: Browser;
const servers: RunningServer[] = [];

/** A server on a copy of the published extracts, after `damage` has been done to the copy's current version. */
async function serveDamaged(name: string, damage: (versionDir: string) => void): Promise<string> {
  const extracts = join(CASES, name);
  await fs.cp(p.extracts, extracts, { recursive: true, verbatimSymlinks: true });
  damage(join(extracts, 'current'));
  const server = await startServer({ host: '127.0.0.1', port: 0, distDir: DIST, extractsDir: extracts });
  servers.push(server);
  return server.url;
}

async function open(url: string, query: string, route?: (page: Page) => Promise<unknown>): Promise<Page> {
  const page = await browser.context.newPage();
  await route?.(page);
  await page.goto(`${url}?${query}`);
  return page;
}

/** Not a blank page: the app's header and navigation are drawn, and the error is visible. */
async function expectVisibleError(page: Page, selector: string, screenshot: string): Promise<string> {
  const error = page.locator(selector).first();
  await error.waitFor({ state: 'visible', timeout: 60_000 });
  expect(await page.locator('header nav a[data-view]').count()).toBeGreaterThan(0);
  await page.screenshot({ path: join(SCREENSHOTS, `error-${screenshot}.png`), fullPage: true });
  return (await error.innerText()).replace(/\s+/g, ' ');
}

beforeAll(async () => {
  mkdirSync(CASES, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  p = await pipelineDatabase('e2e-errors');
  const [run] = await Promise.all([
    etl(p, ['run', '--inbox', generatedInbox(FAULT_FIXTURE), '--json'], { GRIDLENS_SUPPRESSION_K: '1' }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  browser = await launchChromium(E2E_TMP, { locale: 'en-US' });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  await p?.close();
  rmSync(DIST, { recursive: true, force: true });
  rmSync(CASES, { recursive: true, force: true });
});

describe('error states (Chromium, production build, real server)', () => {
  it('a manifest.json cut short on disk: the page says the manifest cannot be read, and why', async () => {
    const url = await serveDamaged('manifest-cut', (dir) => {
      const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
      writeFileSync(join(dir, 'manifest.json'), text.slice(0, Math.floor(text.length / 2)));
    });
    const page = await open(url, 'lang=en');
    const text = await expectVisibleError(page, '[data-state="error"]', 'manifest-cut');
    expect(text).toContain('The extract manifest could not be read');
    expect(text).toContain('/extracts/current/manifest.json');
    expect(text).toMatch(/not valid JSON/);
    await page.close();
  }, 120_000);

  it('a manifest answered with 500: the page names the answer, not "nothing published"', async () => {
    const url = await serveDamaged('manifest-500', () => undefined);
    const page = await open(url, 'lang=en', (pg) =>
      pg.route('**/extracts/current/manifest.json', (r) => r.fulfill({ status: 500, contentType: 'text/plain', body: 'internal error\n' })));
    const text = await expectVisibleError(page, '[data-state="error"]', 'manifest-500');
    expect(text).toContain('The extract manifest could not be read');
    expect(text).toContain('answered 500');
    expect(text).not.toContain('no extracts are published');
    await page.close();
  }, 120_000);

  it('an extract answered with 500: its chart names the file and the answer', async () => {
    const url = await serveDamaged('extract-500', () => undefined);
    const page = await open(url, 'lang=en&view=usage', (pg) =>
      pg.route(`**/extracts/versions/*/${EXTRACT}.arrow`, (r) => r.fulfill({ status: 500, contentType: 'text/plain', body: 'internal error\n' })));
    const text = await expectVisibleError(page, `${CHART} .status-error`, 'extract-500');
    expect(text).toContain(`${EXTRACT}.arrow answered 500`);
    expect(text).not.toContain('is gone');
    await page.close();
  }, 120_000);

  it('an extract cut short on disk: its chart says how many bytes came and how many the manifest promised', async () => {
    let size = 0;
    const url = await serveDamaged('extract-cut', (dir) => {
      const bytes = readFileSync(join(dir, `${EXTRACT}.arrow`));
      size = bytes.length;
      writeFileSync(join(dir, `${EXTRACT}.arrow`), bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    const page = await open(url, 'lang=en&view=usage');
    const text = await expectVisibleError(page, `${CHART} .status-error`, 'extract-cut');
    expect(text).toContain(`${EXTRACT}.arrow: ${Math.floor(size / 2)} bytes received, the manifest says ${size}`);
    await page.close();
  }, 120_000);

  it('an extract overwritten with other bytes of the same size: its chart names the extract that cannot be read', async () => {
    const url = await serveDamaged('extract-garbage', (dir) => {
      const file = join(dir, `${EXTRACT}.arrow`);
      writeFileSync(file, randomBytes(readFileSync(file).length));
    });
    const page = await open(url, 'lang=en&view=usage');
    const text = await expectVisibleError(page, `${CHART} .status-error`, 'extract-garbage');
    expect(text).toContain(`extract "${EXTRACT}"`);
    await page.close();
  }, 120_000);
});
