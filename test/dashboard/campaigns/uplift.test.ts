// Uplift and its 95 % interval against a case worked by hand, the pooling of
// segments into a campaign total, and the agreement with the per-segment
// figures mart.campaign_result computes with the same formula.

import { describe, expect, it } from 'vitest';
import { campaignTotals } from '../../../dashboard/src/campaigns/results.ts';
import { meanDiffInterval, sumCounts, upliftInterval } from '../../../dashboard/src/campaigns/uplift.ts';
import { CHANGE_COLUMNS, type CampaignRow } from '../../../dashboard/src/data/queries/campaigns.ts';

describe('upliftInterval', () => {
  it('matches a hand-checked case', () => {
    // Treated 200, 50 accepted: p1 = 0.25. Holdout 50, 5 accepted: p0 = 0.10.
    // uplift = 0.15
    // var = 0.25 × 0.75 / 200 + 0.10 × 0.90 / 50 = 0.0009375 + 0.0018 = 0.0027375
    // se = √0.0027375 = 0.052321… ; half-width = 1.96 × se = 0.102549…
    // interval = 0.15 ± 0.102549 = [0.047451, 0.252549]
    const r = upliftInterval({ treated: 200, acceptedTreated: 50, holdout: 50, acceptedHoldout: 5 });
    expect(r.p1).toBe(0.25);
    expect(r.p0).toBe(0.1);
    expect(r.uplift).toBeCloseTo(0.15, 12);
    expect(r.low).toBeCloseTo(0.047451, 6);
    expect(r.high).toBeCloseTo(0.252549, 6);
  });

  it('has no interval without treated or holdout customers, and zero width at rates of 0 or 1', () => {
    expect(upliftInterval({ treated: 0, acceptedTreated: 0, holdout: 10, acceptedHoldout: 1 })).toMatchObject({ p1: null, uplift: null, low: null, high: null });
    expect(upliftInterval({ treated: 10, acceptedTreated: 1, holdout: 0, acceptedHoldout: 0 })).toMatchObject({ p0: null, uplift: null });
    const edge = upliftInterval({ treated: 10, acceptedTreated: 10, holdout: 10, acceptedHoldout: 0 });
    expect(edge).toMatchObject({ uplift: 1, low: 1, high: 1 });
  });

  it('pools segments by adding counts, leaving suppressed cells out', () => {
    const cells = [
      { treated: 150, accepted_treated: 30, holdout: 30, accepted_holdout: 3 },
      { treated: 50, accepted_treated: 20, holdout: 20, accepted_holdout: 2 },
      { treated: null, accepted_treated: null, holdout: null, accepted_holdout: null },
    ];
    const c = sumCounts(cells);
    expect(c).toEqual({ treated: 200, acceptedTreated: 50, holdout: 50, acceptedHoldout: 5, leftOut: 1 });
    // The pooled total is the hand-checked case above, not an average of the two segments' uplifts (0.1 and 0.3).
    expect(upliftInterval(c).low).toBeCloseTo(0.047451, 6);
  });

  it('campaign totals group the rows by campaign', () => {
    const row = (campaign_id: string, segment: string, t: number, at: number, h: number, ah: number): CampaignRow => ({
      campaign_id, campaign_name: `C ${campaign_id}`, offer_type: 'discount', segment, first_sent_on: '2026-05-03',
      targeted: t + h, holdout: h, treated: t, responded: at, accepted_treated: at, accepted_holdout: ah, response_rate: null,
      treated_acceptance_rate: null, holdout_acceptance_rate: null, uplift: null, uplift_low: null, uplift_high: null, suppressed: false,
      ...(Object.fromEntries(CHANGE_COLUMNS.map((c) => [c, null])) as Record<(typeof CHANGE_COLUMNS)[number], null>),
    });
    const totals = campaignTotals([row('a', 'sme', 150, 30, 30, 3), row('a', 'commercial', 50, 20, 20, 2), row('b', 'sme', 10, 1, 10, 1)]);
    expect(totals.map((t) => t.id)).toEqual(['a', 'b']);
    expect(totals[0]!.interval.high).toBeCloseTo(0.252549, 6);
    expect(totals[0]!.targeted).toBe(250);
    expect(totals[1]!.interval.uplift).toBeCloseTo(0, 12);
  });
});

describe('meanDiffInterval (incremental kWh and revenue)', () => {
  it('matches a hand-checked case', () => {
    // Treated changes −1, −3, −5, −7 (n 4, Σ −16, Σ² 84): mean −4, s² = (84 − 4 × 16) / 3 = 20/3.
    // Holdout changes 0, 2, 1 (n 3, Σ 3, Σ² 5): mean 1, s² = (5 − 3 × 1) / 2 = 1.
    // diff = −5; se = √(20/3/4 + 1/3) = √(5/3 + 1/3) = √2 = 1.414214; half = 1.96 × √2 = 2.771859
    const r = meanDiffInterval({ n: 4, sum: -16, sumSq: 84 }, { n: 3, sum: 3, sumSq: 5 });
    expect(r.treatedMean).toBe(-4);
    expect(r.holdoutMean).toBe(1);
    expect(r.diff).toBe(-5);
    expect(r.low).toBeCloseTo(-7.771859, 6);
    expect(r.high).toBeCloseTo(-2.228141, 6);
  });

  it('is not measurable without values in a group; no interval with fewer than 2', () => {
    expect(meanDiffInterval({ n: 0, sum: 0, sumSq: 0 }, { n: 3, sum: 3, sumSq: 5 })).toMatchObject({ diff: null, low: null });
    expect(meanDiffInterval({ n: 1, sum: 2, sumSq: 4 }, { n: 3, sum: 3, sumSq: 5 })).toMatchObject({ diff: 1, low: null, high: null });
  });

  it('campaign totals pool the cells\' sums, leaving suppressed (null) cells out', () => {
    const base = {
      campaign_id: 'a', campaign_name: 'A', offer_type: 'energy_audit', first_sent_on: '2026-09-10', targeted: 10, holdout: 3, treated: 7,
      responded: 1, accepted_treated: 1, accepted_holdout: 0, response_rate: null, treated_acceptance_rate: null, holdout_acceptance_rate: null,
      uplift: null, uplift_low: null, uplift_high: null, suppressed: false,
      treated_revenue_n: null, treated_revenue_change: null, treated_revenue_change_sq: null,
      holdout_revenue_n: null, holdout_revenue_change: null, holdout_revenue_change_sq: null,
    };
    // The hand-checked case above, split over two segments, plus a suppressed one.
    const rows: CampaignRow[] = [
      { ...base, segment: 'sme', treated_kwh_n: 2, treated_kwh_change: -4, treated_kwh_change_sq: 10, holdout_kwh_n: 1, holdout_kwh_change: 0, holdout_kwh_change_sq: 0 },
      { ...base, segment: 'commercial', treated_kwh_n: 2, treated_kwh_change: -12, treated_kwh_change_sq: 74, holdout_kwh_n: 2, holdout_kwh_change: 3, holdout_kwh_change_sq: 5 },
      { ...base, segment: 'large_industrial', suppressed: true, treated_kwh_n: null, treated_kwh_change: null, treated_kwh_change_sq: null, holdout_kwh_n: null, holdout_kwh_change: null, holdout_kwh_change_sq: null },
    ];
    const [total] = campaignTotals(rows);
    expect(total!.kwh.diff).toBe(-5);
    expect(total!.kwh.low).toBeCloseTo(-7.771859, 6);
    expect(total!.revenue.diff).toBeNull();
  });
});
