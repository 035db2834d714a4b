// The pseudonymous customer key: the secret, stable keys, one secret per table,
// rotation, uniqueness and collision handling at 200k customers.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../etl/config.ts';
import {
  assignPseudonyms,
  loadOrCreateSecret,
  PseudonymSecretMismatch,
  pseudonymCandidate,
  rotatePseudonyms,
  secretFingerprint,
} from '../../../etl/extract/pseudonym.ts';
import { insertCustomers, openMigratedScratch, type MigratedScratch } from './scratch.ts';

const SECRET_A = 'a'.repeat(16) + '-test-secret-one';
const SECRET_B = 'b'.repeat(16) + '-test-secret-two';

describe('loadOrCreateSecret', () => {
  const homes: string[] = [];
  const newHome = async () => {
    const home = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-secret-'));
    homes.push(home);
    return path.join(home, 'state'); // not created yet: loadOrCreateSecret makes it
  };
  afterEach(async () => {
    for (const h of homes.splice(0)) await fs.rm(h, { recursive: true, force: true });
  });

  it('creates <home>/pseudonym.secret once (32 random bytes, hex, mode 0600) and reuses it', async () => {
    const home = await newHome();
    const first = await loadOrCreateSecret({ home, pseudonymSecret: undefined });
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    const file = path.join(home, 'pseudonym.secret');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateSecret({ home, pseudonymSecret: undefined })).toBe(first);
    expect((await fs.readdir(home)).sort()).toEqual(['pseudonym.secret']); // no temp files left
    const other = await loadOrCreateSecret({ home: await newHome(), pseudonymSecret: undefined });
    expect(other).not.toBe(first);
  });

  it('agrees on one secret when several callers create it at once', async () => {
    const home = await newHome();
    const secrets = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecret({ home, pseudonymSecret: undefined })));
    expect(new Set(secrets).size).toBe(1);
  });

  it('uses GRIDLENS_PSEUDONYM_SECRET when set, and writes no file', async () => {
    const home = await newHome();
    expect(await loadOrCreateSecret({ home, pseudonymSecret: SECRET_A })).toBe(SECRET_A);
    await expect(fs.stat(home)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a short secret and an emptied secret file instead of making a new one', async () => {
    const home = await newHome();
    await expect(loadOrCreateSecret({ home, pseudonymSecret: 'short' })).rejects.toThrow(ConfigError);
    await expect(loadOrCreateSecret({ home, pseudonymSecret: 'short' })).rejects.toThrow(/GRIDLENS_PSEUDONYM_SECRET is 5 characters/);
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(path.join(home, 'pseudonym.secret'), '\n');
    await expect(loadOrCreateSecret({ home, pseudonymSecret: undefined })).rejects.toThrow(/holds no usable secret.*restore it from backup/);
    expect(await fs.readFile(path.join(home, 'pseudonym.secret'), 'utf8')).toBe('\n');
  });
});

describe('pseudonymCandidate', () => {
  it('is the first 31 bits of HMAC-SHA256(secret, id), re-hashed with a counter', () => {
    const k = pseudonymCandidate(SECRET_A, 'C000000001');
    expect(k).toBeGreaterThanOrEqual(0);
    expect(k).toBeLessThan(2 ** 31);
    expect(pseudonymCandidate(SECRET_A, 'C000000001')).toBe(k);
    expect(pseudonymCandidate(SECRET_A, 'C000000001', 1)).not.toBe(k);
    expect(pseudonymCandidate(SECRET_B, 'C000000001')).not.toBe(k);
    expect(secretFingerprint(SECRET_A)).toMatch(/^[0-9a-f]{16}$/);
    expect(secretFingerprint(SECRET_A)).not.toContain(SECRET_A.slice(0, 8));
  });
});

async function keys(db: MigratedScratch): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ customer_id: string; customer_key: number }>(
    'select customer_id, customer_key from core.customer_pseudonym order by customer_id',
  );
  return new Map(rows.map((r) => [r.customer_id, r.customer_key]));
}

