// The usage load paths of core.usage_day (row-sinks.ts, merge.ts
// mergeUsageDays): direct COPY, the retry through staging when the extent hint
// is stale, files out of key order (chunks collapsed by SQL), a duplicate whose
// first line went direct and whose later line was staged, re-sent files laid
// over stored rows, and the time zone guard. Every case checks the stored
// readings through core.usage_reading, the pending days and the accounting.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverInbox } from '../../../etl/ingest/inbox.ts';
import { ingestInbox } from '../../../etl/ingest/ingest-inbox.ts';
import { loadFile } from '../../../etl/ingest/load-file.ts';
import { CUSTOMER_HEADER, ingest, ingestDatabase, newRun, PENDING_USAGE_DAYS, removeInboxes, silent, TZ, writeInbox, type IngestDatabase } from './ingest-helpers.ts';

let db: IngestDatabase;
beforeAll(async () => {
  db = await ingestDatabase('usage_day_load');
  const customers = ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => `${id},,,,居民生活,江城区,阶梯,0.22,,,,,,2020-01-01,`).join('\n');
  await ingest(db.pool, writeInbox({ 'customers/c.csv': `${CUSTOMER_HEADER}\n${customers}\n` }));
}, 120_000);
afterAll(async () => {
  await db?.close();
  removeInboxes();
});

const rows = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;
const HEADER = 'customer_id,reading_start,interval_minutes,kwh,quality';
const readingsOf = (customer: string) =>
  rows(`select to_char(reading_start at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') as at, interval_minutes as i, kwh, quality
        from core.usage_reading where customer_id = $1 order by reading_start, interval_minutes`, [customer]);
const pendingOf = async (customer: string) =>
  (await rows(`select day from ${PENDING_USAGE_DAYS} where customer_id = $1 order by day`, [customer])).map((r) => r.day);

async function clearPending(): Promise<void> {
  await db.pool.query('truncate rollup.pending_usage_day, rollup.pending_usage_range');
}

