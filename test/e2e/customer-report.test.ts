// End to end: the customer usage report (dashboard/src/report/, served by
// /api/customer-report) on a generated utility through the real ETL, the
// production build, the product's server with the warehouse API, and Debian
// Chromium. Figures on the page and in the API are checked against values
// computed here, independently, from the readings in core.usage_day and
// core.usage_reading and from mart.customer; the page and the API carry no
// personal data; the page prints to a one-page A4 PDF; an account-number
// lookup is audited; and the batch command prints one PDF per customer of an
// audience file.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOU_PERIOD_BY_HOUR, TOU_PRICE } from '../../etl/domain/tariffs.ts';
import type { CustomerReport } from '../../etl/report/report-types.ts';
import { ApiError } from '../../etl/serve/api.ts';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { customerReportByKey } from '../../etl/serve/customer-report-route.ts';
import { startServer, type RunningServer } from '../../etl/serve/server.ts';
import { etl, pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';
import { generatedInbox, TMP } from '../helpers/generated.ts';
import { launchChromium, type Browser } from './browser.ts';

const E2E_TMP = join(TMP, 'e2e');
const DIST = join(E2E_TMP, `dist-report-${process.pid}`);
const OUT = join(E2E_TMP, `report-out-${process.pid}`);
const END = '2026-10';
/** Small-cell threshold of the run: low enough that a 300-account utility has peer groups to show, high enough that some are hidden. */
const K = 3;

let p: Pipeline;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  // 14 months: the report's 12 plus two that have the same month a year before.
  const inbox = generatedInbox({ customers: 300, months: 14, seed: 43, end: END });
  p = await pipelineDatabase('report');
  const [run] = await Promise.all([
    etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: String(K) }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: DIST, extractsDir: p.extracts, api: { pool: p.pool } });
  browser = await launchChromium(E2E_TMP, { locale: 'en-US' });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await p?.close();
  rmSync(DIST, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

const close = (actual: number | null | undefined, expected: number, what: string): void => {
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(Math.max(1e-9, Math.abs(expected) * 1e-9));
};

/** A customer of `cls` (and tariff) whose latest-month peer group has at least K customers, with its key and account. */
async function pick(cls: string, tariff: string): Promise<{ key: number; id: string }> {
  const { rows } = await p.pool.query(
    `with ref as (
       select distinct on (customer_id) customer_id, month, segment, region, band, customer_class, tariff
         from rollup.customer_month order by customer_id, month desc
     ), groups as (
       select month, segment, region, band, count(*) as n from rollup.customer_month where kwh is not null and days > 0 group by 1, 2, 3, 4
     )
     select k.customer_key as key, r.customer_id as id
       from ref r join core.customer_pseudonym k using (customer_id)
       join groups g using (month, segment, region, band)
      where r.customer_class = $1 and r.tariff = $2 and r.month = $3::date and g.n >= $4
      order by g.n desc, k.customer_key limit 1`, [cls, tariff, `${END}-01`, K]);
  expect(rows, `a ${cls} ${tariff} customer with ≥ ${K} peers`).toHaveLength(1);
  return rows[0];
}

/** kWh per local month of one account, straight from the stored readings (the finest interval of each day, as the rollups count it). */
async function monthlyKwhFromReadings(id: string): Promise<Map<string, number>> {
  const { rows } = await p.pool.query(
    `with d as (
       select distinct on (day) day, (select sum(x) from unnest(kwh) x) as kwh
         from core.usage_day where customer_id = $1 order by day, interval_minutes
     ) select to_char(date_trunc('month', day), 'YYYY-MM-DD') as month, sum(kwh) as kwh from d group by 1`, [id]);
  return new Map(rows.map((r) => [r.month as string, r.kwh as number]));
}

async function openReport(query: string, requests: string[] = []): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}?view=report&${query}`);
  await page.waitForSelector('.report-page[data-state="ready"], .report-page[data-state="error"], .report-page[data-state="entry"]', { timeout: 60_000 });
  return page;
}

async function api(key: number): Promise<{ text: string; json: CustomerReport }> {
  const res = await fetch(new URL(`/api/customer-report?key=${key}`, server.url));
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, json: JSON.parse(text) as CustomerReport };
}

/** Every personal value of the account: its number, name, phone, address and survey comments. */
async function personalValues(id: string): Promise<string[]> {
  const { rows: pii } = await p.pool.query('select name, phone, address from core.customer_pii where customer_id = $1', [id]);
  const { rows: comments } = await p.pool.query(
    `select c.comment from core.survey_comment c join core.survey_response r using (response_id) where r.customer_id = $1`, [id]).catch(() => ({ rows: [] as { comment: string }[] }));
  return [id, ...pii.flatMap((r) => [r.name, r.phone, r.address]), ...comments.map((c) => c.comment)].filter((v): v is string => typeof v === 'string' && v.length >= 2);
}

function pdfFacts(file: string): { pdf: boolean; pages: number; a4: boolean; title: string | null } {
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(text);
  // A4 = 595.28 × 841.89 pt.
  const a4 = box !== null && Math.abs(Number(box[1]) - 595.28) < 1.5 && Math.abs(Number(box[2]) - 841.89) < 1.5;
  // Chromium writes the document's title as UTF-16BE hex: /Title <FEFF…>.
  const hex = /\/Title\s*<FEFF([0-9A-Fa-f]*)>/.exec(text);
  const title = hex ? Buffer.from(hex[1]!, 'hex').swap16().toString('utf16le') : null;
  return { pdf: text.startsWith('%PDF-'), pages, a4, title };
}

describe('customer usage report (Chromium, real ETL, production build, /api/)', () => {
  it('residential, English: 12 months, last year, peers and the tier position equal values computed from the readings', async () => {
    const c = await pick('residential', 'tiered');
    const readings = await monthlyKwhFromReadings(c.id);
    const { json: r } = await api(c.key);
    expect(r.period.to).toBe(`${END}-01`);
    expect(r.months).toHaveLength(12);

    const page = await openReport(`key=${c.key}&lang=en`);
    expect(await page.getAttribute('.report-page', 'data-state')).toBe('ready');
    expect(await page.textContent('h1')).toBe('Electricity usage report');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const shown = await page.$$eval('table[data-table="months"] tbody tr', (trs) => trs.map((tr) => ({
      month: tr.getAttribute('data-month')!, kwh: tr.getAttribute('data-kwh')!, lastYear: tr.getAttribute('data-kwh-last-year')!, peer: tr.getAttribute('data-peer-median')!,
    })));
    expect(shown.map((s) => s.month)).toEqual(r.months.map((m) => m.month));
    let total = 0;
    for (const s of shown) {
      const expected = readings.get(s.month);
      if (expected === undefined) {
        expect(s.kwh, s.month).toBe('');
        continue;
      }
      close(Number(s.kwh), expected, `kWh ${s.month}`);
      total += expected;
      const [y, m] = s.month.split('-');
      const ly = readings.get(`${Number(y) - 1}-${m}-01`);
      if (ly === undefined) expect(s.lastYear, `last year of ${s.month}`).toBe('');
      else close(Number(s.lastYear), ly, `last year of ${s.month}`);
    }
    // The 12 months' total on the page = the readings' = mart.customer's kwh_12m.
    close(Number(await page.getAttribute('[data-fact="kwh_12m"]', 'data-value')), total, '12 months kWh');
    const { rows: mart } = await p.pool.query('select kwh_12m from mart.customer where customer_key = $1', [c.key]);
    close(mart[0].kwh_12m, total, 'mart.customer kwh_12m');
    // At least two months have last year's figure (14 months of data).
    expect(shown.filter((s) => s.lastYear !== '').length).toBeGreaterThanOrEqual(2);

    // Peers of the last month: the median of their kWh per day (computed here), times the customer's days.
    const { rows: peers } = await p.pool.query(
      `select cm.kwh / cm.days as daily from rollup.customer_month cm
         join rollup.customer_month me on me.customer_id = $1 and me.month = $2::date
        where cm.month = $2::date and cm.segment = $3 and cm.region = $4 and cm.band = $5 and cm.days > 0 and cm.kwh is not null`,
      [c.id, `${END}-01`, r.peer_group.segment, r.peer_group.region, r.peer_group.band]);
    const daily = peers.map((x) => x.daily as number).sort((a, b) => a - b);
    expect(daily.length).toBeGreaterThanOrEqual(K);
    const mid = (daily.length - 1) / 2;
    const median = (daily[Math.floor(mid)]! + daily[Math.ceil(mid)]!) / 2;
    const last = r.months.at(-1)!;
    close(Number(shown.at(-1)!.peer), median * last.days!, 'peer median of the last month');

    // Tier position: this calendar year's kWh from the readings.
    const ytd = [...readings].filter(([m]) => m.startsWith(END.slice(0, 4))).reduce((a, [, v]) => a + v, 0);
    close(Number(await page.getAttribute('[data-fact="tier_ytd"]', 'data-value')), ytd, 'tier year to date');
    expect(r.tier!.tier).toBe(ytd <= 2760 ? 1 : ytd <= 4800 ? 2 : 3);
    // Advice chosen by the rules: at least one, each worded.
    const advice = await page.$$eval('[data-advice]', (lis) => lis.map((li) => [li.getAttribute('data-advice'), li.textContent ?? '']));
    expect(advice.map(([id]) => id)).toEqual(r.advice.map((a) => a.id));
    for (const [, text] of advice) expect((text ?? '').length).toBeGreaterThan(20);
    await page.close();
  }, 180_000);

  it('commercial TOU, 中文: hour-of-day profile, peak share from the readings\' hours, and the saving of shifting 10 % at the tariff\'s prices', async () => {
    const c = await pick('commercial', 'tou');
    const { json: r } = await api(c.key);
    // Peak share from the interval readings themselves: local hour of each reading start, classified by tariffs.ts.
    const { rows } = await p.pool.query(
      `select extract(hour from u.reading_start at time zone 'Asia/Shanghai')::int as hour, sum(u.kwh) as kwh
         from core.usage_reading u
        where u.customer_id = $1 and u.interval_minutes < 1440
          and u.reading_start >= ($2::date - interval '11 months')::timestamp at time zone 'Asia/Shanghai'
          and u.reading_start < ($2::date + interval '1 month')::timestamp at time zone 'Asia/Shanghai'
        group by 1`, [c.id, `${END}-01`]);
    const byPeriod = { peak: 0, shoulder: 0, valley: 0 };
    for (const x of rows) byPeriod[TOU_PERIOD_BY_HOUR[x.hour as number]!] += x.kwh as number;
    const all = byPeriod.peak + byPeriod.shoulder + byPeriod.valley;
    close(r.tou!.peak_share, byPeriod.peak / all, 'peak share');
    close(r.tou!.valley_share, byPeriod.valley / all, 'valley share');
    // Shift 10 % of the peak kWh (scaled to the 12 months' kWh) at peak − valley.
    const expectedSaving = Math.round(0.1 * r.totals.kwh * (byPeriod.peak / all) * (TOU_PRICE.commercial.peak - TOU_PRICE.commercial.valley) * 100) / 100;
    expect(r.shift.verdict).toBe('saves');
    expect(Math.abs(r.shift.savingCny - expectedSaving)).toBeLessThanOrEqual(0.01);

    const page = await openReport(`key=${c.key}&lang=zh-CN`);
    expect(await page.getAttribute('.report-page', 'data-state')).toBe('ready');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.textContent('h1')).toBe('用电分析报告');
    expect(await page.textContent('[data-fact="tariff"]')).toBe('分时电价');
    expect(await page.textContent('table[data-table="months"] tbody tr:last-child td')).toBe('2026年10月');
    expect(await page.locator('[data-report-chart="hourly"] svg').count()).toBe(1);
    expect(await page.locator('[data-report-chart="monthly"] svg').count()).toBe(1);
    expect(Number(await page.getAttribute('[data-fact="shift"]', 'data-value'))).toBe(r.shift.savingCny);
    expect(await page.textContent('[data-fact="shift"]') ?? '').toContain('峰时段');
    // 24 hours of each day type: their mean × days = the sub-daily kWh of the 12 months.
    expect(r.hourly!.workday).toHaveLength(24);
    await page.close();
  }, 180_000);

  it('no personal data in the API response or on the page', async () => {
    for (const [cls, tariff] of [['residential', 'tiered'], ['commercial', 'tou']] as const) {
      const c = await pick(cls, tariff);
      const personal = await personalValues(c.id);
      expect(personal.length).toBeGreaterThanOrEqual(2); // the account number and at least a name or phone
      const { text, json } = await api(c.key);
      const page = await openReport(`key=${c.key}&lang=en`);
      const html = await page.content();
      for (const v of personal) {
        expect(text.includes(v), `API response holds "${v}"`).toBe(false);
        expect(html.includes(v), `page holds "${v}"`).toBe(false);
      }
      expect(Object.keys(json.customer).sort()).toEqual(['band', 'customer_class', 'customer_key', 'region', 'segment', 'status', 'tariff']);
      expect(text).not.toMatch(/"(customer_id|name|phone|address|comment)"/);
      await page.close();
    }
  }, 120_000);

  it('loads neither the extracts nor DuckDB: no extract, engine worker or wasm is requested', async () => {
    const c = await pick('residential', 'tiered');
    const requests: string[] = [];
    const page = await openReport(`key=${c.key}&lang=en`, requests);
    expect(await page.getAttribute('.report-page', 'data-state')).toBe('ready');
    // The dashboard's entry starts the engine first thing (boot.ts); the report page must not.
    await page.waitForTimeout(500);
    expect(requests.some((u) => u.includes('/api/customer-report'))).toBe(true);
    expect(requests.filter((u) => /\/extracts\/|\.wasm(\?|$)|duckdb-browser-(eh|mvp)\.worker/.test(u))).toEqual([]);
    await page.close();
  }, 60_000);

  it('by account number: the form POSTs it, the report shows the pseudonymous key (not the account) in the URL, and the lookup is audited', async () => {
    const c = await pick('residential', 'tiered');
    const page = await openReport('lang=en');
    expect(await page.getAttribute('.report-page', 'data-state')).toBe('entry');
    await page.fill('input[name="account"]', c.id);
    await page.click('.report-entry button[type="submit"]');
    await page.waitForSelector(`.report-page[data-state="ready"] [data-customer-key="${c.key}"]`, { timeout: 60_000 });
    expect(new URL(page.url()).searchParams.get('key')).toBe(String(c.key));
    expect(page.url()).not.toContain(c.id);
    expect(await page.content()).not.toContain(c.id);
    const { rows } = await p.pool.query(`select actor, role, channel, found from ops.customer_lookup where customer_id = $1 and channel = 'api'`, [c.id]);
    expect(rows).toEqual([{ actor: 'anonymous', role: 'admin', channel: 'api', found: true }]);

    await page.fill('input[name="account"]', 'NO-SUCH-ACCOUNT');
    await page.click('.report-entry button[type="submit"]');
    await page.waitForSelector('.report-page[data-state="error"]');
    expect(await page.textContent('.report-error') ?? '').toContain('no customer with this account number');
    const { rows: miss } = await p.pool.query(`select found from ops.customer_lookup where customer_id = 'NO-SUCH-ACCOUNT'`);
    expect(miss).toEqual([{ found: false }]);
    await page.close();
  }, 120_000);

  it('a region-restricted user gets 404 for a customer of another region, as for an unknown key', async () => {
    const c = await pick('residential', 'tiered');
    const { json } = await api(c.key);
    const ask = (regions: string[] | null, key: number) => customerReportByKey.handle(
      { method: 'GET', path: 'customer-report', query: new URLSearchParams({ key: String(key) }), body: undefined, principal: { user: 'li', role: 'marketing', regions } },
      { pool: p.pool },
    );
    await expect(ask(['某个别的区'], c.key)).rejects.toMatchObject({ status: 404, code: 'unknown_customer' });
    await expect(ask([json.customer.region], c.key)).resolves.toMatchObject({ status: 200 });
    await expect(ask(null, 2_000_000_000)).rejects.toBeInstanceOf(ApiError);
    // Not a key: a 400 that says how to ask.
    await expect(customerReportByKey.handle({ method: 'GET', path: 'customer-report', query: new URLSearchParams({ key: 'C0001' }), body: undefined, principal: { user: 'li', role: 'marketing', regions: null } }, { pool: p.pool }))
      .rejects.toMatchObject({ status: 400, code: 'bad_key' });
  });

  it('prints to a one-page A4 PDF', async () => {
    const c = await pick('commercial', 'tou');
    const page = await openReport(`key=${c.key}&lang=en`);
    const file = join(OUT, 'one.pdf');
    await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const f = pdfFacts(file);
    expect(f.pdf).toBe(true);
    expect(f.pages).toBe(1);
    expect(f.a4).toBe(true);
    // The text a PDF reader shows as its title (the Info dictionary) names the report and the customer's key.
    expect(f.title).toBe(`Electricity usage report · ${c.key}`);
    await page.close();
  }, 120_000);

  it('batch: `etl reports` prints one PDF per customer of an audience file and lists the unknown ones', async () => {
    const a = await pick('residential', 'tiered');
    const b = await pick('commercial', 'tou');
    const file = join(OUT, 'audience.csv');
    // As the planner exports it: UTF-8 with a BOM, CRLF, account numbers first.
    writeFileSync(file, `\uFEFFcustomer_id,holdout\r\n${a.id},0\r\n${b.id},1\r\nNO-SUCH-ACCOUNT,0\r\n${a.id},0\r\n`);
    const dir = join(OUT, 'batch');
    const run = await etl(p, ['reports', '--audience', file, '--out', dir, '--dist', DIST, '--lang', 'en', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ column: 'customer_id', customers: 3, repeats: 1, written: 2, unknown: 1, failed: 0 });
    expect(summary.problems).toEqual([{ line: 4, customer: 'account NO-SUCH-ACCOUNT', reason: 'unknown', message: 'no such customer (account NO-SUCH-ACCOUNT)' }]);
    const pdfs = readdirSync(dir).sort();
    expect(pdfs).toEqual([`${a.id}.pdf`, `${b.id}.pdf`].sort());
    for (const name of pdfs) {
      const f = pdfFacts(join(dir, name));
      expect(f.pdf && f.a4, name).toBe(true);
      expect(f.pages, name).toBe(1);
    }
    const { rows } = await p.pool.query(`select customer_id, found from ops.customer_lookup where channel = 'batch' order by id`);
    expect(rows).toEqual([{ customer_id: a.id, found: true }, { customer_id: b.id, found: true }, { customer_id: 'NO-SUCH-ACCOUNT', found: false }]);
  }, 600_000);
});

