// End to end, the analyst workbench (issue 5): a small generated utility
// through the real ETL, the production build, the product's server and Debian
// Chromium. A query typed into the workbench gives the same grid as the same
// query run independently (DuckDB-WASM in Node on the same extract files);
// its CSV, XLSX and Parquet downloads read back (RFC 4180 parser, exceljs,
// native DuckDB) to the same rows and values; the quick chart's PNG is a real
// picture; writing statements are refused and DuckDB's errors are shown.

import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../dashboard/src/data/api.ts';
import { buildDashboard } from '../../etl/serve/build-dashboard.ts';
import { startServer, type RunningServer } from '../../etl/serve/server.ts';
import { CsvParser } from '../../etl/ingest/csv-parser.ts';
import { generatedInbox, TMP } from '../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../etl/run/pipeline-helpers.ts';
import { startNodeEngine } from '../../etl/extract/duckdb-node.ts';
import { launchChromium, waitForCharts, type Browser } from './browser.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const E2E_TMP = join(TMP, 'e2e');
const DIST = join(E2E_TMP, `dist-workbench-${process.pid}`);
const SCREENSHOTS = join(ROOT, 'test/e2e/screenshots');
const END = '2026-10';

/** Integers, doubles (and nulls among them), dates, Chinese text, formula-like text, an all-null column. */
const QUERY = `select month, region,
       sum(customers)::INTEGER as customers,
       sum(kwh) as kwh,
       sum(revenue) / nullif(sum(bills), 0) as revenue_per_bill,
       '=' || region as formula_like,
       '客户 ' || region as label,
       cast(null as varchar) as nothing
  from segment_month
 where month >= date '2026-09-01'
 group by month, region
 order by month, region
 limit 15`;

let p: Pipeline;
let server: RunningServer;
let browser: Browser;
let manifest: Manifest;
/** The same query, run by DuckDB-WASM in Node over the published extract files. */
let expected: Record<string, unknown>[];
let customers: number;

beforeAll(async () => {
  mkdirSync(E2E_TMP, { recursive: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const inbox = generatedInbox({ customers: 400, months: 6, seed: 41, end: END, surveyRate: 0.5 });
  p = await pipelineDatabase('e2e-workbench');
  const [run] = await Promise.all([
    etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_SUPPRESSION_K: '1' }),
    buildDashboard({ outDir: DIST }),
  ]);
  expect(run.code, run.stderr).toBe(0);
  manifest = JSON.parse(readFileSync(join(p.extracts, 'current/manifest.json'), 'utf8')) as Manifest;
  const engine = await startNodeEngine();
  for (const name of ['segment_month', 'customer']) {
    const file = manifest.files.find((f) => f.name === name)!;
    await engine.insertIPC(name, new Uint8Array(readFileSync(join(p.extracts, 'current', file.file))));
  }
  expected = await engine.query(QUERY, []);
  customers = ((await engine.query('select count(*)::INTEGER as n from customer', [])) as [{ n: number }])[0].n;
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: DIST, extractsDir: p.extracts });
  browser = await launchChromium(E2E_TMP, { locale: 'en-US' });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await p?.close();
  rmSync(DIST, { recursive: true, force: true });
});

async function open(query: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(`${server.url}?${query}`);
  return page;
}

async function runQuery(page: Page, sql: string): Promise<void> {
  const editor = page.locator('textarea[name="sql"]');
  await editor.waitFor({ timeout: 60_000 });
  await editor.fill(sql);
  await editor.focus();
  await page.keyboard.press('Control+Enter');
}

type GridCell = { v: string; isNull: boolean };