describe('usage day rows', () => {
  it('loads a key-ordered file straight into core.usage_day, one row per customer-day, with pending ranges and the extent', async () => {
    await clearPending();
    const r = await ingest(db.pool, writeInbox({
      'usage/a.csv': `${HEADER}\nA,2026-03-01 00:00,60,1,\nA,2026-03-01 01:00,60,2,estimated\nA,2026-03-02 00:00,60,3,\nB,2026-03-01 00:00,1440,9,\n`,
    }));
    expect(r.files[0]).toMatchObject({ read: 4, loaded: 4, rejected: 0, superseded: 0 });
    expect(await rows(`select customer_id, day, interval_minutes, offset_ms, kwh, estimated from core.usage_day where customer_id in ('A', 'B') order by 1, 2`)).toEqual([
      { customer_id: 'A', day: '2026-03-01', interval_minutes: 60, offset_ms: [0, 3_600_000], kwh: [1, 2], estimated: [false, true] },
      { customer_id: 'A', day: '2026-03-02', interval_minutes: 60, offset_ms: [0], kwh: [3], estimated: null },
      { customer_id: 'B', day: '2026-03-01', interval_minutes: 1440, offset_ms: [0], kwh: [9], estimated: null },
    ]);
    expect(await readingsOf('A')).toEqual([
      { at: '2026-03-01 00:00', i: 60, kwh: 1, quality: 'actual' },
      { at: '2026-03-01 01:00', i: 60, kwh: 2, quality: 'estimated' },
      { at: '2026-03-02 00:00', i: 60, kwh: 3, quality: 'actual' },
    ]);
    expect(await rows(`select customer_id, day_from, day_to from rollup.pending_usage_range order by 1`)).toEqual([
      { customer_id: 'A', day_from: '2026-03-01', day_to: '2026-03-03' },
      { customer_id: 'B', day_from: '2026-03-01', day_to: '2026-03-02' },
    ]);
    expect(await rows(`select customer_id, last_day from core.usage_extent where customer_id in ('A', 'B') order by 1`)).toEqual([
      { customer_id: 'A', last_day: '2026-03-02' },
      { customer_id: 'B', last_day: '2026-03-01' },
    ]);
  });

  it('carries every float64 bit and a non-ASCII account number through the binary COPY, direct and staged', async () => {
    await ingest(db.pool, writeInbox({ 'customers/c2.csv': `${CUSTOMER_HEADER}\n户号-甲,,,,居民生活,江城区,阶梯,0.22,,,,,,2020-01-01,\n` }));
    await clearPending();
    // Values whose shortest decimal spelling has 17 significant digits, a tiny one, a large one.
    const values = [0.1 + 0.2, 1e-7, 123456789.12345679, 2 / 3];
    const lines = values.map((v, i) => `户号-甲,2026-04-01 0${i}:00,60,${v},${i === 3 ? 'estimated' : ''}`);
    // The second file goes back a day: its rows are staged and merged.
    const late = `户号-甲,2026-03-31 23:00,60,${1 / 3},`;
    const r1 = await ingest(db.pool, writeInbox({ 'usage/bits.csv': `${HEADER}\n${lines.join('\n')}\n` }));
    const r2 = await ingest(db.pool, writeInbox({ 'usage/bits-late.csv': `${HEADER}\n${late}\n` }));
    expect(r1.files[0]).toMatchObject({ read: 4, loaded: 4, rejected: 0 });
    expect(r2.files[0]).toMatchObject({ read: 1, loaded: 1, rejected: 0 });
    const stored = await rows(`select day, offset_ms, kwh, estimated, kwh[1]::text as first_text from core.usage_day where customer_id = '户号-甲' order by day`);
    expect(stored).toEqual([
      { day: '2026-03-31', offset_ms: [23 * 3_600_000], kwh: [1 / 3], estimated: null, first_text: String(1 / 3) },
      { day: '2026-04-01', offset_ms: [0, 1, 2, 3].map((h) => h * 3_600_000), kwh: values, estimated: [false, false, false, true], first_text: String(0.1 + 0.2) },
    ]);
  });

  it('lays a re-sent day over the stored row: new readings added, changed ones replaced, only changed days pending', async () => {
    await clearPending();
    const r = await ingest(db.pool, writeInbox({
      // 03-01: 01:00 changes and 02:00 is new; 03-02 is sent again unchanged.
      'usage/a2.csv': `${HEADER}\nA,2026-03-01 01:00,60,20,\nA,2026-03-01 02:00,60,30,\nA,2026-03-02 00:00,60,3,\n`,
    }));
    expect(r.files[0]).toMatchObject({ read: 3, loaded: 3, superseded: 0 });
    expect(await readingsOf('A')).toEqual([
      { at: '2026-03-01 00:00', i: 60, kwh: 1, quality: 'actual' },
      { at: '2026-03-01 01:00', i: 60, kwh: 20, quality: 'actual' },
      { at: '2026-03-01 02:00', i: 60, kwh: 30, quality: 'actual' },
      { at: '2026-03-02 00:00', i: 60, kwh: 3, quality: 'actual' },
    ]);
    expect(await pendingOf('A')).toEqual(['2026-03-01']);
  });

  it('retries through staging when the extent hint is stale (a row written by hand), losing nothing', async () => {
    await db.pool.query(`insert into core.usage_reading (customer_id, reading_start, interval_minutes, kwh) values ('C', '2026-03-05 10:00+08', 15, 5)`);
    await db.pool.query(`delete from core.usage_extent where customer_id = 'C'`); // the hint no longer knows
    await clearPending();
    const r = await ingest(db.pool, writeInbox({ 'usage/c.csv': `${HEADER}\nC,2026-03-05 10:00,15,6,\nC,2026-03-05 10:15,15,7,\nC,2026-03-06 00:00,15,8,\n` }));
    expect(r.files[0]).toMatchObject({ read: 3, loaded: 3, rejected: 0, superseded: 0 });
    expect(await readingsOf('C')).toEqual([
      { at: '2026-03-05 10:00', i: 15, kwh: 6, quality: 'actual' },
      { at: '2026-03-05 10:15', i: 15, kwh: 7, quality: 'actual' },
      { at: '2026-03-06 00:00', i: 15, kwh: 8, quality: 'actual' },
    ]);
    expect(await pendingOf('C')).toEqual(['2026-03-05', '2026-03-06']);
    expect(await rows(`select last_day from core.usage_extent where customer_id = 'C'`)).toEqual([{ last_day: '2026-03-06' }]);
  });

  it('a file out of key order: chunks of the same key are collapsed, the later line wins, duplicates are counted once', async () => {
    await clearPending();
    const lines = [
      'D,2026-04-01 00:00,60,1,', 'E,2026-04-01 00:00,60,2,', 'D,2026-04-01 01:00,60,3,',
      'E,2026-04-01 00:00,60,4,estimated', // duplicate of line 2, in another chunk
      'D,2026-04-01 00:00,60,5,', // duplicate of line 1
      'E,2026-04-02 00:00,60,6,', 'D,2026-04-01 02:00,60,7,',
    ];
    const inbox = writeInbox({ 'usage/d.csv': `${HEADER}\n${lines.join('\n')}\n` });
    const [file] = await discoverInbox(inbox);
    const { hashFile } = await import('../../../etl/ingest/inbox.ts');
    const runId = await newRun(db.pool);
    const client = await db.pool.connect();
    try {
      const result = await loadFile({
        client, runId, fileSeq: 1, file, sha256: await hashFile(file.path), timeZone: TZ, effectiveDate: '2026-04-01',
        isKnownCustomer: () => true, usageMaxOpenRows: 1,
      });
      expect(result).toMatchObject({ read: 7, loaded: 5, superseded: 2, rejected: 0 });
    } finally {
      client.release();
    }
    expect(await readingsOf('D')).toEqual([
      { at: '2026-04-01 00:00', i: 60, kwh: 5, quality: 'actual' },
      { at: '2026-04-01 01:00', i: 60, kwh: 3, quality: 'actual' },
      { at: '2026-04-01 02:00', i: 60, kwh: 7, quality: 'actual' },
    ]);
    expect(await readingsOf('E')).toEqual([
      { at: '2026-04-01 00:00', i: 60, kwh: 4, quality: 'estimated' },
      { at: '2026-04-02 00:00', i: 60, kwh: 6, quality: 'actual' },
    ]);
    expect(await rows(`select count(*)::int as n from core.usage_day where customer_id in ('D', 'E')`)).toEqual([{ n: 3 }]);
    expect(await pendingOf('D')).toEqual(['2026-04-01']);
    expect(await pendingOf('E')).toEqual(['2026-04-01', '2026-04-02']);
  });

  it('a duplicate whose first line went straight into core and whose later line was staged counts as superseded once', async () => {
    await clearPending();
    const r = await ingest(db.pool, writeInbox({
      // F's 05-01 row goes direct; then the key goes back to F after F2 → staged, laid over F's direct row.
      'usage/f.csv': `${HEADER}\nF,2026-05-01 00:00,60,1,\nF,2026-05-02 00:00,60,2,\nF,2026-05-01 00:00,60,10,\nF,2026-05-01 03:00,60,11,\n`,
    }));
    expect(r.files[0]).toMatchObject({ read: 4, loaded: 3, superseded: 1, rejected: 0 });
    expect(await readingsOf('F')).toEqual([
      { at: '2026-05-01 00:00', i: 60, kwh: 10, quality: 'actual' },
      { at: '2026-05-01 03:00', i: 60, kwh: 11, quality: 'actual' },
      { at: '2026-05-02 00:00', i: 60, kwh: 2, quality: 'actual' },
    ]);
    expect(await pendingOf('F')).toEqual(['2026-05-01', '2026-05-02']);
  });

  it('refuses another time zone while readings are stored, saying which zone they use', async () => {
    const runId = await newRun(db.pool);
    await expect(ingestInbox({ pool: db.pool, runId, inbox: writeInbox({}), timeZone: 'Europe/London', logger: silent }))
      .rejects.toThrow('GRIDLENS_TZ is Europe/London, but the stored meter readings are grouped by local days of Asia/Shanghai: set GRIDLENS_TZ=Asia/Shanghai');
  });
});
