// The DiD estimate and its interval (etl/actions/did.ts) against a case
// computed by hand.
import { describe, expect, it } from 'vitest';
import { cellOf, differenceInDifferences, outcomeOf } from '../../../etl/actions/did.ts';

describe('differenceInDifferences', () => {
  it('matches a hand-computed case', () => {
    // treated before 3,4,5 → mean 4, s² = 1;  treated after 4,5,5,5,6 → mean 5, s² = 0.5
    // untreated before 2,4 → mean 3, s² = 2;  untreated after 3,3,4,4 → mean 3.5, s² = 1/3
    const r = differenceInDifferences({
      treatedBefore: cellOf([3, 4, 5]), treatedAfter: cellOf([4, 5, 5, 5, 6]),
      untreatedBefore: cellOf([2, 4]), untreatedAfter: cellOf([3, 3, 4, 4]),
    });
    // did = (5 − 4) − (3.5 − 3) = 0.5;  se² = 1/3 + 0.5/5 + 2/2 + (1/3)/4 = 0.3333… + 0.1 + 1 + 0.08333… = 1.51666…
    const se = Math.sqrt(1 / 3 + 0.1 + 1 + 1 / 12);
    expect(r.did).toBeCloseTo(0.5, 12);
    expect(r.se).toBeCloseTo(se, 12);
    expect(r.se).toBeCloseTo(1.231530, 6);
    expect(r.low).toBeCloseTo(0.5 - 1.959964 * se, 12);
    expect(r.high).toBeCloseTo(0.5 + 1.959964 * se, 12);
    expect(outcomeOf(r)).toBe('no_change');
  });

  it('no interval when a cell has fewer than 2 values; the wording follows the interval', () => {
    const r = differenceInDifferences({ treatedBefore: cellOf([3]), treatedAfter: cellOf([4, 5]), untreatedBefore: cellOf([3, 3]), untreatedAfter: cellOf([3, 4]) });
    expect(r.did).toBeCloseTo(1.5 - 0.5, 12);
    expect([r.se, r.low, r.high, outcomeOf(r)]).toEqual([null, null, null, null]);
    expect(outcomeOf({ low: 0.1, high: 0.7 })).toBe('improved');
    expect(outcomeOf({ low: -0.7, high: -0.1 })).toBe('worsened');
  });
});
