// An audience of the campaign planner: a pure, serialisable object of filters
// over the customer extract (one row per customer, pseudonymous key). It
// travels in the URL (encodeAudience/decodeAudience: compact JSON, defaults
// left out), is kept by name in localStorage, is turned into SQL by
// data/queries/audience.ts and is sent as it is to the target-list endpoint,
// which stores it in the audit record.
//
// Every list is "any of" (empty = no filter); the need tags are "all of"; a
// null bound is no bound. Ranges are inclusive.

export const NEED_TAGS = ['green', 'reliability', 'price'] as const;
export type NeedTag = (typeof NEED_TAGS)[number];

/** NPS class of the latest survey answer; 'none' = never answered (or no NPS given). */
export const NPS_CLASSES = ['promoter', 'passive', 'detractor', 'none'] as const;
export const VALUE_TIERS = ['high', 'medium', 'low'] as const;
export const OFFER_TYPES = ['discount', 'points', 'green_plan', 'long_term_contract', 'energy_audit', 'smart_home', 'other'] as const;
export type OfferType = (typeof OFFER_TYPES)[number];

/** Past offers (treated contacts only: a holdout customer was never contacted). */
export const PAST_OFFER_FILTERS = ['any', 'never', 'offered', 'responded', 'accepted', 'not_accepted'] as const;
export type PastOfferFilter = (typeof PAST_OFFER_FILTERS)[number];

export interface Range {
  min: number | null;
  max: number | null;
}

export interface AudienceDefinition {
  segment: string[];
  region: string[];
  tariff: string[];
  band: string[];
  /** Every tag listed must be set. */
  needs: NeedTag[];
  npsClass: string[];
  /** Latest overall satisfaction score, 1–5. */
  overall: Range;
  /** Churn risk 0–1. */
  churn: Range;
  valueTier: string[];
  tenureMonths: Range;
  /** Share of bills paid late in the last 12 months, 0–1 (customers without bills due count as 0). */
  latePayment: Range;
  tickets12m: Range;
  complaints12m: Range;
  /** Contract ends after the data as-of day and within this many months of it; null: no filter. */
  contractEndsWithinMonths: number | null;
  /** Past offers: who was (not) contacted, and how they answered the last one. */
  pastOffer: PastOfferFilter;
  /** Only past offers of these types count for pastOffer (empty: any type). */
  pastOfferType: string[];
  /** Leave out customers contacted within this many days before the as-of day; null: keep them. */
  excludeContactedDays: number | null;
  /** Closed accounts are never targeted unless this is set. */
  includeClosed: boolean;
  /** The offer planned for this audience: decides the expected acceptances (campaign history of that offer type). */
  offerType: OfferType;
}

export const EMPTY_RANGE: Range = { min: null, max: null };

export const DEFAULT_AUDIENCE: AudienceDefinition = {
  segment: [], region: [], tariff: [], band: [], needs: [], npsClass: [],
  overall: EMPTY_RANGE, churn: EMPTY_RANGE, valueTier: [], tenureMonths: EMPTY_RANGE, latePayment: EMPTY_RANGE,
  tickets12m: EMPTY_RANGE, complaints12m: EMPTY_RANGE, contractEndsWithinMonths: null,
  pastOffer: 'any', pastOfferType: [], excludeContactedDays: null, includeClosed: false, offerType: 'discount',
};

const LIST_FIELDS = ['segment', 'region', 'tariff', 'band', 'npsClass', 'valueTier', 'pastOfferType'] as const;
const RANGE_FIELDS = ['overall', 'churn', 'tenureMonths', 'latePayment', 'tickets12m', 'complaints12m'] as const;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? [...new Set(v.filter((x): x is string => typeof x === 'string' && x !== ''))] : [];
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function range(v: unknown): Range {
  if (!v || typeof v !== 'object') return EMPTY_RANGE;
  const r = v as Record<string, unknown>;
  let min = num(r.min);
  let max = num(r.max);
  if (min !== null && max !== null && min > max) [min, max] = [max, min];
  return { min, max };
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return typeof v === 'string' && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
}

/** A definition from untrusted JSON (URL, localStorage, a request body): unknown fields dropped, bad values → defaults. */
export function normaliseAudience(value: unknown): AudienceDefinition {
  const o = value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const def: AudienceDefinition = { ...DEFAULT_AUDIENCE };
  for (const f of LIST_FIELDS) def[f] = strings(o[f]);
  for (const f of RANGE_FIELDS) def[f] = range(o[f]);
  def.needs = strings(o.needs).filter((n): n is NeedTag => (NEED_TAGS as readonly string[]).includes(n));
  const months = num(o.contractEndsWithinMonths);
  def.contractEndsWithinMonths = months !== null && months >= 0 ? Math.floor(months) : null;
  const days = num(o.excludeContactedDays);
  def.excludeContactedDays = days !== null && days >= 0 ? Math.floor(days) : null;
  def.pastOffer = oneOf(o.pastOffer, PAST_OFFER_FILTERS, 'any');
  def.includeClosed = o.includeClosed === true;
  def.offerType = oneOf(o.offerType, OFFER_TYPES, DEFAULT_AUDIENCE.offerType);
  return def;
}

/** The definition's fields that differ from the default, in a stable order (for the URL and the audit record). */
export function compactAudience(def: AudienceDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULT_AUDIENCE) as (keyof AudienceDefinition)[]) {
    const v = def[key];
    const d = DEFAULT_AUDIENCE[key];
    if (JSON.stringify(v) === JSON.stringify(d)) continue;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      // A range: only its set bounds.
      const r = v as Range;
      out[key] = Object.fromEntries(Object.entries(r).filter(([, x]) => x !== null));
    } else out[key] = v;
  }
  return out;
}

/** The URL form: compact JSON ('' for the default audience). */
export function encodeAudience(def: AudienceDefinition): string {
  const c = compactAudience(def);
  return Object.keys(c).length ? JSON.stringify(c) : '';
}

export function decodeAudience(text: string | null | undefined): AudienceDefinition {
  if (!text) return { ...DEFAULT_AUDIENCE };
  try {
    return normaliseAudience(JSON.parse(text));
  } catch {
    return { ...DEFAULT_AUDIENCE };
  }
}

/** A saved audience: a name and a definition. */
export interface SavedAudience {
  name: string;
  def: AudienceDefinition;
}

/** The URL form of a saved audience: `name` + tab + its encoded definition (names never hold a tab). */
export function encodeSaved(s: SavedAudience): string {
  return `${s.name.replace(/\t/g, ' ')}\t${encodeAudience(s.def)}`;
}

export function decodeSaved(text: string): SavedAudience | null {
  const i = text.indexOf('\t');
  const name = (i < 0 ? text : text.slice(0, i)).trim();
  if (!name) return null;
  return { name, def: decodeAudience(i < 0 ? '' : text.slice(i + 1)) };
}

/** Saved audiences merged by name: the later wins (the URL's over the browser's, a re-save over the old). */
export function mergeSaved(...lists: readonly (readonly SavedAudience[])[]): SavedAudience[] {
  const by = new Map<string, SavedAudience>();
  for (const list of lists) for (const s of list) by.set(s.name, s);
  return [...by.values()];
}