describe('assignPseudonyms', () => {
  let db: MigratedScratch;
  beforeAll(async () => {
    db = await openMigratedScratch('pseudonym');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keys new customers only; stored keys never change; another secret is refused; rotation re-keys everyone', async () => {
    await insertCustomers(db.pool, 'P', 1, 500);
    expect(await assignPseudonyms(db.pool, SECRET_A)).toBe(500);
    const first = await keys(db);
    expect(first.size).toBe(500);
    for (const [id, key] of first) {
      expect(key).toBeGreaterThan(0);
      expect(key).toBe(pseudonymCandidate(SECRET_A, id)); // no collision among 500 (p ≈ 6e-5)
    }

    expect(await assignPseudonyms(db.pool, SECRET_A)).toBe(0);
    expect(await keys(db)).toEqual(first);

    await insertCustomers(db.pool, 'P', 501, 650);
    expect(await assignPseudonyms(db.pool, SECRET_A, { batchSize: 7 })).toBe(150);
    const second = await keys(db);
    expect(second.size).toBe(650);
    for (const [id, key] of first) expect(second.get(id)).toBe(key);

    // Another secret: refused, nothing written.
    await insertCustomers(db.pool, 'P', 651, 651);
    await expect(assignPseudonyms(db.pool, SECRET_B)).rejects.toThrow(PseudonymSecretMismatch);
    await expect(assignPseudonyms(db.pool, SECRET_B)).rejects.toThrow(/restore GRIDLENS_PSEUDONYM_SECRET.*rotate/);
    expect((await keys(db)).size).toBe(650);

    // Deliberate rotation: every key changes; the keys cannot be computed from the ids without the secret.
    expect(await rotatePseudonyms(db.pool, SECRET_B)).toBe(651);
    const rotated = await keys(db);
    expect(rotated.size).toBe(651);
    let same = 0;
    for (const [id, key] of second) if (rotated.get(id) === key) same++;
    expect(same).toBe(0);
    await expect(assignPseudonyms(db.pool, SECRET_A)).rejects.toThrow(PseudonymSecretMismatch);
    const { rows } = await db.pool.query('select fingerprint from core.customer_pseudonym_secret');
    expect(rows).toEqual([{ fingerprint: secretFingerprint(SECRET_B) }]);
  });

  it('refuses an empty secret', async () => {
    await expect(assignPseudonyms(db.pool, '')).rejects.toThrow(/empty/);
  });
});

describe('assignPseudonyms at 200k customers', () => {
  let db: MigratedScratch;
  beforeAll(async () => {
    db = await openMigratedScratch('pseudonym200k');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives unique keys, resolves the natural 31-bit collisions, and is the same whatever the batches', async () => {
    // Two nights: the second one checks its keys against the stored ones.
    await insertCustomers(db.pool, 'K', 1, 100_000);
    expect(await assignPseudonyms(db.pool, SECRET_A)).toBe(100_000);
    await insertCustomers(db.pool, 'K', 100_001, 200_000);
    expect(await assignPseudonyms(db.pool, SECRET_A)).toBe(100_000);
    const a = await keys(db);
    expect(a.size).toBe(200_000);
    expect(new Set(a.values()).size).toBe(200_000);
    // ~n²/2³² ≈ 9 first candidates collide at 200k; each got its next free candidate.
    let rehashed = 0;
    for (const [id, key] of a) {
      if (key === pseudonymCandidate(SECRET_A, id)) continue;
      rehashed++;
      expect([1, 2, 3].map((c) => pseudonymCandidate(SECRET_A, id, c))).toContain(key);
    }
    expect(rehashed).toBeGreaterThan(0);
    expect(rehashed).toBeLessThan(40);

    // Keying the same customers from scratch, in other batches, gives the same keys.
    expect(await rotatePseudonyms(db.pool, SECRET_A, { batchSize: 7_777 })).toBe(200_000);
    expect(await keys(db)).toEqual(a);
  });
});
