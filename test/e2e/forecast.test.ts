// End to end: the Overview's forecast panel in Chromium for an executive
// (signed in by the trusted proxy header), against the forecasts' test
// utility (36 months) run through the real ETL, the production build and the
// product's server. The panel must draw the history solid and the forecast
// dashed, for the 3 months after the last complete month, and show the
// backtest MAPE of the model and of the seasonal naive equal to
// mart.forecast_month's, for kWh and revenue, for the company and one
// segment; in zh-CN too. Screenshots: test/e2e/screenshots/overview-forecast*.png.
//
// Not *.db.test.ts: one PostgreSQL is enough, and a browser run is slow.

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../etl/serve/auth.ts';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { startServer, type RunningServer } from '../../etl/serve/server.ts';
import { writeUsersFile } from '../../etl/serve/users-file.ts';
import { generatedInbox, readTruth, TMP } from '../helpers/generated.ts';
import { etl, pipelineDatabase, readCurrentExtracts, type Pipeline } from '../etl/run/pipeline-helpers.ts';
import { FORECAST_FIXTURE, FORECAST_SECRET } from '../etl/transform/forecast-fixture.ts';
import { launchChromium, type Browser } from './browser.ts';

const E2E_TMP = join(TMP, 'e2e');
const DIST = join(E2E_TMP, `dist-forecast-${process.pid}`);
const WORK = join(E2E_TMP, `forecast-${process.pid}`);
const USER = 'li.exec';
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

let p: Pipeline;
let server: RunningServer;
let browser: Browser;
let inbox: string;

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  inbox = generatedInbox(FORECAST_FIXTURE);
  p = await pipelineDatabase('e2eforecast');
  const [run] = await Promise.all([etl(p, ['run', '--inbox', inbox, '--json'], FORECAST_SECRET), buildDashboard({ outDir: DIST })]);
  expect(run.code, run.stderr).toBe(0);
  const usersFile = join(WORK, 'users.json');
  await writeUsersFile(usersFile, [{ name: USER, role: 'executive', regions: null, password: null }]);
  const auth = createAuth({ config: { mode: 'proxy', usersFile, header: 'x-forwarded-user', trustedProxies: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] }, secret: Buffer.alloc(32, 7) });
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: DIST, extractsDir: p.extracts, api: { pool: p.pool }, auth });
  browser = await launchChromium(E2E_TMP, { locale: 'en-US' });
  await browser.context.setExtraHTTPHeaders({ 'x-forwarded-user': USER });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await p?.close();
  rmSync(DIST, { recursive: true, force: true });
  rmSync(WORK, { recursive: true, force: true });
});

async function open(query: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(`${server.url}?${query}`);
  return page;
}

interface Shown { months: string; styles: string; measure: string; model: string; naive: string; rows: number }

async function shown(page: Page, measure: string): Promise<Shown> {
  await page.waitForSelector(`section.forecast[data-measure="${measure}"][data-forecast-months*=","]`, { timeout: 120_000 });
  await page.waitForSelector('figure[data-chart="forecast"] canvas', { timeout: 60_000 });
  return page.$eval('section.forecast', (s) => ({
    months: s.getAttribute('data-forecast-months')!,
    styles: s.getAttribute('data-line-styles')!,
    measure: s.getAttribute('data-measure')!,
    model: s.querySelector('[data-fact="mape-model"]')!.getAttribute('data-value')!,
    naive: s.querySelector('[data-fact="mape-naive"]')!.getAttribute('data-value')!,
    rows: s.querySelectorAll('figure[data-chart="forecast"] table[data-chart-data] tbody tr').length,
  }));
}

/** The forecast chart scrolled into view and drawn (charts off screen are drawn when they come into view). */
async function forecastDrawn(page: Page): Promise<void> {
  await page.$eval('section.forecast', (e) => e.scrollIntoView());
  await page.waitForSelector('figure[data-chart="forecast"][aria-busy="false"] canvas', { timeout: 120_000 });
}

async function mart(measure: string, segment: string | null): Promise<{ model: number; naive: number; months: string[] }> {
  const { rows } = await p.pool.query<{ month: string; mape_model: number; mape_naive: number }>(
    `select to_char(month, 'YYYY-MM-DD') as month, mape_model, mape_naive from mart.forecast_month
      where measure = $1 and segment is not distinct from $2 and region is null and is_forecast order by month`, [measure, segment]);
  return { model: rows[0].mape_model, naive: rows[0].mape_naive, months: rows.map((r) => r.month) };
}

