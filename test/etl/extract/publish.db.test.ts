// publishExtracts on a scratch database with small stand-in marts (the real
// mart views are built elsewhere): manifest, suppression, the atomic switch of
// `current`, pruning, and failures that must leave the last good version serving.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../etl/extract/manifest.ts';
import type { ExtractSpec } from '../../../etl/extract/mart-query.ts';
import { assignPseudonyms } from '../../../etl/extract/pseudonym.ts';
import { publishExtracts, type PublishOptions } from '../../../etl/extract/publish.ts';
import { pruneVersions } from '../../../etl/extract/versions.ts';
import { queryWithDuckDB } from './duckdb.ts';
import { insertCustomers, openMigratedScratch, type MigratedScratch } from './scratch.ts';

const SECRET = 'publish-test-secret-0123456789';
const K = 15;

// segment_cell: 3 months × 4 segments; segment 'tiny' has 3 customers, 'none' a null count.
const MART_SQL = `
  create table mart.segment_cell as
    select (date '2026-01-01' + make_interval(months => m))::date as month, s.segment,
           case s.segment when 'tiny' then 3 when 'none' then null else 40 + m end::int8 as customers,
           (1000.5 * (m + 1))::float8 as kwh, (123.45 * (m + 1))::numeric(14, 2) as revenue,
           (0.05 * (m + 1))::numeric as peak_share
      from generate_series(0, 2) m, (values ('residential'), ('commercial'), ('tiny'), ('none')) s(segment);

  create table mart.kpi as
    select (date '2026-01-01' + make_interval(months => m))::date as month, (100 + m)::int8 as active_customers,
           (5000.25 * (m + 1))::numeric(14, 2) as revenue
      from generate_series(0, 2) m;

  create table mart.dominated as
    select r as cell, 50::int4 as customers, (r * 10.0)::float8 as kwh,
           case when r = 2 then 0.4 else 0.1 end::float8 as top_share
      from generate_series(1, 3) r;

  create view mart.customer as
    select p.customer_key, c.region as segment, (length(c.customer_id) * 1.5)::numeric(14, 2) as kwh,
           c.green_plan as green, c.opened_on as opened
      from core.customer c join core.customer_pseudonym p using (customer_id);

  create view mart.explodes as
    select x as cell, 20::int4 as customers, (1.0 / (x - 5))::float8 as ratio from generate_series(1, 10) x;

  create table mart.leaky as select 1 as cell, 20 as customers, 'x'::text as contact_phone;
  create view mart.identity_keys as select customer_key, region from core.customer;
`;

const SEGMENT: ExtractSpec = { name: 'segment_cell', grain: ['month', 'segment'], customersColumn: 'customers', description: 'Segment cells.' };
const KPI: ExtractSpec = { name: 'kpi', grain: ['month'], customersColumn: 'active_customers', description: 'KPIs per month.' };
const CUSTOMER: ExtractSpec = { name: 'customer', grain: ['customer_key'], customersColumn: null, description: 'One row per customer.' };
const DOMINATED: ExtractSpec = { name: 'dominated', grain: ['cell'], customersColumn: 'customers', dominanceColumn: 'top_share', description: 'Dominance.' };
const MARTS: ExtractSpec[] = [KPI, SEGMENT, CUSTOMER];

let db: MigratedScratch;
let root: string;
let extractsDir: string;
let tick = 0;

beforeAll(async () => {
  db = await openMigratedScratch('publish');
  await insertCustomers(db.pool, 'X', 1, 40);
  await assignPseudonyms(db.pool, SECRET);
  await db.pool.query(MART_SQL);
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-publish-'));
});
afterAll(async () => {
  await db?.close();
  if (root) await fs.rm(root, { recursive: true, force: true });
});
beforeEach(async (ctx) => {
  extractsDir = path.join(root, ctx.task.id);
});

