// The URL is the store: components read ScreenState from location.search and
// change it through history.pushState, so back/forward and bookmarks need no
// extra code. popstate (back/forward) and our own pushes notify subscribers.

import { useCallback, useSyncExternalStore } from 'react';
import { startInteraction } from '../timing.ts';
import { formatState, parseState, type ScreenState } from './url-state.ts';

const listeners = new Set<() => void>();
const notify = (): void => listeners.forEach((l) => l());

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    startInteraction();
    notify();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// parseState returns a new object each call: cache by the search string so
// useSyncExternalStore sees a stable snapshot.
let cachedSearch: string | null = null;
let cachedState: ScreenState | null = null;
function snapshot(): ScreenState {
  const search = window.location.search;
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
  const url = `${window.location.pathname}${query ? '?' + query : ''}${window.location.hash}`;
  if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
  if (o.interaction !== false) startInteraction();
  if (o.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  notify();
}

export function useUrlState(): [ScreenState, (patch: Partial<ScreenState>, o?: NavigateOptions) => void] {
  const state = useSyncExternalStore(subscribe, snapshot, snapshot);
  const set = useCallback((patch: Partial<ScreenState>, o?: NavigateOptions) => navigate(patch, o), []);
  return [state, set];
}
