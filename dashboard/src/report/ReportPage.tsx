// The one-page customer usage report (用电分析报告): a printable A4 sheet for
// one customer, from /api/customer-report (figures and codes only). URL:
// ?view=report&key=<customer_key>&lang=…; without a key, a form takes a key
// or an account number (sent in a POST body, audited on the server; the page
// then shows the customer's key). The root's data-state says loading / ready
// / error / entry: the e2e test and the batch PDF command wait for "ready".

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { Advice } from '../../../etl/report/advice.ts';
import type { CustomerReport } from '../../../etl/report/report-types.ts';
import { preferredLocale } from '../i18n/format.ts';
import { I18nProvider, useI18n, type I18n } from '../i18n/i18n.tsx';
import type { Locale } from '../state/url-state.ts';
import { ADVICE_MESSAGES, REPORT_MESSAGES, type ReportKey } from './report-messages.ts';
import { formatReportState, parseReportState, type ReportState } from './report-url.ts';
import { hourlyOption, monthlyOption } from './report-charts.ts';
import { ReportChart } from './ReportChart.tsx';
import './report.css';

type Load =
  | { state: 'entry' }
  | { state: 'loading' }
  | { state: 'error'; message: string }
  | { state: 'ready'; report: CustomerReport };

const listeners = new Set<() => void>();
const subscribe = (l: () => void) => {
  listeners.add(l);
  window.addEventListener('popstate', l);
  return () => {
    listeners.delete(l);
    window.removeEventListener('popstate', l);
  };
};
const search = () => window.location.search;
function navigate(s: ReportState, replace = false): void {
  const url = `?${formatReportState(s)}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((l) => l());
}

async function fetchReport(request: Promise<Response>): Promise<CustomerReport> {
  const res = await request;
  const body = (await res.json().catch(() => null)) as (CustomerReport & { message?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.message ?? `HTTP ${res.status}`);
  return body;
}

export function ReportApp() {
  const qs = useSyncExternalStore(subscribe, search);
  const state = useMemo(() => parseReportState(qs), [qs]);
  const locale: Locale = state.lang ?? preferredLocale(navigator.languages);
  const [load, setLoad] = useState<Load>(state.key === null ? { state: 'entry' } : { state: 'loading' });

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dataset.theme = 'light';
    document.title = `${REPORT_MESSAGES[locale].title}${state.key !== null ? ` · ${state.key}` : ''}`;
  }, [locale, state.key]);

  useEffect(() => {
    if (state.key === null) {
      setLoad((l) => (l.state === 'error' ? l : { state: 'entry' }));
      return;
    }
    let cancelled = false;
    setLoad((l) => (l.state === 'ready' && l.report.customer.customer_key === state.key ? l : { state: 'loading' }));
    fetchReport(fetch(`/api/customer-report?key=${state.key}`, { credentials: 'same-origin' })).then(
      (report) => !cancelled && setLoad({ state: 'ready', report }),
      (e: Error) => !cancelled && setLoad({ state: 'error', message: e.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [state.key]);

  const byAccount = useCallback((account: string) => {
    setLoad({ state: 'loading' });
    fetchReport(fetch('/api/customer-report', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ account }),
    })).then(
      (report) => {
        setLoad({ state: 'ready', report });
        navigate({ ...state, key: report.customer.customer_key });
      },
      (e: Error) => setLoad({ state: 'error', message: e.message }),
    );
  }, [state]);

  return (
    <I18nProvider locale={locale}>
      <Report load={load} state={state} onKey={(key) => navigate({ ...state, key })} onAccount={byAccount} onLang={(lang) => navigate({ ...state, lang }, true)} />
    </I18nProvider>
  );
}

interface ReportProps {
  load: Load;
  state: ReportState;
  onKey: (key: number) => void;
  onAccount: (account: string) => void;
  onLang: (lang: Locale) => void;
}

function Report({ load, state, onKey, onAccount, onLang }: ReportProps) {
  const i18n = useI18n();
  const rt = (k: ReportKey, vars?: Record<string, string | number>) => fill(REPORT_MESSAGES[i18n.locale][k], vars);
  // Ready once the data is in and every chart of the sheet has drawn.
  // (Counted per report: the charts' effects run before any effect of this component could reset a count.)
  const report = load.state === 'ready' ? load.report : null;
  const reportRef = useRef(report);
  reportRef.current = report;
  const [drawn, setDrawn] = useState<{ report: CustomerReport | null; n: number }>({ report: null, n: 0 });
  const onDrawn = useCallback(() => setDrawn((d) => (d.report === reportRef.current ? { report: d.report, n: d.n + 1 } : { report: reportRef.current, n: 1 })), []);
  const charts = report ? (report.hourly ? 2 : 1) : 0;
  const dataState = load.state === 'ready' ? (drawn.report === report && drawn.n >= charts ? 'ready' : 'drawing') : load.state;

  return (
    <div className="report-page" data-state={dataState} data-locale={i18n.locale}>
      <div className="report-toolbar">
        <a href="?">{rt('back')}</a>
        <EntryForm rt={rt} initialKey={state.key} onKey={onKey} onAccount={onAccount} />
        <label>
          <select name="lang" value={i18n.locale} onChange={(e) => onLang(e.target.value as Locale)} aria-label="Language / 语言">
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
        <button type="button" onClick={() => window.print()} disabled={!report}>{rt('print')}</button>
      </div>
      {load.state === 'loading' ? <p className="report-status" role="status">{rt('loading')}</p> : null}
      {load.state === 'error' ? (
        <div className="report-status report-error" role="alert"><strong>{rt('error')}</strong>: {load.message}</div>
      ) : null}
      {report ? <Sheet report={report} i18n={i18n} rt={rt} onDrawn={onDrawn} /> : null}
    </div>
  );
}

function EntryForm({ rt, initialKey, onKey, onAccount }: { rt: (k: ReportKey) => string; initialKey: number | null; onKey: (k: number) => void; onAccount: (a: string) => void }) {
  const [key, setKey] = useState(initialKey === null ? '' : String(initialKey));
  const [account, setAccount] = useState('');
  useEffect(() => setKey(initialKey === null ? '' : String(initialKey)), [initialKey]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (account.trim()) {
      onAccount(account.trim());
      setAccount('');
    } else if (/^[1-9]\d*$/.test(key.trim())) onKey(Number(key.trim()));
  };
  return (
    <form className="report-entry" onSubmit={submit} aria-label={rt('enter')}>
      <label>{rt('enter_key')} <input name="key" inputMode="numeric" value={key} onChange={(e) => setKey(e.target.value)} size={10} /></label>
      <label>{rt('enter_account')} <input name="account" autoComplete="off" value={account} onChange={(e) => setAccount(e.target.value)} size={14} /></label>
      <button type="submit">{rt('open')}</button>
    </form>
  );
}

function fill(s: string, vars?: Record<string, string | number>): string {
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

const pctOf = (a: number, b: number): number | null => (b > 0 ? (a / b - 1) : null);

function Sheet({ report: r, i18n, rt, onDrawn }: { report: CustomerReport; i18n: I18n; rt: (k: ReportKey, v?: Record<string, string | number>) => string; onDrawn: () => void }) {
  const kwh = (v: number | null) => i18n.fmt(v, 'kwh');
  const bare = (v: number | null) => i18n.fmt(v, 'kwh', { unit: false });
  const cny = (v: number | null) => i18n.fmt(v, 'money');
  const rate = (v: number | null) => i18n.fmt(v, 'rate');
  const price = (v: number | null) => i18n.fmt(v, 'price');
  const yoy = r.totals.year_on_year;
  const peers = r.totals.peers;
  const yoyChange = yoy ? pctOf(yoy.kwh, yoy.kwh_last_year) : null;
  const peerChange = peers ? pctOf(peers.kwh, peers.median_kwh) : null;
  const signed = (v: number | null) => (v === null ? '–' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${rate(Math.abs(v))}`);

  const monthly = useMemo(() => monthlyOption(r, {
    month: (m) => i18n.month(m), kwh: rt('series_kwh'), lastYear: rt('series_last_year'), peerMedian: rt('series_peer_median'), peerEfficient: rt('series_peer_efficient'),
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the report and the locale decide it
  }), [r, i18n.locale]);
  const hourly = useMemo(() => hourlyOption(r, { workday: rt('workday'), weekend: rt('weekend_holiday') }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the report and the locale decide it
    [r, i18n.locale]);

  const facts: { id: string; label: string; value: number | null; text: string }[] = [
    { id: 'kwh_12m', label: rt('kwh_12m'), value: r.totals.kwh, text: kwh(r.totals.kwh) },
    { id: 'vs_last_year', label: rt('vs_last_year'), value: yoyChange, text: signed(yoyChange) },
    { id: 'vs_peers', label: rt('vs_peers'), value: peerChange, text: peers ? signed(peerChange) : rt('no_peers') },
    { id: 'peak_share', label: rt('peak_share'), value: r.tou?.peak_share ?? null, text: rate(r.tou?.peak_share ?? null) },
  ];

  return (
    <article className="report-sheet" data-customer-key={r.customer.customer_key}>
      <header className="report-head">
        <h1>{rt('title')}</h1>
        <dl className="report-id">
          <div><dt>{rt('customer_key')}</dt><dd data-fact="customer_key">{r.customer.customer_key}</dd></div>
          <div><dt>{rt('segment')}</dt><dd data-fact="segment" data-value={r.customer.segment}>{i18n.code(r.customer.segment)}</dd></div>
          <div><dt>{rt('region')}</dt><dd data-fact="region" data-value={r.customer.region}>{i18n.code(r.customer.region)}</dd></div>
          <div><dt>{rt('tariff')}</dt><dd data-fact="tariff" data-value={r.customer.tariff}>{i18n.code(r.customer.tariff)}</dd></div>
          <div><dt>{rt('band')}</dt><dd data-fact="band" data-value={r.customer.band}>{i18n.code(r.customer.band)}</dd></div>
          <div><dt>{rt('period')}</dt><dd data-fact="period" data-from={r.period.from} data-to={r.period.to}>{i18n.month(r.period.from)} – {i18n.month(r.period.to)}</dd></div>
          <div><dt>{rt('as_of')}</dt><dd data-fact="as_of" data-value={r.as_of}>{i18n.day(r.as_of)}</dd></div>
        </dl>
      </header>

      <section className="report-facts">
        {facts.map((f) => (
          <div key={f.id} className="report-fact" data-fact={f.id} data-value={f.value ?? ''}>
            <span>{f.label}</span>
            <strong className={f.value === null ? 'report-fact-none' : undefined}>{f.text}</strong>
          </div>
        ))}
      </section>

      <section className="report-block">
        <h2>{rt('monthly')}</h2>
        <ReportChart id="monthly" option={monthly} height={190} onDrawn={onDrawn} />
      </section>

      <div className="report-cols">
        <section className="report-block">
          <h2>{rt('hourly')}</h2>
          {hourly ? <ReportChart id="hourly" option={hourly} height={150} onDrawn={onDrawn} /> : <p className="report-note" data-none="hourly">{rt('hourly_none')}</p>}
        </section>
        <section className="report-block" data-panel="tou">
          <h2>{rt('tou')}</h2>
          {r.tou ? (
            <>
              <div className="report-split" role="img" aria-label={`${rt('peak')} ${rate(r.tou.peak_share)}, ${rt('shoulder')} ${rate(r.tou.shoulder_share)}, ${rt('valley')} ${rate(r.tou.valley_share)}`}>
                {(['peak', 'shoulder', 'valley'] as const).map((p) => (
                  <span key={p} className={`split-${p}`} style={{ width: `${r.tou![`${p}_share`] * 100}%` }} data-share={p} data-value={r.tou![`${p}_share`]}>
                    {r.tou![`${p}_share`] >= 0.12 ? `${rt(p)} ${rate(r.tou![`${p}_share`])}` : ''}
                  </span>
                ))}
              </div>
              <p data-fact="shift" data-verdict={r.shift.verdict} data-value={r.shift.savingCny}>
                {r.shift.verdict === 'saves'
                  ? rt('shift_saves', { share: rate(r.shift.shiftShare), kwh: kwh(r.shift.shiftedKwh), cny: cny(r.shift.savingCny), peak: price(r.shift.peakPrice), valley: price(r.shift.valleyPrice) })
                  : rt('shift_not_time_priced', { tariff: i18n.code(r.customer.tariff) })}
              </p>
              {r.tou_switch ? <p data-fact="tou_switch" data-value={r.tou_switch.savingCny}>{rt('tou_switch', { tou: cny(r.tou_switch.touCny), flat: cny(r.tou_switch.flatCny) })}</p> : null}
              {r.load_factor !== null ? <p className="report-note" data-fact="load_factor" data-value={r.load_factor}>{rt('load_factor')}: {rate(r.load_factor)}</p> : null}
            </>
          ) : <p className="report-note" data-none="tou">{rt('tou_none')}</p>}
          {r.tier ? (
            <div className="report-tier" data-panel="tier" data-tier={r.tier.tier}>
              <h2>{rt('tier', { year: r.tier.year })}</h2>
              <p data-fact="tier_ytd" data-value={r.tier.kwhYearToDate}>{rt('tier_ytd')}: <strong>{kwh(r.tier.kwhYearToDate)}</strong> · {rt('tier_now', { tier: r.tier.tier, price: price(r.tier.price) })}</p>
              <p>{r.tier.kwhToNextTier !== null ? rt('tier_next', { kwh: kwh(r.tier.kwhToNextTier), next: r.tier.tier + 1, price: price(r.tier.nextTierPrice) }) : rt('tier_top')}</p>
              {r.tier.projectedKwh !== null ? <p>{rt('tier_projected', { kwh: kwh(r.tier.projectedKwh), tier: r.tier.projectedTier ?? '–' })}</p> : null}
            </div>
          ) : null}
        </section>
      </div>

      <div className="report-cols">
        <section className="report-block">
          <table className="report-months" data-table="months">
            <thead>
              <tr><th>{rt('month')}</th><th>{rt('col_kwh')}</th><th>{rt('col_last_year')}</th><th>{rt('col_peer_median')}</th><th>{rt('col_peer_efficient')}</th></tr>
            </thead>
            <tbody>
              {r.months.map((m) => (
                <tr key={m.month} data-month={m.month} data-kwh={m.kwh ?? ''} data-kwh-last-year={m.kwh_last_year ?? ''} data-peer-median={m.peer_median_kwh ?? ''}>
                  <td>{i18n.month(m.month)}</td>
                  <td>{bare(m.kwh)}</td>
                  <td>{bare(m.kwh_last_year)}</td>
                  <td>{bare(m.peer_median_kwh)}</td>
                  <td>{bare(m.peer_efficient_kwh)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="report-block report-advice" data-panel="advice">
          <h2>{rt('advice')}</h2>
          <ol>
            {r.advice.map((a) => <li key={a.id} data-advice={a.id}>{adviceText(a, i18n)}</li>)}
          </ol>
        </section>
      </div>

      <footer className="report-foot">
        <p>{peers ? rt('peers_note', { n: peers.months, k: r.peer_group.k }) : rt('peers_none', { k: r.peer_group.k })}</p>
        <p>{rt('tou_note')}</p>
      </footer>
    </article>
  );
}

function adviceText(a: Advice, i18n: I18n): string {
  const m = ADVICE_MESSAGES[i18n.locale][a.id];
  const kwh = (v: number) => i18n.fmt(v, 'kwh');
  const cny = (v: number) => i18n.fmt(v, 'money');
  const pct = (v: number) => i18n.fmt(v, 'pct');
  const rate = (v: number) => i18n.fmt(v, 'rate');
  switch (a.id) {
    case 'switch_to_tou': return fill(m, { tou: cny(a.touCny), flat: cny(a.flatCny), saving: cny(a.savingCny) });
    case 'shift_peak': return fill(m, { peakShare: rate(a.peakShare), shiftShare: rate(a.shiftShare), kwh: kwh(a.shiftedKwh), saving: cny(a.savingCny) });
    case 'tier_next_soon': return fill(m, { kwh: kwh(a.kwhToNextTier), price: i18n.fmt(a.nextTierPrice, 'price') });
    case 'tier_surcharge': return fill(m, { kwh: kwh(a.projectedKwh), tier: a.projectedTier, surcharge: cny(a.surchargeCny) });
    case 'above_peers': return fill(m, { pct: pct(a.pctAbove), efficient: kwh(a.efficientKwh) });
    case 'rising_usage': return fill(m, { pct: pct(a.pctUp) });
    case 'low_load_factor': return fill(m, { lf: rate(a.loadFactor) });
    case 'efficient': return fill(m, { pct: pct(a.pctBelowMedian) });
    default: return m;
  }
}
