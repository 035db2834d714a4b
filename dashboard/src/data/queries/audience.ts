// Query builders of the campaign planner's audience (campaigns/audience.ts):
// the WHERE clause of a definition over the customer extract, its size and
// value by segment (with the planned offer type's past acceptance rates from
// campaign_result), its composition, its rows for the target list, and the
// overlap of two or three audiences. Pure; every filter value is a bound
// parameter, and the only identifiers in SQL come from the fixed lists here.
//
// Dates relative to the data as-of day (contract end, recent contact) are
// computed here, in code, and bound as dates: the same definition gives the
// same SQL text in DuckDB and PostgreSQL.

import type { AudienceDefinition, Range } from '../../campaigns/audience.ts';
import type { BuiltQuery } from '../api.ts';
import { joinParts, type Param, type SqlPart } from '../sql.ts';

/** 'YYYY-MM-DD' plus n days (UTC calendar arithmetic). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' plus n months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonthsToDay(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function inList(column: string, values: readonly string[]): SqlPart | null {
  return values.length ? { sql: `${column} in (${values.map(() => '?').join(', ')})`, params: [...values] } : null;
}

function between(column: string, r: Range): SqlPart | null {
  const parts: SqlPart[] = [];
  if (r.min !== null) parts.push({ sql: `${column} >= ?`, params: [r.min] });
  if (r.max !== null) parts.push({ sql: `${column} <= ?`, params: [r.max] });
  return parts.length ? joinParts(parts, ' and ') : null;
}

const NEED_COLUMNS = { green: 'need_green', reliability: 'need_reliability', price: 'need_price' } as const;

/**
 * The conditions (AND-ed, no WHERE keyword; 'true' when none) selecting the
 * audience's customers from the customer extract. `asOf` is the data as-of day
 * ('YYYY-MM-DD', manifest.data_as_of).
 */
export function audienceWhere(def: AudienceDefinition, asOf: string): SqlPart {
  const parts: (SqlPart | null)[] = [
    def.includeClosed ? null : { sql: `status = 'active'`, params: [] },
    inList('segment', def.segment),
    inList('region', def.region),
    inList('tariff', def.tariff),
    inList('band', def.band),
    ...def.needs.map((n) => ({ sql: `${NEED_COLUMNS[n]}`, params: [] })),
  ];
  if (def.npsClass.length) {
    const known = def.npsClass.filter((c) => c !== 'none');
    const none = def.npsClass.includes('none');
    const alts: SqlPart[] = [];
    if (known.length) alts.push(inList('nps_class', known)!);
    if (none) alts.push({ sql: 'nps_class is null', params: [] });
    const p = joinParts(alts, ' or ');
    parts.push({ sql: `(${p.sql})`, params: p.params });
  }
  parts.push(
    between('overall', def.overall),
    between('churn_risk', def.churn),
    inList('value_tier', def.valueTier),
    between('tenure_months', def.tenureMonths),
    // No bill due in the 12 months: nothing paid late.
    between('coalesce(late_payment_ratio, 0)', def.latePayment),
    between('tickets_12m', def.tickets12m),
    between('complaints_12m', def.complaints12m),
  );
  if (def.contractEndsWithinMonths !== null) {
    parts.push({ sql: `contract_end > ?::DATE and contract_end <= ?::DATE`, params: [asOf, addMonthsToDay(asOf, def.contractEndsWithinMonths)] });
  }
  const typed = inList('last_offer_type', def.pastOfferType);
  const ofType = (cond: string): SqlPart => (typed ? { sql: `(${cond} and ${typed.sql})`, params: typed.params } : { sql: `(${cond})`, params: [] });
  switch (def.pastOffer) {
    case 'never':
      parts.push(typed ? { sql: `(last_offer_on is null or not (${typed.sql}))`, params: typed.params } : { sql: 'last_offer_on is null', params: [] });
      break;
    case 'offered':
      parts.push(ofType('last_offer_on is not null'));
      break;
    case 'responded':
      parts.push(ofType('last_offer_responded'));
      break;
    case 'accepted':
      parts.push(ofType('last_offer_accepted'));
      break;
    case 'not_accepted':
      parts.push(ofType('last_offer_on is not null and not last_offer_accepted'));
      break;
    case 'any':
      break;
  }
  if (def.excludeContactedDays !== null) {
    // Contacted on or after this day = contacted within N days before as-of.
    parts.push({ sql: `(last_offer_on is null or last_offer_on < ?::DATE)`, params: [addDays(asOf, -def.excludeContactedDays)] });
  }
  const present = parts.filter((p): p is SqlPart => p !== null);
  return present.length ? joinParts(present, ' and ') : { sql: 'true', params: [] };
}

export interface AudienceSegmentRow {
  segment: string;
  customers: number;
  revenue_12m: number;
  kwh_12m: number;
  /** Past acceptance of the planned offer type in this segment, treated and holdout (0–1); null without history. */
  p_treated: number | null;
  p_holdout: number | null;
  /** Where the rates come from: 'segment' (this segment's history), 'offer' (every segment of the offer type), null: none. */
  rate_source: 'segment' | 'offer' | null;
}

