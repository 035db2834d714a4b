// The target-list request and its checks (pure; the route is
// target-list-route.ts). The campaign planner sends the audience it built in
// the browser: its definition (stored as it is in the audit record), the
// pseudonymous keys of its customers and which of them are the holdout. The
// server answers each key with its account number, nothing else.

import { ApiError } from './api.ts';

/** The most keys one list may hold (a 1M-customer utility, whole). */
export const MAX_TARGET_KEYS = 1_000_000;
/** The audience definition is a small object of filters; anything bigger is not one. */
export const MAX_AUDIENCE_JSON_CHARS = 64 * 1024;
/** How many refused keys a message names. */
export const KEYS_NAMED = 5;

export interface TargetListRequest {
  name: string | null;
  audience: Record<string, unknown>;
  holdout: Record<string, unknown> | null;
  keys: number[];
  holdoutKeys: number[];
}

const isKey = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 0x7fffffff;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a request body; a bad one is an ApiError 400 saying what is wrong. */
export function parseTargetListRequest(body: unknown): TargetListRequest {
  const bad = (message: string): never => {
    throw new ApiError(400, 'bad_request', message);
  };
  if (!isPlainObject(body)) bad('send a JSON object: { "audience": {…}, "keys": [customer_key, …], "holdoutKeys": […] }');
  const b = body as Record<string, unknown>;
  if (!isPlainObject(b.audience)) bad('"audience" must be the audience definition (an object)');
  if (JSON.stringify(b.audience).length > MAX_AUDIENCE_JSON_CHARS) bad(`"audience" is over ${MAX_AUDIENCE_JSON_CHARS} characters`);
  if (b.holdout !== undefined && b.holdout !== null && !isPlainObject(b.holdout)) bad('"holdout" must be an object (share, seed, stratify) or absent');
  if (b.name !== undefined && b.name !== null && (typeof b.name !== 'string' || b.name.length > 200)) bad('"name" must be text of at most 200 characters');
  if (!Array.isArray(b.keys) || b.keys.length === 0) bad('"keys" must be a non-empty array of customer keys');
  const keys = b.keys as unknown[];
  if (keys.length > MAX_TARGET_KEYS) bad(`a target list holds at most ${MAX_TARGET_KEYS} customers, not ${keys.length}`);
  const notKeys = keys.filter((k) => !isKey(k));
  if (notKeys.length) bad(`${notKeys.length} entries of "keys" are not customer keys (positive integers), e.g. ${JSON.stringify(notKeys.slice(0, KEYS_NAMED))}`);
  const unique = new Set(keys as number[]);
  if (unique.size !== keys.length) bad(`"keys" repeats ${keys.length - unique.size} key(s)`);
  const holdoutKeys = b.holdoutKeys === undefined ? [] : b.holdoutKeys;
  if (!Array.isArray(holdoutKeys) || !holdoutKeys.every(isKey)) bad('"holdoutKeys" must be an array of customer keys');
  const holdout = holdoutKeys as number[];
  if (new Set(holdout).size !== holdout.length) bad('"holdoutKeys" repeats a key');
  const outside = holdout.filter((k) => !unique.has(k));
  if (outside.length) bad(`${outside.length} holdout key(s) are not in "keys", e.g. ${outside.slice(0, KEYS_NAMED).join(', ')}`);
  return {
    name: typeof b.name === 'string' && b.name.trim() ? b.name.trim() : null,
    audience: b.audience as Record<string, unknown>,
    holdout: isPlainObject(b.holdout) ? b.holdout : null,
    keys: keys as number[],
    holdoutKeys: holdout,
  };
}

/** "3 keys …: 17, 42, 99" naming the first few (sorted, so the message is stable). */
export function describeKeys(keys: readonly number[]): string {
  const sorted = [...keys].sort((a, b) => a - b);
  const named = sorted.slice(0, KEYS_NAMED).join(', ');
  return `${sorted.length} key${sorted.length === 1 ? '' : 's'} (${named}${sorted.length > KEYS_NAMED ? ', …' : ''})`;
}

export interface KeyLookup {
  customer_key: number;
  /** null: no customer has this key. */
  customer_id: string | null;
  /** The account's region (its latest month); null when unknown. */
  region: string | null;
}

/**
 * The refusal for a looked-up list, or null when it may be handed out:
 * unknown keys first (422), then keys outside the user's regions (403; a
 * region-restricted user must not re-identify anybody else's customers).
 */
export function refusalOf(found: readonly KeyLookup[], regions: readonly string[] | null): ApiError | null {
  const unknown = found.filter((f) => f.customer_id === null).map((f) => f.customer_key);
  if (unknown.length) {
    return new ApiError(422, 'unknown_keys', `${describeKeys(unknown)} ${unknown.length === 1 ? 'is' : 'are'} not known customers: the list was not exported. Reload the page (the extracts may have changed) and build the list again.`);
  }
  if (regions !== null) {
    const allowed = new Set(regions);
    const outside = found.filter((f) => f.region === null || !allowed.has(f.region)).map((f) => f.customer_key);
    if (outside.length) {
      return new ApiError(403, 'outside_regions', `${describeKeys(outside)} belong to customers outside your regions (${regions.join(', ')}): the list was not exported.`);
    }
  }
  return null;
}
