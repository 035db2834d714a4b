// The dashboard's whole screen state, as it lives in the URL's query string,
// and the pure conversions both ways. Everything a user can change is here, so
// a bookmark or a shared link restores the same screen and back/forward walk
// through the user's steps (dashboard/src/state/use-url-state.ts does the I/O).
//
// Query parameters (all optional; absent = the default):
//   view     overview | segments | usage | satisfaction | service | campaigns | workbench | alerts
//   from,to  period, 'YYYY-MM' (default: the latest complete month)
//   cmp      previous | year (comparison period; default previous)
//   seg reg tar band ch   global filters, one parameter per value (repeatable)
//   drill    Segments drill path, one value per level (segment, region, tariff, band)
//   sort     customer list order: column name, '-' prefix = descending
//   kpi      the KPI "what moved" explains
//   by       Satisfaction breakdown dimension: segment | region | channel
//   lang     en | zh-CN (absent: the browser's language)
//   theme    light | dark (absent: the system's preference)
//   aud      Campaigns: the audience being built (campaigns/audience.ts encodeAudience, compact JSON)
//   saud     Campaigns: a saved audience, 'name<TAB>definition' (repeatable; also kept in localStorage)
//   ov       Campaigns: names of the saved audiences whose overlap is shown (2–3, repeatable)
//   hs hseed hstrat  Campaigns: holdout share in % (default 10), seed (default '1'), hstrat=0: not by segment
//   camp     Campaigns: the campaign whose results are shown
//   wq       Workbench: the query last run
//   wsq      Workbench: a saved query, 'name<TAB>sql' (repeatable; also kept in localStorage)
//   ast      Alerts: the list's status, all (absent: open alerts only)
//   aty      Alerts: the list's alert types (repeatable; absent: every type)
//   asort    Alerts: the list's order, column name, '-' prefix = descending (absent: -severity)

import type { Filters } from '../data/api.ts';

export const VIEWS = ['overview', 'segments', 'usage', 'satisfaction', 'service', 'campaigns', 'workbench', 'alerts'] as const;
export type ViewName = (typeof VIEWS)[number];

/** The Segments drill order; the level after the last is the customer list. */
export const DRILL_LEVELS = ['segment', 'region', 'tariff', 'band'] as const;
export type DrillLevel = (typeof DRILL_LEVELS)[number];

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export type Theme = 'light' | 'dark';
export type SatisfactionBreakdown = 'segment' | 'region' | 'channel';

export interface ScreenState {
  view: ViewName;
  /** 'YYYY-MM'; null: the default period (known once the manifest is read). */
  from: string | null;
  to: string | null;
  compare: Filters['compare'];
  segment: string[];
  region: string[];
  tariff: string[];
  band: string[];
  channel: string[];
  drill: string[];
  /** Customer list column; desc when sortDesc. */
  sort: string | null;
  sortDesc: boolean;
  kpi: string | null;
  by: SatisfactionBreakdown;
  lang: Locale | null;
  theme: Theme | null;
  /** Campaigns: the audience being built (encoded), saved audiences, overlap selection, holdout, results campaign. */
  audience: string | null;
  saved: string[];
  overlap: string[];
  holdoutPct: number;
  holdoutSeed: string;
  holdoutStratify: boolean;
  campaign: string | null;
  /** Workbench: the query last run, and saved queries ('name<TAB>sql'). */
  sql: string | null;
  savedQueries: string[];
  /** Alerts: the list's status choice, types, and order (column, descending). */
  alertStatus: 'open' | 'all';
  alertTypes: string[];
  alertSort: string;
  alertSortDesc: boolean;
}

export const DEFAULT_STATE: ScreenState = {
  view: 'overview', from: null, to: null, compare: 'previous',
  segment: [], region: [], tariff: [], band: [], channel: [],
  drill: [], sort: null, sortDesc: true, kpi: null, by: 'region', lang: null, theme: null,
  audience: null, saved: [], overlap: [], holdoutPct: 10, holdoutSeed: '1', holdoutStratify: true, campaign: null,
  sql: null, savedQueries: [],
  alertStatus: 'open', alertTypes: [], alertSort: 'severity', alertSortDesc: true,
};

