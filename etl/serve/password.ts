// Password hashes of the users file: scrypt (node:crypto, no native
// dependency), stored as one self-describing string so the cost can be raised
// later without invalidating existing hashes:
//
//   scrypt$N=32768,r=8,p=1$<salt, base64url>$<32-byte key, base64url>
//
// N = 2^15, r = 8 costs 32 MiB per check and 0.5–0.7 s measured on the shared
// 2-core machine under a load average of 6–10 (less when idle): slow enough to
// make guessing expensive, cheap enough for a login (which is rate-limited as
// well, rate-limit.ts).

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const SCRYPT_DEFAULTS: Readonly<ScryptParams> = { N: 1 << 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const HASH_RE = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{32,})$/;

export interface ParsedHash extends ScryptParams {
  salt: Buffer;
  key: Buffer;
}

/**
 * The parts of a stored hash, or null when it is not one we make. Parameters
 * are bounded (N a power of two 2^10–2^20, r ≤ 32, p ≤ 16) so an edited file
 * cannot make one login take minutes or gigabytes.
 */
export function parsePasswordHash(stored: string): ParsedHash | null {
  const m = HASH_RE.exec(stored);
  if (!m) return null;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!(N >= 1 << 10 && N <= 1 << 20 && (N & (N - 1)) === 0) || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const salt = Buffer.from(m[4]!, 'base64url');
  const key = Buffer.from(m[5]!, 'base64url');
  if (salt.length < 16 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

function derive(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  // Twice the memory scrypt needs (128·N·r), so Node's default 32 MiB cap does not refuse N = 2^15.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + (1 << 20) };
  return new Promise((resolve, reject) =>
    // NFC: the same password typed through another input method gives the same bytes.
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, params: ScryptParams = SCRYPT_DEFAULTS): Promise<string> {
  if (password.length === 0) throw new Error('a password must not be empty');
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when `password` matches `stored` (compared in constant time); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parsePasswordHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed);
  return timingSafeEqual(key, parsed.key);
}

let dummy: Promise<string> | null = null;

/**
 * Spends the time of one verification with the default parameters and
 * returns false: a login for a user that does not exist takes as long as one
 * with a wrong password, so response times do not tell which names exist.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hashPassword('gridlens: nobody has this password');
  await verifyPassword(password, await dummy);
  return false;
}
