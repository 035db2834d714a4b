// No personal data in what is published. A generated utility (dirty, with many
// survey comments that quote names and phone numbers) goes through the real
// ETL (CLI) into a scratch database and published extracts; the inbox is read
// independently (personal-data.ts) and every published file of the current
// version — each .arrow extract and manifest.json — is searched for every
// name, phone, address, comment, name or phone quoted in a comment, and every
// account number of any row: in the raw bytes (UTF-8), in every decoded cell of
// every Arrow column, in every string of the manifest, and, for account
// numbers, in every numeric cell. The pseudonym secret appears nowhere, and the
// customer keys are HMACs of the account numbers under that secret: exactly
// recomputable with it, not with another secret nor with an unkeyed hash.
// Self-checks keep the scan from passing vacuously: a value planted in a copy
// of an extract's bytes is found, and a mart that leaks core.customer_pii under
// innocent column names, published by the real publisher, is caught.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishExtracts } from '../../../etl/extract/publish.ts';
import { pseudonymCandidate, secretFingerprint, SECRET_FILE_NAME } from '../../../etl/extract/pseudonym.ts';
import { generatedInbox, loadCustomers } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../run/pipeline-helpers.ts';
import {
  accountNumbersAsNumbers, describeFindings, readInboxPersonalData, scanBytes, scanPublished, secretNeedles,
  type InboxPersonalData, type Needle,
} from './personal-data.ts';

let p: Pipeline;
let inbox: string;
let personal: InboxPersonalData;
let secret: string;
let current: string;
let accountsAsNumbers: Map<number, string>;

beforeAll(async () => {
  // Surveys at 90 % of customers per wave: ~30 % of responses carry a comment, a third of those quote a name or phone.
  inbox = generatedInbox({ customers: 300, months: 6, seed: 47, end: '2026-06', surveyRate: 0.9, dirty: true });
  p = await pipelineDatabase('nopii');
  const r = await etl(p, ['run', '--inbox', inbox, '--json']);
  expect(r.code, r.stderr).toBe(0);
  personal = readInboxPersonalData(inbox);
  accountsAsNumbers = accountNumbersAsNumbers(personal.accountNumbers);
  // The secret the run used: the environment's, else the file it made under GRIDLENS_HOME.
  secret = process.env.GRIDLENS_PSEUDONYM_SECRET || readFileSync(join(p.home, SECRET_FILE_NAME), 'utf8').trim();
  current = join(p.extracts, 'current');
}, 300_000);

afterAll(async () => {
  await p?.close();
});

function count(kind: Needle['kind']): number {
  return personal.needles.filter((n) => n.kind === kind).length;
}

describe('the inbox has personal data to keep out, and the warehouse holds it', () => {
  it('reads names, phones, addresses, comments (some quoting names and phones) and every account number', async () => {
    const { rows: [db] } = await p.pool.query<{ customers: number; pii: number; comments: number }>(
      `select (select count(*)::int from core.customer) as customers, (select count(*)::int from core.customer_pii) as pii,
              (select count(*)::int from core.survey_comment) as comments`);
    // The warehouse loaded the personal data, so the marts could have leaked it.
    expect(db.pii).toBe(db.customers);
    expect(db.comments).toBeGreaterThan(100);
    expect(personal.accountNumbers.size).toBeGreaterThanOrEqual(db.customers); // plus unknown_customer defects
    expect(count('name')).toBeGreaterThan(0.9 * db.customers);
    expect(count('phone')).toBeGreaterThan(0.9 * db.customers);
    expect(count('address')).toBeGreaterThan(0.9 * db.customers);
    expect(count('comment')).toBeGreaterThan(10);
    expect(count('phone_in_comment')).toBeGreaterThan(10);
    expect(count('name_in_comment')).toBeGreaterThan(5);
    // Few values are too short or generic to search for: the scan is not emptied by skipping.
    expect(personal.skipped.length, personal.skipped.map((s) => s.label).join(', ')).toBeLessThan(0.05 * personal.needles.length);
  });
});

