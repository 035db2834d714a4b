// The pseudonymous customer key (core.customer_pseudonym): the only customer
// identifier extracts carry.
//
//   key(id) = first 31 bits of HMAC-SHA256(secret, id)          (counter 0)
//             first 31 bits of HMAC-SHA256(secret, id ␀ c)      (counter c ≥ 1)
//   the first counter whose key is non-zero and not taken wins.
//
// - Stable: a stored key never changes; the table, not the secret, is the
//   record. The secret only makes keys for new customers.
// - Not reversible: without the secret a key cannot be computed from an account
//   number, nor the other way round (HMAC is a keyed one-way function).
// - Deterministic: customers are keyed in customer_id order, each against the
//   keys stored and the keys given to smaller ids, so keying a set of customers
//   from scratch gives the same keys whatever the batch size; keying night by
//   night differs from a from-scratch keying only for colliding pairs that
//   arrived in the other order (~n²/2³² pairs among n customers: ≈ 230 at 1M).
// - One secret per table: a fingerprint of the secret is stored
//   (core.customer_pseudonym_secret); keying with another secret is refused
//   (PseudonymSecretMismatch) unless it is a deliberate rotatePseudonyms().
//
// Set-based: missing ids come from one anti-join read through a cursor in
// batches, keys are computed in Node, keys stored before this run are looked up
// with one `= any($1)` per batch (skipped when the table was empty), rows are
// inserted with unnest. All in one transaction.

import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { ConfigError, type Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createSecretFileOnce } from '../secret-file.ts';
import { faultPoint } from '../run/fault-point.ts';

/** Secret file under GRIDLENS_HOME when GRIDLENS_PSEUDONYM_SECRET is unset. */
export const SECRET_FILE_NAME = 'pseudonym.secret';
/** Shorter secrets could be brute-forced from a few known (account, key) pairs. */
export const MIN_SECRET_LENGTH = 16;
const DEFAULT_BATCH = 20_000;
const FINGERPRINT_LABEL = 'gridlens:pseudonym-secret-fingerprint:v1';

export class PseudonymSecretMismatch extends Error {
  override name = 'PseudonymSecretMismatch';
}

// ------------------------------------------------------------------ secret

/**
 * The pseudonym secret: GRIDLENS_PSEUDONYM_SECRET when set, else the content of
 * `<home>/pseudonym.secret`, which is created on first use (32 random bytes as
 * 64 hex digits, mode 0600, created atomically so two processes agree on one).
 * Never regenerated: an unreadable or empty file is an error, because a new
 * secret would re-key every customer.
 */
export async function loadOrCreateSecret(
  config: Pick<Config, 'pseudonymSecret' | 'home'>,
  logger?: Logger,
): Promise<string> {
  if (config.pseudonymSecret !== undefined) {
    if (config.pseudonymSecret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        `GRIDLENS_PSEUDONYM_SECRET is ${config.pseudonymSecret.length} characters long: use at least ${MIN_SECRET_LENGTH} ` +
          `(e.g. the output of \`openssl rand -hex 32\`), or unset it to use ${path.join(config.home, SECRET_FILE_NAME)}.`,
      );
    }
    return config.pseudonymSecret;
  }
  const file = path.join(config.home, SECRET_FILE_NAME);
  const existing = await readSecretFile(file, logger);
  if (existing !== undefined) return existing;

  await createSecretFileOnce(file, { createdEvent: 'pseudonym_secret_created', logger });
  const created = await readSecretFile(file, logger);
  if (created === undefined) throw new Error(`${file} vanished right after it was created`);
  return created;
}

async function readSecretFile(file: string, logger?: Logger): Promise<string | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `${file} holds no usable secret (${secret.length} characters, need ${MIN_SECRET_LENGTH}): restore it from backup. ` +
        `Deleting it makes a new secret, and keys made with the old one are then refused until you rotate (every customer key changes).`,
    );
  }
  const { mode } = await fs.stat(file);
  if ((mode & 0o077) !== 0) logger?.warn('pseudonym_secret_readable_by_others', { file, mode: (mode & 0o777).toString(8) });
  return secret;
}

// -------------------------------------------------------------------- keys

/** Key candidate number `counter` of a customer id: 31 bits, 0 when unusable. */
export function pseudonymCandidate(secret: string, customerId: string, counter = 0): number {
  const h = createHmac('sha256', secret);
  h.update(counter === 0 ? customerId : `${customerId}\u0000${counter}`); // NUL never occurs in PostgreSQL text
  return h.digest().readUInt32BE(0) >>> 1;
}

/** Fingerprint of a secret (16 hex digits): identifies it without revealing it. */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update(FINGERPRINT_LABEL).digest('hex').slice(0, 16);
}

export interface AssignOptions {
  /** Customers fetched per batch (default 20,000). */
  batchSize?: number;
  logger?: Logger;
}

/**
 * Gives every customer without a pseudonym its key, in one transaction (other
 * writers of the table wait; readers don't). Returns the number of keys assigned.
 * Throws PseudonymSecretMismatch if the stored keys were made with another secret.
 */
