// A customer's hour-of-day load shapes.

import { TOU_INDEX_BY_HOUR } from '../domain/tariffs.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { HOURLY_SHAPES } from './utility-model.ts';

export function shapeShareOut(shape: Float64Array, mask: Uint8Array): number {
  let s = 0;
  for (let h = 0; h < 24; h++) if (mask[h]) s += shape[h];
  return Math.min(0.999, s);
}

/** Per-customer hourly shapes (sum 1): class shape, evening-peak shift, TOU load shifting. */
export function customerShapes(p: CustomerProfile): { workday: Float64Array; weekend: Float64Array } {
  const pick = (weekend: boolean): readonly number[] => {
    switch (p.cls) {
      case 'residential': return weekend ? HOURLY_SHAPES.residential_weekend : HOURLY_SHAPES.residential_workday;
      case 'commercial': return weekend ? HOURLY_SHAPES.commercial_weekend : HOURLY_SHAPES.commercial_workday;
      case 'large_industrial': return p.threeShift ? HOURLY_SHAPES.industrial_three_shift : HOURLY_SHAPES.industrial_two_shift;
      case 'agricultural': return HOURLY_SHAPES.agricultural;
    }
  };
  const build = (weekend: boolean): Float64Array => {
    const base = pick(weekend);
    const s = new Float64Array(24);
    for (let h = 0; h < 24; h++) s[h] = base[(h - p.peakShift + 24) % 24];
    if (p.tariff === 'tou' && p.touShift > 0) {
      // Move a share of peak-hour load into the valley hours, evenly.
      let moved = 0;
      for (let h = 0; h < 24; h++) if (TOU_INDEX_BY_HOUR[h] === 0) { moved += s[h] * p.touShift; s[h] *= 1 - p.touShift; }
      for (let h = 0; h < 8; h++) s[h] += moved / 8;
    }
    const total = s.reduce((a, b) => a + b, 0);
    for (let h = 0; h < 24; h++) s[h] /= total;
    return s;
  };
  return { workday: build(false), weekend: build(true) };
}
