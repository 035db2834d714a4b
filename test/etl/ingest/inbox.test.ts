// Inbox discovery, file hashing and the effective date in a customers file's name.

import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverInbox, effectiveDateFromName, hashFile } from '../../../etl/ingest/inbox.ts';

const root = mkdtempSync(join(tmpdir(), 'gridlens-inbox-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function inbox(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'inbox-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('discoverInbox', () => {
  it('lists entities in load order (customers first) and files in name order', async () => {
    const dir = inbox({
      'usage/usage_2026-02.csv': 'a',
      'usage/usage_2026-01.csv.gz': 'bb',
      'campaigns/c.CSV': 'c',
      'customers/customers_2026-01.csv': 'd',
      'billing/notes.txt': 'x',
      'billing/.~lock.billing.csv#': 'x',
      'billing/._billing.csv': 'x',
      'billing/billing.csv.part': 'x',
      'other/thing.csv': 'x',
    });
    mkdirSync(join(dir, 'tickets', 'sub.csv'), { recursive: true });
    const files = await discoverInbox(dir);
    expect(files.map((f) => [f.entity, f.file, f.bytes, f.gzip])).toEqual([
      ['customers', 'customers/customers_2026-01.csv', 1, false],
      ['usage', 'usage/usage_2026-01.csv.gz', 2, true],
      ['usage', 'usage/usage_2026-02.csv', 1, false],
      ['campaigns', 'campaigns/c.CSV', 1, false],
    ]);
    expect(files[0].path).toBe(join(dir, 'customers', 'customers_2026-01.csv'));
  });

  it('treats a missing inbox or entity folder as empty', async () => {
    expect(await discoverInbox(join(root, 'nope'))).toEqual([]);
  });
});

describe('hashFile', () => {
  it('is the sha256 of the bytes', async () => {
    const dir = inbox({ 'usage/a.csv': 'x'.repeat(3_000_000) });
    expect(await hashFile(join(dir, 'usage/a.csv'))).toBe(createHash('sha256').update('x'.repeat(3_000_000)).digest('hex'));
  });
});

describe('effectiveDateFromName', () => {
  it.each([
    ['customers/customers_2026-03.csv', '2026-03-01'],
    ['customers_2026-03.csv.gz', '2026-03-01'],
    ['customers_2026-03-15.csv', '2026-03-15'],
    ['customers_2026-03-15_fix.csv', '2026-03-15'],
    ['cis-export-2025-12-delta.csv', '2025-12-01'],
    ['customers_2026-02-30.csv', null], // not a real date: none (the run's date applies)
    ['customers_2026-13.csv', null],
    ['customers_202603.csv', null],
    ['customers_12026-03.csv', null],
    ['customers.csv', null],
    ['2026-03/customers_2026-04.csv', '2026-04-01'], // only the file name counts
  ])('%s → %s', (name, date) => {
    expect(effectiveDateFromName(name)).toBe(date);
  });
});
