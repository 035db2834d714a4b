// Query builders of the Service view: tickets by channel and by type over
// time, first response and resolution times by type, first response within
// SLA, unresolved tickets by month opened, complaints per 10k customers by
// region, post-resolution satisfaction. They read service_month_totals
// (service_month's measures per month at every level of channel × type ×
// region × segment), each at the level of its question (levelMaskWhere), so
// small-cell suppression hides only what is small at that level. Tickets have
// no tariff or band: those filters do not apply (the view says so).
//
// Times: a cell holds its median and P90, exact for one month; over several
// months the figure is the months' values weighted by their answered tickets
// — a typical time, not an exact percentile.

import type { BuiltQuery, Filters } from '../api.ts';
import { filterWhere, joinParts, levelMaskWhere, monthRange, type SqlPart } from '../sql.ts';
import { trendWindow } from './usage.ts';

const TICKET_FILTERS = { segment: 'segment', region: 'region', channel: 'channel' } as const;
/** The CUBE dimensions of service_month_totals, in the order of its level_mask (GROUPING(channel, type, region, segment)). */
export const TICKET_DIMENSIONS = ['channel', 'type', 'region', 'segment'] as const;

/** The period, the filters, and the level with `by` and the filtered dimensions. */
function ticketWhere(filters: Filters, period: { from: string; to: string }, by: readonly string[] = []): SqlPart {
  return joinParts([monthRange('month', period), filterWhere(filters, TICKET_FILTERS), levelMaskWhere(TICKET_DIMENSIONS, filters, by)], ' and ');
}

export interface TicketTrendRow {
  month: string;
  key: string;
  tickets: number | null;
}

/** Tickets by month and channel (or type), 12 months to the period's end. */
export function ticketTrendQuery(filters: Filters, by: 'channel' | 'type'): BuiltQuery {
  const column = by === 'type' ? 'type' : 'channel';
  const w = ticketWhere(filters, trendWindow(filters, 12), [column]);
  return {
    sql: `select cast(month as VARCHAR) as month, ${column} as key, sum(tickets)::DOUBLE as tickets
            from service_month_totals where ${w.sql}
           group by month, key order by month, key`,
    params: w.params,
    extracts: ['service_month_totals'],
  };
}

export interface ServiceMonthRow {
  month: string;
  tickets: number | null;
  unresolved: number | null;
  sla_tickets: number | null;
  within_sla_pct: number | null;
  post_resolution_satisfaction: number | null;
}

/** Per month: tickets, still unresolved, within SLA %, post-resolution satisfaction (12 months to the period's end). */
export function serviceTrendQuery(filters: Filters): BuiltQuery {
  const w = ticketWhere(filters, trendWindow(filters, 12));
  return {
    sql: `select cast(month as VARCHAR) as month,
                 sum(tickets)::DOUBLE as tickets,
                 (sum(tickets) - sum(resolved))::DOUBLE as unresolved,
                 sum(sla_tickets)::DOUBLE as sla_tickets,
                 100.0 * sum(first_responses_within_sla) / nullif(sum(sla_tickets), 0) as within_sla_pct,
                 sum(post_resolution_satisfaction * satisfaction_responses) / nullif(sum(satisfaction_responses) filter (where post_resolution_satisfaction is not null), 0)
                   as post_resolution_satisfaction
            from service_month_totals where ${w.sql}
           group by month order by month`,
    params: w.params,
    extracts: ['service_month_totals'],
  };
}

export interface ResponseTimeRow {
  type: string;
  tickets: number | null;
  median_first_response_hours: number | null;
  p90_first_response_hours: number | null;
  median_resolution_hours: number | null;
  within_sla_pct: number | null;
}

/** Per ticket type over the period: typical first response (median, P90) and resolution times, within SLA %. */
export function responseTimesQuery(filters: Filters): BuiltQuery {
  const w = ticketWhere(filters, filters, ['type']);
  const weighted = (c: string, weight: string) => `sum(${c} * ${weight}) / nullif(sum(${weight}) filter (where ${c} is not null), 0) as ${c}`;
  return {
    sql: `select type, sum(tickets)::DOUBLE as tickets,
                 ${weighted('median_first_response_hours', 'first_responses')},
                 ${weighted('p90_first_response_hours', 'first_responses')},
                 ${weighted('median_resolution_hours', 'resolved')},
                 100.0 * sum(first_responses_within_sla) / nullif(sum(sla_tickets), 0) as within_sla_pct
            from service_month_totals where ${w.sql}
           group by type order by tickets desc nulls last, type`,
    params: w.params,
    extracts: ['service_month_totals'],
  };
}

export interface RegionComplaintsRow {
  region: string;
  complaints: number | null;
  customers: number | null;
  complaints_per_10k: number | null;
}

/**
 * Complaints per 10k customers by region over the period: complaints ×
 * 10,000 ÷ the average monthly customers (kpi_month's 万户投诉率 for one month).
 * Customers follow segment/region/tariff/band; complaints segment/region/channel.
 */
export function complaintsByRegionQuery(filters: Filters): BuiltQuery {
  const t = ticketWhere(filters, filters, ['type', 'region']);
  const c = joinParts(
    [monthRange('month', filters), filterWhere(filters, { segment: 'segment', region: 'region', tariff: 'tariff', band: 'band' })],
    ' and ',
  );
  return {
    sql: `with k as (select region, sum(tickets)::DOUBLE as complaints from service_month_totals
                      where type = 'complaint' and ${t.sql} group by region),
               c as (select region, sum(customers)::DOUBLE / count(distinct month) as customers from segment_month
                      where ${c.sql} group by region)
          select c.region, coalesce(k.complaints, 0) as complaints, c.customers,
                 10000.0 * coalesce(k.complaints, 0) / nullif(c.customers, 0) as complaints_per_10k
            from c left join k on k.region = c.region
           order by complaints_per_10k desc nulls last, c.region`,
    params: [...t.params, ...c.params],
    extracts: ['service_month_totals', 'segment_month'],
  };
}

/** Channels present in tickets and surveys, for the filter bar. */
export function channelValuesQuery(): BuiltQuery {
  return {
    sql: `select channel as value from service_month union select channel as value from satisfaction_month order by 1`,
    params: [],
    extracts: ['service_month', 'satisfaction_month'],
  };
}