export function assignPseudonyms(pool: pg.Pool, secret: string, options: AssignOptions = {}): Promise<number> {
  return keyCustomers(pool, secret, false, options);
}

/**
 * Re-keys every customer with `secret` (a deliberate secret rotation, e.g. after
 * the old secret leaked): every customer_key changes, so links to keys made
 * before (saved audiences, bookmarks, exported lists, older extract versions) no
 * longer match. Returns the number of keys assigned.
 */
export function rotatePseudonyms(pool: pg.Pool, secret: string, options: AssignOptions = {}): Promise<number> {
  return keyCustomers(pool, secret, true, options);
}

async function keyCustomers(pool: pg.Pool, secret: string, rotate: boolean, options: AssignOptions): Promise<number> {
  if (secret.length === 0) throw new Error('the pseudonym secret is empty');
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH));
  const fingerprint = secretFingerprint(secret);
  const client = await pool.connect();
  let assigned = 0;
  try {
    await client.query('begin');
    // Self-conflicting, but lets readers (mart queries) through.
    await client.query('lock table core.customer_pseudonym, core.customer_pseudonym_secret in exclusive mode');
    const stored = await client.query<{ fingerprint: string }>('select fingerprint from core.customer_pseudonym_secret');
    const storedFingerprint = stored.rows[0]?.fingerprint;
    if (rotate) {
      await client.query('delete from core.customer_pseudonym');
    } else if (storedFingerprint !== undefined && storedFingerprint !== fingerprint) {
      throw new PseudonymSecretMismatch(
        `the pseudonym secret (fingerprint ${fingerprint}) is not the one that made the stored customer keys ` +
          `(fingerprint ${storedFingerprint}): restore GRIDLENS_PSEUDONYM_SECRET or GRIDLENS_HOME/${SECRET_FILE_NAME} from backup; ` +
          `to change the secret on purpose, rotate (rotatePseudonyms), which changes every customer key.`,
      );
    }
    if (storedFingerprint !== fingerprint) {
      await client.query(
        `insert into core.customer_pseudonym_secret (fingerprint) values ($1)
         on conflict (singleton) do update set fingerprint = excluded.fingerprint, set_at = now()`,
        [fingerprint],
      );
    }

    const { rows: nonEmpty } = await client.query<{ any: boolean }>('select exists (select 1 from core.customer_pseudonym) as any');
    const lookup = nonEmpty[0]!.any; // empty: no key is taken but the ones this run assigns
    const used = new Set<number>();
    // The missing ids as of now, in id order: one anti-join, read in batches
    // (a cursor does not see the rows this transaction inserts meanwhile).
    await client.query(
      `declare gridlens_unkeyed no scroll cursor for
         select c.customer_id from core.customer c
          where not exists (select 1 from core.customer_pseudonym p where p.customer_id = c.customer_id)
          order by c.customer_id`,
    );
    for (;;) {
      const { rows } = await client.query<{ customer_id: string }>(`fetch forward ${batchSize} from gridlens_unkeyed`);
      if (rows.length === 0) break;
      const ids = rows.map((r) => r.customer_id);
      const keys = await keyBatch(client, secret, ids, used, lookup);
      await client.query(
        `insert into core.customer_pseudonym (customer_id, customer_key) select * from unnest($1::text[], $2::int4[])`,
        [ids, keys],
      );
      assigned += ids.length;
      await faultPoint('pseudonyms:keying'); // a batch inserted, not committed
      if (rows.length < batchSize) break;
    }
    await client.query('close gridlens_unkeyed');
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  options.logger?.info(rotate ? 'pseudonyms_rotated' : 'pseudonyms_assigned', { assigned, fingerprint });
  return assigned;
}

/**
 * Keys of `ids` (sorted ascending). `used` holds the keys assigned earlier in
 * this transaction (and gets these); keys stored before it are looked up in
 * the table unless it was empty (first keying, rotation).
 */
async function keyBatch(client: pg.PoolClient, secret: string, ids: string[], used: Set<number>, lookup: boolean): Promise<number[]> {
  const first = ids.map((id) => pseudonymCandidate(secret, id));
  const stored = new Set(lookup ? await takenKeys(client, first) : []);
  const keys: number[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    let key = first[i]!;
    for (let counter = 1; key === 0 || used.has(key) || stored.has(key); counter++) {
      key = pseudonymCandidate(secret, ids[i]!, counter);
      // A re-hashed candidate was not in the batch lookup: ask (rare: ~n/2³¹ per id).
      if (lookup && key !== 0 && !used.has(key) && (await takenKeys(client, [key])).length > 0) stored.add(key);
    }
    used.add(key);
    keys[i] = key;
  }
  return keys;
}

async function takenKeys(client: pg.PoolClient, keys: number[]): Promise<number[]> {
  const { rows } = await client.query<{ customer_key: number }>(
    'select customer_key from core.customer_pseudonym where customer_key = any($1::int4[])',
    [keys],
  );
  return rows.map((r) => r.customer_key);
}
