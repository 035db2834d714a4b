// End to end: the campaign planner in Chromium against a generated utility
// run through the real ETL, the production build and the product's server
// with its /api/ layer on the pipeline's PostgreSQL. A marketing user (signed
// in by the trusted proxy header) builds an audience from filters in the UI;
// its size must equal the same filter run on PostgreSQL's mart.customer.
// The target list exported as CSV and XLSX (real downloads) must hold exactly
// that audience, each key with the account number core.customer_pseudonym
// maps it to, the holdout at its share in every segment, and no name, phone
// or address; each export leaves its audit record with the right counts.
// Saved audiences overlap as the key sets do. Every campaign's planted true
// uplift (truth.json) lies inside the 95 % interval shown on screen, for the
// campaigns large enough for the normal approximation; every campaign's shown
// interval equals the one worked out here from truth.json's counts.
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
import { launchChromium, type Browser } from './browser.ts';

const E2E_TMP = join(TMP, 'e2e');
const DIST = join(E2E_TMP, `dist-campaigns-${process.pid}`);
const WORK = join(E2E_TMP, `campaigns-${process.pid}`);
const USER = 'li.wei';
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');

let p: Pipeline;
let server: RunningServer;
let browser: Browser;
let inbox: string;
let asOf: string;

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Eight months (March–October): the green-plan, TOU-discount, renewal and energy-audit campaigns are sent and answered.
  // 3,000 accounts: enough contacts in two campaigns (≥ 50 treated, ≥ 10 holdout) for a 95 % interval to mean something.
  inbox = generatedInbox({ customers: 3000, months: 8, seed: 71, end: '2026-10' });
  p = await pipelineDatabase('e2ecamp');
  // K = 1: at this size campaign cells per segment are small; suppression is tested elsewhere.
  const [run] = await Promise.all([
    etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: '1' }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  asOf = (await p.pool.query<{ d: string }>(`select max(as_of)::text as d from rollup.month_window`)).rows[0]!.d;
  const usersFile = join(WORK, 'users.json');
  await writeUsersFile(usersFile, [{ name: USER, role: 'marketing', regions: null, password: null }]);
  const auth = createAuth({ config: { mode: 'proxy', usersFile, header: 'x-forwarded-user', trustedProxies: ['127.0.0.1', '::1', '::ffff:127.0.0.1'] }, secret: Buffer.alloc(32, 3) });
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

/** Waits until the audience size shown equals `n` (the size follows each filter change), and returns it. */
async function waitForSize(page: Page, n: number): Promise<number> {
  try {
    await page.waitForSelector(`[data-panel="audience-summary"][aria-busy="false"] [data-audience-size="${n}"]`, { timeout: 60_000 });
  } catch (err) {
    const shown = await page.getAttribute('[data-audience-size]', 'data-audience-size').catch(() => null);
    throw new Error(`audience size on screen ${shown}, PostgreSQL says ${n}: ${(err as Error).message}`);
  }
  return Number(await page.getAttribute('[data-audience-size]', 'data-audience-size'));
}

async function pgCount(where: string, params: unknown[] = []): Promise<number> {
  return (await p.pool.query<{ n: number }>(`select count(*)::integer as n from mart.customer where ${where}`, params)).rows[0]!.n;
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

// The audience built in the UI below, written for PostgreSQL by hand.
const AUDIENCE_SQL = `status = 'active' and segment in ('residential', 'sme') and churn_risk >= 0.05 and (last_offer_on is null or last_offer_on < $1::date - 150)`;

describe('campaign planner end to end (Chromium, real ETL, production build, /api/ on PostgreSQL)', () => {
  let pageUrl = '';
  let audienceSize = 0;

  it('builds an audience from filters; its size equals the same filter on PostgreSQL mart.customer, and the URL keeps it', async () => {
    const page = await open('view=campaigns&lang=en');
    await waitForSize(page, await pgCount(`status = 'active'`));
    await page.check('[data-aud-list="segment"] input[value="residential"]');
    await waitForSize(page, await pgCount(`status = 'active' and segment = 'residential'`));
    await page.check('[data-aud-list="segment"] input[value="sme"]');
    await page.fill('input[data-aud-range="churn-min"]', '5');
    await page.fill('input[data-aud-field="excludeContactedDays"]', '150');
    const expected = await pgCount(AUDIENCE_SQL, [asOf]);
    expect(expected).toBeGreaterThan(30);
    expect(expected).toBeLessThan(await pgCount(`status = 'active' and segment in ('residential', 'sme')`));
    audienceSize = await waitForSize(page, expected);
    // Composition by segment on screen = PostgreSQL's split.
    const { rows } = await p.pool.query<{ segment: string; n: number }>(`select segment, count(*)::integer as n from mart.customer where ${AUDIENCE_SQL} group by 1`, [asOf]);
    const shown = await page.$$eval('[data-composition="segment"] tr[data-key]', (trs) => Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-key')!, Number(tr.getAttribute('data-customers'))])));
    expect(shown).toEqual(Object.fromEntries(rows.map((r) => [r.segment, r.n])));
    await page.screenshot({ path: join(SCREENSHOTS, 'campaigns-audience.png'), fullPage: true });
    await expect.poll(() => new URL(page.url()).searchParams.get('aud')).toContain('residential');
    pageUrl = page.url();
    // Reopened from the URL: the same audience.
    const again = await open(new URL(pageUrl).search.slice(1));
    await waitForSize(again, expected);
    await again.close();
    await page.close();
  }, 300_000);

  it('exports the target list as CSV and XLSX: the audience, its account numbers, the holdout share; no personal data; audited', async () => {
    const page = await open(`${new URL(pageUrl).search.slice(1)}&hs=20`);
    await waitForSize(page, audienceSize);
    const { rows: keyed } = await p.pool.query<{ customer_key: number; customer_id: string; segment: string }>(
      `select c.customer_key, p.customer_id, c.segment from mart.customer c join core.customer_pseudonym p using (customer_key) where ${AUDIENCE_SQL.replace(/\b(status|segment|churn_risk|last_offer_on)\b/g, 'c.$1')}`, [asOf]);
    const idOf = new Map(keyed.map((r) => [String(r.customer_key), r.customer_id]));
    expect(idOf.size).toBe(audienceSize);
    const { rows: pii } = await p.pool.query<{ name: string | null; phone: string | null; address: string | null }>(`select name, phone, address from core.customer_pii`);
    const personal = pii.flatMap((x) => [x.name, x.phone, x.address]).filter((v): v is string => !!v && v.length >= 3);
    expect(personal.length).toBeGreaterThan(1000);
    const auditsBefore = (await p.pool.query<{ n: number }>(`select count(*)::integer as n from ops.target_list_export`)).rows[0]!.n;

    // CSV
    const csvBytes = await download(page, 'export-csv');
    const csvText = csvBytes.toString('utf8');
    expect(csvBytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const csv = parseCsv(csvText);
    expect(csv).toHaveLength(audienceSize);
    expect(Object.keys(csv[0]!).slice(0, 5)).toEqual(['Account number', 'Customer (pseudonym)', 'Holdout', 'Segment', 'Region']);
    for (const r of csv) expect(r['Account number'], r['Customer (pseudonym)']).toBe(idOf.get(r['Customer (pseudonym)']!));
    // Holdout: 20 % of each segment (stratified by default), exactly round(n × 0.2).
    const bySegment = new Map<string, { n: number; held: number }>();
    for (const r of csv) {
      const s = bySegment.get(r.Segment!) ?? { n: 0, held: 0 };
      s.n++;
      if (r.Holdout === '1') s.held++;
      else expect(r.Holdout).toBe('0');
      bySegment.set(r.Segment!, s);
    }
    for (const [seg, s] of bySegment) expect(s.held, seg).toBe(Math.round(s.n * 0.2));
    for (const v of personal) expect(csvText.includes(v), `personal data in the CSV: ${v}`).toBe(false);
    await page.waitForSelector('[data-export-result]');
    const csvExport = Number(await page.getAttribute('[data-export-result]', 'data-export-id'));
    const heldCsv = csv.filter((r) => r.Holdout === '1').map((r) => Number(r['Customer (pseudonym)'])).sort((a, b) => a - b);

    // XLSX (read back with exceljs)
    const xlsxBytes = await download(page, 'export-xlsx');
    await page.waitForFunction((prev) => Number(document.querySelector('[data-export-result]')?.getAttribute('data-export-id')) > prev, csvExport);
    const xlsxExport = Number(await page.getAttribute('[data-export-result]', 'data-export-id'));
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsxBytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(wb.worksheets.length).toBeGreaterThanOrEqual(2);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['Account number', 'Customer (pseudonym)', 'Holdout']);
    const xrows: { id: string; key: number; holdout: number }[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const v = row.values as unknown[];
      xrows.push({ id: String(v[1]), key: Number(v[2]), holdout: Number(v[3]) });
    });
    expect(xrows).toHaveLength(audienceSize);
    for (const r of xrows) expect(r.id, String(r.key)).toBe(idOf.get(String(r.key)));
    // The same seed and share: the same holdout as the CSV's.
    expect(xrows.filter((r) => r.holdout === 1).map((r) => r.key).sort((a, b) => a - b)).toEqual(heldCsv);
    const xlsxText = wb.worksheets.map((ws) => {
      const cells: string[] = [];
      ws.eachRow((row) => row.eachCell((c) => void cells.push(String(c.value))));
      return cells.join('\n');
    }).join('\n');
    for (const v of personal) expect(xlsxText.includes(v), `personal data in the XLSX: ${v}`).toBe(false);

    // The audit records: one per export, with who, the audience and the counts.
    const { rows: audits } = await p.pool.query(
      `select id, user_name, role, row_count, holdout_count, audience, holdout, cardinality(customer_keys) as keys from ops.target_list_export where id > $1 order by id`, [0]);
    expect(audits.length).toBe(auditsBefore + 2);
    const last2 = audits.slice(-2);
    expect(last2.map((a) => Number(a.id))).toEqual([csvExport, xlsxExport]);
    for (const a of last2) {
      expect(a).toMatchObject({ user_name: USER, role: 'marketing', row_count: audienceSize, holdout_count: heldCsv.length, keys: audienceSize });
      expect(a.audience).toMatchObject({ segment: ['residential', 'sme'], churn: { min: 0.05 }, excludeContactedDays: 150 });
      expect(a.holdout).toEqual({ share: 0.2, seed: '1', stratify: true });
    }
    await page.close();
  }, 300_000);

  it('renewals: contract ending within N months, and a planned offer\'s expected acceptances from past campaigns', async () => {
    const page = await open('view=campaigns&lang=en');
    await waitForSize(page, await pgCount(`status = 'active'`));
    await page.fill('input[data-aud-field="contractEndsWithinMonths"]', '24');
    const renewals = await pgCount(`status = 'active' and contract_end > $1::date and contract_end <= ($1::date + interval '24 months')::date`, [asOf]);
    expect(renewals).toBeGreaterThan(3);
    await waitForSize(page, renewals);
    await page.selectOption('select[data-aud-field="offerType"]', 'long_term_contract');
    // Expected acceptances = Σ over segments of contacted (90 %) × the offer type's past acceptance in that segment
    // (all segments' rate where a segment has no history), from PostgreSQL's marts.
    const { rows } = await p.pool.query<{ expected: number }>(`
      with a as (select segment, count(*) as n from mart.customer
                  where status = 'active' and contract_end > $1::date and contract_end <= ($1::date + interval '24 months')::date group by 1),
           h as (select segment, sum(accepted_treated)::float8 / nullif(sum(treated), 0) as p1, sum(holdout) as ho
                   from mart.campaign_result where offer_type = 'long_term_contract' group by 1),
           o as (select sum(accepted_treated)::float8 / nullif(sum(treated), 0) as p1 from mart.campaign_result where offer_type = 'long_term_contract')
      select sum(a.n * 0.9 * case when h.p1 is not null and h.ho > 0 then h.p1 else o.p1 end) as expected
        from a left join h using (segment) cross join o`, [asOf]);
    await page.waitForFunction((want) => {
      const v = Number(document.querySelector('[data-ev="acceptances"]')?.getAttribute('data-value'));
      return Math.abs(v - want) < 1e-6 * Math.max(1, want);
    }, rows[0]!.expected, { timeout: 30_000 });
    await page.close();
  }, 300_000);

  it('saved audiences overlap as their key sets do', async () => {
    const page = await open('view=campaigns&lang=en&aud=' + encodeURIComponent(JSON.stringify({ segment: ['residential'] })));
    await waitForSize(page, await pgCount(`status = 'active' and segment = 'residential'`));
    await page.fill('input[name="audience-name"]', 'Residential');
    await page.click('[data-action="save-audience"]');
    await page.check('[data-aud-list="needs"] input[value="price"]');
    await page.uncheck('[data-aud-list="segment"] input[value="residential"]');
    await waitForSize(page, await pgCount(`status = 'active' and need_price`));
    await page.fill('input[name="audience-name"]', 'Price need');
    await page.click('[data-action="save-audience"]');
    await page.check('[data-overlap-pick="Residential"]');
    await page.check('[data-overlap-pick="Price need"]');
    const both = await pgCount(`status = 'active' and segment = 'residential' and need_price`);
    const onlyA = await pgCount(`status = 'active' and segment = 'residential' and not need_price`);
    const onlyB = await pgCount(`status = 'active' and segment <> 'residential' and need_price`);
    await page.waitForSelector(`[data-overlap-mask="3"][data-customers="${both}"]`, { timeout: 30_000 });
    expect(Number(await page.getAttribute('[data-overlap-mask="1"]', 'data-customers'))).toBe(onlyA);
    expect(Number(await page.getAttribute('[data-overlap-mask="2"]', 'data-customers'))).toBe(onlyB);
    // Kept in the URL and in this browser's storage.
    await expect.poll(() => new URL(page.url()).searchParams.getAll('saud').map((s) => s.split('\t')[0])).toEqual(['Residential', 'Price need']);
    expect(await page.evaluate(() => window.localStorage.getItem('gridlens.audiences'))).toContain('Price need');
    await page.close();
  }, 300_000);

  it('shows each campaign\'s uplift with a 95 % interval that holds the planted true uplift', async () => {
    const truth = readTruth(inbox);
    const page = await open('view=campaigns&lang=zh-CN');
    await page.waitForSelector('[data-campaign-total]', { timeout: 120_000 });
    let checked = 0;
    for (const c of truth.planted.campaigns as { campaign_id: string; true_uplift: number | null; treated: number; holdout: number; treated_accepted: number; holdout_accepted: number }[]) {
      if (c.true_uplift === null) continue;
      const row = page.locator(`tr[data-campaign-total="${c.campaign_id}"]`);
      expect(await row.count(), c.campaign_id).toBe(1);
      const [low, high, uplift] = await Promise.all(['data-low', 'data-high', 'data-uplift'].map((a) => row.getAttribute(a)));
      if (c.holdout === 0) {
        expect(uplift, c.campaign_id).toBe('');
        continue;
      }
      // The shown figures are the campaign's own: p1 − p0 ± 1.96 √(p1(1−p1)/n1 + p0(1−p0)/n0) from truth.json's counts of the same contacts.
      const p1 = c.treated_accepted / c.treated;
      const p0 = c.holdout_accepted / c.holdout;
      const half = 1.96 * Math.sqrt((p1 * (1 - p1)) / c.treated + (p0 * (1 - p0)) / c.holdout);
      expect(Number(uplift), c.campaign_id).toBeCloseTo(p1 - p0, 9);
      expect(Number(low), c.campaign_id).toBeCloseTo(p1 - p0 - half, 9);
      expect(Number(high), c.campaign_id).toBeCloseTo(p1 - p0 + half, 9);
      // The planted effect lies inside, where the groups are large enough for the normal approximation.
      if (c.treated < 50 || c.holdout < 10) continue;
      expect(Number(low), `${c.campaign_id}: ${low} ≤ ${c.true_uplift} ≤ ${high}`).toBeLessThanOrEqual(c.true_uplift);
      expect(Number(high), `${c.campaign_id}: ${low} ≤ ${c.true_uplift} ≤ ${high}`).toBeGreaterThanOrEqual(c.true_uplift);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'campaigns-results-zh.png'), fullPage: true });
    await page.close();
  }, 300_000);
});
