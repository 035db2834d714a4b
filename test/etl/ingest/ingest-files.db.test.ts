// The ingest on small hand-written inboxes: whole-file rejections (missing
// column, corrupt or cut-short .gz, empty file) next to files that load; GBK
// and .csv.gz input; unknown customers; contract defaults; COPY escaping;
// content-hash skipping; progress.

import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverInbox } from '../../../etl/ingest/inbox.ts';
import { ingestInbox } from '../../../etl/ingest/ingest-inbox.ts';
import { loadFile } from '../../../etl/ingest/load-file.ts';
import { CUSTOMER_HEADER, ingest, PENDING_USAGE_DAYS, ingestDatabase, newRun, removeInboxes, silent, TZ, writeInbox, type IngestDatabase } from './ingest-helpers.ts';

let db: IngestDatabase;
beforeAll(async () => {
  db = await ingestDatabase('ingest_files');
}, 120_000);
afterAll(async () => {
  await db?.close();
  removeInboxes();
});

const rows = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;

const gbkCustomers =
  `${CUSTOMER_HEADER}\r\n` +
  'G1,张三,13800000001,江城区 滨江路 8 号 301 室,居民生活,江城区,阶梯,0.22,,,,,微信,2020-01-01,\r\n' +
  'G2,李四,13800000002,青溪县 溪口镇 2 号,大工业,高新区,分时,10,800,long_term,2028-12-31,是,95598热线,2019-05-01,\r\n';

