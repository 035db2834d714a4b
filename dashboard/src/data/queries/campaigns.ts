// Query builders of the Campaigns view besides the audience (audience.ts):
// the values the audience filters offer, and the campaign results
// (campaign_result: per campaign × offer type × segment). Pure.

import type { BuiltQuery } from '../api.ts';

export interface OptionRow {
  dim: 'segment' | 'region' | 'tariff' | 'band' | 'last_offer_type';
  value: string;
}

/** Values present in the customer extract for each listed filter. */
export function audienceOptionsQuery(): BuiltQuery {
  const dims = ['segment', 'region', 'tariff', 'band', 'last_offer_type'] as const;
  return {
    sql: dims.map((d) => `select '${d}' as dim, ${d} as value from customer where ${d} is not null group by 2`).join('\nunion all\n') + '\norder by 1, 2',
    params: [],
    extracts: ['customer'],
  };
}

/** Before/after change sums per group (mart.campaign_result, docs/metrics.md). */
export const CHANGE_COLUMNS = [
  'treated_kwh_n', 'treated_kwh_change', 'treated_kwh_change_sq', 'holdout_kwh_n', 'holdout_kwh_change', 'holdout_kwh_change_sq',
  'treated_revenue_n', 'treated_revenue_change', 'treated_revenue_change_sq', 'holdout_revenue_n', 'holdout_revenue_change', 'holdout_revenue_change_sq',
] as const;
export type ChangeColumn = (typeof CHANGE_COLUMNS)[number];

export type CampaignRow = {
  campaign_id: string;
  campaign_name: string | null;
  offer_type: string;
  segment: string;
  first_sent_on: string | null;
  targeted: number | null;
  holdout: number | null;
  treated: number | null;
  responded: number | null;
  accepted_treated: number | null;
  accepted_holdout: number | null;
  response_rate: number | null;
  treated_acceptance_rate: number | null;
  holdout_acceptance_rate: number | null;
  uplift: number | null;
  uplift_low: number | null;
  uplift_high: number | null;
  suppressed: boolean;
} & Record<ChangeColumn, number | null>;

/** Every campaign_result row, newest campaign first (counts as DOUBLE → numbers, dates as text). */
export function campaignResultsQuery(): BuiltQuery {
  return {
    sql: `select campaign_id, campaign_name, offer_type, segment, cast(first_sent_on as VARCHAR) as first_sent_on,
                 targeted::DOUBLE as targeted, holdout::DOUBLE as holdout, treated::DOUBLE as treated, responded::DOUBLE as responded,
                 accepted_treated::DOUBLE as accepted_treated, accepted_holdout::DOUBLE as accepted_holdout,
                 response_rate, treated_acceptance_rate, holdout_acceptance_rate, uplift, uplift_low, uplift_high,
                 coalesce(suppressed, false) as suppressed,
                 ${CHANGE_COLUMNS.map((c) => `${c}::DOUBLE as ${c}`).join(', ')}
            from campaign_result
           order by min(first_sent_on) over (partition by campaign_id) desc nulls last, campaign_id, offer_type, segment`,
    params: [],
    extracts: ['campaign_result'],
  };
}
