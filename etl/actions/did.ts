// Difference-in-differences of a mean between treated and untreated groups,
// before and after an action, with a 95% normal interval — the formula that
// sql/marts/action_effect.sql implements (docs/metrics.md), in one pure
// function for tests and for anyone checking a figure by hand.
//
//   did = (mean_TA − mean_TB) − (mean_UA − mean_UB)
//   se  = √(s²_TA/n_TA + s²_TB/n_TB + s²_UA/n_UA + s²_UB/n_UB)   (sample variances, unpooled:
//         the four cells are different respondents, treated as independent samples)
//   95% interval = did ∓ 1.959964 × se
// A cell with fewer than 2 values has no variance: se and the interval are null.

export const Z95 = 1.959964;

export interface Cell {
  n: number;
  mean: number;
  /** Sample variance (n − 1 denominator); null when n < 2. */
  variance: number | null;
}

export interface DidResult {
  did: number;
  se: number | null;
  low: number | null;
  high: number | null;
}

/** Mean and sample variance of a list of values. */
export function cellOf(values: readonly number[]): Cell {
  const n = values.length;
  const mean = values.reduce((a, v) => a + v, 0) / n;
  const variance = n < 2 ? null : values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, variance };
}

export function differenceInDifferences(c: { treatedBefore: Cell; treatedAfter: Cell; untreatedBefore: Cell; untreatedAfter: Cell }): DidResult {
  const cells = [c.treatedBefore, c.treatedAfter, c.untreatedBefore, c.untreatedAfter];
  const did = (c.treatedAfter.mean - c.treatedBefore.mean) - (c.untreatedAfter.mean - c.untreatedBefore.mean);
  if (cells.some((x) => x.variance === null || x.n < 2)) return { did, se: null, low: null, high: null };
  const se = Math.sqrt(cells.reduce((a, x) => a + x.variance! / x.n, 0));
  return { did, se, low: did - Z95 * se, high: did + Z95 * se };
}

/** The mart's wording: improved when the whole interval is above 0, worsened when below, else no measurable change. */
export function outcomeOf(r: Pick<DidResult, 'low' | 'high'>): 'improved' | 'worsened' | 'no_change' | null {
  if (r.low === null || r.high === null) return null;
  return r.low > 0 ? 'improved' : r.high < 0 ? 'worsened' : 'no_change';
}
