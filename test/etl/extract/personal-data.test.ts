// The personal-data scanner of no-personal-data.db.test.ts on small inputs:
// what it reads from an inbox (every account number, quoted fields, GB18030,
// names and phones inside comments, short values skipped) and that it finds a
// value wherever it sits: bytes, a dictionary or plain string cell, a number,
// a manifest string.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tableFromArrays, tableToIPC, vectorFromArray, Dictionary, Int32, Utf8, Table } from 'apache-arrow';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountNumbersAsNumbers, isMeaningful, parseCsv, readInboxPersonalData, scanBytes, scanJson, scanPublished, scanTable,
  type InboxPersonalData,
} from './personal-data.ts';

describe('parseCsv', () => {
  it('reads RFC 4180: quoted commas, doubled quotes, newlines in quotes, CRLF, blank lines', () => {
    expect(parseCsv('a,b,c\r\n1,"x, ""y""",\n\n"multi\nline",2,3')).toEqual([['a', 'b', 'c'], ['1', 'x, "y"', ''], ['multi\nline', '2', '3']]);
  });
});

describe('readInboxPersonalData', () => {
  let inbox: string;
  let data: InboxPersonalData;
  beforeAll(async () => {
    inbox = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-pii-'));
    for (const d of ['customers', 'surveys', 'usage']) await fs.mkdir(path.join(inbox, d));
    await fs.writeFile(path.join(inbox, 'customers/a.csv'),
      'customer_id,name,phone,address,customer_class,region\n' +
      'A1,王,13800000001,"云岭县人民路1号, 2栋",residential,云岭县\n' + // one-character name: skipped
      'A2,李小明,,云岭县,residential,云岭县\n'); // an "address" that is just the region: generic, skipped
    await fs.writeFile(path.join(inbox, 'customers/b.csv'), iconv.encode('customer_id,name\nA3,张伟强\n', 'gb18030'));
    await fs.writeFile(path.join(inbox, 'surveys/s.csv'), 'response_id,customer_id,comment\nR1,A1,"停电了。我是赵敏，电话13912345678"\nR2,,还可以\n');
    await fs.writeFile(path.join(inbox, 'usage/u.csv'), 'customer_id,kwh\nZ999,1\n'); // an unknown customer is an account number too
    data = readInboxPersonalData(inbox);
  });
  afterAll(async () => {
    await fs.rm(inbox, { recursive: true, force: true });
  });

  it('takes every account number, and the meaningful names, phones, addresses, comments and what comments quote', () => {
    expect([...data.accountNumbers].sort()).toEqual(['A1', 'A2', 'A3', 'Z999']);
    const texts = (kind: string) => data.needles.filter((n) => n.kind === kind).map((n) => n.text);
    expect(texts('account_number')).toEqual(['A1', 'A2', 'A3', 'Z999']);
    expect(texts('name')).toEqual(['李小明', '张伟强']);
    expect(texts('phone')).toEqual(['13800000001']);
    expect(texts('address')).toEqual(['云岭县人民路1号, 2栋']);
    expect(texts('comment')).toEqual(['停电了。我是赵敏，电话13912345678', '还可以']);
    expect(texts('name_in_comment')).toEqual(['赵敏']);
    expect(texts('phone_in_comment')).toEqual(['13912345678']);
    expect(data.skipped.map((n) => n.text).sort()).toEqual(['云岭县', '王']);
    expect(isMeaningful('Li', new Set())).toBe(false);
  });

  it('finds each kind of value in bytes, dictionary and plain string cells, numbers and manifest strings', async () => {
    const accounts = accountNumbersAsNumbers(['3300000001']);
    const needles = [...data.needles, { kind: 'account_number' as const, label: 'account 3300000001', from: 'x', text: '3300000001' }];
    const dict = vectorFromArray(['云岭县', '李小明先生'], new Dictionary(new Utf8(), new Int32()));
    const table = new Table({ region: dict, note: vectorFromArray(['ok', '13800000001'], new Utf8()), kwh: vectorFromArray([1.5, 3300000001]) });
    const found = scanTable('t.arrow', table, needles, accounts).map((f) => `${f.needle.text} ${f.where}`);
    expect(found.sort()).toEqual(['13800000001 cell note row 1', '3300000001 number kwh row 1', '李小明 cell region row 1']);
    expect(scanTable('t.arrow', tableFromArrays({ n: Int32Array.from([1, 2]) }), needles, accounts)).toEqual([]);
    expect(scanBytes('x', Buffer.from('..张伟强..'), needles).map((f) => f.needle.text)).toEqual(['张伟强']);
    expect(scanJson('m.json', { files: [{ description: '含 A2 号' }], n: 3300000001 }, needles, accounts).map((f) => f.where))
      .toEqual(['manifest $.files[0].description', 'manifest $.n']);

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-pii-published-'));
    try {
      await fs.writeFile(path.join(dir, 't.arrow'), tableToIPC(table, 'stream'));
      await fs.writeFile(path.join(dir, 'manifest.json'), '{"ok":true}');
      expect(scanPublished(dir, needles, accounts).findings.length).toBeGreaterThanOrEqual(4); // bytes and cells of t.arrow
      await fs.writeFile(path.join(dir, 'notes.txt'), '');
      expect(() => scanPublished(dir, needles, accounts)).toThrow(/notes\.txt: neither an extract/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
