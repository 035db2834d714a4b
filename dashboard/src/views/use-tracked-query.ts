// useQuery, plus reporting to the interaction timer (timing.ts) whether this
// panel still waits for the answer to its *current* query. The data layer keeps
// the previous rows visible while a new query runs, so "has an answer" means:
// the rows (or error) changed since the query last changed, and nothing loads.

import { useLayoutEffect, useRef } from 'react';
import type { BuiltQuery, QueryState } from '../data/api.ts';
import { queryKey, useQuery } from '../data/hooks.ts';
import { reportWaiting } from '../timing.ts';
import { useViewVisible } from './visibility.ts';

export function useTrackedQuery<T = Record<string, unknown>>(query: BuiltQuery | null): QueryState<T> {
  // A hidden (kept-alive) view's panel asks in the background and keeps no one waiting.
  const visible = useViewVisible();
  const state = useQuery<T>(query, { background: !visible });
  const key = queryKey(query);
  const id = useRef(Symbol('query'));
  const seen = useRef<{ key: string | null; rows: unknown; error: unknown; answered: boolean }>({
    key: null, rows: undefined, error: undefined, answered: false,
  });

  const s = seen.current;
  if (s.key !== key) {
    // The query changed in this render: the rows shown now belong to the old one.
    seen.current = { key, rows: state.rows, error: state.error, answered: query === null };
  } else if (!s.answered && !state.loading && (state.rows !== s.rows || state.error !== s.error)) {
    s.answered = true;
  }
  const waiting = visible && query !== null && (!seen.current.answered || state.loading);

  useLayoutEffect(() => {
    reportWaiting(id.current, waiting);
  }, [waiting]);
  useLayoutEffect(() => {
    const mine = id.current;
    return () => reportWaiting(mine, false);
  }, []);

  return state;
}
