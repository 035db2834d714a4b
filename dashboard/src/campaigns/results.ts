// Campaign totals for the results table (pure): a campaign's cells (offer
// type × segment, campaign_result) added up — counts first, then one uplift
// and interval (uplift.ts); suppressed cells (null counts) are left out and counted.

import type { CampaignRow } from '../data/queries/campaigns.ts';
import { meanDiffInterval, sumCounts, upliftInterval, type ChangeSums, type MeanDiffInterval, type UpliftInterval } from './uplift.ts';

export interface CampaignTotal {
  id: string;
  name: string;
  offerTypes: string[];
  firstSentOn: string | null;
  targeted: number;
  responded: number;
  interval: UpliftInterval;
  treated: number;
  holdout: number;
  acceptedTreated: number;
  acceptedHoldout: number;
  leftOut: number;
  /** Incremental kWh and revenue per contacted customer and month (difference in differences); null diff: not measurable. */
  kwh: MeanDiffInterval;
  revenue: MeanDiffInterval;
}

/** One group's change sums over cells; a cell with a null count (suppressed) adds nothing. */
export function changeSums(cells: readonly CampaignRow[], group: 'treated' | 'holdout', measure: 'kwh' | 'revenue'): ChangeSums {
  const out = { n: 0, sum: 0, sumSq: 0 };
  for (const c of cells) {
    const n = c[`${group}_${measure}_n`];
    if (n === null || n === 0) continue;
    out.n += n;
    out.sum += c[`${group}_${measure}_change`] ?? 0;
    out.sumSq += c[`${group}_${measure}_change_sq`] ?? 0;
  }
  return out;
}

/** Each campaign's total over its unsuppressed cells. */
export function campaignTotals(rows: readonly CampaignRow[]): CampaignTotal[] {
  const by = new Map<string, CampaignRow[]>();
  for (const r of rows) {
    let list = by.get(r.campaign_id);
    if (!list) by.set(r.campaign_id, (list = []));
    list.push(r);
  }
  return [...by].map(([id, cells]) => {
    const c = sumCounts(cells);
    return {
      id,
      name: cells.find((x) => x.campaign_name)?.campaign_name ?? id,
      offerTypes: [...new Set(cells.map((x) => x.offer_type))],
      firstSentOn: cells.map((x) => x.first_sent_on).filter((x): x is string => x !== null).sort()[0] ?? null,
      targeted: cells.reduce((s, x) => s + (x.targeted ?? 0), 0),
      responded: cells.reduce((s, x) => s + (x.responded ?? 0), 0),
      interval: upliftInterval(c),
      treated: c.treated, holdout: c.holdout, acceptedTreated: c.acceptedTreated, acceptedHoldout: c.acceptedHoldout,
      leftOut: c.leftOut,
      kwh: meanDiffInterval(changeSums(cells, 'treated', 'kwh'), changeSums(cells, 'holdout', 'kwh')),
      revenue: meanDiffInterval(changeSums(cells, 'treated', 'revenue'), changeSums(cells, 'holdout', 'revenue')),
    };
  });
}
