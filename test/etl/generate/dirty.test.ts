// `--dirty`: the defects salted into the files are exactly those truth.json
// counts, each gets the rejection reason the contract layer gives it, every
// file's accounting adds up, and no clean row is lost or altered.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_NAMES } from '../../../etl/contract/entities.ts';
import { decodeFile, generatedInbox, loadCustomers, readTruth, scanEntity, type FileReport } from '../../helpers/generated.ts';

const base = { customers: 1500, months: 6, seed: 5, end: '2026-03', surveyRate: 0.3 };
let dirtyDir: string;
let cleanDir: string;
let truth: any;
const reports = new Map<string, FileReport>();
const loadedLines = new Map<string, string[]>();

beforeAll(() => {
  dirtyDir = generatedInbox({ ...base, dirty: true });
  cleanDir = generatedInbox(base);
  truth = readTruth(dirtyDir);
  const customers = loadCustomers(dirtyDir);
  for (const entity of ENTITY_NAMES) {
    const list = scanEntity(dirtyDir, entity, (_row, file, _line, raw) => {
      (loadedLines.get(file) ?? loadedLines.set(file, []).get(file)!).push(raw);
    }, (id) => customers.has(id));
    for (const r of list) reports.set(r.file, r);
  }
}, 300_000);

describe('--dirty', () => {
  it('plants every kind of defect, and counts them in truth.json', () => {
    for (const code of ['negative_kwh', 'bad_timestamp', 'bad_date', 'unknown_customer', 'duplicate_key', 'date_order', 'bad_enum', 'out_of_range']) {
      expect(truth.dirty.totals[code], code).toBeGreaterThan(0);
    }
  });

  it('gives each defect the reason truth.json names, file by file', () => {
    for (const f of truth.files) {
      const r = reports.get(f.file)!;
      const { duplicate_key: duplicates = 0, ...rejections } = f.defects;
      expect(r.rejected, f.file).toEqual(rejections);
      expect(r.superseded, f.file).toBe(duplicates);
    }
  });

  it('accounts for every row: read = loaded + rejected + superseded', () => {
    for (const f of truth.files) {
      const r = reports.get(f.file)!;
      const rejected = Object.values(r.rejected).reduce((a, b) => a + (b ?? 0), 0);
      const loaded = loadedLines.get(f.file)?.length ?? 0;
      expect(r.read, f.file).toBe(f.rows);
      expect(loaded + rejected + r.superseded, f.file).toBe(r.read);
    }
  });

  it('loses and alters no clean row: what loads equals the clean run, line for line', () => {
    for (const f of truth.files) {
      const clean = decodeFile(join(cleanDir, f.file)).text.split('\n').slice(1).filter((l) => l !== '');
      expect(loadedLines.get(f.file) ?? [], f.file).toEqual(clean);
    }
  });

  it('writes one customers file as a GBK export that only decodes as GB18030', () => {
    expect(truth.dirty.gbk_files).toHaveLength(1);
    const file = truth.dirty.gbk_files[0];
    const bytes = readFileSync(join(dirtyDir, file));
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { text, encoding } = decodeFile(join(dirtyDir, file));
    expect(encoding).toBe('gb18030');
    expect(text).toMatch(/居民|县|区/);
    expect(reports.get(file)!.encoding).toBe('gb18030');
  });
});
