// A campaign's uplift and its 95 % interval: the difference of two
// independent proportions, treated acceptance p1 = a1 ÷ n1 minus holdout
// acceptance p0 = a0 ÷ n0, with the normal approximation (Wald, unpooled):
//
//   uplift ± 1.96 × √(p1(1 − p1) ÷ n1 + p0(1 − p0) ÷ n0)
//
// the same formula as mart.campaign_result's per-segment cells. A campaign
// total combines its segments by adding their counts first (one pooled p1 and
// p0), never by adding uplifts or interval ends: the holdout is drawn at
// random over the whole audience, so the pooled difference estimates the mean
// uplift over that audience.

export const Z95 = 1.96;

export interface UpliftCounts {
  treated: number;
  acceptedTreated: number;
  holdout: number;
  acceptedHoldout: number;
}

export interface UpliftInterval {
  p1: number | null;
  p0: number | null;
  uplift: number | null;
  low: number | null;
  high: number | null;
}

export function upliftInterval(c: UpliftCounts, z = Z95): UpliftInterval {
  const p1 = c.treated > 0 ? c.acceptedTreated / c.treated : null;
  const p0 = c.holdout > 0 ? c.acceptedHoldout / c.holdout : null;
  if (p1 === null || p0 === null) return { p1, p0, uplift: null, low: null, high: null };
  const uplift = p1 - p0;
  const half = z * Math.sqrt((p1 * (1 - p1)) / c.treated + (p0 * (1 - p0)) / c.holdout);
  return { p1, p0, uplift, low: uplift - half, high: uplift + half };
}

/** Counts of several cells (segments, offer types) added up; cells with a null count (suppressed) are left out and counted. */
export function sumCounts(cells: readonly { treated: number | null; accepted_treated: number | null; holdout: number | null; accepted_holdout: number | null }[]): UpliftCounts & { leftOut: number } {
  const out = { treated: 0, acceptedTreated: 0, holdout: 0, acceptedHoldout: 0, leftOut: 0 };
  for (const c of cells) {
    if (c.treated === null || c.accepted_treated === null || c.holdout === null || c.accepted_holdout === null) {
      out.leftOut++;
      continue;
    }
    out.treated += c.treated;
    out.acceptedTreated += c.accepted_treated;
    out.holdout += c.holdout;
    out.acceptedHoldout += c.accepted_holdout;
  }
  return out;
}

/**
 * Σ-form of one group's per-customer changes (after − before): how many,
 * Σ change and Σ change², so that cells add up exactly.
 */
export interface ChangeSums {
  n: number;
  sum: number;
  sumSq: number;
}

export interface MeanDiffInterval {
  treatedMean: number | null;
  holdoutMean: number | null;
  /** Incremental change per contacted customer: treated mean − holdout mean (a difference in differences). */
  diff: number | null;
  low: number | null;
  high: number | null;
}

/** Sample variance from Σ-form (n − 1 in the denominator); null below 2 values. */
function variance(s: ChangeSums): number | null {
  if (s.n < 2) return null;
  const mean = s.sum / s.n;
  return Math.max(0, (s.sumSq - s.n * mean * mean) / (s.n - 1));
}

/**
 * Difference of two means with its 95 % interval (normal approximation,
 * unequal variances): diff ± 1.96 × √(s1²/n1 + s0²/n0). The interval needs at
 * least 2 values in each group.
 */
export function meanDiffInterval(treated: ChangeSums, holdout: ChangeSums, z = Z95): MeanDiffInterval {
  const t = treated.n > 0 ? treated.sum / treated.n : null;
  const h = holdout.n > 0 ? holdout.sum / holdout.n : null;
  if (t === null || h === null) return { treatedMean: t, holdoutMean: h, diff: null, low: null, high: null };
  const v1 = variance(treated);
  const v0 = variance(holdout);
  const diff = t - h;
  if (v1 === null || v0 === null) return { treatedMean: t, holdoutMean: h, diff, low: null, high: null };
  const half = z * Math.sqrt(v1 / treated.n + v0 / holdout.n);
  return { treatedMean: t, holdoutMean: h, diff, low: diff - half, high: diff + half };
}