describe('Overview forecast panel end to end (Chromium, executive, real ETL, production build)', () => {
  it('draws the forecast dashed for the next 3 months with the mart’s backtest MAPE, model vs seasonal naive', async () => {
    const page = await open('view=overview&lang=en');
    const kwh = await shown(page, 'kwh');
    const want = await mart('kwh', null);
    expect(want.months).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
    expect(kwh.months).toBe(want.months.join(','));
    // History solid, forecast dashed (the band series draw no line).
    expect(kwh.styles).toBe('actual:solid,forecast:dashed');
    expect(kwh.rows).toBe(12 + 3);
    expect(Number(kwh.model)).toBe(want.model);
    expect(Number(kwh.naive)).toBe(want.naive);
    expect(want.model).toBeLessThan(want.naive);
    const text = await page.$eval('.forecast-mape', (e) => e.textContent ?? '');
    expect(text).toContain(`${want.model.toFixed(1)}%`);
    expect(text).toContain(`${want.naive.toFixed(1)}%`);
    await forecastDrawn(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-forecast.png'), fullPage: true });

    // Revenue: the same query's rows, another measure.
    await page.selectOption('[data-control="forecast-measure"]', 'revenue');
    const rev = await shown(page, 'revenue');
    const wantRev = await mart('revenue', null);
    expect([Number(rev.model), Number(rev.naive)]).toEqual([wantRev.model, wantRev.naive]);
    console.log('Overview MAPE (company): kWh model', want.model.toFixed(2), 'vs naive', want.naive.toFixed(2), '; revenue model', wantRev.model.toFixed(2), 'vs naive', wantRev.naive.toFixed(2));
    await page.close();
  }, 300_000);

  it('one segment picked in the filter bar: that series’ forecast and MAPE; zh-CN labels', async () => {
    const page = await open('view=overview&lang=zh-CN&seg=residential');
    const s = await shown(page, 'kwh');
    const want = await mart('kwh', 'residential');
    expect(s.months).toBe(want.months.join(','));
    expect([Number(s.model), Number(s.naive)]).toEqual([want.model, want.naive]);
    expect(await page.textContent('#forecast-heading')).toBe('用电量与收入：历史与未来3个月预测');
    await forecastDrawn(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-forecast-zh-CN.png'), fullPage: true });
    await page.close();
  }, 300_000);
});

// The same utility carries the generator's planted improvement actions (36
// months: a wave before and after the action date), so the Satisfaction
// view's actions panel is checked here rather than in a second set-up.
describe('Satisfaction: improvement actions panel end to end', () => {
  it('shows mart.action_effect per action, and the planted effect lies inside the interval shown', async () => {
    const planted = readTruth(inbox).planted.improvement_actions.cases as { action_id: string; action_date: string; planted: boolean; effect: number }[];
    const { rows: mart } = await p.pool.query<{ action_id: string; did: number; did_low: number; did_high: number; treated_after_n: number; min_cell_responses: number }>(
      `select action_id, did, did_low, did_high, treated_after_n, min_cell_responses from mart.action_effect order by action_id`);
    expect(mart.map((r) => r.action_id)).toEqual(planted.map((a) => a.action_id));
    // An action with a cell under k is withheld (figures blank, "too few answers"), not dropped.
    const k: number = readCurrentExtracts(p.extracts).manifest.suppression.k;
    const month = planted[0].action_date.slice(0, 7);
    const page = await open(`view=satisfaction&lang=en&from=${month}&to=${month}`);
    await page.waitForSelector('[data-panel="improvement-actions"] [data-action]', { timeout: 120_000 });
    const shownRows = await page.$$eval('figure[data-chart="sat-actions"] table[data-chart-data] tbody tr', (trs) =>
      trs.map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.key!, td.textContent ?? '']))));
    expect(shownRows.map((r) => r.action_id)).toEqual(mart.map((r) => r.action_id));
    const items = await page.$$eval('[data-testid="action-list"] li', (lis) => lis.map((li) => ({ id: li.getAttribute('data-action'), text: li.textContent ?? '' })));
    let compared = 0;
    for (const [i, m] of mart.entries()) {
      const item = items.find((x) => x.id === m.action_id)!;
      if (m.min_cell_responses < k) {
        expect(shownRows[i].did, m.action_id).toBe('');
        expect(item.text.match(/Too few/g), m.action_id).toHaveLength(1);
        continue;
      }
      expect(Number(shownRows[i].did), m.action_id).toBeCloseTo(m.did, 9);
      expect(Number(shownRows[i].did_low), m.action_id).toBeCloseTo(m.did_low, 9);
      expect(Number(shownRows[i].did_high), m.action_id).toBeCloseTo(m.did_high, 9);
      expect(Number(shownRows[i].treated_after_n), m.action_id).toBe(m.treated_after_n);
      // The sentence under the chart names the estimate; the planted effect lies inside its interval.
      expect(item.text, m.action_id).toContain(m.did.toFixed(2));
      const truth = planted.find((a) => a.action_id === m.action_id)!;
      expect(truth.effect, m.action_id).toBeGreaterThanOrEqual(m.did_low);
      expect(truth.effect, m.action_id).toBeLessThanOrEqual(m.did_high);
      compared++;
    }
    // The planted action (IA01) has enough answers to be shown.
    expect(compared).toBeGreaterThanOrEqual(1);
    console.log('improvement actions shown', JSON.stringify(mart.map((m) => ({ id: m.action_id, did: m.did, low: m.did_low, high: m.did_high }))));
    await page.locator('[data-panel="improvement-actions"]').screenshot({ path: join(SCREENSHOTS, 'satisfaction-actions.png') });
    await page.close();
  }, 300_000);
});
