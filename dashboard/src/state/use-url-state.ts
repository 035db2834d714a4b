// The URL is the store: components read ScreenState from the query string and
// change it through navigate(), so back/forward and bookmarks need no extra
// code. popstate (back/forward) and our own changes notify subscribers.
//
// navigate() updates the state at once and writes the history entry
// (pushState / replaceState) once the interaction it started is over
// (timing.ts whenSettled): in Chromium a history write blocks the page's main
// thread for a round trip to the browser process, 1–19 ms per call measured
// on our 2-core machine (docs/performance.md), and inside the click handler
// that delayed the queries and the render of every interaction. Until the
// write, the state is ahead of window.location; read it with currentSearch().

import { useCallback, useSyncExternalStore } from 'react';
import { startInteraction, whenSettled } from '../timing.ts';
import { formatState, parseState, type ScreenState } from './url-state.ts';

const listeners = new Set<() => void>();
const notify = (): void => listeners.forEach((l) => l());

/** The latest a history write waits for its interaction to end. */
const HISTORY_WRITE_LATEST_MS = 1000;

/** History writes not done yet, oldest first; every push stays its own entry, so back steps through each. */
let unwritten: { url: string; replace: boolean }[] = [];
/** The query string of the newest unwritten entry (null: window.location is current). */
let aheadSearch: string | null = null;
/** The fallback write of the unwritten batch (cleared once it is written, so it cannot write a later batch early). */
let latestWrite: ReturnType<typeof setTimeout> | undefined;

function writeHistory(): void {
  clearTimeout(latestWrite);
  latestWrite = undefined;
  const writes = unwritten;
  unwritten = [];
  aheadSearch = null;
  for (const w of writes) {
    if (w.replace) window.history.replaceState(null, '', w.url);
    else window.history.pushState(null, '', w.url);
  }
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    // Back/forward moved from the last written entry; changes not written yet
    // (a back within the same interaction) are dropped, not written after it.
    unwritten = [];
    aheadSearch = null;
    startInteraction();
    notify();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The screen's query string, including a change whose history entry is not written yet. */
export function currentSearch(): string {
  return aheadSearch ?? window.location.search;
}

// parseState returns a new object each call: cache by the search string so
// useSyncExternalStore sees a stable snapshot.
let cachedSearch: string | null = null;
let cachedState: ScreenState | null = null;
function snapshot(): ScreenState {
  const search = currentSearch();
  if (search !== cachedSearch || cachedState === null) {
    cachedSearch = search;
    cachedState = parseState(search);
  }
  return cachedState;
}

export interface NavigateOptions {
  /** Replace the current history entry (e.g. filling in defaults) instead of adding one. */
  replace?: boolean;
  /** Whether this change re-queries the page (times a gridlens:interaction). */
  interaction?: boolean;
}

export function navigate(patch: Partial<ScreenState>, o: NavigateOptions = {}): void {
  const next = { ...snapshot(), ...patch };
  const query = formatState(next);
  const search = query ? `?${query}` : '';
  if (search === currentSearch()) return;
  const url = `${window.location.pathname}${search}${window.location.hash}`;
  if (o.interaction !== false) startInteraction();
  const first = unwritten.length === 0;
  unwritten.push({ url, replace: o.replace === true });
  aheadSearch = search;
  if (first) {
    whenSettled(writeHistory);
    // A screen that never settles (a panel left waiting) still gets its URL.
    latestWrite = setTimeout(writeHistory, HISTORY_WRITE_LATEST_MS);
  }
  notify();
}

export function useUrlState(): [ScreenState, (patch: Partial<ScreenState>, o?: NavigateOptions) => void] {
  const state = useSyncExternalStore(subscribe, snapshot, snapshot);
  const set = useCallback((patch: Partial<ScreenState>, o?: NavigateOptions) => navigate(patch, o), []);
  return [state, set];
}
