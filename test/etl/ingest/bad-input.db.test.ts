// The bad-input corpus (test/fixtures/bad-input/) through the real ETL run
// (runEtl: ingest → pseudonyms → rollups → marts → published extracts) on a
// real PostgreSQL, each case on an emptied warehouse (bad-input-warehouse.ts).
// For every case and file:
//
// - the run completes (status succeeded, extracts published): bad input never
//   fails a run;
// - a file the contract rejects whole is recorded with its reason code and a
//   message naming the problem, and nothing of it is read or loaded;
// - otherwise the accounting is exact (read = loaded + rejected + superseded,
//   in the run result and in ops.etl_file), and ops.rejected_row holds exactly
//   the expected rows: line, reason code, column, message, and the raw line
//   as it is in the file (decoded here, independently of the ETL);
// - the run's totals in the manifest add up over the files;
// - the warehouse holds exactly the expected rows (the good rows around the
//   bad ones, with exact values);
// - personal text never reaches an extract, and text that does reach one
//   arrives as plain string data, byte for byte.

import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../etl/log.ts';
import { runEtl, type RunSummary } from '../../../etl/run/run-etl.ts';
import { MARTS } from '../../../etl/transform/mart-catalog.ts';
import {
  buildInbox, caseProblems, isRejectedWhole, loadCorpus,
  type BadInputCase, type ExtractExpectation, type LoadedFileExpectation,
} from './bad-input-corpus.ts';
import { badInputWarehouse, type BadInputWarehouse, type CaseWarehouse } from './bad-input-warehouse.ts';

const corpus = loadCorpus();
let warehouse: BadInputWarehouse;

beforeAll(async () => {
  warehouse = await badInputWarehouse('bad_input');
}, 120_000);
afterAll(async () => {
  await warehouse?.close();
});

/** The file's physical lines (line endings removed), decoded without the ETL's code. */
function physicalLines(path: string, encoding: 'utf-8' | 'gb18030' | null | undefined): string[] {
  let bytes: Uint8Array = readFileSync(path);
  if (/\.gz$/i.test(path)) bytes = gunzipSync(bytes);
  let text: string;
  if (encoding === 'gb18030') text = new TextDecoder('gb18030').decode(bytes);
  else if (encoding === 'utf-8' || encoding === null) text = new TextDecoder('utf-8').decode(bytes);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('gb18030').decode(bytes);
    }
  }
  return text.split('\n').map((line) => line.replace(/\r$/, ''));
}

/** Query results as plain JSON values (timestamptz → ISO 8601 UTC). */
function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])));
}

async function checkLoadedFile(wh: CaseWarehouse, runId: number, inbox: string, file: string, e: LoadedFileExpectation): Promise<void> {
  const { rows: [stored] } = await wh.pool.query(
    `select rows_read, rows_loaded, rows_rejected, rows_superseded, rejected_by_reason, file_rejection_code, encoding, warnings
       from ops.etl_file where run_id = $1 and file_name = $2`, [runId, file]);
  expect(stored, `${file}: ops.etl_file row`).toBeDefined();
  expect(stored.file_rejection_code, `${file}: not rejected whole`).toBeNull();
  const superseded = e.superseded ?? 0;
  expect(
    { read: stored.rows_read, loaded: stored.rows_loaded, rejected: stored.rows_rejected, superseded: stored.rows_superseded },
    `${file}: accounting`,
  ).toEqual({ read: e.read, loaded: e.loaded, rejected: e.rejected.length, superseded });
  expect(stored.rows_read, `${file}: read = loaded + rejected + superseded`).toBe(stored.rows_loaded + stored.rows_rejected + stored.rows_superseded);
  const byReason: Record<string, number> = {};
  for (const r of e.rejected) byReason[r.code] = (byReason[r.code] ?? 0) + 1;
  expect(stored.rejected_by_reason, `${file}: rejected by reason`).toEqual(byReason);
  if (e.encoding !== undefined) expect(stored.encoding, `${file}: encoding`).toBe(e.encoding);
  for (const part of e.warningsInclude ?? []) {
    expect((stored.warnings as string[]).some((w) => w.includes(part)), `${file}: a warning mentions ${part}: ${JSON.stringify(stored.warnings)}`).toBe(true);
  }
  if (e.warningCount !== undefined) expect((stored.warnings as string[]).length, `${file}: warnings`).toBe(e.warningCount);

  const { rows: quarantined } = await wh.pool.query(
    `select line, reason_code, field, message, raw_line from ops.rejected_row where run_id = $1 and file_name = $2 order by line, id`, [runId, file]);
  expect(quarantined.map((q) => ({ line: q.line, code: q.reason_code, field: q.field })), `${file}: quarantined rows`)
    .toEqual([...e.rejected].sort((a, b) => a.line - b.line).map((r) => ({ line: r.line, code: r.code, field: r.field })));
  const lines = physicalLines(join(inbox, file), e.encoding);
  for (const [i, r] of [...e.rejected].sort((a, b) => a.line - b.line).entries()) {
    const q = quarantined[i];
    for (const part of r.messageIncludes ?? []) expect(q.message, `${file}:${r.line} message`).toContain(part);
    if (r.raw) {
      expect(q.raw_line.startsWith(r.raw.startsWith), `${file}:${r.line} raw line start`).toBe(true);
      expect(q.raw_line.length, `${file}:${r.line} raw line length`).toBe(r.raw.length);
    } else {
      expect(q.raw_line, `${file}:${r.line} raw line`).toBe(lines[r.line - 1]);
    }
  }
}

