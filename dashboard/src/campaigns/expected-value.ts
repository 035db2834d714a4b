// The expected value of an audience for the planned offer (shown as the
// filters change). Per segment s of the audience, with n_s customers, their
// revenue R_s (Σ revenue_12m) and the offer type's past acceptance rates
// p1_s (contacted) and p0_s (holdout, adopted anyway) from campaign_result
// (queries/audience.ts), and holdout share h:
//
//   contacted            T   = Σ n_s × (1 − h)
//   expected acceptances A   = Σ n_s × (1 − h) × p1_s
//   incremental          ΔA  = Σ n_s × (1 − h) × (p1_s − p0_s)   (acceptances the offer causes)
//   revenue of acceptors RA  = Σ R_s × (1 − h) × p1_s           (12-month revenue of the accounts expected to accept)
//   revenue at stake     R   = Σ R_s
//
// Segments without any history of the offer type use the type's rate over
// all segments; with none at all they add to T but not to A, and are counted.
// Past rates describe past audiences: an estimate, not a forecast model.

import type { AudienceSegmentRow } from '../data/queries/audience.ts';

export interface ExpectedValue {
  customers: number;
  revenue12m: number;
  kwh12m: number;
  contacted: number;
  expectedAcceptances: number | null;
  incrementalAcceptances: number | null;
  acceptorRevenue: number | null;
  /** Customers in segments without any history of this offer type. */
  withoutHistory: number;
}

export function expectedValue(rows: readonly AudienceSegmentRow[], holdoutShare: number): ExpectedValue {
  const treatedShare = 1 - Math.min(1, Math.max(0, holdoutShare));
  let customers = 0, revenue = 0, kwh = 0, accepted = 0, incremental = 0, acceptorRevenue = 0, without = 0, withHistory = 0;
  for (const r of rows) {
    customers += r.customers;
    revenue += r.revenue_12m;
    kwh += r.kwh_12m;
    if (r.p_treated === null) {
      without += r.customers;
      continue;
    }
    withHistory++;
    accepted += r.customers * treatedShare * r.p_treated;
    incremental += r.customers * treatedShare * (r.p_treated - (r.p_holdout ?? 0));
    acceptorRevenue += r.revenue_12m * treatedShare * r.p_treated;
  }
  const known = withHistory > 0;
  return {
    customers, revenue12m: revenue, kwh12m: kwh, contacted: customers * treatedShare,
    expectedAcceptances: known ? accepted : null,
    incrementalAcceptances: known ? incremental : null,
    acceptorRevenue: known ? acceptorRevenue : null,
    withoutHistory: without,
  };
}
