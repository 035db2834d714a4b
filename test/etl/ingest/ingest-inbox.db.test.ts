// The ingest against a generated --dirty utility: per-file accounting equals
// truth.json, every rejection is quarantined verbatim, core holds exactly the
// clean data; a second ingest of the same inbox is a no-op; later files win
// (bill payments, customer attribute changes with history, corrections).

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITIES, ENTITY_NAMES, type EntityName } from '../../../etl/contract/entities.ts';
import { KEY_SEPARATOR } from '../../../etl/contract/validate-row.ts';
import { decodeFile, generatedInbox, loadCustomers, readTruth, scanEntity } from '../../helpers/generated.ts';
import { CORE_TABLES, CUSTOMER_HEADER, ingest, PENDING_USAGE_DAYS, ingestDatabase, removeInboxes, tableChecksum, writeInbox, type IngestDatabase } from './ingest-helpers.ts';

const base = { customers: 500, months: 4, seed: 7, end: '2026-04', surveyRate: 0.3 };
let db: IngestDatabase;
let dirtyDir: string;
let cleanDir: string;
let truth: any;
let first: Awaited<ReturnType<typeof ingest>>;

beforeAll(async () => {
  dirtyDir = generatedInbox({ ...base, dirty: true });
  cleanDir = generatedInbox(base);
  truth = readTruth(dirtyDir);
  db = await ingestDatabase('ingest');
  first = await ingest(db.pool, dirtyDir);
}, 300_000);

afterAll(async () => {
  await db?.close();
  removeInboxes();
});

const keyOf = (entity: EntityName, row: Record<string, unknown>) => ENTITIES[entity].key.map((k) => String(row[k])).join(KEY_SEPARATOR);

/** Latest clean row per key, entity by entity (later file and later line win). */
function cleanLatest(entity: EntityName): Map<string, Record<string, any>> {
  const latest = new Map<string, Record<string, any>>();
  scanEntity(cleanDir, entity, (row) => latest.set(keyOf(entity, row), row));
  return latest;
}

