// End to end: the Alerts view (异常用电预警) in Chromium against a generated
// utility with planted abnormal usage (truth.json planted.usage_anomalies),
// run through the real ETL, the production build and the product's server
// with its /api/ layer on the pipeline's PostgreSQL. A marketing user (signed
// in by the trusted proxy header) opens the view: its counts must equal
// PostgreSQL's mart.usage_alert, and its list must hold every planted anomaly
// (by pseudonymous key, with the right type, overlapping the planted days).
// The alert list exported for the service team (real CSV and XLSX downloads
// through POST /api/target-list) must give each key the account number
// core.customer_pseudonym maps it to, and leave an audit record saying it is
// an alert list.
//
// Not *.db.test.ts: one PostgreSQL is enough, and a browser run is slow.

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvParser } from '../../etl/ingest/csv-parser.ts';
import { createAuth } from '../../etl/serve/auth.ts';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { startServer, type RunningServer } from '../../etl/serve/server.ts';
import { writeUsersFile } from '../../etl/serve/users-file.ts';
import { generatedInbox, readTruth, TMP } from '../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';
import { launchChromium, waitForCharts, type Browser } from './browser.ts';

const E2E_TMP = join(TMP, 'e2e');
const DIST = join(E2E_TMP, `dist-alerts-${process.pid}`);
const WORK = join(E2E_TMP, `alerts-${process.pid}`);
const USER = 'wang.fang';
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
const ROW_HEIGHT = 32;

let p: Pipeline;
let server: RunningServer;
let browser: Browser;
let inbox: string;

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The detectors' own test utility (test/etl/transform/usage-alerts.db.test.ts): 2,000 accounts × 4 months,
  // ≥ 5 planted anomalies of each type in the last 30 days.
  inbox = generatedInbox({ customers: 2000, months: 4, seed: 1, end: '2026-10' });
  p = await pipelineDatabase('e2ealerts');
  const [run] = await Promise.all([
    etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_PSEUDONYM_SECRET: 'usage-alerts-test-secret-0123456789' }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  const usersFile = join(WORK, 'users.json');
  await writeUsersFile(usersFile, [{ name: USER, role: 'marketing', regions: null, password: null }]);
  const auth = createAuth({ config: { mode: 'proxy', usersFile, header: 'x-forwarded-user', trustedProxies: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] }, secret: Buffer.alloc(32, 5) });
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: DIST, extractsDir: p.extracts, api: { pool: p.pool }, auth });
  browser = await launchChromium(E2E_TMP, { locale: 'en-US' });
  await browser.context.setExtraHTTPHeaders({ 'x-forwarded-user': USER });
}, 600_000);

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

function parseCsv(text: string): Record<string, string>[] {
  const parser = new CsvParser();
  const records = [...parser.push(text.replace(/^\uFEFF/, '')), ...parser.end()].map((r) => r.fields);
  const [header, ...rows] = records;
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

async function download(page: Page, action: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click(`[data-action="${action}"]`)]);
  const target = join(WORK, file.suggestedFilename());
  await file.saveAs(target);
  return readFileSync(target);
}

interface Listed { key: number; type: string; first_seen: string; last_seen: string; status: string }

/** Every row of the virtualised list, read by scrolling it a screen at a time and waiting for each screen's rows. */
async function listedAlerts(page: Page, total: number): Promise<Listed[]> {
  const seen = new Map<number, Listed>();
  for (let top = 0; top < total * ROW_HEIGHT; top += 12 * ROW_HEIGHT) {
    await page.$eval('[data-panel="alert-list"] .vtable-body', (el, y) => { el.scrollTop = y; }, top);
    const first = Math.floor(top / ROW_HEIGHT);
    const last = Math.min(total, first + 14);
    await page.waitForFunction(([a, b]) => {
      for (let i = a; i < b; i++) {
        const row = document.querySelector(`[data-alert-row="${i}"]`);
        if (!row || row.getAttribute('data-customer') === '') return false;
      }
      return true;
    }, [first, last] as const, { timeout: 30_000 });
    const rows = await page.$$eval('[data-alert-row]', (els) => els.map((e) => ({
      i: Number(e.getAttribute('data-alert-row')), key: Number(e.getAttribute('data-customer')), type: e.getAttribute('data-type')!,
      first_seen: e.getAttribute('data-first-seen')!, last_seen: e.getAttribute('data-last-seen')!, status: e.getAttribute('data-status')!,
    })));
    for (const r of rows) if (r.key) seen.set(r.i, { key: r.key, type: r.type, first_seen: r.first_seen, last_seen: r.last_seen, status: r.status });
  }
  return [...seen.values()];
}