describe('published extracts', () => {
  it('hold no personal value: not in any file\'s bytes, any Arrow cell, any manifest string, nor as a number', async () => {
    const { files, findings } = scanPublished(current, personal.needles, accountsAsNumbers);
    const manifest = JSON.parse(readFileSync(join(current, 'manifest.json'), 'utf8'));
    // Every published file was scanned: each extract the manifest lists, and the manifest.
    expect(files).toEqual([...manifest.files.map((f: { file: string }) => f.file), 'manifest.json'].sort());
    expect(files.filter((f) => f.endsWith('.arrow')).length).toBeGreaterThanOrEqual(9);
    expect(findings, describeFindings(findings)).toEqual([]);
  });

  it('hold no trace of the pseudonym secret (as text, hex, base64 or raw bytes)', async () => {
    const { rows } = await p.pool.query<{ fingerprint: string }>('select fingerprint from core.customer_pseudonym_secret');
    expect(rows).toEqual([{ fingerprint: secretFingerprint(secret) }]); // it is the secret the run keyed with
    const { findings } = scanPublished(current, secretNeedles(secret, SECRET_FILE_NAME), new Map());
    expect(findings, describeFindings(findings)).toEqual([]);
  });
});

describe('pseudonymous customer keys', () => {
  /** Keys from scratch, as assignPseudonyms gives them: ids in order, first free non-zero candidate. */
  function keysOf(key: string, ids: readonly string[]): Map<string, number> {
    // JS and PostgreSQL order the generator's ids (all digits, one length) the same under any collation.
    const used = new Set<number>();
    const out = new Map<string, number>();
    for (const id of [...ids].sort()) {
      let k = pseudonymCandidate(key, id);
      for (let c = 1; k === 0 || used.has(k); c++) k = pseudonymCandidate(key, id, c);
      used.add(k);
      out.set(id, k);
    }
    return out;
  }

  async function loaded(): Promise<{ ids: string[]; extractKeys: number[] }> {
    const { rows } = await p.pool.query<{ customer_id: string }>('select customer_id from core.customer');
    const table = tableFromIPC(readFileSync(join(current, 'customer.arrow')));
    return { ids: rows.map((r) => r.customer_id), extractKeys: [...(table.getChild('customer_key')!.toArray() as Int32Array)] };
  }

  it('are exactly the keys the run\'s secret gives the account numbers', async () => {
    const { ids, extractKeys } = await loaded();
    for (const id of ids) expect(personal.accountNumbers.has(id), id).toBe(true);
    const expected = keysOf(secret, ids);
    const { rows } = await p.pool.query<{ customer_id: string; customer_key: number }>('select customer_id, customer_key from core.customer_pseudonym');
    expect(new Map(rows.map((r) => [r.customer_id, r.customer_key]))).toEqual(expected);
    // The extract: one row per key, and the keys are those the secret gives the
    // accounts open at any time in the marts' months (mart.customer's rule),
    // taken from the inbox's customer rows.
    const { rows: [w] } = await p.pool.query<{ first: string; as_of: string }>(
      'select min(month)::text as first, max(as_of)::text as as_of from rollup.month_window');
    const open = [...loadCustomers(inbox).values()]
      .filter((c) => c.opened_on <= w.as_of && (c.closed_on == null || c.closed_on >= w.first)) // dates are 'YYYY-MM-DD' text
      .map((c) => expected.get(c.customer_id)!);
    expect(new Set(extractKeys).size).toBe(extractKeys.length);
    expect(new Set(extractKeys)).toEqual(new Set(open));
  });

  it('cannot be recomputed without the secret: another secret or an unkeyed hash gives other keys', async () => {
    const { ids, extractKeys } = await loaded();
    const right = keysOf(secret, ids);
    const wrong = keysOf(randomBytes(32).toString('hex'), ids);
    const same = ids.filter((id) => wrong.get(id) === right.get(id)).length;
    expect(same).toBeLessThanOrEqual(1); // chance: n ÷ 2³¹ ≈ 1.4e-7
    const keys = new Set(extractKeys);
    const wrongHits = [...wrong.values()].filter((k) => keys.has(k)).length;
    expect(wrongHits).toBeLessThanOrEqual(1); // chance: n² ÷ 2³¹ ≈ 4e-5
    // Not the account number itself (nor folded into 31 bits), nor a hash anyone can compute from it.
    const unkeyed = (id: string, algorithm: string) => createHash(algorithm).update(id).digest().readUInt32BE(0) >>> 1;
    for (const id of ids) {
      for (const k of [Number(id), Number(id) % 2 ** 31, unkeyed(id, 'sha256'), unkeyed(id, 'md5'), unkeyed(id, 'sha1'), pseudonymCandidate('', id)]) {
        expect(keys.has(k), `${id} → ${k}`).toBe(false);
      }
    }
  });
});

