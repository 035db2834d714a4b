// Users and roles in the browser: the production build behind the product's
// server with sign-in on (users file), in Debian Chromium. A user signs in
// through the form and lands where they were going; an executive's dashboard
// works without the customer extract (the Segments groups without need tags,
// "not available for your role" where customer-level data is needed); a user
// restricted to regions sees only those regions, from the region-filtered
// extracts in DuckDB-WASM; sign-out returns to the sign-in page. No page
// meets a Content-Security-Policy violation, the sign-in page included.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../etl/serve/auth.ts';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { hashPassword } from '../../etl/serve/password.ts';
import { startServer, type RunningServer } from '../../etl/serve/server.ts';
import { writeUsersFile } from '../../etl/serve/users-file.ts';
import { generatedInbox, TMP } from '../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';
import { launchChromium, type Browser } from './browser.ts';

const E2E_TMP = join(TMP, 'e2e-auth');
const DIST = join(E2E_TMP, `dist-${process.pid}`);
const PASSWORD = 'e2e password for everyone';

let p: Pipeline;
let server: RunningServer;
let browser: Browser;
let base: string;
let east: string[];
const cspViolations: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(E2E_TMP, { recursive: true });
  // The same utility as dashboard.test.ts (the generated fixture is cached).
  const inbox = generatedInbox({ customers: 400, months: 6, seed: 41, end: '2026-10', surveyRate: 0.5 });
  p = await pipelineDatabase('e2eauth');
  const [run] = await Promise.all([
    etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: '1' }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  const regions = (await p.pool.query<{ region: string }>('select distinct region from mart.customer order by 1')).rows.map((r) => r.region);
  east = [regions[1]!, regions[3]!];
  const usersFile = join(E2E_TMP, `users-${process.pid}.json`);
  const hash = await hashPassword(PASSWORD);
  await writeUsersFile(usersFile, [
    { name: 'exec', role: 'executive', regions: null, password: hash },
    { name: 'east', role: 'marketing', regions: east, password: hash },
  ]);
  const auth = createAuth({ config: { mode: 'users', usersFile, sessionHours: 1, secureCookie: false, trustedProxies: [] }, secret: Buffer.alloc(32, 7) });
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: DIST, extractsDir: p.extracts, auth });
  base = server.url;
  browser = await launchChromium(E2E_TMP, { locale: 'en-US' });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await p?.close();
  rmSync(DIST, { recursive: true, force: true });
});

async function newPage(): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return page;
}

/** Opens `query`, is sent to the sign-in page, signs in as `user` and lands back on `query`. */
async function signedIn(user: string, query: string): Promise<Page> {
  await browser.context.clearCookies();
  const page = await newPage();
  await page.goto(`${base}?${query}`);
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#user', user);
  await page.fill('#password', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('view') === new URLSearchParams(query).get('view'));
  return page;
}

describe('users and roles in the dashboard (Chromium)', () => {
  it('an executive signs in through the form and the dashboard works without the customer extract', async () => {
    const page = await signedIn('exec', 'lang=en&view=segments');
    expect(await page.locator('[data-user="exec"]').textContent()).toContain('exec (executive)');
    const groups = page.locator('table[data-table="segment-groups"][data-level="segment"] button[data-drill-value]');
    await groups.first().waitFor({ timeout: 60_000 });
    expect(await groups.count()).toBeGreaterThan(1);
    await page.locator('[data-state="needs-withheld"]').waitFor();
    // Drill to the customer list: the panel says why there is nothing, it does not fail.
    for (const level of ['segment', 'region', 'tariff', 'band']) {
      const button = page.locator(`table[data-table="segment-groups"][data-level="${level}"] button[data-drill-value]`).first();
      await button.waitFor({ timeout: 60_000 });
      await button.click();
    }
    const withheld = page.locator('[data-panel="customer-list"] [data-state="withheld"]');
    await withheld.waitFor({ timeout: 60_000 });
    expect(await withheld.textContent()).toMatch(/not available for your role/i);
    expect(await page.locator('[data-panel="customer-list"] .status-error').count()).toBe(0);

    await page.goto(`${base}?lang=en&view=satisfaction`);
    await page.locator('figure[data-chart="sat-experience"] [data-state="withheld"]').waitFor({ timeout: 60_000 });
    await page.goto(`${base}?lang=en`);
    await page.waitForSelector('[data-kpi="revenue"]:not([data-value=""])', { timeout: 60_000 });

    // Sign-out: back to the sign-in page, and the app asks again.
    await page.click('[data-user="exec"] button[type="submit"]');
    await page.waitForURL(/\/login\?notice=signed_out/);
    expect(await page.locator('[data-notice="signed_out"]').count()).toBe(1);
    await page.goto(`${base}?lang=en`);
    await page.waitForURL(/\/login\?next=/);
    await page.close();
  }, 180_000);

  it('a user restricted to regions sees only those regions', async () => {
    const page = await signedIn('east', 'lang=en&view=segments');
    const segment = page.locator('table[data-table="segment-groups"][data-level="segment"] button[data-drill-value]').first();
    await segment.waitFor({ timeout: 60_000 });
    const segmentValue = (await segment.getAttribute('data-drill-value'))!;
    await segment.click();
    const regionButtons = page.locator('table[data-table="segment-groups"][data-level="region"] button[data-drill-value]');
    await regionButtons.first().waitFor({ timeout: 60_000 });
    const shown = await regionButtons.evaluateAll((els) => els.map((e) => e.getAttribute('data-drill-value')!));
    const { rows } = await p.pool.query<{ region: string }>(
      `select distinct region from mart.segment_month where segment = $1 and region = any($2) and month = '2026-10-01' order by 1`, [segmentValue, east]);
    expect(shown.sort()).toEqual(rows.map((r) => r.region));
    await page.close();
  }, 180_000);

  it('no page met a script error or a Content-Security-Policy violation, the sign-in page included', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