describe('Alerts view end to end (Chromium, real ETL, production build, /api/ on PostgreSQL)', () => {
  it('shows the counts of mart.usage_alert and lists every planted anomaly with its type', async () => {
    const page = await open('view=alerts&lang=en&ast=all');
    // The tab is offered (the manifest has usage_alert for this role).
    await page.waitForSelector('a[data-view="alerts"][aria-current="page"]', { timeout: 60_000 });
    const { rows: [pg] } = await p.pool.query<{ total: number; open: number; customers: number; high: number; resolved: number; as_of: string }>(
      `select count(*)::int as total, count(*) filter (where status = 'open')::int as open,
              count(distinct customer_key) filter (where status = 'open')::int as customers,
              count(*) filter (where status = 'open' and severity = 3)::int as high,
              count(*) filter (where status = 'resolved')::int as resolved, max(as_of)::text as as_of
         from mart.usage_alert`);
    await page.waitForSelector(`[data-alert-count="${pg!.total}"]`, { timeout: 60_000 });
    await page.waitForSelector('[data-panel="alerts-summary"][aria-busy="false"] [data-alert-kpi="open_alerts"]', { timeout: 60_000 });
    const kpi = await page.$$eval('[data-alert-kpi]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-alert-kpi')!, Number(e.getAttribute('data-value'))])));
    expect(kpi).toMatchObject({ open_alerts: pg!.open, open_customers: pg!.customers, high: pg!.high, resolved_alerts: pg!.resolved });
    expect(await page.getAttribute('[data-as-of]', 'data-as-of')).toBe(pg!.as_of);
    // Open alerts by type and severity = PostgreSQL's.
    const { rows: bySev } = await p.pool.query<{ alert_type: string; severity: number; n: number }>(
      `select alert_type, severity, count(*)::int as n from mart.usage_alert where status = 'open' group by 1, 2`);
    const shown = await page.$$eval('[data-table="alerts-type-severity"] tr[data-type] td[data-severity]', (tds) =>
      tds.map((td) => ({ type: td.closest('tr')!.getAttribute('data-type')!, severity: Number(td.getAttribute('data-severity')), n: Number(td.getAttribute('data-alerts')) })).filter((x) => x.n > 0));
    expect(shown.sort((a, b) => `${a.type}${a.severity}`.localeCompare(`${b.type}${b.severity}`)))
      .toEqual(bySev.map((r) => ({ type: r.alert_type, severity: r.severity, n: r.n })).sort((a, b) => `${a.type}${a.severity}`.localeCompare(`${b.type}${b.severity}`)));

    // The list: every alert of the horizon, and every planted anomaly in it.
    const listed = await listedAlerts(page, pg!.total);
    expect(listed).toHaveLength(pg!.total);
    const truth = readTruth(inbox);
    const cases: { customer_id: string; type: string; first_day: string; last_day: string }[] = truth.planted.usage_anomalies.cases;
    const { rows: keys } = await p.pool.query<{ customer_id: string; customer_key: number }>(`select customer_id, customer_key from core.customer_pseudonym where customer_id = any($1::text[])`, [cases.map((c) => c.customer_id)]);
    const keyOf = new Map(keys.map((k) => [k.customer_id, k.customer_key]));
    const covered = cases.filter((c) => c.last_day <= pg!.as_of);
    const found = covered.filter((c) => listed.some((a) => a.key === keyOf.get(c.customer_id) && a.type === c.type && a.first_seen <= c.last_day && a.last_seen >= c.first_day));
    const byType = Object.fromEntries(['spike', 'zero', 'flat', 'night_load'].map((ty) => [ty, {
      planted: covered.filter((c) => c.type === ty).length, listed: found.filter((c) => c.type === ty).length,
    }]));
    console.log('planted anomalies vs Alerts view', JSON.stringify({ planted: cases.length, covered: covered.length, listed: found.length, alerts: listed.length, byType }));
    expect(covered.length).toBeGreaterThanOrEqual(20);
    // The view lists what the detectors found: every planted case the mart has (usage-alerts.db.test.ts holds the detectors to recall ≥ 0.9).
    const { rows: inMart } = await p.pool.query<{ n: number }>(
      `select count(*)::int as n from jsonb_to_recordset($1::jsonb) as c(customer_id text, type text, first_day date, last_day date)
        where exists (select 1 from rollup.usage_alert a where a.customer_id = c.customer_id and a.alert_type = c.type and a.first_seen <= c.last_day and a.last_seen >= c.first_day)`,
      [JSON.stringify(covered)]);
    expect(found.length).toBe(inMart[0]!.n);
    expect(found.length / covered.length).toBeGreaterThanOrEqual(0.9);

    await page.$eval('[data-panel="alert-list"] .vtable-body', (el) => { el.scrollTop = 0; });
    await waitForCharts(page, 60_000);
    await page.screenshot({ path: join(SCREENSHOTS, 'alerts.png'), fullPage: true });
    await page.close();
  }, 180_000);

  it('exports the alert list with account numbers through the audited target-list endpoint', async () => {
    const page = await open('view=alerts&lang=en&ast=all&aty=spike&aty=zero&aty=flat&aty=night_load');
    const { rows: expected } = await p.pool.query<{ customer_key: number; customer_id: string; alert_type: string; first_seen: string }>(
      `select a.customer_key, p.customer_id, a.alert_type, a.first_seen::text from mart.usage_alert a join core.customer_pseudonym p using (customer_key)
        where a.alert_type in ('spike', 'zero', 'flat', 'night_load')`);
    await page.waitForSelector(`[data-alert-count="${expected.length}"]`, { timeout: 60_000 });
    const idOf = new Map(expected.map((r) => [String(r.customer_key), r.customer_id]));
    const before = (await p.pool.query<{ n: number }>(`select coalesce(max(id), 0)::int as n from ops.target_list_export`)).rows[0]!.n;

    const bytes = await download(page, 'export-csv');
    const text = bytes.toString('utf8');
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const csv = parseCsv(text);
    expect(csv).toHaveLength(expected.length);
    expect(Object.keys(csv[0]!).slice(0, 5)).toEqual(['Account number', 'Customer (pseudonym)', 'Alert type', 'Severity', 'First seen']);
    for (const r of csv) expect(r['Account number'], r['Customer (pseudonym)']).toBe(idOf.get(r['Customer (pseudonym)']!));
    const fileAlerts = csv.map((r) => `${r['Customer (pseudonym)']}|${r['Alert type']}|${r['First seen']}`).sort();
    expect(fileAlerts).toEqual(expected.map((r) => `${r.customer_key}|${r.alert_type}|${r.first_seen}`).sort());
    expect(csv.every((r) => r.Reason!.length > 10)).toBe(true);
    // No personal data beyond the account number.
    const { rows: pii } = await p.pool.query<{ name: string | null; phone: string | null }>(`select name, phone from core.customer_pii where customer_id = any($1::text[])`, [[...new Set(expected.map((r) => r.customer_id))]]);
    for (const v of pii.flatMap((x) => [x.name, x.phone]).filter((v): v is string => !!v && v.length >= 3)) expect(text.includes(v), `personal data in the CSV: ${v}`).toBe(false);

    await page.waitForSelector('[data-export-result]');
    const exportId = Number(await page.getAttribute('[data-export-result]', 'data-export-id'));
    const { rows: audits } = await p.pool.query(
      `select id, user_name, role, row_count, holdout_count, audience, holdout, customer_keys from ops.target_list_export where id > $1 order by id`, [before]);
    expect(audits).toHaveLength(1);
    const customers = new Set(expected.map((r) => r.customer_key));
    expect(Number(audits[0].id)).toBe(exportId);
    expect(audits[0]).toMatchObject({ user_name: USER, role: 'marketing', row_count: customers.size, holdout_count: 0, holdout: null });
    expect(audits[0].audience).toMatchObject({ kind: 'usage_alerts', status: 'all', types: ['spike', 'zero', 'flat', 'night_load'] });
    expect([...audits[0].customer_keys].sort((a: number, b: number) => a - b)).toEqual([...customers].sort((a, b) => a - b));

    // XLSX (read back with exceljs): the same rows, typed, and a second audit record.
    const xlsxBytes = await download(page, 'export-xlsx');
    await page.waitForFunction((prev) => Number(document.querySelector('[data-export-result]')?.getAttribute('data-export-id')) > prev, exportId);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxBytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['Account number', 'Customer (pseudonym)', 'Alert type']);
    const xrows: { id: string; key: number; severity: unknown }[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) xrows.push({ id: String((row.values as unknown[])[1]), key: Number((row.values as unknown[])[2]), severity: (row.values as unknown[])[4] });
    });
    expect(xrows).toHaveLength(expected.length);
    for (const r of xrows) {
      expect(r.id, String(r.key)).toBe(idOf.get(String(r.key)));
      expect(typeof r.severity).toBe('number');
    }
    const { rows: [{ n: audited }] } = await p.pool.query<{ n: number }>(`select count(*)::int as n from ops.target_list_export where id > $1 and audience->>'kind' = 'usage_alerts'`, [before]);
    expect(audited).toBe(2);
    console.log('alert list export', JSON.stringify({ alerts: csv.length, customers: customers.size, export_id: exportId }));
    await page.close();
  }, 180_000);

  it('in Chinese: the view, its types and reasons in the glossary\'s words; a type filter narrows the list to PostgreSQL\'s count', async () => {
    const page = await open('view=alerts&lang=zh-CN&ast=all&aty=zero');
    const { rows: [{ n }] } = await p.pool.query<{ n: number }>(`select count(*)::int as n from mart.usage_alert where alert_type = 'zero'`);
    await page.waitForSelector(`[data-alert-count="${n}"]`, { timeout: 60_000 });
    expect(await page.textContent('a[data-view="alerts"]')).toBe('异常用电预警');
    await page.waitForSelector('[data-alert-row="0"][data-type="zero"]');
    const firstRow = await page.textContent('[data-alert-row="0"]');
    expect(firstRow).toContain('零电量');
    expect(firstRow).toMatch(/连续 \d+ 天电量为 0/);
    await waitForCharts(page, 60_000);
    await page.screenshot({ path: join(SCREENSHOTS, 'alerts-zh-CN.png'), fullPage: true });
    await page.close();
  }, 120_000);
});
