// The i18n layer the views use: text, data codes and numbers in the chosen
// locale. The locale comes from the URL (lang=) when the user picked one, else
// from the browser.

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Locale } from '../state/url-state.ts';
import { formatChange, formatDay, formatMonth, formatTimestamp, formatValue, type ValueKind } from './format.ts';
import { CODES, KPI_LABELS, MESSAGES, type MessageKey } from './messages.ts';

export interface I18n {
  locale: Locale;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
  /** A data code (segment, tariff, channel…) in words; unknown codes as they are. */
  code(value: string | null | undefined): string;
  kpi(name: string): string;
  fmt(value: number | null | undefined, kind: ValueKind, o?: { unit?: boolean }): string;
  change(current: number | null, previous: number | null, kind: ValueKind): string;
  month(m: string): string;
  day(d: string): string;
  timestamp(iso: string): string;
}

export function makeI18n(locale: Locale): I18n {
  const messages = MESSAGES[locale];
  const codes = CODES[locale];
  return {
    locale,
    t: (key, vars) => {
      let s: string = messages[key] ?? key;
      if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
      return s;
    },
    code: (value) => (value === null || value === undefined ? '–' : (codes[value] ?? value)),
    kpi: (name) => KPI_LABELS[locale][name] ?? name,
    fmt: (value, kind, o) => formatValue(value, kind, locale, o),
    change: (c, p, kind) => formatChange(c, p, kind, locale),
    month: (m) => formatMonth(m, locale),
    day: (d) => formatDay(d, locale),
    timestamp: (iso) => formatTimestamp(iso, locale),
  };
}

const I18nContext = createContext<I18n>(makeI18n('en'));

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => makeI18n(locale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = (): I18n => useContext(I18nContext);
