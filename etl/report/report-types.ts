// The customer usage report as the /api/customer-report endpoint sends it
// (JSON) and the dashboard's report page reads it. Figures and codes only:
// the pseudonymous key, never the account number, name, phone or address.

import type { Advice } from './advice.ts';
import type { TierPosition } from './tier-position.ts';
import type { ShiftSaving, TouSwitch } from './tou-saving.ts';

export interface ReportMonth {
  /** 'YYYY-MM-01' */
  month: string;
  /** kWh of the month; null: no readings (or the account was not open). */
  kwh: number | null;
  /** Days with readings. */
  days: number | null;
  /** kWh of the same month a year before; null: none. */
  kwh_last_year: number | null;
  /**
   * Similar customers (same segment, region and band): the median and the
   * efficient quartile (25th percentile) of their kWh per day this month,
   * times this customer's days with readings (the month's days without any);
   * null when fewer than K customers (small-cell suppression) or none.
   */
  peer_median_kwh: number | null;
  peer_efficient_kwh: number | null;
  peer_customers: number;
}

export interface CustomerReport {
  customer: {
    customer_key: number;
    customer_class: string;
    segment: string;
    region: string;
    tariff: string;
    band: string;
    status: 'active' | 'closed';
  };
  /** The latest day with data. */
  as_of: string;
  /** The 12 months shown, 'YYYY-MM-01', the last being the customer's latest open month. */
  period: { from: string; to: string };
  months: ReportMonth[];
  totals: {
    kwh: number;
    /** The same months a year before, over the months with kWh in both years. */
    year_on_year: { kwh: number; kwh_last_year: number; months: number } | null;
    /** The customer and the peers over the months with peer figures. */
    peers: { kwh: number; median_kwh: number; efficient_kwh: number; months: number } | null;
    annual_kwh: number | null;
  };
  /** The peer group and the suppression threshold applied to it. */
  peer_group: { segment: string; region: string; band: string; k: number };
  /** Average kWh per hour of day (index 0 = 00:00–01:00) over the 12 months' sub-daily days; null without interval data. */
  hourly: { workday: number[] | null; weekend_holiday: number[] | null } | null;
  /** 12 months' TOU split, scaled to all their kWh (tou-saving.ts scaledSplit); null without interval data. */
  tou: { kwh_peak: number; kwh_shoulder: number; kwh_valley: number; peak_share: number; shoulder_share: number; valley_share: number } | null;
  shift: ShiftSaving;
  tou_switch: TouSwitch | null;
  tier: TierPosition | null;
  load_factor: number | null;
  advice: Advice[];
}
