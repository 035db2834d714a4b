// The transform over a generated demo utility loaded through the real ingest,
// one month per night: the incremental nights equal a full rebuild, and the
// marts agree with what the generator says it planted (truth.json).
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInbox } from '../../../etl/ingest/ingest-inbox.ts';
import { generatedInbox, readTruth, TMP } from '../../helpers/generated.ts';
import { assignTestPseudonyms, RELATIONS, rows, silent, snapshots, transform, transformDatabase, TZ, type TransformDatabase } from './transform-helpers.ts';

const OPTIONS = { customers: 150, months: 3, seed: 11, end: '2026-03' };
let db: TransformDatabase;
let source: string;
let inbox: string;
let truth: any;
let incremental: Record<string, string[]>;

/** Copies into the night's inbox the files whose name holds one of `tags` (month, quarter or campaign). */
function deliver(tags: string[]): void {
  for (const entity of readdirSync(source, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const f of readdirSync(join(source, entity))) {
      if (tags.some((t) => f.includes(t))) {
        mkdirSync(join(inbox, entity), { recursive: true });
        cpSync(join(source, entity, f), join(inbox, entity, f));
      }
    }
  }
}

async function night(): Promise<void> {
  const runId = (await db.pool.query<{ id: number }>('insert into ops.etl_run default values returning id')).rows[0].id;
  await ingestInbox({ pool: db.pool, runId, inbox, timeZone: TZ, logger: silent });
  await db.pool.query(`update ops.etl_run set status = 'succeeded', finished_at = now() where id = $1`, [runId]);
  await assignTestPseudonyms(db.pool);
  await transform(db.pool, false);
}

beforeAll(async () => {
  source = generatedInbox(OPTIONS);
  truth = readTruth(source);
  inbox = join(TMP, 'transform', `inbox-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(inbox, { recursive: true });
  db = await transformDatabase('tgen', TZ);
  deliver(['2026-01']);
  await night();
  deliver(['2026-02']);
  await night();
  deliver(['2026-03', 'Q1', 'campaign_']);
  await night();
  incremental = await snapshots(db.pool);
}, 300_000);

afterAll(async () => {
  await db?.close();
  rmSync(inbox, { recursive: true, force: true });
});

describe('a generated utility, one month per night', () => {
  it('gives the same rollups and marts as a full rebuild', async () => {
    await transform(db.pool, true);
    const full = await snapshots(db.pool);
    for (const rel of RELATIONS) expect(incremental[rel], rel).toEqual(full[rel]);
    expect(incremental['mart.customer'].length).toBeGreaterThan(100);
  });

  it('has the planted kWh per month and per class', async () => {
    const k = await rows<{ month: string; kwh: number }>(db.pool, `select month::text, kwh from mart.kpi_month order by month`);
    for (const m of truth.monthly) {
      const row = k.find((x) => x.month === `${m.month}-01`);
      expect(row?.kwh, m.month).toBeCloseTo(m.kwh, 2);
    }
    const s = await rows<{ cls: string; kwh: number; peak: number | null }>(db.pool, `
      select case when segment = 'sme' then 'commercial' else segment end as cls, sum(kwh) as kwh,
             sum(peak_share * kwh) filter (where segment = 'large_industrial') as peak
      from mart.segment_month group by 1`);
    for (const [cls, t] of Object.entries<any>(truth.segments)) {
      if (t.kwh > 0) expect(s.find((x) => x.cls === cls)?.kwh, cls).toBeCloseTo(t.kwh, 1);
    }
    const li = truth.segments.large_industrial;
    if (li?.kwh > 0) expect(s.find((x) => x.cls === 'large_industrial')!.peak! / li.kwh).toBeCloseTo(li.tou_kwh.peak / li.kwh, 6);
  });

  it('counts the tickets by type', async () => {
    const t = await rows<{ type: string; n: number }>(db.pool, `select type, sum(tickets)::int as n from mart.service_month group by type`);
    for (const [type, n] of Object.entries<number>(truth.tickets.by_type)) expect(t.find((x) => x.type === type)?.n ?? 0, type).toBe(n);
  });

  it('publishes one customer row per account with a key, and no account number', async () => {
    const [c] = await rows<{ n: number; keys: number; ids: number }>(db.pool, `
      select count(*)::int as n, count(distinct customer_key)::int as keys,
             (select count(*)::int from mart.customer m join core.customer c on c.customer_id = m.customer_key::text) as ids
      from mart.customer`);
    expect(c.n).toBe(c.keys);
    expect(c.ids).toBe(0);
    const accounts = Object.values<any>(truth.segments).reduce((a, s) => a + s.accounts, 0);
    expect(c.n).toBe(accounts);
  });
});
