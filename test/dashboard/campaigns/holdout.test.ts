// The holdout is reproducible (same seed, same keys → same holdout, whatever
// the row order), holds exactly round(n × share) per stratum, is stratified by
// segment when asked, and looks random (roughly uniform over key order, and a
// new seed draws a different group).

import { describe, expect, it } from 'vitest';
import { assignHoldout, holdoutCount, holdoutHash } from '../../../dashboard/src/campaigns/holdout.ts';

/** A deterministic pseudo-audience: keys spread like HMAC keys, three unequal segments. */
function audience(n: number): { customer_key: number; segment: string }[] {
  const rows: { customer_key: number; segment: string }[] = [];
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    rows.push({ customer_key: x || 1, segment: i % 10 < 6 ? 'residential' : i % 10 < 9 ? 'sme' : 'large_industrial' });
  }
  return rows;
}

/** FNV-1a 32 over UTF-16 code units, then fmix32, in BigInt arithmetic mod 2^32. */
function referenceHash(seed: string, key: number): number {
  const M = 0xffffffffn;
  const text = `${seed}\u0000${key}`;
  let h = 0x811c9dc5n;
  for (let i = 0; i < text.length; i++) h = ((h ^ BigInt(text.charCodeAt(i))) * 0x01000193n) & M;
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & M;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & M;
  h ^= h >> 16n;
  return Number(h);
}

describe('holdout', () => {
  it('is reproducible: same seed and keys give the same holdout in any row order', () => {
    const rows = audience(5000);
    const a = assignHoldout(rows, { share: 0.1, seed: 'spring-2027', stratify: true });
    const shuffled = [...rows].reverse();
    const b = assignHoldout(shuffled, { share: 0.1, seed: 'spring-2027', stratify: true });
    expect([...b].sort()).toEqual([...a].sort());
    // The hash equals an independent BigInt implementation of FNV-1a + murmur3 fmix32 (a silent change would redraw every holdout).
    for (const [seed, key] of [['1', 1], ['1', 2], ['2', 1], ['春季', 2147483647], ['', 42]] as const) {
      expect(holdoutHash(seed, key), `${seed}/${key}`).toBe(referenceHash(seed, key));
    }
    expect(holdoutHash('1', 1)).not.toBe(holdoutHash('1', 2));
  });

  it('draws another group under another seed', () => {
    const rows = audience(5000);
    const a = assignHoldout(rows, { share: 0.1, seed: 'a', stratify: false });
    const b = assignHoldout(rows, { share: 0.1, seed: 'b', stratify: false });
    const common = [...a].filter((k) => b.has(k)).length;
    // Independent 10 % draws share about 1 % of 5000 = 50; far from all 500.
    expect(common).toBeGreaterThan(10);
    expect(common).toBeLessThan(120);
  });

  it('holds exactly round(n × share), overall and per segment when stratified', () => {
    const rows = audience(4321);
    for (const share of [0, 0.05, 0.1, 0.333, 0.5]) {
      const all = assignHoldout(rows, { share, seed: 's', stratify: false });
      expect(all.size, `share ${share}`).toBe(Math.round(4321 * share));
      const strat = assignHoldout(rows, { share, seed: 's', stratify: true });
      for (const seg of ['residential', 'sme', 'large_industrial']) {
        const members = rows.filter((r) => r.segment === seg);
        const held = members.filter((r) => strat.has(r.customer_key)).length;
        expect(held, `${seg} at ${share}`).toBe(Math.round(members.length * share));
      }
    }
    expect(holdoutCount(7, 0.1)).toBe(1);
    expect(holdoutCount(4, 0.1)).toBe(0);
    expect(holdoutCount(10, 1.5)).toBe(10);
    expect(holdoutCount(10, -1)).toBe(0);
  });

  it('stratification matters: a small segment gets its share instead of whatever chance gives it', () => {
    // 990 residential, 10 large industrial: unstratified, the 10 may get 0, 1, 2…; stratified exactly 1 at 10 %.
    const rows = [
      ...Array.from({ length: 990 }, (_, i) => ({ customer_key: 1000 + i, segment: 'residential' })),
      ...Array.from({ length: 10 }, (_, i) => ({ customer_key: 5000 + i, segment: 'large_industrial' })),
    ];
    for (const seed of ['1', '2', '3', '4', '5']) {
      const strat = assignHoldout(rows, { share: 0.1, seed, stratify: true });
      expect(rows.filter((r) => r.segment === 'large_industrial' && strat.has(r.customer_key))).toHaveLength(1);
      expect(strat.size).toBe(100);
    }
  });

  it('spreads the holdout evenly over the key range (no bias to low or high keys)', () => {
    const rows = audience(20000).sort((a, b) => a.customer_key - b.customer_key);
    const held = assignHoldout(rows, { share: 0.2, seed: 'x', stratify: false });
    // Each fifth of the key order holds close to 20 % (binomial sd ≈ 0.9 pp at 4000).
    for (let q = 0; q < 5; q++) {
      const part = rows.slice(q * 4000, (q + 1) * 4000);
      const share = part.filter((r) => held.has(r.customer_key)).length / part.length;
      expect(Math.abs(share - 0.2), `fifth ${q}`).toBeLessThan(0.035);
    }
  });

  it('counts a repeated key once', () => {
    const rows = [{ customer_key: 1 }, { customer_key: 1 }, { customer_key: 2 }, { customer_key: 3 }];
    expect(assignHoldout(rows, { share: 0.5, seed: 's', stratify: false }).size).toBe(2);
  });
});
