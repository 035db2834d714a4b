// The improvement-action register's ingest (etl/ingest/ingest-actions.ts):
// valid rows into core.improvement_action, every bad row quarantined in
// ops.rejected_row with file, line and reason, the file's ops.etl_file row
// accounting for every row (read = loaded + rejected + superseded), a file
// without a required column rejected whole, the same content skipped, and
// a later file's row of an action_id replacing the earlier one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestActions } from '../../../etl/ingest/ingest-actions.ts';
import { ingest, ingestDatabase, newRun, removeInboxes, silent, writeInbox, type IngestDatabase } from './ingest-helpers.ts';

let db: IngestDatabase;
beforeAll(async () => {
  db = await ingestDatabase('actions');
}, 120_000);
afterAll(async () => {
  await db?.close();
  removeInboxes();
});

const CUSTOMERS = [
  'customer_id,customer_class,region,tariff,opened_on',
  '3300000001,residential,江城区,flat,2020-01-01',
  '3300000002,commercial,临湖区,flat,2020-01-01',
  '3300000003,residential,西山区,flat,2020-01-01',
].join('\n') + '\n';

// Line numbers: header is line 1.
const REGISTER = [
  'action_id,action_date,regions,segments,target,description',
  'A1,2026-03-01,江城区;临湖区,,supply_reliability,Feeder automation', //  2 ok (target synonym)
  'A2,2026-02-30,江城区,,reliability,bad date', //                          3 bad_date
  'A3,2026-03-01,火星区,,reliability,unknown region', //                    4 bad_enum (regions)
  'A4,2026-03-01,江城区,villas,reliability,unknown segment', //             5 bad_enum (segments)
  'A5,2026-03-01,江城区,,kpi_dso,unknown target', //                        6 bad_enum (target)
  ',2026-03-01,江城区,,reliability,no id', //                               7 missing_value
  'A6,2026-03-01,江城区,residential', //                                    8 wrong_field_count
  'A7,2026-04-01,西山区,residential;sme,nps,"Saturday hours, 营业厅"', //   9 ok (quoted comma)
  'A1,2026-03-15,江城区,,reliability,corrected date', //                    10 ok, supersedes line 2
  'A8,2026-03-01,江城区,,"service,broken quote', //                          11 unbalanced_quote
].join('\n') + '\n';

describe('ingestActions', () => {
  it('loads the valid rows and quarantines every bad one with file, line and reason; the counts add up', async () => {
    const inbox = writeInbox({ 'customers/customers_2026-01.csv': CUSTOMERS, 'actions/register.csv': REGISTER });
    const { runId } = await ingest(db.pool, inbox);
    const { files } = await ingestActions({ pool: db.pool, runId, inbox, logger: silent });
    expect(files).toHaveLength(1);
    const f = files[0];
    const dataLines = REGISTER.trim().split('\n').length - 1;
    expect(f.read).toBe(dataLines);
    expect(f.read).toBe(f.loaded + f.rejected + f.superseded);
    expect([f.loaded, f.rejected, f.superseded]).toEqual([2, 7, 1]);

    const rejected = await db.pool.query(`select line, reason_code, field from ops.rejected_row where run_id = $1 and entity = 'actions' and file_name = 'actions/register.csv' order by line`, [runId]);
    expect(rejected.rows.map((r) => [r.line, r.reason_code, r.field])).toEqual([
      [3, 'bad_date', 'action_date'], [4, 'bad_enum', 'regions'], [5, 'bad_enum', 'segments'], [6, 'bad_enum', 'target'],
      [7, 'missing_value', 'action_id'], [8, 'wrong_field_count', null], [11, 'unbalanced_quote', null],
    ]);
    const recorded = await db.pool.query(`select rows_read::int, rows_loaded::int, rows_rejected::int, rows_superseded::int, rejected_by_reason from ops.etl_file where run_id = $1 and entity = 'actions'`, [runId]);
    expect(recorded.rows[0]).toMatchObject({ rows_read: f.read, rows_loaded: 2, rows_rejected: 7, rows_superseded: 1 });
    expect(recorded.rows[0].rejected_by_reason).toEqual({ bad_date: 1, bad_enum: 3, missing_value: 1, wrong_field_count: 1, unbalanced_quote: 1 });

    const core = await db.pool.query(`select action_id, action_date::text, regions, segments, target, description, line from core.improvement_action order by action_id`);
    expect(core.rows).toEqual([
      { action_id: 'A1', action_date: '2026-03-15', regions: ['江城区'], segments: null, target: 'reliability', description: 'corrected date', line: 10 },
      { action_id: 'A7', action_date: '2026-04-01', regions: ['西山区'], segments: ['residential', 'sme'], target: 'nps', description: 'Saturday hours, 营业厅', line: 9 },
    ]);

    // The same content again: skipped, nothing read.
    const again = await ingestActions({ pool: db.pool, runId: await newRun(db.pool), inbox, logger: silent });
    expect(again.files[0]).toMatchObject({ skipped: true, read: 0, loaded: 0 });
  });

  it('rejects a file without a required column whole (counts 0), and a later file replaces an action', async () => {
    const inbox = writeInbox({
      'actions/a_bad.csv': 'action_id,action_date,segments,target\nB1,2026-01-01,,reliability\n',
      'actions/b_fix.csv': 'action_id,action_date,regions,target\nA7,2026-05-01,西山区,service\n',
    });
    const runId = await newRun(db.pool);
    const { files } = await ingestActions({ pool: db.pool, runId, inbox, logger: silent });
    expect(files.map((f) => [f.file, f.fileRejection?.code ?? null, f.read, f.loaded])).toEqual([
      ['actions/a_bad.csv', 'missing_required_column', 0, 0],
      ['actions/b_fix.csv', null, 1, 1],
    ]);
    const e = await db.pool.query(`select file_rejection_code, rows_read::int from ops.etl_file where run_id = $1 and file_name = 'actions/a_bad.csv'`, [runId]);
    expect(e.rows[0]).toMatchObject({ file_rejection_code: 'missing_required_column', rows_read: 0 });
    const a7 = await db.pool.query(`select action_date::text, target, segments, file_name from core.improvement_action where action_id = 'A7'`);
    expect(a7.rows[0]).toEqual({ action_date: '2026-05-01', target: 'service', segments: null, file_name: 'actions/b_fix.csv' });
  });
});
