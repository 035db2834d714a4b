// Locale number and date formats. Chinese readers count large figures in
// 万 (10⁴) and 亿 (10⁸), so zh-CN abbreviates with those; English uses
// thousands grouping and K/M/B above a million. Pure (Intl only), unit-tested.

import type { Locale } from '../state/url-state.ts';

/** How a figure is read: decides decimals, unit and scale. */
export type ValueKind =
  | 'count' // customers, tickets: whole numbers
  | 'kwh'
  | 'money' // CNY
  | 'price' // CNY per kWh
  | 'pct' // already 0–100
  | 'rate' // 0–1, shown as %
  | 'days'
  | 'hours'
  | 'score' // 1–5 means
  | 'points' // NPS, −100…100
  | 'plain';

const nf = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, digits: number, minDigits = 0): Intl.NumberFormat {
  const key = `${locale}|${digits}|${minDigits}`;
  let f = nf.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: minDigits });
    nf.set(key, f);
  }
  return f;
}

/** A large figure in the locale's way: 1.23亿 / 4.5万 (zh-CN), 1.23M / 45,000 (en). */
export function formatLarge(value: number, locale: Locale, digits = 2): string {
  const abs = Math.abs(value);
  if (locale === 'zh-CN') {
    if (abs >= 1e8) return numberFormat(locale, digits).format(value / 1e8) + '亿';
    if (abs >= 1e4) return numberFormat(locale, digits).format(value / 1e4) + '万';
    return numberFormat(locale, abs >= 100 ? 0 : digits).format(value);
  }
  if (abs >= 1e9) return numberFormat(locale, digits).format(value / 1e9) + 'B';
  if (abs >= 1e6) return numberFormat(locale, digits).format(value / 1e6) + 'M';
  return numberFormat(locale, abs >= 100 ? 0 : digits).format(value);
}

const UNITS: Record<Locale, Partial<Record<ValueKind, string>>> = {
  en: { kwh: ' kWh', money: ' CNY', price: ' CNY/kWh', days: ' d', hours: ' h', points: '' },
  'zh-CN': { kwh: '千瓦时', money: '元', price: '元/千瓦时', days: '天', hours: '小时', points: '' },
};

/** A value for display; null/NaN → '–'. `unit: false` leaves the unit out (tables with a unit header). */
export function formatValue(value: number | null | undefined, kind: ValueKind, locale: Locale, o: { unit?: boolean } = {}): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const unit = o.unit === false ? '' : (UNITS[locale][kind] ?? '');
  switch (kind) {
    case 'count':
      return formatLarge(Math.round(value), locale) + unit;
    case 'kwh':
    case 'money':
      return formatLarge(value, locale) + unit;
    case 'price':
      return numberFormat(locale, 4, 3).format(value) + unit;
    case 'pct':
      return numberFormat(locale, 1, 1).format(value) + '%';
    case 'rate':
      return numberFormat(locale, 1, 1).format(value * 100) + '%';
    case 'days':
    case 'hours':
      return numberFormat(locale, 1, 1).format(value) + unit;
    case 'score':
      return numberFormat(locale, 2, 2).format(value);
    case 'points':
      return numberFormat(locale, 1, 1).format(value);
    default:
      return numberFormat(locale, 2).format(value);
  }
}

/**
 * A change between two values, for a KPI card: relative (%) for amounts,
 * in points (pp / 个百分点) for percentages and rates, absolute for the rest.
 */
export function formatChange(current: number | null, previous: number | null, kind: ValueKind, locale: Locale): string {
  if (current === null || previous === null || Number.isNaN(current) || Number.isNaN(previous)) return '–';
  const sign = (x: number): string => (x > 0 ? '+' : x < 0 ? '−' : '±');
  if (kind === 'pct' || kind === 'rate' || kind === 'points') {
    const d = kind === 'rate' ? (current - previous) * 100 : current - previous;
    const text = numberFormat(locale, 1, 1).format(Math.abs(d));
    if (kind === 'points') return `${sign(d)}${text}`;
    return locale === 'zh-CN' ? `${sign(d)}${text}个百分点` : `${sign(d)}${text} pp`;
  }
  if (kind === 'score' || kind === 'days' || kind === 'hours' || kind === 'price') {
    const d = current - previous;
    return sign(d) + formatValue(Math.abs(d), kind, locale);
  }
  if (previous === 0) return '–';
  const rel = ((current - previous) / Math.abs(previous)) * 100;
  return `${sign(rel)}${numberFormat(locale, 1, 1).format(Math.abs(rel))}%`;
}

// Creating an Intl.DateTimeFormat costs far more than formatting with one (the
// month pickers and chart axes label every month on every render): one per
// locale and style, and month labels kept once made.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, style: 'month' | 'day' | 'timestamp'): Intl.DateTimeFormat {
  const key = `${locale}|${style}`;
  let f = dateFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === 'month' ? { year: 'numeric', month: 'short', timeZone: 'UTC' }
        : style === 'day' ? { dateStyle: 'medium', timeZone: 'UTC' }
          : { dateStyle: 'medium', timeStyle: 'short' };
    f = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, f);
  }
  return f;
}
const monthLabels = new Map<string, string>();

/** 'YYYY-MM' or 'YYYY-MM-DD' → month label: "Oct 2026" / "2026年10月". */
export function formatMonth(month: string, locale: Locale): string {
  const key = `${locale}|${month.slice(0, 7)}`;
  let label = monthLabels.get(key);
  if (label === undefined) {
    const [y, m] = month.split('-').map(Number) as [number, number];
    label = dateFormat(locale, 'month').format(new Date(Date.UTC(y, m - 1, 1)));
    if (monthLabels.size < 10_000) monthLabels.set(key, label);
  }
  return label;
}

/** 'YYYY-MM-DD' → a date label in the locale. */
export function formatDay(day: string, locale: Locale): string {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number) as [number, number, number];
  return dateFormat(locale, 'day').format(new Date(Date.UTC(y, m - 1, d)));
}

/** An ISO timestamp → date and time in the browser's zone. */
export function formatTimestamp(iso: string, locale: Locale): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return dateFormat(locale, 'timestamp').format(t);
}

/** The browser's preferred UI locale among ours: any Chinese → zh-CN, else English. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}