function publish(over: Partial<PublishOptions> = {}) {
  const t = ++tick;
  return publishExtracts({
    pool: db.pool, extractsDir, runId: 40 + t, dataAsOf: '2026-11-25', k: K, versionsKept: 3, marts: MARTS,
    now: () => new Date(Date.UTC(2026, 10, 26, 2, 0, 0) + t * 60_000),
    ...over,
  });
}

const readManifest = async (dir: string) => JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
const current = () => fs.readlink(path.join(extractsDir, 'current'));
const versions = async () => (await fs.readdir(path.join(extractsDir, 'versions'))).sort();

describe('publishExtracts', () => {
  it('writes every mart, a manifest that matches the files, and points current at the new version', async () => {
    const r = await publish({ runId: 42, now: () => new Date('2026-11-26T02:00:00.123Z') });
    expect(r.version).toBe('20261126T020000Z-r42');
    expect(r.dir).toBe(path.join(extractsDir, 'versions', r.version));
    expect(await current()).toBe(path.join('versions', r.version));
    expect((await fs.readdir(r.dir)).sort()).toEqual(['customer.arrow', 'kpi.arrow', 'manifest.json', 'segment_cell.arrow']);

    const m = await readManifest(path.join(extractsDir, 'current'));
    expect(m).toMatchObject({
      format: 'gridlens-extracts', format_version: 1, version: r.version, run_id: 42,
      created_at: '2026-11-26T02:00:00.123Z', data_as_of: '2026-11-25', arrow: { ipc: 'stream', compression: null },
    });
    expect(m.files.map((f) => f.name)).toEqual(['kpi', 'segment_cell', 'customer']);
    for (const f of m.files) {
      const bytes = await fs.readFile(path.join(r.dir, f.file));
      expect(f.bytes).toBe(bytes.byteLength);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(f.rows).toBe(tableFromIPC(bytes).numRows);
      expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    }
    expect(m.files.map((f) => f.rows)).toEqual([3, 12, 40]);
    expect(r.files).toEqual(m.files.map((f) => ({ name: f.name, file: f.file, rows: f.rows, bytes: f.bytes, sha256: f.sha256 })));

    const seg = m.files.find((f) => f.name === 'segment_cell')!;
    expect(seg.description).toBe('Segment cells.');
    expect(seg.grain).toEqual(['month', 'segment']);
    expect(seg.schema).toEqual([
      { name: 'month', type: 'date32[day]', role: 'dimension' },
      { name: 'segment', type: 'dictionary<int32,utf8>', role: 'dimension' },
      { name: 'customers', type: 'int32', role: 'measure' },
      { name: 'kwh', type: 'float64', role: 'measure' },
      { name: 'revenue', type: 'float64', role: 'measure' },
      { name: 'peak_share', type: 'float64', role: 'measure' },
      { name: 'suppressed', type: 'bool', role: 'dimension' },
    ]);
    expect(m.files.find((f) => f.name === 'customer')!.schema).toEqual([
      { name: 'customer_key', type: 'int32', role: 'dimension' },
      { name: 'segment', type: 'dictionary<int32,utf8>', role: 'dimension' },
      { name: 'kwh', type: 'float64', role: 'measure' },
      { name: 'green', type: 'bool', role: 'dimension' },
      { name: 'opened', type: 'date32[day]', role: 'dimension' },
    ]);
    expect(m.suppression).toMatchObject({ k: K, dominance_limit: 0.15, flag_column: 'suppressed' });
    expect(m.suppression.marts).toEqual({
      kpi: { customers_column: 'active_customers', dominance_column: null, cells: 3, cells_suppressed: 0 },
      segment_cell: { customers_column: 'customers', dominance_column: null, cells: 12, cells_suppressed: 6 },
      customer: { customers_column: null, dominance_column: null, cells: 40, cells_suppressed: 0 },
    });
  });

  it('suppresses small cells: grain kept, every other column null, the count too, suppressed = true', async () => {
    const r = await publish();
    const t = tableFromIPC(await fs.readFile(path.join(r.dir, 'segment_cell.arrow')));
    const rows = t.toArray().map((row) => row.toJSON() as Record<string, unknown>);
    // Ordered by the grain (month, segment).
    expect(rows.slice(0, 4).map((x) => [x.segment, x.customers, x.kwh, x.revenue, x.peak_share, x.suppressed])).toEqual([
      ['commercial', 40, 1000.5, 123.45, 0.05, false],
      ['none', null, null, null, null, true],
      ['residential', 40, 1000.5, 123.45, 0.05, false],
      ['tiny', null, null, null, null, true],
    ]);
    expect(rows.every((x) => x.month !== null && x.segment !== null)).toBe(true);
    expect(rows.filter((x) => x.suppressed).map((x) => x.segment)).toEqual(['none', 'tiny', 'none', 'tiny', 'none', 'tiny']);
  });

  it('suppresses cells dominated by one customer and never exports the dominance column', async () => {
    const r = await publish({ marts: [DOMINATED] });
    const t = tableFromIPC(await fs.readFile(path.join(r.dir, 'dominated.arrow')));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['cell', 'customers', 'kwh', 'suppressed']);
    expect(t.toArray().map((x) => [x.cell, x.customers, x.kwh, x.suppressed])).toEqual([
      [1, 50, 10, false],
      [2, null, null, true],
      [3, 50, 30, false],
    ]);
    expect((await readManifest(r.dir)).suppression.marts.dominated).toEqual({
      customers_column: 'customers', dominance_column: 'top_share', cells: 3, cells_suppressed: 1,
    });
  });

  it('keeps the newest versionsKept versions and removes dead publishers’ partial folders', async () => {
    const v1 = await publish({ versionsKept: 2 });
    await fs.mkdir(path.join(extractsDir, 'versions', '.partial-20200101T000000Z-r1-p999999999'));
    await fs.writeFile(path.join(extractsDir, 'versions', 'README.txt'), 'not a version');
    await fs.symlink('versions/x', path.join(extractsDir, '.current-999999999-1'));
    const v2 = await publish({ versionsKept: 2 });
    expect(await current()).toBe(path.join('versions', v2.version));
    const v3 = await publish({ versionsKept: 2 });
    expect(v3.pruned).toEqual([v1.version]);
    const v4 = await publish({ versionsKept: 2 });
    expect(v4.pruned).toEqual([v2.version]);
    expect(await versions()).toEqual([v3.version, v4.version, 'README.txt']);
    expect(await current()).toBe(path.join('versions', v4.version));
    expect((await fs.readdir(extractsDir)).sort()).toEqual(['current', 'versions']);
  });

  it('never prunes the version current points to', async () => {
    const names = ['20260101T000000Z-r1', '20260102T000000Z-r2', '20260103T000000Z-r3', '20260104T000000Z-r4'];
    for (const n of names) await fs.mkdir(path.join(extractsDir, 'versions', n), { recursive: true });
    await fs.symlink(path.join('versions', names[0]!), path.join(extractsDir, 'current'));
    expect(await pruneVersions(extractsDir, 2)).toEqual([names[1]]);
    expect(await versions()).toEqual([names[0], names[2], names[3]]);
  });

  it('names a second publish of the same run in the same second apart', async () => {
    const now = () => new Date('2026-11-26T03:00:00Z');
    const a = await publish({ runId: 7, now });
    const b = await publish({ runId: 7, now });
    expect([a.version, b.version]).toEqual(['20261126T030000Z-r7', '20261126T030000Z-r7-2']);
    expect(await current()).toBe(path.join('versions', b.version));
    expect((await readManifest(b.dir)).version).toBe(b.version);
  });

  describe('a failure before the switch leaves the last good version serving', () => {
    async function expectUntouched(good: { version: string; dir: string }, before: string[]) {
      expect(await current()).toBe(path.join('versions', good.version));
      expect(await versions()).toEqual(before);
      const m = await readManifest(path.join(extractsDir, 'current'));
      for (const f of m.files) {
        const bytes = await fs.readFile(path.join(good.dir, f.file));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      }
    }

    it('when a mart query fails part-way through its rows', async () => {
      const good = await publish();
      const before = await versions();
      const explodes: ExtractSpec = { name: 'explodes', grain: ['cell'], customersColumn: 'customers', description: '' };
      await expect(publish({ marts: [...MARTS, explodes], batchRows: 2 })).rejects.toThrow(/division by zero/);
      await expectUntouched(good, before);
    });

    it('when a mart has a column that looks like personal data (checked before writing)', async () => {
      const good = await publish();
      const before = await versions();
      const leaky: ExtractSpec = { name: 'leaky', grain: ['cell'], customersColumn: 'customers', description: '' };
      await expect(publish({ marts: [...MARTS, leaky] })).rejects.toThrow(/mart\.leaky has column\(s\) contact_phone that look like personal data/);
      await expectUntouched(good, before);
    });

    it('when the customer mart carries keys that are not pseudonyms', async () => {
      const good = await publish();
      const before = await versions();
      const identity: ExtractSpec = { name: 'identity_keys', grain: ['customer_key'], customersColumn: null, description: '' };
      await expect(publish({ marts: [identity] })).rejects.toThrow(/40 row\(s\) whose customer_key is not a pseudonym/);
      await expectUntouched(good, before);
    });

    it('when a mart is missing', async () => {
      const good = await publish();
      const before = await versions();
      await expect(publish({ marts: [{ ...KPI, name: 'nope' }] })).rejects.toThrow(/mart\.nope does not exist/);
      await expectUntouched(good, before);
    });

    it('when the extracts folder cannot be written', async () => {
      const good = await publish();
      const before = await versions();
      // A file where the version folder's parent should be: fails for root too.
      const blocked = path.join(root, `${path.basename(extractsDir)}-blocked`);
      await fs.writeFile(blocked, 'a file');
      await expect(publish({ extractsDir: path.join(blocked, 'extracts') })).rejects.toThrow(/ENOTDIR|EEXIST/);
      await expectUntouched(good, before);
    });

    it.skipIf(process.getuid?.() === 0)('when the versions folder is read-only (permissions; skipped as root)', async () => {
      const good = await publish();
      const before = await versions();
      await fs.chmod(path.join(extractsDir, 'versions'), 0o555);
      try {
        await expect(publish()).rejects.toThrow(/EACCES/);
      } finally {
        await fs.chmod(path.join(extractsDir, 'versions'), 0o755);
      }
      await expectUntouched(good, before);
    });

    it('when current is a real folder rather than a link', async () => {
      await fs.mkdir(path.join(extractsDir, 'current'), { recursive: true });
      await expect(publish()).rejects.toThrow(/current is not a symbolic link: move it away/);
      expect(await versions()).toEqual([]);
    });
  });

  it('publishes files DuckDB-WASM loads with the manifest’s row counts', async () => {
    const r = await publish();
    const m = await readManifest(r.dir);
    const tables: Record<string, Uint8Array> = {};
    for (const f of m.files) tables[f.name] = new Uint8Array(await fs.readFile(path.join(r.dir, f.file)));
    const counts = await queryWithDuckDB(
      tables,
      m.files.map((f) => `select '${f.name}' as name, count(*)::int as n from ${f.name}`).join(' union all ') + ' order by name',
    );
    expect(counts).toEqual(m.files.map((f) => ({ name: f.name, n: f.rows })).sort((a, b) => a.name.localeCompare(b.name)));
    const sums = await queryWithDuckDB(tables, `select count(*) filter (where suppressed)::int as s, sum(revenue)::double as rev from segment_cell`);
    expect(sums[0]!.s).toBe(6);
    expect(sums[0]!.rev).toBeCloseTo(2 * (123.45 + 246.9 + 370.35), 6);
  });
});