const LIST_PARAMS = { segment: 'seg', region: 'reg', tariff: 'tar', band: 'band', channel: 'ch' } as const;
export type FilterDimension = keyof typeof LIST_PARAMS;
export const FILTER_DIMENSIONS = Object.keys(LIST_PARAMS) as FilterDimension[];

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Reads a query string; anything malformed falls back to its default rather than failing. */
export function parseState(search: string): ScreenState {
  const p = new URLSearchParams(search);
  const month = (name: string): string | null => {
    const v = p.get(name);
    return v !== null && MONTH.test(v) ? v : null;
  };
  let from = month('from');
  let to = month('to');
  if (from && !to) to = from;
  if (to && !from) from = to;
  if (from && to && from > to) [from, to] = [to, from];
  const list = (name: string): string[] => [...new Set(p.getAll(name).filter((v) => v !== ''))];
  const sortParam = p.get('sort');
  return {
    view: oneOf(p.get('view'), VIEWS) ?? 'overview',
    from, to,
    compare: oneOf(p.get('cmp'), ['previous', 'year'] as const) ?? 'previous',
    segment: list(LIST_PARAMS.segment),
    region: list(LIST_PARAMS.region),
    tariff: list(LIST_PARAMS.tariff),
    band: list(LIST_PARAMS.band),
    channel: list(LIST_PARAMS.channel),
    drill: p.getAll('drill').filter((v) => v !== '').slice(0, DRILL_LEVELS.length),
    sort: sortParam ? sortParam.replace(/^-/, '') : null,
    sortDesc: sortParam ? sortParam.startsWith('-') : true,
    kpi: p.get('kpi') || null,
    by: oneOf(p.get('by'), ['segment', 'region', 'channel'] as const) ?? 'region',
    lang: oneOf(p.get('lang'), LOCALES),
    theme: oneOf(p.get('theme'), ['light', 'dark'] as const),
    audience: p.get('aud') || null,
    saved: p.getAll('saud').filter((v) => v.trim() !== ''),
    overlap: [...new Set(p.getAll('ov').filter((v) => v !== ''))].slice(0, 3),
    holdoutPct: holdoutPctOf(p.get('hs')),
    holdoutSeed: p.get('hseed') || DEFAULT_STATE.holdoutSeed,
    holdoutStratify: p.get('hstrat') !== '0',
    campaign: p.get('camp') || null,
    sql: p.get('wq') || null,
    savedQueries: p.getAll('wsq').filter((v) => v.includes('\t')),
    alertStatus: p.get('ast') === 'all' ? 'all' : 'open',
    alertTypes: list('aty'),
    alertSort: p.get('asort')?.replace(/^-/, '') || DEFAULT_STATE.alertSort,
    alertSortDesc: p.get('asort') ? p.get('asort')!.startsWith('-') : DEFAULT_STATE.alertSortDesc,
  };
}

/** Holdout share in whole percent, 0–90; anything else → the default. */
function holdoutPctOf(v: string | null): number {
  const n = v !== null && /^\d{1,2}$/.test(v) ? Number(v) : NaN;
  return n >= 0 && n <= 90 ? n : DEFAULT_STATE.holdoutPct;
}

/** The query string of a state (without '?'); defaults are left out, order is stable. */
export function formatState(s: ScreenState): string {
  const p = new URLSearchParams();
  if (s.view !== 'overview') p.set('view', s.view);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.compare !== 'previous') p.set('cmp', s.compare);
  for (const dim of FILTER_DIMENSIONS) for (const v of s[dim]) p.append(LIST_PARAMS[dim], v);
  for (const v of s.drill) p.append('drill', v);
  if (s.sort) p.set('sort', (s.sortDesc ? '-' : '') + s.sort);
  if (s.kpi) p.set('kpi', s.kpi);
  if (s.by !== 'region') p.set('by', s.by);
  if (s.lang) p.set('lang', s.lang);
  if (s.theme) p.set('theme', s.theme);
  if (s.audience) p.set('aud', s.audience);
  for (const v of s.saved) p.append('saud', v);
  for (const v of s.overlap) p.append('ov', v);
  if (s.holdoutPct !== DEFAULT_STATE.holdoutPct) p.set('hs', String(s.holdoutPct));
  if (s.holdoutSeed !== DEFAULT_STATE.holdoutSeed) p.set('hseed', s.holdoutSeed);
  if (!s.holdoutStratify) p.set('hstrat', '0');
  if (s.campaign) p.set('camp', s.campaign);
  if (s.sql) p.set('wq', s.sql);
  for (const v of s.savedQueries) p.append('wsq', v);
  if (s.alertStatus !== 'open') p.set('ast', s.alertStatus);
  for (const v of s.alertTypes) p.append('aty', v);
  if (s.alertSort !== DEFAULT_STATE.alertSort || s.alertSortDesc !== DEFAULT_STATE.alertSortDesc) p.set('asort', (s.alertSortDesc ? '-' : '') + s.alertSort);
  return p.toString();
}

/** 'YYYY-MM' → 'YYYY-MM-01' (the Filters form). */
export const monthStart = (ym: string): string => `${ym}-01`;

/**
 * The latest month the data fully covers: the month of data_as_of when it is
 * that month's last day, else the month before.
 */
export function latestCompleteMonth(dataAsOf: string): string {
  const [y, m, d] = dataAsOf.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d >= lastDay ? `${y}-${String(m).padStart(2, '0')}` : addMonths(`${y}-${String(m).padStart(2, '0')}`, -1);
}

/** 'YYYY-MM' plus n months. */
export function addMonths(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** The filters every query gets, with the default period filled in. */
export function filtersOf(s: ScreenState, defaultMonth: string): Filters {
  return {
    from: monthStart(s.from ?? defaultMonth),
    to: monthStart(s.to ?? defaultMonth),
    compare: s.compare,
    segment: s.segment, region: s.region, tariff: s.tariff, band: s.band, channel: s.channel,
  };
}

/** Drill path as level → value pairs, in order. */
export function drillPairs(drill: readonly string[]): { level: DrillLevel; value: string }[] {
  return drill.slice(0, DRILL_LEVELS.length).map((value, i) => ({ level: DRILL_LEVELS[i]!, value }));
}

/** The level the Segments view groups by next; null = the customer list. */
export function nextDrillLevel(drill: readonly string[]): DrillLevel | null {
  return DRILL_LEVELS[drill.length] ?? null;
}