/** n quarter-hour readings from 2026-01-01 00:00 (local time). */
const usageLines = (customer: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${customer},${new Date(Date.UTC(2026, 0, 1) + i * 900_000).toISOString().slice(0, 16).replace('T', ' ')},15,${(i % 7) / 4},`).join('\n');

describe('one inbox with good and bad files', () => {
  let result: Awaited<ReturnType<typeof ingest>>;
  const progress: [number, number][] = [];

  beforeAll(async () => {
    const bigUsage = `customer_id,reading_start,interval_minutes,kwh,quality\n${usageLines('G2', 30_000)}\n`;
    const cutGzip = gzipSync(bigUsage);
    const inbox = writeInbox({
      'customers/customers_2026-01.csv': iconv.encode(gbkCustomers, 'gbk'),
      'customers/customers_2026-02.csv.gz': gzipSync(`${CUSTOMER_HEADER}\nZ9,,,,commercial,南湾区,flat,,,,,no,,2026-02-10,\n`),
      'usage/usage_2026-01.csv': 'customer_id,reading_start,kwh,quality\nG1,2026-01-01 00:00,1.5,\n', // no interval_minutes
      'usage/usage_2026-02.csv': `customer_id,reading_start,interval_minutes,kwh,quality,meter_no\nG1,2026-02-01 00:00,1440,5.5,,M-1\nNOPE,2026-02-01 00:00,1440,5.5,,M-2\nZ9,2026-02-01T00:00:00Z,1440,1,estimated,M-3\n`,
      'usage/usage_2026-03.csv.gz': cutGzip.subarray(0, Math.floor(cutGzip.length * 0.7)),
      'usage/usage_2026-04.csv.gz': Buffer.from('this is not gzip at all\n'),
      'usage/usage_2026-05.csv': '',
      'billing/billing_2026-02.csv': 'bill_id,customer_id,period_start,period_end,kwh,amount,issued_on,due_on,paid_on,paid_amount\n' +
        'B1,G1,2026-01-01,2026-01-31,100,53.80,2026-01-31,2026-02-15,,\nB2,NOPE,2026-01-01,2026-01-31,100,53.80,2026-01-31,2026-02-15,,\n',
      'surveys/survey_2026-Q1.csv': 'response_id,customer_id,responded_on,overall,comment\n' +
        'S1,G1,2026-02-10,4,"服务很好,\t谢谢 \\ 张三"\nS2,,2026-02-11,3,\nS3,NOPE,2026-02-12,5,\n',
      'tickets/tickets_2026-02.csv': 'ticket_id,customer_id,opened_at,channel,type,category\n' +
        'T1,,2026-02-03 09:00,营业厅,咨询,"a\tb\\c"\nT2,NOPE,2026-02-03 09:00,web,inquiry,\nT3,G2,2026-02-03 09:00+08:00,app,outage,\n',
      'tickets/tickets_export.csv': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 8, 0, 0, 0, 33, 0]),
      'campaigns/campaign_C1.csv': 'contact_id,campaign_id,offer_type,customer_id,sent_on,channel,holdout\n' +
        'K1,C1,discount,G1,2026-02-01,sms,\nK2,C1,discount,NOPE,2026-02-01,sms,\n',
    });
    const runId = await newRun(db.pool);
    const { files } = await ingestInbox({ pool: db.pool, runId, inbox, timeZone: TZ, logger: silent, onProgress: (done, total) => progress.push([done, total]) });
    result = { runId, files, byFile: new Map(files.map((f) => [f.file, f])) };
  }, 120_000);

  it('takes customers first and files in name order', () => {
    expect(result.files.map((f) => f.file)).toEqual([
      'customers/customers_2026-01.csv', 'customers/customers_2026-02.csv.gz',
      'usage/usage_2026-01.csv', 'usage/usage_2026-02.csv', 'usage/usage_2026-03.csv.gz', 'usage/usage_2026-04.csv.gz', 'usage/usage_2026-05.csv',
      'billing/billing_2026-02.csv', 'surveys/survey_2026-Q1.csv', 'tickets/tickets_2026-02.csv', 'tickets/tickets_export.csv',
      'campaigns/campaign_C1.csv',
    ]);
  });

  it('rejects a file without a required column whole, naming the column; the others load', async () => {
    const f = result.byFile.get('usage/usage_2026-01.csv')!;
    expect(f).toMatchObject({ read: 0, loaded: 0, rejected: 0, superseded: 0, skipped: false });
    expect(f.fileRejection).toMatchObject({ code: 'missing_required_column' });
    expect(f.fileRejection!.message).toContain('"interval_minutes"');
    const stored = await rows(`select file_rejection_code, file_rejection_message, rows_read from ops.etl_file where run_id = $1 and file_name = $2`, [result.runId, f.file]);
    expect(stored).toEqual([{ file_rejection_code: 'missing_required_column', file_rejection_message: f.fileRejection!.message, rows_read: 0 }]);
    expect(result.byFile.get('usage/usage_2026-02.csv')).toMatchObject({ read: 3, loaded: 2, rejected: 1, fileRejection: null });
    expect(result.byFile.get('usage/usage_2026-02.csv')!.warnings.join()).toContain('"meter_no"');
  });

  it('rejects a corrupt .gz whole, and a cut-short one without keeping any of its rows', async () => {
    expect(result.byFile.get('usage/usage_2026-04.csv.gz')!.fileRejection).toMatchObject({ code: 'corrupt_gzip' });
    const cut = result.byFile.get('usage/usage_2026-03.csv.gz')!;
    expect(cut.fileRejection).toMatchObject({ code: 'corrupt_gzip' });
    expect(cut.read).toBe(0);
    expect(await rows(`select count(*)::int as n from core.usage_reading where customer_id = 'G2'`)).toEqual([{ n: 0 }]);
    expect(await rows(`select count(*)::int as n from ops.rejected_row where file_name like '%.gz'`)).toEqual([{ n: 0 }]);
    expect(result.byFile.get('usage/usage_2026-05.csv')!.fileRejection).toMatchObject({ code: 'empty_file' });
    expect(result.byFile.get('tickets/tickets_export.csv')!.fileRejection).toMatchObject({ code: 'not_csv' });
    expect(result.byFile.get('tickets/tickets_export.csv')!.fileRejection!.message).toContain('ZIP');
  });

  it('loads a GBK file with correct Chinese text, and a .csv.gz', async () => {
    expect(result.byFile.get('customers/customers_2026-01.csv')).toMatchObject({ encoding: 'gb18030', read: 2, loaded: 2 });
    expect(result.byFile.get('customers/customers_2026-02.csv.gz')).toMatchObject({ read: 1, loaded: 1, encoding: 'utf-8' });
    expect(await rows(`select c.customer_id, customer_class, region, tariff, preferred_channel, green_plan, contract_type, name, address
                       from core.customer c left join core.customer_pii using (customer_id) order by 1`)).toEqual([
      { customer_id: 'G1', customer_class: 'residential', region: '江城区', tariff: 'tiered', preferred_channel: 'wechat', green_plan: false, contract_type: 'standard', name: '张三', address: '江城区 滨江路 8 号 301 室' },
      { customer_id: 'G2', customer_class: 'large_industrial', region: '高新区', tariff: 'tou', preferred_channel: 'hotline', green_plan: true, contract_type: 'long_term', name: '李四', address: '青溪县 溪口镇 2 号' },
      { customer_id: 'Z9', customer_class: 'commercial', region: '南湾区', tariff: 'flat', preferred_channel: null, green_plan: false, contract_type: 'standard', name: null, address: null },
    ]);
    expect(await rows(`select customer_id, valid_from, valid_to from core.customer_history order by 1`)).toEqual([
      { customer_id: 'G1', valid_from: '2020-01-01', valid_to: null },
      { customer_id: 'G2', valid_from: '2019-05-01', valid_to: null },
      { customer_id: 'Z9', valid_from: '2026-02-10', valid_to: null },
    ]);
  });

  it('rejects rows of unknown customers in every entity (unknown_customer); an empty customer_id is anonymous', async () => {
    for (const file of ['usage/usage_2026-02.csv', 'billing/billing_2026-02.csv', 'surveys/survey_2026-Q1.csv', 'tickets/tickets_2026-02.csv', 'campaigns/campaign_C1.csv']) {
      expect(result.byFile.get(file)!.rejectedByReason, file).toEqual({ unknown_customer: 1 });
    }
    const quarantined = await rows(`select file_name, line, reason_code, field, raw_line from ops.rejected_row where run_id = $1 order by file_name`, [result.runId]);
    expect(quarantined).toContainEqual({ file_name: 'tickets/tickets_2026-02.csv', line: 3, reason_code: 'unknown_customer', field: 'customer_id', raw_line: 'T2,NOPE,2026-02-03 09:00,web,inquiry,' });
    expect(quarantined.every((r) => r.reason_code === 'unknown_customer' && r.raw_line.includes('NOPE'))).toBe(true);
    expect(await rows(`select ticket_id, customer_id from core.ticket order by 1`)).toEqual([{ ticket_id: 'T1', customer_id: null }, { ticket_id: 'T3', customer_id: 'G2' }]);
    expect(await rows(`select response_id, customer_id from core.survey_response order by 1`)).toEqual([{ response_id: 'S1', customer_id: 'G1' }, { response_id: 'S2', customer_id: null }]);
  });

  it('applies the contract defaults, the time zone, and round-trips text that COPY must escape', async () => {
    expect(await rows(`select customer_id, to_char(reading_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as utc, kwh, quality from core.usage_reading order by 1`)).toEqual([
      { customer_id: 'G1', utc: '2026-01-31 16:00', kwh: 5.5, quality: 'actual' },
      { customer_id: 'Z9', utc: '2026-02-01 00:00', kwh: 1, quality: 'estimated' },
    ]);
    expect(await rows(`select holdout, accepted from core.campaign_contact`)).toEqual([{ holdout: false, accepted: null }]);
    expect(await rows(`select category, channel, type from core.ticket where ticket_id = 'T1'`)).toEqual([{ category: 'a\tb\\c', channel: 'counter', type: 'inquiry' }]);
    expect(await rows(`select response_id, comment from core.survey_comment`)).toEqual([{ response_id: 'S1', comment: '服务很好,\t谢谢 \\ 张三' }]);
    expect(await rows(`select customer_id, day from ${PENDING_USAGE_DAYS} order by 1`)).toEqual([
      { customer_id: 'G1', day: '2026-02-01' }, { customer_id: 'Z9', day: '2026-02-01' },
    ]);
  });

  it('reports progress up to the total bytes', () => {
    const total = result.files.reduce((s, f) => s + f.bytes, 0);
    expect(progress.at(-1)).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
  });

  it('next run: skips loaded content (also under another name), retries rejected files', async () => {
    const again = await ingest(db.pool, writeInbox({
      'customers/customers_2026-01.csv': iconv.encode(gbkCustomers, 'gbk'),
      'customers/copy_of_january.csv': iconv.encode(gbkCustomers, 'gbk'),
      'usage/usage_2026-01.csv': 'customer_id,reading_start,kwh,quality\nG1,2026-01-01 00:00,1.5,\n',
      'usage/usage_2026-06.csv': `customer_id,reading_start,interval_minutes,kwh,quality\n${usageLines('G2', 8)}\n`,
    }));
    expect(again.files.map((f) => [f.file, f.skipped, f.fileRejection?.code ?? null, f.loaded])).toEqual([
      ['customers/copy_of_january.csv', true, null, 0],
      ['customers/customers_2026-01.csv', true, null, 0],
      ['usage/usage_2026-01.csv', false, 'missing_required_column', 0],
      ['usage/usage_2026-06.csv', false, null, 8],
    ]);
  });
});

describe('large files', () => {
  it('quarantines in batches between COPY segments, and copies a row larger than a COPY chunk', async () => {
    const lines = usageLines('Z9', 30_000).split('\n').map((line, i) => (i % 2 === 1 ? line.replace('Z9', 'NOPE') : line));
    const huge = '长'.repeat(600_000);
    const result = await ingest(db.pool, writeInbox({
      'usage/usage_big.csv': `customer_id,reading_start,interval_minutes,kwh,quality\n${lines.join('\n')}\n`,
      'tickets/tickets_big.csv': `ticket_id,customer_id,opened_at,channel,type,category\nTB1,G1,2026-03-01 08:00,web,inquiry,${huge}\n`,
    }));
    expect(result.byFile.get('usage/usage_big.csv')).toMatchObject({ read: 30_000, loaded: 15_000, rejected: 15_000, rejectedByReason: { unknown_customer: 15_000 } });
    expect(await rows(`select count(*)::int as n from ops.rejected_row where run_id = $1`, [result.runId])).toEqual([{ n: 15_000 }]);
    expect(await rows(`select count(*)::int as n from core.usage_reading where customer_id = 'Z9' and interval_minutes = 15`)).toEqual([{ n: 15_000 }]);
    expect(await rows(`select length(category) as n from core.ticket where ticket_id = 'TB1'`)).toEqual([{ n: 600_000 }]);
  });
});

describe('a retried ingest step (same run)', () => {
  it('reports the files the run already loaded with their counts, not as skipped', async () => {
    const inbox = writeInbox({ 'campaigns/retry.csv': 'contact_id,campaign_id,offer_type,customer_id,sent_on,channel\nK7,C7,points,G1,2026-03-01,sms\nK8,C7,points,NOPE,2026-03-01,sms\n' });
    const runId = await newRun(db.pool);
    const once = await ingestInbox({ pool: db.pool, runId, inbox, timeZone: TZ, logger: silent });
    const twice = await ingestInbox({ pool: db.pool, runId, inbox, timeZone: TZ, logger: silent });
    expect(once.files[0]).toMatchObject({ skipped: false, read: 2, loaded: 1, rejected: 1, rejectedByReason: { unknown_customer: 1 } });
    expect(twice.files).toEqual(once.files);
    expect(await rows(`select rows_loaded, skipped from ops.etl_file where run_id = $1`, [runId])).toEqual([{ rows_loaded: 1, skipped: false }]);
  });
});

describe('a file that changes while it is loaded', () => {
  it('is rolled back and fails the step, with a message saying what to do', async () => {
    const inbox = writeInbox({ 'campaigns/late.csv': 'contact_id,campaign_id,offer_type,customer_id,sent_on,channel\nK9,C9,points,G1,2026-03-01,sms\n' });
    const [file] = await discoverInbox(inbox);
    const runId = await newRun(db.pool);
    const client = await db.pool.connect();
    try {
      await expect(loadFile({
        client, runId, fileSeq: 1, file, sha256: '0'.repeat(64), timeZone: TZ, effectiveDate: '2026-03-01', isKnownCustomer: () => true,
      })).rejects.toThrow(/changed while it was being loaded .* run again once the file is complete/);
    } finally {
      client.release();
    }
    expect(await rows(`select count(*)::int as n from core.campaign_contact where contact_id = 'K9'`)).toEqual([{ n: 0 }]);
    expect(await rows(`select count(*)::int as n from ops.etl_file where run_id = $1`, [runId])).toEqual([{ n: 0 }]);
  });
});
