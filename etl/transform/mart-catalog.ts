// The marts: views in schema `mart` (sql/marts/<name>.sql), each published as
// an extract of the same name, installed in this order (a mart may read an
// earlier one: service_month is a level of service_month_totals). This catalog is the contract between the SQL
// that builds a mart and the code that exports it: the grain (dimension
// columns), and which column counts the customers behind a cell, for the
// small-cell suppression of aggregate extracts ("15/15" practice). Every
// column of every mart is defined in docs/metrics.md.

export interface MartSpec {
  /** View name in schema `mart`, and the extract's file name (<name>.arrow). */
  name: string;
  /** Columns that identify a row (the grain). */
  grain: readonly string[];
  /**
   * Aggregate marts: the column counting distinct customers (or responses) in
   * a cell. Cells below K get every measure nulled and `suppressed = true`.
   * null for the per-customer mart (pseudonymous, one row per customer).
   */
  customersColumn: string | null;
  /**
   * Aggregate marts: the column holding the largest single customer's share
   * (0–1) of the cell's main measure, for the dominance part of "15/15"
   * suppression; the extract drops it. Omitted when the mart has none.
   */
  dominanceColumn?: string | null;
  description: string;
}

export const MARTS: readonly MartSpec[] = [
  {
    name: 'kpi_month',
    grain: ['month'],
    customersColumn: 'active_customers',
    description: 'Company KPIs per month: customers, kWh, revenue, arrears, DSO, CSAT, NPS, complaints, SLA, offers.',
  },
  {
    name: 'segment_month',
    grain: ['month', 'segment', 'region', 'tariff', 'band'],
    customersColumn: 'customers',
    dominanceColumn: 'top_customer_share',
    description: 'Customers, kWh, revenue, bills, arrears, peak/valley share and load factor per segment cell.',
  },
  {
    name: 'load_profile',
    grain: ['month', 'segment', 'day_type', 'hour'],
    customersColumn: 'customers',
    dominanceColumn: 'top_customer_share',
    description: 'Average kWh per customer-hour by hour of day, for interval-metered customers.',
  },
  {
    name: 'satisfaction_month_totals',
    grain: ['month', 'segment', 'region', 'channel'],
    customersColumn: 'responses',
    description: 'satisfaction_month at every level of detail: a null segment, region or channel means all of them.',
  },
  {
    name: 'satisfaction_month',
    grain: ['month', 'segment', 'region', 'channel'],
    customersColumn: 'responses',
    description: 'Survey responses, item means, CSAT and NPS.',
  },
  {
    name: 'detractor_followup',
    grain: ['wave', 'segment', 'region'],
    customersColumn: 'cases',
    description: 'Detractor follow-up per survey wave (null segment/region = all): cases, contacts within 30 days, time to contact, next-wave NPS of contacted vs uncontacted detractors.',
  },
  {
    name: 'action_effect',
    // The descriptive columns ride in the grain (they depend on action_id) so a suppressed action still shows what it was,
    // and its windows too: the panel picks actions by after_end (a suppressed one vanished when it was nulled).
    grain: ['action_id', 'action_date', 'target', 'regions', 'segments', 'description', 'before_start', 'after_end'],
    customersColumn: 'min_cell_responses',
    description: 'Improvement actions (register actions/*.csv): the targeted survey item before/after in treated vs untreated regions, difference-in-differences with 95% interval.',
  },
  {
    name: 'service_month_totals',
    // level_mask first: the extract is sorted by it, so each level's rows are contiguous (one DuckDB range per question).
    grain: ['level_mask', 'month', 'channel', 'type', 'region', 'segment'],
    customersColumn: 'customers',
    description: 'service_month at every level of detail: a null channel, type, region or segment means all of them; level_mask says which level.',
  },
  {
    name: 'service_month',
    grain: ['month', 'channel', 'type', 'region', 'segment'],
    customersColumn: 'customers',
    description: 'Tickets, first response within SLA, response and resolution times, post-resolution satisfaction.',
  },
  {
    name: 'campaign_result',
    grain: ['campaign_id', 'offer_type', 'segment'],
    customersColumn: 'targeted',
    description: 'Targeted, holdout, responses, acceptance treated vs holdout, uplift with 95% interval.',
  },
  {
    name: 'customer',
    grain: ['customer_key'],
    customersColumn: null,
    description: 'One row per customer under a pseudonymous key: segment, profile, value, satisfaction, risk.',
  },
  {
    name: 'usage_alert',
    grain: ['customer_key', 'alert_type', 'first_seen'],
    customersColumn: null,
    description: 'Abnormal-usage alerts (spike, zero, flat, night load) and high-bill warnings per pseudonymous customer: severity, first/last seen, status, figures.',
  },
  {
    name: 'forecast_month',
    grain: ['measure', 'segment', 'region', 'month', 'is_forecast'],
    customersColumn: 'customers',
    dominanceColumn: 'top_customer_share',
    description: 'kWh and revenue per segment × region (null = all): complete months of history and a 3-month forecast with 80%/95% intervals, backtest MAPE of the model vs the seasonal naive.',
  },
];
