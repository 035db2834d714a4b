// The app shell: header (views, language, theme), the global filter bar,
// warnings (stale data, load errors) and the open view. Screen state comes from
// the URL (state/), data from the data layer's hooks (data/api.ts contract).

import { lazy, memo, startTransition, Suspense, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore, type MouseEvent } from 'react';
import type { Filters, ManifestSummary } from './data/api.ts';
import { dataSource } from './data/client.ts';
import { questionsOfView } from './data/queries/view-questions.ts';
import { useDataStatus } from './data/hooks.ts';
import { preferredLocale } from './i18n/format.ts';
import { I18nProvider, useI18n } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/messages.ts';
import { useUrlState } from './state/use-url-state.ts';
import { filtersOf, formatState, latestCompleteMonth, VIEWS, type Locale, type ScreenState } from './state/url-state.ts';
import { systemTheme, ThemeContext } from './theme.tsx';
import { isInteractive, markInteractive, subscribeInteractive, waitingCount, whenIdle, whenSettled } from './timing.ts';
import { FilterBar } from './views/FilterBar.tsx';
import { Overview } from './views/Overview.tsx';
import { isStale, runInfoOf } from './views/run-info.ts';
import { Satisfaction } from './views/Satisfaction.tsx';
import { Segments } from './views/Segments.tsx';
import { Service } from './views/Service.tsx';
import { Usage } from './views/Usage.tsx';
import { ViewVisibleContext } from './views/visibility.ts';
import { viewAllowed } from './workbench/access.ts';

// The campaign planner, the analyst workbench and the Alerts view, loaded when
// first opened: nothing of them is in the first view's bundle.
const Campaigns = lazy(() => import('./views/Campaigns.tsx').then((m) => ({ default: m.Campaigns })));
const Workbench = lazy(() => import('./workbench/Workbench.tsx'));
const Alerts = lazy(() => import('./views/Alerts.tsx').then((m) => ({ default: m.Alerts })));

/**
 * The views that follow the global filter bar: only these are pre-rendered
 * when idle and refreshed in the background while hidden. The planner and the
 * workbench have their own inputs and are rendered when the user opens them.
 */
const FILTERED_VIEWS: readonly ScreenState['view'][] = ['overview', 'segments', 'usage', 'satisfaction', 'service'];

/**
 * Extracts the views read (dashboard/src/data/queries/), loaded in the
 * background once the first view is interactive, small and often used first;
 * names the live version lacks are skipped. Keep in step with the builders.
 * The Overview's own (kpi_month, segment_month, forecast_month) are here too:
 * its first screen is answered by the manifest, so nothing has loaded them
 * (without forecast_month here, the first segment filter on the Overview
 * waited for its fetch and insert: +34 ms at 100k customers).
 */
const PREFETCH = [
  'kpi_month', 'segment_month', 'forecast_month', 'satisfaction_month_totals', 'satisfaction_month', 'service_month_totals', 'service_month', 'load_profile', 'customer',
  'campaign_result', 'detractor_followup',
];

/** Filter sets remembered by value (App's filterCache): a few dozen small objects. */
const FILTER_CACHE_SIZE = 32;

/** How long the user must leave the filters alone before hidden views catch up with them. */
const HIDDEN_REFRESH_PAUSE_MS = 400;

export function App() {
  const [state, setState] = useUrlState();
  const locale: Locale = state.lang ?? preferredLocale(typeof navigator === 'undefined' ? [] : navigator.languages);
  const theme = state.theme ?? systemTheme();

  useEffect(() => {
    document.documentElement.lang = locale;
    document.documentElement.dataset.theme = theme;
  }, [locale, theme]);

  return (
    <I18nProvider locale={locale}>
      <ThemeContext.Provider value={theme}>
        <Shell state={state} locale={locale} theme={theme} onChange={setState} />
      </ThemeContext.Provider>
    </I18nProvider>
  );
}