const count = async (sql: string) => (await db.pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`)).rows[0].n;

describe('a dirty generated inbox', () => {
  it('accounts for every file exactly as truth.json: read, rejected by reason, superseded', () => {
    expect(first.files.map((f) => f.file).sort()).toEqual(truth.files.map((f: any) => f.file).sort());
    for (const f of truth.files) {
      const r = first.byFile.get(f.file)!;
      const { duplicate_key: duplicates = 0, ...rejections } = f.defects;
      expect(r.fileRejection, f.file).toBeNull();
      expect(r.skipped, f.file).toBe(false);
      expect(r.read, f.file).toBe(f.rows);
      expect(r.rejectedByReason, f.file).toEqual(rejections);
      expect(r.rejected, f.file).toBe(Object.values(rejections).reduce((a: number, b) => a + (b as number), 0));
      expect(r.superseded, f.file).toBe(duplicates);
      expect(r.loaded + r.rejected + r.superseded, f.file).toBe(r.read);
      expect(r.sha256, f.file).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(first.byFile.get(truth.dirty.gbk_files[0])!.encoding).toBe('gb18030');
  });

  it('records each file in ops.etl_file with the same accounting', async () => {
    const rows = (await db.pool.query(`select * from ops.etl_file where run_id = $1`, [first.runId])).rows;
    expect(rows).toHaveLength(first.files.length);
    for (const row of rows) {
      const r = first.byFile.get(row.file_name)!;
      expect(row, row.file_name).toMatchObject({
        entity: r.entity, sha256: r.sha256, bytes: r.bytes, skipped: false, rows_read: r.read, rows_loaded: r.loaded,
        rows_rejected: r.rejected, rows_superseded: r.superseded, rejected_by_reason: r.rejectedByReason, file_rejection_code: null,
      });
    }
  });

  it('quarantines one ops.rejected_row per rejection, with file, line, reason, message and the raw line', async () => {
    const rows = (await db.pool.query(`select * from ops.rejected_row where run_id = $1 order by file_name, line`, [first.runId])).rows;
    expect(rows).toHaveLength(first.files.reduce((s, f) => s + f.rejected, 0));
    const lines = new Map<string, string[]>();
    for (const row of rows) {
      if (!lines.has(row.file_name)) lines.set(row.file_name, decodeFile(join(dirtyDir, row.file_name)).text.split(/\r?\n/));
      expect(row.raw_line, `${row.file_name}:${row.line}`).toBe(lines.get(row.file_name)![row.line - 1]);
      expect(row.message.length).toBeGreaterThan(10);
      expect(row.entity).toBe(first.byFile.get(row.file_name)!.entity);
    }
    for (const f of first.files) {
      const byReason: Record<string, number> = {};
      for (const row of rows.filter((r) => r.file_name === f.file)) byReason[row.reason_code] = (byReason[row.reason_code] ?? 0) + 1;
      expect(byReason, f.file).toEqual(f.rejectedByReason);
    }
    const unknown = rows.find((r) => r.reason_code === 'unknown_customer')!;
    expect(unknown).toMatchObject({ field: 'customer_id' });
    expect(unknown.message).toContain('not a known customer');
  });

  it('loads exactly the clean data: one core row per distinct key, later file wins', async () => {
    const tables: Record<EntityName, string> = {
      customers: 'core.customer', usage: 'core.usage_reading', billing: 'core.bill', surveys: 'core.survey_response',
      tickets: 'core.ticket', campaigns: 'core.campaign_contact',
    };
    for (const entity of ENTITY_NAMES) {
      const latest = cleanLatest(entity);
      expect(latest.size, entity).toBeGreaterThan(0);
      expect(await count(`select 1 from ${tables[entity]}`), entity).toBe(latest.size);
    }
    const customers = cleanLatest('customers');
    const withPii = [...customers.values()].filter((c) => c.name !== null || c.phone !== null || c.address !== null).length;
    expect(await count('select 1 from core.customer_pii')).toBe(withPii);
    const comments = [...cleanLatest('surveys').values()].filter((s) => s.comment !== null).length;
    expect(await count('select 1 from core.survey_comment')).toBe(comments);
    expect(await count(`select 1 from information_schema.columns where table_schema = 'core' and table_name = 'survey_response' and column_name = 'comment'`)).toBe(0);

    // Values: bills and customers as the latest clean row says.
    const bills = cleanLatest('billing');
    const stored = (await db.pool.query(`select bill_id, customer_id, amount, paid_on, paid_amount from core.bill`)).rows;
    for (const b of stored) {
      const want = bills.get(b.bill_id)!;
      expect(b, b.bill_id).toEqual({ bill_id: want.bill_id, customer_id: want.customer_id, amount: want.amount, paid_on: want.paid_on, paid_amount: want.paid_amount });
    }
    const regions = (await db.pool.query(`select customer_id, region, tariff, green_plan, contract_type from core.customer`)).rows;
    for (const c of regions) {
      const want = customers.get(c.customer_id)!;
      expect(c).toEqual({ customer_id: want.customer_id, region: want.region, tariff: want.tariff, green_plan: want.green_plan, contract_type: want.contract_type });
    }
  });

  it('keeps one current history version per customer, equal to its current attributes', async () => {
    expect(await count(`select 1 from core.customer c left join core.customer_history h on h.customer_id = c.customer_id and h.valid_to is null
                        where h.customer_id is null or (c.customer_class, c.tariff, c.region, c.contract_type, c.contract_end, c.green_plan)
                          is distinct from (h.customer_class, h.tariff, h.region, h.contract_type, h.contract_end, h.green_plan)`)).toBe(0);
    // Changes in later monthly files close a version at the first of the file's month.
    const changed = await db.pool.query(`select customer_id, valid_from, valid_to from core.customer_history where valid_to is not null`);
    for (const h of changed.rows) expect(h.valid_to, h.customer_id).toMatch(/^\d{4}-\d{2}-01$/);
  });

  it('leaves the touched keys for the rollups', async () => {
    const days = new Set<string>();
    for (const row of cleanLatest('usage').values()) {
      days.add(`${row.customer_id} ${new Date(row.reading_start + 8 * 3_600_000).toISOString().slice(0, 10)}`);
    }
    expect(await count(`select 1 from ${PENDING_USAGE_DAYS}`)).toBe(days.size);
    const months = new Set<string>();
    for (const b of cleanLatest('billing').values()) {
      for (const d of [b.period_start, b.period_end, b.issued_on, b.due_on, b.paid_on]) if (d) months.add(`${b.customer_id} ${d.slice(0, 7)}-01`);
    }
    const stored = (await db.pool.query(`select customer_id || ' ' || month as k from rollup.pending_customer_month`)).rows.map((r) => r.k);
    expect(new Set(stored)).toEqual(months);
  });
});

describe('the same inbox again', () => {
  it('skips every file and changes nothing', async () => {
    const before = await Promise.all(CORE_TABLES.map((t) => tableChecksum(db.pool, t)));
    const again = await ingest(db.pool, dirtyDir);
    for (const f of again.files) {
      expect(f, f.file).toMatchObject({ skipped: true, read: 0, loaded: 0, rejected: 0, superseded: 0, fileRejection: null });
      expect(f.sha256).toBe(first.byFile.get(f.file)!.sha256);
    }
    expect(await Promise.all(CORE_TABLES.map((t) => tableChecksum(db.pool, t)))).toEqual(before);
    expect(await count(`select 1 from ops.etl_file where run_id = ${again.runId} and skipped`)).toBe(again.files.length);
    expect(await count(`select 1 from ops.rejected_row where run_id = ${again.runId}`)).toBe(0);
  });
});

const csvField = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const customerLine = (c: Record<string, any>) => CUSTOMER_HEADER.split(',').map((k) => csvField(c[k])).join(',');

describe('later files win', () => {
  it('updates a bill, a customer (with attribute history) and a reading; last line of a key wins', async () => {
    const customers = loadCustomers(cleanDir);
    const unchanged = (await db.pool.query(`select customer_id from core.customer_history group by 1 having count(*) = 1`)).rows.map((r) => r.customer_id);
    const target = unchanged.map((id) => customers.get(id)!).find((c) => c.tariff === 'tiered' && c.closed_on === null && c.name !== null)!;
    const bill = (await db.pool.query(`select * from core.bill where paid_on is null and customer_id = any($1) order by bill_id limit 1`, [[...customers.keys()]])).rows[0];
    const reading = (await db.pool.query(`select customer_id, to_char(reading_start, 'YYYY-MM-DD HH24:MI') as at, interval_minutes, kwh from core.usage_reading order by customer_id, reading_start limit 1`)).rows[0];
    await db.pool.query('truncate rollup.pending_usage_day, rollup.pending_usage_range, rollup.pending_customer_month'); // as the rollups would

    const billLine = (paidAmount: number) =>
      [bill.bill_id, bill.customer_id, bill.period_start, bill.period_end, bill.kwh, bill.amount, bill.issued_on, bill.due_on, '2026-06-03', paidAmount].join(',');
    const later = await ingest(db.pool, writeInbox({
      'customers/customers_2026-06.csv': `${CUSTOMER_HEADER}\n${customerLine({ ...target, tariff: 'tou' })}\n`,
      'billing/billing_2026-06.csv': `bill_id,customer_id,period_start,period_end,kwh,amount,issued_on,due_on,paid_on,paid_amount\n${billLine(1)}\n${billLine(bill.amount)}\n`,
      'usage/usage_2026-06.csv': `customer_id,reading_start,interval_minutes,kwh\n${reading.customer_id},${reading.at},${reading.interval_minutes},${reading.kwh + 100}\n`,
    }));
    expect(later.byFile.get('billing/billing_2026-06.csv')).toMatchObject({ read: 2, loaded: 1, superseded: 1, rejected: 0 });
    expect(later.byFile.get('customers/customers_2026-06.csv')).toMatchObject({ read: 1, loaded: 1 });

    const storedBill = (await db.pool.query(`select paid_on, paid_amount, amount from core.bill where bill_id = $1`, [bill.bill_id])).rows[0];
    expect(storedBill).toEqual({ paid_on: '2026-06-03', paid_amount: bill.amount, amount: bill.amount });
    const months = (await db.pool.query(`select month from rollup.pending_customer_month where customer_id = $1 order by month`, [bill.customer_id])).rows.map((r) => r.month);
    expect(months).toContain('2026-06-01');
    expect(months).toContain(`${bill.period_start.slice(0, 7)}-01`);

    expect((await db.pool.query(`select kwh from core.usage_reading where customer_id = $1 and interval_minutes = $2 and to_char(reading_start, 'YYYY-MM-DD HH24:MI') = $3`,
      [reading.customer_id, reading.interval_minutes, reading.at])).rows).toEqual([{ kwh: reading.kwh + 100 }]);
    expect((await db.pool.query(`select customer_id, day from ${PENDING_USAGE_DAYS}`)).rows).toEqual([{ customer_id: reading.customer_id, day: reading.at.slice(0, 10) }]);

    const history = async () =>
      (await db.pool.query(`select valid_from, valid_to, tariff, green_plan from core.customer_history where customer_id = $1 order by valid_from`, [target.customer_id])).rows;
    expect((await db.pool.query(`select tariff from core.customer where customer_id = $1`, [target.customer_id])).rows[0].tariff).toBe('tou');
    expect(await history()).toEqual([
      { valid_from: target.opened_on, valid_to: '2026-06-01', tariff: 'tiered', green_plan: target.green_plan },
      { valid_from: '2026-06-01', valid_to: null, tariff: 'tou', green_plan: target.green_plan },
    ]);

    // A correction effective on (or before) the current version's start fixes that version in place.
    await ingest(db.pool, writeInbox({ 'customers/customers_2026-06-01_fix.csv': `${CUSTOMER_HEADER}\n${customerLine({ ...target, tariff: 'tou', green_plan: true })}\n` }));
    expect(await history()).toEqual([
      { valid_from: target.opened_on, valid_to: '2026-06-01', tariff: 'tiered', green_plan: target.green_plan },
      { valid_from: '2026-06-01', valid_to: null, tariff: 'tou', green_plan: true },
    ]);
    // Personal columns left out of a file keep their stored values.
    await ingest(db.pool, writeInbox({
      'customers/customers_2026-07.csv': 'customer_id,customer_class,region,tariff,opened_on\n' +
        `${target.customer_id},${target.customer_class},${target.region},tou,${target.opened_on}\n`,
    }));
    const pii = (await db.pool.query(`select name, phone from core.customer_pii where customer_id = $1`, [target.customer_id])).rows[0];
    expect(pii).toEqual({ name: target.name, phone: target.phone });
    // green_plan absent = false (the contract default): a change effective 2026-07-01.
    expect((await history()).at(-1)).toEqual({ valid_from: '2026-07-01', valid_to: null, tariff: 'tou', green_plan: false });
  });
});