function checkExtracts(extracts: string, e: ExtractExpectation | undefined): void {
  const dir = join(extracts, 'current');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(MARTS.map((m) => m.name));
  if (!e) return;
  const published = readdirSync(dir).filter((f) => f.endsWith('.arrow') || f === 'manifest.json');
  const strings = new Map<string, string[]>(); // mart.column → its string values
  for (const f of published) {
    const bytes = readFileSync(join(dir, f));
    for (const secret of e.absent ?? []) expect(bytes.includes(Buffer.from(secret, 'utf8')), `${f} holds ${JSON.stringify(secret)}`).toBe(false);
    if (!f.endsWith('.arrow')) continue;
    const table = tableFromIPC(bytes);
    for (const field of table.schema.fields) {
      const values = table.getChild(field.name)!.toArray() as unknown[];
      strings.set(`${f.replace(/\.arrow$/, '')}.${field.name}`, values.filter((v): v is string => typeof v === 'string'));
    }
  }
  for (const [where, values] of strings) {
    for (const secret of e.absent ?? []) expect(values.some((v) => v.includes(secret)), `${where} holds ${JSON.stringify(secret)}`).toBe(false);
  }
  for (const p of e.present ?? []) {
    expect(strings.get(`${p.mart}.${p.column}`), `${p.mart}.${p.column}`).toContain(p.value);
  }
}

async function runCase(c: BadInputCase): Promise<void> {
  const inbox = buildInbox(c);
  const home = `${inbox}-home`;
  const wh = await warehouse.reset(home);
  const log: string[] = [];
  try {
    const logger = createLogger({ level: 'warn', json: true, isTTY: false, write: (line) => log.push(line) });
    const summary: RunSummary = await runEtl({ pool: wh.pool, config: wh.config, inbox, extracts: wh.extracts, full: false, logger });
    expect(summary.status, `run failed: ${summary.error}\n${log.join('\n')}`).toBe('succeeded');
    const runId = summary.run_id!;

    expect(summary.files.map((f) => f.file).sort(), 'files seen by the run').toEqual(Object.keys(c.expect.files).sort());
    for (const f of summary.files) expect(f.read, `${f.file}: read = loaded + rejected + superseded`).toBe(f.loaded + f.rejected + f.superseded);

    for (const [file, e] of Object.entries(c.expect.files)) {
      if (isRejectedWhole(e)) {
        const { rows: [stored] } = await wh.pool.query(
          `select file_rejection_code, file_rejection_message, rows_read, rows_loaded, rows_rejected, rows_superseded
             from ops.etl_file where run_id = $1 and file_name = $2`, [runId, file]);
        expect(stored, `${file}: ops.etl_file row`).toBeDefined();
        expect(stored.file_rejection_code, `${file}: ${stored.file_rejection_message}`).toBe(e.rejectedWhole.code);
        for (const part of e.rejectedWhole.messageIncludes) expect(stored.file_rejection_message, `${file}: message`).toContain(part);
        expect([stored.rows_read, stored.rows_loaded, stored.rows_rejected, stored.rows_superseded], `${file}: nothing read`).toEqual([0, 0, 0, 0]);
        const { rows: [q] } = await wh.pool.query(`select count(*)::int as n from ops.rejected_row where file_name = $1`, [file]);
        expect(q.n, `${file}: no row quarantined`).toBe(0);
      } else {
        await checkLoadedFile(wh, runId, inbox, file, e);
      }
    }

    // The run's totals, as published in the manifest, add up over the files.
    const manifest = JSON.parse(readFileSync(join(wh.extracts, 'current', 'manifest.json'), 'utf8'));
    const loadedFiles = Object.values(c.expect.files).filter((e): e is LoadedFileExpectation => !isRejectedWhole(e));
    expect(manifest.run, 'manifest run totals').toMatchObject({
      status: 'succeeded',
      rows_read: loadedFiles.reduce((s, e) => s + e.read, 0),
      rows_rejected: loadedFiles.reduce((s, e) => s + e.rejected.length, 0),
      files_rejected: Object.values(c.expect.files).filter(isRejectedWhole).length,
    });

    for (const q of c.expect.core) {
      const { rows } = await wh.pool.query(q.sql);
      expect(plain(rows), q.sql).toEqual(q.rows);
    }
    checkExtracts(wh.extracts, c.expect.extracts);
  } finally {
    rmSync(inbox, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

describe('bad-input corpus', () => {
  it('has at least 30 well-formed cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    for (const c of corpus) expect(caseProblems(c), c.name).toEqual([]);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await runCase(c);
  }, 180_000);
});