/**
 * The audience by segment with its value and the planned offer type's past
 * acceptance rates: Σ accepted ÷ Σ contacted over every campaign of that type
 * in campaign_result (treated, and holdout = adopted anyway), per segment, or
 * over all segments of the type when the segment has no history. Suppressed
 * cells (fewer than K customers) have null counts and drop out.
 */
export function audienceBySegmentQuery(def: AudienceDefinition, asOf: string): BuiltQuery {
  const w = audienceWhere(def, asOf);
  const sql = `
with a as (
  select segment, count(*)::INTEGER as customers, coalesce(sum(revenue_12m), 0)::DOUBLE as revenue_12m, coalesce(sum(kwh_12m), 0)::DOUBLE as kwh_12m
    from customer where ${w.sql} group by 1
),
h as (
  select segment,
         sum(accepted_treated)::DOUBLE / nullif(sum(treated), 0) as p1,
         sum(accepted_holdout)::DOUBLE / nullif(sum(holdout), 0) as p0
    from campaign_result where offer_type = ? and not coalesce(suppressed, false) group by 1
),
o as (
  select sum(accepted_treated)::DOUBLE / nullif(sum(treated), 0) as p1,
         sum(accepted_holdout)::DOUBLE / nullif(sum(holdout), 0) as p0
    from campaign_result where offer_type = ? and not coalesce(suppressed, false)
)
select a.segment, a.customers, a.revenue_12m, a.kwh_12m,
       case when h.p1 is not null and h.p0 is not null then h.p1 else o.p1 end as p_treated,
       case when h.p1 is not null and h.p0 is not null then h.p0 else o.p0 end as p_holdout,
       case when h.p1 is not null and h.p0 is not null then 'segment' when o.p1 is not null then 'offer' end as rate_source
  from a left join h on h.segment = a.segment cross join o
 order by a.customers desc, a.segment`;
  return { sql, params: [...w.params, def.offerType, def.offerType], extracts: ['customer', 'campaign_result'] };
}

export const COMPOSITION_DIMENSIONS = ['segment', 'region', 'band'] as const;
export type CompositionDimension = (typeof COMPOSITION_DIMENSIONS)[number];

/** The audience's customers by one dimension, largest first. */
export function audienceCompositionQuery(def: AudienceDefinition, asOf: string, by: CompositionDimension): BuiltQuery {
  if (!(COMPOSITION_DIMENSIONS as readonly string[]).includes(by)) throw new Error(`not a composition dimension: ${by}`);
  const w = audienceWhere(def, asOf);
  return {
    sql: `select coalesce(${by}, 'unknown') as key, count(*)::INTEGER as customers from customer where ${w.sql} group by 1 order by 2 desc, 1`,
    params: w.params,
    extracts: ['customer'],
  };
}

/** Columns of the target list the browser holds (pseudonymous: the account number comes from the server). */
export const TARGET_COLUMNS = [
  'customer_key', 'segment', 'region', 'tariff', 'band', 'value_tier', 'churn_risk', 'revenue_12m', 'kwh_12m',
  'contract_end', 'preferred_channel', 'last_offer_on', 'last_offer_type',
] as const;
export type TargetRow = {
  customer_key: number; segment: string; region: string; tariff: string | null; band: string | null; value_tier: string | null;
  churn_risk: number | null; revenue_12m: number; kwh_12m: number; contract_end: string | null; preferred_channel: string | null;
  last_offer_on: string | null; last_offer_type: string | null;
};

/** Every customer of the audience, by key (dates as text, so a row is plain JSON). */
export function audienceRowsQuery(def: AudienceDefinition, asOf: string): BuiltQuery {
  const w = audienceWhere(def, asOf);
  const cols = TARGET_COLUMNS.map((c) => (c === 'contract_end' || c === 'last_offer_on' ? `cast(${c} as VARCHAR) as ${c}` : c)).join(', ');
  return { sql: `select ${cols} from customer where ${w.sql} order by customer_key`, params: w.params, extracts: ['customer'] };
}

/**
 * The overlap of 2 or 3 audiences: customers in at least one, counted by the
 * set of audiences they are in (mask: bit i = in audience i).
 */
export function audienceOverlapQuery(defs: readonly AudienceDefinition[], asOf: string): BuiltQuery {
  if (defs.length < 2 || defs.length > 3) throw new Error(`overlap of 2 or 3 audiences, not ${defs.length}`);
  const ws = defs.map((d) => audienceWhere(d, asOf));
  const mask = ws.map((w, i) => `case when ${w.sql} then ${1 << i} else 0 end`).join(' + ');
  const params: Param[] = ws.flatMap((w) => w.params);
  return {
    sql: `select mask, count(*)::INTEGER as customers from (select (${mask})::INTEGER as mask from customer) m where mask > 0 group by 1 order by 1`,
    params,
    extracts: ['customer'],
  };
}
