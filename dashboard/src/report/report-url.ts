// The report page's URL state (pure): ?view=report&key=<customer_key>&lang=…
// The account number never goes into the URL: it is sent in a POST body and
// the page then shows the customer's pseudonymous key (report-page.tsx).

import { LOCALES, type Locale } from '../state/url-state.ts';

export const REPORT_VIEW = 'report';

export interface ReportState {
  key: number | null;
  lang: Locale | null;
}

const KEY = /^[1-9]\d{0,9}$/;

export function isReportUrl(search: string): boolean {
  return new URLSearchParams(search).get('view') === REPORT_VIEW;
}

export function parseReportState(search: string): ReportState {
  const p = new URLSearchParams(search);
  const key = p.get('key');
  const lang = p.get('lang');
  return {
    key: key !== null && KEY.test(key) && Number(key) <= 2 ** 31 - 1 ? Number(key) : null,
    lang: lang !== null && (LOCALES as readonly string[]).includes(lang) ? (lang as Locale) : null,
  };
}

export function formatReportState(s: ReportState): string {
  const p = new URLSearchParams({ view: REPORT_VIEW });
  if (s.key !== null) p.set('key', String(s.key));
  if (s.lang) p.set('lang', s.lang);
  return p.toString();
}

/** The report link of a customer (customer list, target lists). */
export function reportHref(key: number | string, lang: Locale | null): string {
  return `?${formatReportState({ key: Number(key), lang })}`;
}