/** The result grid's header and rows (the rows rendered: the test's results fit the viewport). */
async function grid(page: Page): Promise<{ columns: { key: string; type: string }[]; rows: Record<string, GridCell>[] }> {
  const result = page.locator('[data-panel="workbench-result"]');
  const columns = await result.locator('[role="columnheader"]').evaluateAll((hs) => hs.map((h) => ({ key: (h as HTMLElement).dataset.col!, type: (h as HTMLElement).dataset.type! })));
  const rows = await result.locator('[data-row]').evaluateAll((trs) =>
    trs
      .map((tr) => ({
        i: Number((tr as HTMLElement).dataset.row),
        cells: Object.fromEntries([...tr.querySelectorAll<HTMLElement>('[data-col]')].map((c) => [c.dataset.col!, { v: c.dataset.v!, isNull: c.hasAttribute('data-null') }])),
      }))
      .sort((a, b) => a.i - b.i)
      .map((r) => r.cells),
  );
  return { columns, rows };
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [d] = (await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()])) as [Download, void];
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

/** Text a spreadsheet export writes for a text cell (csv.ts neutraliseFormula's rule, restated). */
const neutral = (s: string): string => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe('analyst workbench end to end (Chromium, real ETL, production build)', () => {
  let page: Page;
  let shown: Awaited<ReturnType<typeof grid>>;

  it('runs a typed query; its grid equals the same query run by DuckDB-WASM in Node on the extract files', async () => {
    page = await open('lang=en&view=workbench');
    await runQuery(page, QUERY);
    await page.waitForSelector(`[data-panel="workbench-result"] [data-count="${expected.length}"]`, { timeout: 120_000 });
    shown = await grid(page);
    expect(expected.length).toBeGreaterThan(5);
    expect(shown.columns.map((c) => c.key)).toEqual(['month', 'region', 'customers', 'kwh', 'revenue_per_bill', 'formula_like', 'label', 'nothing']);
    expect(Object.fromEntries(shown.columns.map((c) => [c.key, c.type]))).toMatchObject({ month: 'date', region: 'text', customers: 'integer', kwh: 'number', revenue_per_bill: 'number', label: 'text' });
    expect(shown.rows).toHaveLength(expected.length);
    shown.rows.forEach((row, i) => {
      const e = expected[i]!;
      expect(row.month!.v, `row ${i} month`).toBe(dayOf(e.month as number));
      for (const k of ['region', 'formula_like', 'label']) expect(row[k]!.v, `row ${i} ${k}`).toBe(e[k]);
      // A cell whose every segment is suppressed has no customer count (null), like the other measures.
      for (const k of ['customers', 'kwh', 'revenue_per_bill']) {
        if (e[k] === null) expect(row[k]!.isNull, `row ${i} ${k}`).toBe(true);
        else expect(Math.abs(Number(row[k]!.v) - (e[k] as number)), `row ${i} ${k}`).toBeLessThanOrEqual(Math.abs(e[k] as number) * 1e-12);
      }
      expect(row.nothing!.isNull).toBe(true);
    });
    expect(shown.rows.some((r) => r.label!.v.startsWith('客户 '))).toBe(true);
    // The URL keeps the query: a reload runs it again.
    await expect.poll(() => new URL(page.url()).searchParams.get('wq')).toBe(QUERY);
    await page.locator('[data-panel="workbench-history"] [data-history]').first().waitFor();
  }, 300_000);

  it('exports the result as CSV, XLSX and Parquet; each reads back to the rows and values shown', async () => {
    const result = page.locator('[data-panel="workbench-result"]');

    // CSV: UTF-8 with BOM, RFC 4180, text neutralised, numbers and dates as shown.
    const csv = await download(page, () => result.locator('button[data-export="csv"]').click());
    expect(csv.name).toMatch(/\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parser = new CsvParser();
    const text = csv.bytes.toString('utf8').slice(1);
    const records = [...parser.push(text), ...parser.end()].map((r) => r.fields);
    expect(records[0]).toEqual(shown.columns.map((c) => c.key));
    expect(records.slice(1)).toEqual(shown.rows.map((r) => shown.columns.map((c) => (c.type === 'text' ? neutral(r[c.key]!.v) : r[c.key]!.v))));

    // XLSX: typed cells (numbers, dates), text neutralised, a metadata sheet with the SQL and the data's as-of date.
    const xlsx = await download(page, () => result.locator('button[data-export="xlsx"]').click());
    expect(xlsx.name).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.bytes.buffer.slice(xlsx.bytes.byteOffset, xlsx.bytes.byteOffset + xlsx.bytes.byteLength) as ArrayBuffer);
    const [data, about] = wb.worksheets;
    expect((data!.getRow(1).values as unknown[]).slice(1)).toEqual(shown.columns.map((c) => c.key));
    expect(data!.rowCount).toBe(shown.rows.length + 1);
    shown.rows.forEach((r, i) => {
      const cells = (data!.getRow(i + 2).values as unknown[]).slice(1);
      shown.columns.forEach((c, j) => {
        const cell = cells[j];
        const g = r[c.key]!;
        if (g.isNull) expect(cell ?? null, `${i} ${c.key}`).toBeNull();
        else if (c.type === 'date') expect(cell, `${i} ${c.key}`).toEqual(new Date(`${g.v}T00:00:00Z`));
        else if (c.type === 'integer' || c.type === 'number') expect(cell, `${i} ${c.key}`).toBe(Number(g.v));
        else expect(cell, `${i} ${c.key}`).toBe(neutral(g.v));
      });
    });
    const aboutRows = new Map<unknown, unknown>();
    about!.eachRow((row) => aboutRows.set((row.values as unknown[])[1], (row.values as unknown[])[2]));
    expect(aboutRows.get('SQL')).toBe(QUERY);
    expect(aboutRows.get('Data as of')).toEqual(new Date(`${manifest.data_as_of}T00:00:00Z`));
    expect(String(aboutRows.get('Exported at'))).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC[+-]\d{2}:\d{2}$/);

    // Parquet: read by native DuckDB, same rows, values and types; text exactly as shown (no neutralising).
    const pq = await download(page, () => result.locator('button[data-export="parquet"]').click());
    expect(pq.name).toMatch(/\.parquet$/);
    const file = join(E2E_TMP, `workbench-${process.pid}.parquet`);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, pq.bytes);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const types = (await conn.runAndReadAll(`describe select * from read_parquet('${file}')`)).getRowObjectsJS();
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      month: 'DATE', region: 'VARCHAR', customers: 'BIGINT', kwh: 'DOUBLE', revenue_per_bill: 'DOUBLE', formula_like: 'VARCHAR', label: 'VARCHAR', nothing: 'VARCHAR',
    });
    const back = (await conn.runAndReadAll(`select * from read_parquet('${file}')`)).getRowObjectsJS();
    rmSync(file, { force: true });
    expect(back).toHaveLength(shown.rows.length);
    back.forEach((b, i) => {
      const r = shown.rows[i]!;
      expect(dayOf((b.month as Date).getTime())).toBe(r.month!.v);
      expect(b.customers === null ? null : Number(b.customers)).toBe(r.customers!.isNull ? null : Number(r.customers!.v));
      for (const k of ['kwh', 'revenue_per_bill']) expect(b[k], `${i} ${k}`).toBe(r[k]!.isNull ? null : Number(r[k]!.v));
      for (const k of ['region', 'formula_like', 'label']) expect(b[k], `${i} ${k}`).toBe(r[k]!.v);
      expect(b.nothing).toBeNull();
    });
  }, 300_000);

  it('draws a quick chart of the result whose PNG download is a real picture with non-blank pixels', async () => {
    const figure = page.locator('figure[data-chart="workbench-chart"]');
    await figure.waitFor({ timeout: 60_000 });
    await page.selectOption('select[name="chart-label"]', 'label');
    await page.selectOption('select[name="chart-value"]', 'kwh');
    await waitForCharts(page, 60_000);
    await page.screenshot({ path: join(SCREENSHOTS, 'workbench.png'), fullPage: true });
    const png = await download(page, () => figure.locator('button', { hasText: 'PNG' }).click());
    expect(png.name).toMatch(/\.png$/);
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // Decoded by the browser's own PNG decoder: the share of pixels unlike the background.
    const stats = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let differing = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - d[0]!) + Math.abs(d[i + 1]! - d[1]!) + Math.abs(d[i + 2]! - d[2]!) > 30) differing++;
      return { width: img.width, height: img.height, differing, total: d.length / 4 };
    }, png.bytes.toString('base64'));
    expect(stats.width).toBeGreaterThan(300);
    expect(stats.height).toBeGreaterThan(200);
    // Bars, axes and labels: well above a few stray pixels, well below a filled canvas.
    expect(stats.differing / stats.total).toBeGreaterThan(0.01);
    expect(stats.differing / stats.total).toBeLessThan(0.9);
  }, 120_000);

  it('refuses a writing statement with a clear message, shows DuckDB errors, and the views keep their tables', async () => {
    const result = page.locator('[data-panel="workbench-result"]');
    await runQuery(page, 'drop table segment_month');
    await expect.poll(() => result.locator('[role="alert"]').getAttribute('data-state')).toBe('refused');
    expect(await result.locator('[role="alert"]').textContent()).toMatch(/Only reading statements.*"drop"/);

    await runQuery(page, 'select no_such_column from segment_month');
    await expect.poll(() => result.locator('[role="alert"]').getAttribute('data-state'), { timeout: 60_000 }).toBe('error');
    expect(await result.locator('[role="alert"]').textContent()).toMatch(/DuckDB could not run the query.*no_such_column/s);

    // A long result is virtualised: every row counted, only a screenful in the DOM, the last reached by scrolling.
    await runQuery(page, 'select customer_key, segment, annual_kwh from customer order by customer_key');
    await page.waitForSelector(`[data-panel="workbench-result"] [data-count="${customers}"]`, { timeout: 60_000 });
    expect(await result.locator('[data-row]').count()).toBeLessThan(60);
    await result.locator('.vtable-body').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await result.locator(`[data-row="${customers - 1}"]`).waitFor();

    // The table is still there for the views (and for the workbench).
    await runQuery(page, 'select count(*)::INTEGER as n from segment_month');
    await page.waitForSelector('[data-panel="workbench-result"] [data-count="1"]', { timeout: 60_000 });
    const n = Number(await result.locator('[data-row="0"] [data-col="n"]').getAttribute('data-v'));
    expect(n).toBe(manifest.files.find((f) => f.name === 'segment_month')!.rows);
  }, 180_000);

  it('saves a query into the URL and browser storage; a reopened link shows it and runs its query', async () => {
    await page.locator('textarea[name="sql"]').fill('select segment, count(*)::INTEGER as n from customer group by segment order by segment');
    await page.locator('input[name="save-name"]').fill('客户 by segment');
    await page.locator('button[data-action="save"]').click();
    await page.waitForFunction(() => new URL(location.href).searchParams.getAll('wsq').some((v) => v.startsWith('客户 by segment\t')));
    const stored = await page.evaluate(() => localStorage.getItem('gridlens.workbench.saved'));
    expect(JSON.parse(stored!)).toEqual(expect.arrayContaining([{ name: '客户 by segment', sql: 'select segment, count(*)::INTEGER as n from customer group by segment order by segment' }]));
    await page.locator('[data-panel="workbench-saved"] [data-saved="客户 by segment"]').waitFor();

    const url = new URL(page.url());
    expect(url.searchParams.get('wq')).toBe('select count(*)::INTEGER as n from segment_month');
    const again = await open(url.search.slice(1));
    await again.locator('[data-panel="workbench-saved"] [data-saved="客户 by segment"]').waitFor({ timeout: 60_000 });
    await again.waitForSelector('[data-panel="workbench-result"] [data-count="1"]', { timeout: 120_000 }).catch(async (err: unknown) => {
      console.error('reopened workbench shows:', await again.locator('[data-panel="workbench-result"]').innerText(), again.url());
      await again.screenshot({ path: join(SCREENSHOTS, 'workbench-reopened-failed.png'), fullPage: true });
      throw err;
    });
    await again.close();
    await page.close();
  }, 180_000);
});
