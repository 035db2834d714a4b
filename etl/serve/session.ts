// Session cookies (pure): signed, not encrypted, holding no secret and no
// role — only who signed in, when the session ends, a random session id (for
// sign-out) and a fingerprint of the user's password hash, so a changed
// password ends that user's sessions. The role and regions are looked up in
// the users file on each request.
//
//   gridlens_session = v1.<claims: base64url JSON>.<HMAC-SHA256(secret, "v1." + claims): base64url>
//
// Set with HttpOnly (no script reads it), SameSite=Lax (not sent on
// cross-site POSTs or subresource requests), Path=/, a Max-Age equal to the
// session's end, and Secure when the server is reached over HTTPS.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'gridlens_session';
const VERSION = 'v1';

export interface SessionClaims {
  /** User name as in the users file. */
  user: string;
  /** Random id (sign-out revokes it). */
  sid: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** credentialFingerprint() of the user's password hash when the session began. */
  credential: string;
}

export type SessionCheck =
  | { ok: true; claims: SessionClaims }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

function mac(secret: Buffer | string, signed: string): Buffer {
  return createHmac('sha256', secret).update(signed).digest();
}

export function newSessionId(): string {
  return randomBytes(12).toString('base64url');
}

export function signSession(claims: SessionClaims, secret: Buffer | string): string {
  const body = Buffer.from(JSON.stringify({ u: claims.user, s: claims.sid, i: claims.issuedAt, e: claims.expiresAt, c: claims.credential })).toString('base64url');
  const signed = `${VERSION}.${body}`;
  return `${signed}.${mac(secret, signed).toString('base64url')}`;
}

/** Checks the signature (constant time) before reading anything, then the expiry against `nowSeconds`. */
export function verifySession(token: string, secret: Buffer | string, nowSeconds: number): SessionCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !/^[A-Za-z0-9_-]+$/.test(parts[1]!) || !/^[A-Za-z0-9_-]+$/.test(parts[2]!)) {
    return { ok: false, reason: 'malformed' };
  }
  const expected = mac(secret, `${parts[0]}.${parts[1]}`);
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let raw: { u?: unknown; s?: unknown; i?: unknown; e?: unknown; c?: unknown };
  try {
    raw = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof raw;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof raw.u !== 'string' || typeof raw.s !== 'string' || typeof raw.i !== 'number' || typeof raw.e !== 'number' || typeof raw.c !== 'string') {
    return { ok: false, reason: 'malformed' };
  }
  if (raw.e <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { user: raw.u, sid: raw.s, issuedAt: raw.i, expiresAt: raw.e, credential: raw.c } };
}

/** Identifies a user's current password hash without revealing it (keyed by the server secret). */
export function credentialFingerprint(secret: Buffer | string, user: string, passwordHash: string | null): string {
  return createHmac('sha256', secret).update(`gridlens:credential:v1\u0000${user.toLowerCase()}\u0000${passwordHash ?? ''}`).digest('base64url').slice(0, 16);
}

/** Cookie values by name from a Cookie header (the first of a repeated name wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  /** Adds `Secure` (only sent over HTTPS). */
  secure: boolean;
}

/** The Set-Cookie value of a session that lasts `maxAgeSeconds`. */
export function sessionCookie(token: string, maxAgeSeconds: number, o: CookieOptions): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that deletes the session cookie. */
export function clearedSessionCookie(o: CookieOptions): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${o.secure ? '; Secure' : ''}`;
}