interface ShellProps {
  state: ScreenState;
  locale: Locale;
  theme: 'light' | 'dark';
  onChange: (patch: Partial<ScreenState>, o?: { replace?: boolean; interaction?: boolean }) => void;
}

function Shell({ state, locale, theme, onChange }: ShellProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const status = useDataStatus();
  const { manifest, ready, error } = status;
  const summary = manifest?.summary ?? null;
  const defaultMonth = manifest ? latestCompleteMonth(manifest.data_as_of) : null;

  // Make the default period explicit in the URL once known, so a bookmark keeps
  // showing this period after newer data arrives (replace: not a user step).
  useEffect(() => {
    if (defaultMonth && (!state.from || !state.to)) onChange({ from: state.from ?? defaultMonth, to: state.to ?? defaultMonth }, { replace: true, interaction: false });
  }, [defaultMonth, state.from, state.to, onChange]);

  // gridlens:interactive once DuckDB is ready and the open view has its answers;
  // then, when the page is idle, the other views' extracts load in the background.
  useEffect(() => {
    if (!ready) return;
    let frame = 0;
    const check = (): void => {
      if (waitingCount() === 0) {
        markInteractive();
        whenIdle(() => void dataSource().prefetch(PREFETCH), 1000);
      } else frame = requestAnimationFrame(check);
    };
    frame = requestAnimationFrame(check);
    return () => cancelAnimationFrame(frame);
  }, [ready]);

  const from = state.from ?? defaultMonth;
  const to = state.to ?? defaultMonth;
  // Keyed by the filter values, not the parsed arrays (new on every URL change):
  // a view or sort change keeps the same Filters object, so no query is rebuilt.
  const filterKey = JSON.stringify([from, to, state.compare, state.segment, state.region, state.tariff, state.band, state.channel]);
  // One Filters object per set of values, reused when the user comes back to
  // them (a filter set and cleared, a period changed and restored): a view kept
  // hidden since then has equal filters by identity, so showing it again asks
  // and redraws nothing (Views compares by identity; each view's query builders
  // are memoised on it).
  const filterCache = useRef(new Map<string, Filters>());
  const filters = useMemo(() => {
    if (!from || !to) return null;
    const cache = filterCache.current;
    let f = cache.get(filterKey);
    if (f) {
      cache.delete(filterKey); // most recently used last
    } else {
      f = filtersOf({ ...state, from, to }, to);
      if (cache.size >= FILTER_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(filterKey, f);
    return f;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- filterKey covers every input
  }, [filterKey]);

  const viewLink = (view: ScreenState['view']) => ({
    href: `?${formatState({ ...state, view })}`,
    onClick: (e: MouseEvent<HTMLAnchorElement>) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      onChange({ view });
    },
  });

  const run = manifest ? runInfoOf(manifest) : null;
  const stale = manifest && run ? isStale(manifest, run.lastScheduledAt) : false;

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <strong>{t('app_title')}</strong> <span>{t('app_subtitle')}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul className="tabs">
            {VIEWS.filter((v) => viewAllowed(v, manifest)).map((v) => (
              <li key={v}>
                <a {...viewLink(v)} data-view={v} aria-current={state.view === v ? 'page' : undefined}>{t(`view.${v}` as MessageKey)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings">
          <a href={`?view=report&lang=${locale}`} data-link="report">{t('report.nav')}</a>
          <label className="control inline">
            <span>{t('settings.language')}</span>
            <select name="lang" value={locale} onChange={(e) => onChange({ lang: e.target.value as Locale }, { interaction: false })}>
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          <label className="control inline">
            <span>{t('settings.theme')}</span>
            <select name="theme" value={theme} onChange={(e) => onChange({ theme: e.target.value as 'light' | 'dark' }, { interaction: false })}>
              <option value="light">{t('theme.light')}</option>
              <option value="dark">{t('theme.dark')}</option>
            </select>
          </label>
          {manifest?.access ? (
            // A plain form: sign-out works without script, and only as a POST from this page (etl/serve/auth.ts).
            <form method="post" action="/logout" className="control inline" data-user={manifest.access.user}>
              <span>{t('auth.signed_in_as', { user: manifest.access.user, role: manifest.access.role })}</span>
              <button type="submit">{t('auth.sign_out')}</button>
            </form>
          ) : null}
        </div>
      </header>

      {!manifest ? (
        <main className="app-main">
          {error ? (
            <div className="status status-error page-error" role="alert" data-state="error">
              <h1>{t('state.manifest_error')}</h1>
              <p>{error.message}</p>
              <p className="status-hint">{t('state.error_hint')}</p>
            </div>
          ) : (
            <div className="status status-loading page-loading" role="status" data-state="loading">{t('state.loading')}</div>
          )}
        </main>
      ) : (
        <>
          {from && to ? <FilterBar state={state} from={from} to={to} summary={summary} onChange={onChange} /> : null}
          {stale && run?.lastScheduledAt ? (
            <div className="banner banner-warning" role="alert" data-state="stale">{t('fresh.stale', { when: i18n.timestamp(run.lastScheduledAt) })}</div>
          ) : null}
          {error ? (
            <div className="banner banner-error" role="alert" data-state="error">
              <strong>{t('state.error')}</strong>: {error.message} {t('state.error_hint')}
            </div>
          ) : null}
          {!ready && !error ? <div className="banner banner-info" role="status" data-state="engine-loading">{t('state.loading_engine')}</div> : null}
          <main className="app-main" data-view={state.view} data-locale={locale} data-theme={theme}>
            {filters ? <Views state={state} filters={filters} k={manifest.suppression.k} summary={summary} onChange={onChange} /> : null}
          </main>
        </>
      )}
    </div>
  );
}

type ViewProps = { state: ScreenState; filters: Filters; k: number; summary: ManifestSummary | null; onChange: ShellProps['onChange'] };

/**
 * The open view, and every view opened before kept mounted but hidden (laid
 * out off screen, so their charts keep their size and drawing): going back to
 * a view shows it at once. A hidden view keeps its own state (drill path,
 * breakdown) and gets the current filters when the page is idle after an
 * interaction, its questions asked in the background, or when shown, if that
 * comes first. Once the page is interactive, the views not opened yet are
 * rendered this way too, one per idle moment.
 */
function Views(props: ViewProps) {
  const { state, filters } = props;
  const interactive = useSyncExternalStore(subscribeInteractive, isInteractive, isInteractive);
  const kept = useRef(new Map<ScreenState['view'], { state: ScreenState; filters: Filters }>());
  kept.current.set(state.view, { state, filters });
  const [, setKeptCount] = useState(1);
  const [, refreshHidden] = useReducer((n: number) => n + 1, 0);

  // Hidden views catch up with the filters once the interaction is over and the
  // user has paused (HIDDEN_REFRESH_PAUSE_MS), at low priority: their questions
  // go to DuckDB in the background (data/source.ts) and their charts draw when
  // idle, so going to one later shows it ready instead of asking and drawing
  // then. Not at once: a user changing filters in quick succession would find
  // each change queued behind the hidden views' catching up with the last one
  // (measured: scripted back-to-back filter changes, p95 +40–90 ms).
  useEffect(() => {
    if (!interactive) return;
    const stale = FILTERED_VIEWS.filter((v) => v !== state.view && kept.current.has(v) && kept.current.get(v)!.filters !== filters);
    if (stale.length === 0) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cancelIdle: (() => void) | undefined;
    whenSettled(() => {
      if (cancelled) return;
      timer = setTimeout(() => {
        cancelIdle = whenIdle(() => {
          if (cancelled) return;
          for (const v of stale) {
            const own = kept.current.get(v);
            if (own && v !== state.view) kept.current.set(v, { state: own.state, filters });
          }
          startTransition(refreshHidden);
        }, 1000);
      }, HIDDEN_REFRESH_PAUSE_MS);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      cancelIdle?.();
    };
  }, [filters, interactive, state.view]);

  // The hidden views' questions for the new filters go to DuckDB as soon as the
  // interaction is over, in the background: one at a time, each only when no
  // question of the open view waits, and those not started yet are dropped by
  // the next change. Only the answers are kept (no render, no drawing on the
  // main thread), so a switch to a hidden view draws known answers instead of
  // asking its questions one after the other then. Without it, a user quick
  // enough to switch views within HIDDEN_REFRESH_PAUSE_MS of a filter change
  // waited for the whole view. Views to the right of the open one first, in
  // tab order, then those to its left: the order of the nav.
  useEffect(() => {
    if (!interactive) return;
    const at = FILTERED_VIEWS.indexOf(state.view);
    const order = at < 0 ? FILTERED_VIEWS : [...FILTERED_VIEWS.slice(at + 1), ...FILTERED_VIEWS.slice(0, at)];
    const stale = order.filter((v) => kept.current.has(v) && kept.current.get(v)!.filters !== filters);
    if (stale.length === 0) return;
    const abort = new AbortController();
    whenSettled(() => {
      if (abort.signal.aborted) return;
      const source = dataSource();
      const manifest = source.status().manifest;
      const offered = (name: string): boolean => !!manifest?.files.some((f) => f.name === name);
      const customerReadable = !manifest?.access?.withheld.includes('customer');
      for (const v of stale) {
        const own = kept.current.get(v)!.state;
        for (const q of questionsOfView({ ...own, view: v }, filters, { offered, customerReadable })) {
          source.run(q, { background: true, signal: abort.signal }).catch(() => undefined);
        }
      }
    });
    return () => abort.abort();
  }, [filters, interactive, state.view]);

  // Pre-render the next view not rendered yet, when the page is idle.
  useEffect(() => {
    if (!interactive) return;
    const next = FILTERED_VIEWS.find((v) => !kept.current.has(v));
    if (!next) return;
    return whenIdle(() => {
      if (kept.current.has(next)) return;
      kept.current.set(next, { state: { ...state, view: next }, filters });
      setKeptCount(kept.current.size);
    }, 1000);
  });

  return (
    <>
      {VIEWS.filter((v) => kept.current.has(v)).map((v) => {
        const shown = v === state.view;
        const own = kept.current.get(v)!;
        return (
          <div key={v} className={shown ? 'view-slot' : 'view-slot view-slot-hidden'} aria-hidden={shown ? undefined : true}>
            <ViewVisibleContext.Provider value={shown}>
              <View {...props} state={own.state} filters={own.filters} />
            </ViewVisibleContext.Provider>
          </div>
        );
      })}
    </>
  );
}

// Memoised: a hidden view's props do not change (its kept state and filters,
// the same k, summary and onChange), so it does not re-render with the open one.
const View = memo(function View(props: ViewProps) {
  const { state, filters, k, summary, onChange } = props;
  switch (state.view) {
    case 'segments':
      return <Segments state={state} filters={filters} k={k} onChange={onChange} />;
    case 'usage':
      return <Usage filters={filters} onChange={onChange} />;
    case 'satisfaction':
      return <Satisfaction state={state} filters={filters} onChange={onChange} />;
    case 'service':
      return <Service filters={filters} onChange={onChange} />;
    case 'campaigns':
      return <Suspense fallback={null}><Campaigns state={state} onChange={onChange} /></Suspense>;
    case 'workbench':
      return <Suspense fallback={null}><Workbench state={state} onChange={onChange} /></Suspense>;
    case 'alerts':
      return <Suspense fallback={null}><Alerts state={state} filters={filters} onChange={onChange} /></Suspense>;
    default:
      return <Overview state={state} filters={filters} summary={summary} onChange={onChange} />;
  }
});
