// The manifest's `summary` (first paint of the Overview before DuckDB-WASM is
// ready): publishExtracts on a scratch database with a stand-in mart.kpi_month,
// as in publish.db.test.ts. The summary must be the kpi_month extract's own
// rows (suppression included) for the latest complete month, the month before
// and 13 months of series.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { latestCompleteMonth } from '../../../dashboard/src/data/sql.ts';
import type { Manifest } from '../../../etl/extract/manifest.ts';
import type { ExtractSpec } from '../../../etl/extract/mart-query.ts';
import { publishExtracts } from '../../../etl/extract/publish.ts';
import { summaryFromRows } from '../../../etl/extract/summary.ts';
import { openMigratedScratch, type MigratedScratch } from './scratch.ts';

const K = 15;
// 15 months 2025-08 … 2026-10; 2026-03 has 5 active customers (suppressed).
const MART_SQL = `
  create table mart.kpi_month as
    select (date '2025-08-01' + make_interval(months => m))::date as month,
           case when m = 7 then 5 else 100 + m end::int4 as active_customers,
           (1000.5 * (m + 1))::float8 as kwh,
           (123.45 * (m + 1))::numeric(14, 2) as revenue,
           case when m = 14 then null else 0.5 + m / 100.0 end::float8 as nps
      from generate_series(0, 14) m;
  create table mart.other as select 1 as cell, 20 as customers;
`;
const KPI: ExtractSpec = { name: 'kpi_month', grain: ['month'], customersColumn: 'active_customers', description: 'KPIs per month.' };
const OTHER: ExtractSpec = { name: 'other', grain: ['cell'], customersColumn: 'customers', description: 'Not a KPI mart.' };

let db: MigratedScratch;
let root: string;
let extractsDir: string;
let tick = 0;

beforeAll(async () => {
  db = await openMigratedScratch('summary');
  await db.pool.query(MART_SQL);
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-summary-'));
});
afterAll(async () => {
  await db?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  extractsDir = path.join(root, ctx.task.id);
});

async function publish(dataAsOf: string, marts: ExtractSpec[] = [KPI, OTHER]): Promise<Manifest> {
  const t = ++tick;
  const r = await publishExtracts({
    pool: db.pool, extractsDir, runId: 60 + t, dataAsOf, k: K, versionsKept: 3, marts,
    now: () => new Date(Date.UTC(2026, 10, 26, 2, 0, 0) + t * 60_000),
  });
  return JSON.parse(await fs.readFile(path.join(r.dir, 'manifest.json'), 'utf8')) as Manifest;
}

describe('manifest summary', () => {
  it('has the latest complete month, the month before and 13 months of series, from the suppressed kpi_month rows', async () => {
    const m = await publish('2026-11-25');
    expect(m.summary).toEqual({
      mart: 'kpi_month',
      month: '2026-10-01',
      previous_month: '2026-09-01',
      values: { active_customers: 114, kwh: 15007.5, revenue: 1851.75, nps: null },
      previous: { active_customers: 113, kwh: 14007, revenue: 1728.3, nps: 0.63 },
      series: {
        months: ['2025-10-01', '2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01',
          '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01', '2026-10-01'],
        values: {
          active_customers: [102, 103, 104, 105, 106, null, 108, 109, 110, 111, 112, 113, 114],
          kwh: [3001.5, 4002, 5002.5, 6003, 7003.5, null, 9004.5, 10005, 11005.5, 12006, 13006.5, 14007, 15007.5],
          revenue: [370.35, 493.8, 617.25, 740.7, 864.15, null, 1111.05, 1234.5, 1357.95, 1481.4, 1604.85, 1728.3, 1851.75],
          nps: [0.52, 0.53, 0.54, 0.55, 0.56, null, 0.58, 0.59, 0.6, 0.61, 0.62, 0.63, null],
        },
      },
    });
    // The same figures as the extract file.
    const t = tableFromIPC(await fs.readFile(path.join(extractsDir, 'current', 'kpi_month.arrow')));
    const last = t.get(t.numRows - 1)!.toJSON();
    expect([last.active_customers, last.kwh, last.revenue]).toEqual([m.summary!.values.active_customers, m.summary!.values.kwh, m.summary!.values.revenue]);
    // Small: it travels with every page load.
    expect(JSON.stringify(m.summary).length).toBeLessThan(2_000);
  });

  it('takes a month whose last day is data_as_of as complete, the day before not (the dashboard’s rule too)', async () => {
    for (const [asOf, month] of [['2026-10-31', '2026-10-01'], ['2026-10-30', '2026-09-01'], ['2026-02-28', '2026-02-01'], ['2026-03-01', '2026-02-01']]) {
      expect((await publish(asOf!)).summary?.month, asOf).toBe(month);
      expect(latestCompleteMonth(asOf!), asOf).toBe(month);
    }
  });

  it('has a shorter series and no previous month at the start of the data', async () => {
    const m = await publish('2025-08-31');
    expect(m.summary).toMatchObject({ month: '2025-08-01', previous_month: null, previous: null, series: { months: ['2025-08-01'] } });
  });

  it('is absent when no month is complete or the version has no kpi_month (older readers see the manifest they know)', async () => {
    const none = await publish('2025-08-30');
    expect(none).not.toHaveProperty('summary');
    expect(none.files.map((f) => f.name)).toEqual(['kpi_month', 'other']);
    expect(await publish('2026-11-25', [OTHER])).not.toHaveProperty('summary');
  });
});

describe('summaryFromRows', () => {
  it('leaves previous empty when the month before is missing from the rows', () => {
    const s = summaryFromRows([{ month: '2026-07-01', kwh: 1 }, { month: '2026-09-01', kwh: 3 }], ['kwh']);
    expect(s).toMatchObject({ month: '2026-09-01', previous_month: null, previous: null, values: { kwh: 3 } });
    expect(s.series).toEqual({ months: ['2026-07-01', '2026-09-01'], values: { kwh: [1, 3] } });
  });
});