describe('the scan finds what it looks for (self-checks)', () => {
  it('finds a name, a phone and an account number planted in a copy of an extract\'s bytes', () => {
    const original = readFileSync(join(current, 'customer.arrow'));
    const planted = ['name', 'phone', 'account_number'].map((kind) => personal.needles.find((n) => n.kind === kind)!);
    expect(scanBytes('customer.arrow', original, planted)).toEqual([]);
    const copy = Buffer.from(original);
    let at = Math.floor(copy.length / 3);
    for (const n of planted) {
      const bytes = Buffer.from(n.text!, 'utf8');
      bytes.copy(copy, at);
      at += bytes.length + 7;
    }
    expect(scanBytes('customer.arrow', copy, personal.needles).map((f) => f.needle)).toEqual(expect.arrayContaining(planted));
    // And the secret, as raw bytes, in a copy of the manifest.
    const manifest = Buffer.concat([readFileSync(join(current, 'manifest.json')), Buffer.from(secret, 'hex')]);
    expect(scanBytes('manifest.json', manifest, secretNeedles(secret, SECRET_FILE_NAME)).map((f) => f.needle.label)).toContain('pseudonym secret (raw bytes)');
  });

  it('catches a mart that leaks core.customer_pii under innocent column names, published by the real publisher', async () => {
    // Column names the publisher's personal-column guard lets through: only the values give the leak away.
    await p.pool.query(`create view mart.leak_probe as
      select row_number() over (order by customer_id)::int as cell, name as label, phone as digits, address as place,
             customer_id as ref, customer_id::float8 as amount
        from core.customer_pii`);
    const probeDir = `${p.extracts}-probe`;
    try {
      const manifest = JSON.parse(readFileSync(join(current, 'manifest.json'), 'utf8'));
      const published = await publishExtracts({
        pool: p.pool, extractsDir: probeDir, runId: 'probe', dataAsOf: manifest.data_as_of, k: 1, versionsKept: 1,
        marts: [{ name: 'leak_probe', grain: ['cell'], customersColumn: null, description: 'A deliberate leak.' }],
      });
      const { findings } = scanPublished(published.dir, personal.needles, accountsAsNumbers);
      const { rows: [db] } = await p.pool.query<{ n: number }>('select count(*)::int as n from core.customer_pii');
      const foundOf = (kind: string, how: RegExp) =>
        new Set(findings.filter((f) => f.needle.kind === kind && how.test(f.where)).map((f) => f.needle.text)).size;
      // Each kind is found in the bytes and in the cells (account numbers also as numbers), for (nearly) every customer.
      for (const kind of ['name', 'phone', 'address', 'account_number']) {
        expect(foundOf(kind, /^bytes$/), `${kind} in bytes`).toBeGreaterThan(0.9 * db.n);
        expect(foundOf(kind, /^cell /), `${kind} in cells`).toBeGreaterThan(0.9 * db.n);
      }
      expect(foundOf('account_number', /^number amount /)).toBe(db.n);
    } finally {
      await p.pool.query('drop view mart.leak_probe');
      await fs.rm(probeDir, { recursive: true, force: true });
    }
  });
});
