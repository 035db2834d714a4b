// The holdout (control group) of a target list: a reproducible random share
// of the audience that is not contacted, so that the campaign's uplift can be
// measured (treated acceptance − holdout acceptance).
//
// Reproducible: a customer's draw is a hash of the seed and its pseudonymous
// key, never Math.random, so the same audience, seed and share give the same
// holdout in any browser, in Node, today or next month. Exact: within each
// stratum (one per segment when stratified, else the whole audience) the
// customers are ranked by their draw and the first round(n × share) are the
// holdout, so each stratum holds its share to within half a customer rather
// than only on average.

export interface HoldoutOptions {
  /** 0–1. */
  share: number;
  seed: string;
  /** One stratum per segment: every segment gets its own exact share. */
  stratify: boolean;
}

export interface HoldoutCandidate {
  customer_key: number;
  segment?: string | null;
}

/** 32-bit FNV-1a over the UTF-16 code units of the text, then murmur3's finaliser (good avalanche). */
export function holdoutHash(seed: string, key: number): number {
  const text = `${seed}\u0000${key}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Customers of a stratum held out: round(n × share), at least 0, at most n. */
export function holdoutCount(n: number, share: number): number {
  if (!(share > 0)) return 0;
  return Math.min(n, Math.max(0, Math.round(n * Math.min(1, share))));
}

/** The keys held out of `rows` (duplicate keys count once). */
export function assignHoldout(rows: readonly HoldoutCandidate[], o: HoldoutOptions): Set<number> {
  const strata = new Map<string, { key: number; draw: number }[]>();
  const seen = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.customer_key)) continue;
    seen.add(r.customer_key);
    const stratum = o.stratify ? (r.segment ?? '') : '';
    let list = strata.get(stratum);
    if (!list) strata.set(stratum, (list = []));
    list.push({ key: r.customer_key, draw: holdoutHash(o.seed, r.customer_key) });
  }
  const out = new Set<number>();
  for (const list of strata.values()) {
    list.sort((a, b) => a.draw - b.draw || a.key - b.key);
    const n = holdoutCount(list.length, o.share);
    for (let i = 0; i < n; i++) out.add(list[i]!.key);
  }
  return out;
}
