// Pure helpers the query builders share: month arithmetic for periods and
// comparisons, and the WHERE clause of the global filters. Everything returns
// SQL text with `?` placeholders plus the values to bind: a filter value never
// becomes part of the SQL text.

import type { Filters } from './api.ts';

export type Param = string | number | boolean | null;

/** SQL text with `?` placeholders and the values for them, in order. */
export interface SqlPart {
  sql: string;
  params: Param[];
}

/** The dimension filters of the filter bar (every Filters list). */
export const FILTER_DIMENSIONS = ['segment', 'region', 'tariff', 'band', 'channel'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

const MONTH = /^(\d{4})-(\d{2})-01$/;

function monthParts(month: string): [number, number] {
  const m = MONTH.exec(month);
  if (!m) throw new Error(`not a month: ${JSON.stringify(month)} (expected 'YYYY-MM-01')`);
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) throw new Error(`not a month: ${JSON.stringify(month)}`);
  return [Number(m[1]), mm];
}

export function isMonth(value: string): boolean {
  try {
    monthParts(value);
    return true;
  } catch {
    return false;
  }
}

function monthText(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
}

/** 'YYYY-MM-01' shifted by `n` months (negative: earlier). */
export function addMonths(month: string, n: number): string {
  const [y, m] = monthParts(month);
  const index = y * 12 + (m - 1) + n;
  return monthText(Math.floor(index / 12), (index % 12) + 1);
}

/** Months from `from` to `to`, both included (0 when `to` is before `from`). */
export function monthCount(from: string, to: string): number {
  const [fy, fm] = monthParts(from);
  const [ty, tm] = monthParts(to);
  return Math.max(0, (ty * 12 + tm) - (fy * 12 + fm) + 1);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const n = monthCount(from, to);
  return Array.from({ length: n }, (_, i) => addMonths(from, i));
}

/** First day of the month of a 'YYYY-MM-DD' date. */
export function monthOf(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a date: ${JSON.stringify(day)} (expected 'YYYY-MM-DD')`);
  return `${day.slice(0, 7)}-01`;
}

/**
 * The latest month whose last day is on or before `dataAsOf` ('YYYY-MM-DD'):
 * data as of 31 October → October; as of 25 November → October too, since
 * November is still incomplete. Same rule as the manifest's summary.
 */
export function latestCompleteMonth(dataAsOf: string): string {
  const month = monthOf(dataAsOf);
  const next = addMonths(month, 1);
  const lastDay = new Date(Date.UTC(Number(next.slice(0, 4)), Number(next.slice(5, 7)) - 1, 0)).getUTCDate();
  return Number(dataAsOf.slice(8, 10)) >= lastDay ? month : addMonths(month, -1);
}

export interface Period {
  from: string;
  to: string;
}

/**
 * The period compared with `period`: `previous` = the same number of months
 * just before it; `year` = the same months a year earlier.
 */
export function comparisonPeriod(period: Period, compare: Filters['compare']): Period {
  const shift = compare === 'year' ? 12 : monthCount(period.from, period.to);
  return { from: addMonths(period.from, -shift), to: addMonths(period.to, -shift) };
}

/** The filter bar's default: the latest complete month against the month before, no dimension filter. */
export function defaultFilters(dataAsOf: string): Filters {
  const month = latestCompleteMonth(dataAsOf);
  return { from: month, to: month, compare: 'previous', segment: [], region: [], tariff: [], band: [], channel: [] };
}

/** `column between ? and ?` over months ('YYYY-MM-01' values bound as DATE). */
export function monthRange(column: string, period: Period): SqlPart {
  return { sql: `${column} between ?::DATE and ?::DATE`, params: [period.from, period.to] };
}

/**
 * The WHERE conditions (joined with AND, without the keyword; 'true' when none)
 * for the dimension filters a table has. `columns` maps each filter the table
 * supports to its column there (a filter the table lacks is not applied: the
 * caller decides which table can answer a filtered question).
 */
export function filterWhere(filters: Filters, columns: Partial<Record<FilterDimension, string>>): SqlPart {
  const parts: string[] = [];
  const params: Param[] = [];
  for (const dim of FILTER_DIMENSIONS) {
    const column = columns[dim];
    const values = filters[dim];
    if (!column || values.length === 0) continue;
    parts.push(`${column} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  }
  return { sql: parts.length ? parts.join(' and ') : 'true', params };
}

/**
 * The level of a *_totals extract (GROUP BY CUBE: a null column = all of its
 * values) that answers a question grouped by `by` under `filters`: the
 * dimensions grouped by or filtered on are not null, every other one null.
 * Each row of that level is a disjoint cell, so sums over them are exact.
 */
export function levelWhere(dimensions: readonly string[], filters: Filters, by: readonly string[] = []): SqlPart {
  const used = levelDimensions(dimensions, filters, by);
  return { sql: dimensions.map((d) => `${d} is ${used.has(d) ? 'not ' : ''}null`).join(' and '), params: [] };
}

/** The dimensions a level keeps (not rolled up): those grouped by or filtered on. */
function levelDimensions(dimensions: readonly string[], filters: Filters, by: readonly string[]): Set<string> {
  const used = new Set<string>(by);
  for (const d of dimensions) if ((filters[d as FilterDimension]?.length ?? 0) > 0) used.add(d);
  return used;
}

/**
 * The same level as levelWhere, for a totals extract with a `level_mask`
 * column (PostgreSQL's GROUPING() of its CUBE columns, in `dimensions`' order:
 * the first is the highest bit, a set bit = rolled up to "all"). One integer
 * compare per row instead of a null test per dimension, on an extract sorted
 * by it (the Service view's questions at 100k: 86 → 75 ms in DuckDB-WASM).
 */
export function levelMaskWhere(dimensions: readonly string[], filters: Filters, by: readonly string[] = []): SqlPart {
  const used = levelDimensions(dimensions, filters, by);
  const mask = dimensions.reduce((m, d, i) => (used.has(d) ? m : m | (1 << (dimensions.length - 1 - i))), 0);
  return { sql: `level_mask = ${mask}`, params: [] };
}

/** Dimension filters set in `filters` (non-empty lists). */
export function activeDimensions(filters: Filters): FilterDimension[] {
  return FILTER_DIMENSIONS.filter((d) => filters[d].length > 0);
}

/** Joins parts with `separator`, concatenating their parameters in order. */
export function joinParts(parts: readonly SqlPart[], separator: string): SqlPart {
  return { sql: parts.map((p) => p.sql).join(separator), params: parts.flatMap((p) => p.params) };
}

/** Quotes a SQL identifier (column and table names come from code, never from user input; this is for names that are data, e.g. KPI names). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal, for constants chosen in code (never for user input, which is bound). */
export function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
