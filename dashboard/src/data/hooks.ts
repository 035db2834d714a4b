// React hooks over the page's data source.
//
// useQuery: a generation counter per hook; only the newest query's result or
// error is ever stored, and a superseded query that is still waiting for its
// extracts never reaches DuckDB (its AbortSignal fires). While a new query
// runs, the previous rows stay visible with loading = true (no flash of empty
// charts on every filter change). A query answered before (data source's
// answers) shows at once, without a loading state or a trip to DuckDB.

import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { BuiltQuery, DataStatus, QueryState } from './api.ts';
import { dataSource, runQuery } from './client.ts';
import { answerKey } from './source.ts';

/** Identity of a query for re-running: its SQL and its parameters. */
export function queryKey(query: BuiltQuery | null): string | null {
  return query ? answerKey(query) : null;
}

export function useQuery<T = Record<string, unknown>>(query: BuiltQuery | null, o: { background?: boolean } = {}): QueryState<T> {
  const background = o.background === true;
  const key = queryKey(query);
  const [state, setState] = useState<QueryState<T>>(() => {
    const known = query ? dataSource().peek<T>(query) : undefined;
    return known ? { rows: known, loading: false, error: null } : { rows: null, loading: query !== null, error: null };
  });
  const generation = useRef(0);
  const latest = useRef(query);
  latest.current = query;
  // The key whose answer the state holds (set once this hook stored it). A
  // view shown or hidden flips only `background`: with its answer in hand there
  // is nothing to ask, and storing it again (a new array) would re-render the
  // whole view and its data tables within the view switch.
  const settled = useRef<string | null>(null);

  useEffect(() => {
    if (key !== null && settled.current === key) return;
    settled.current = null;
    const mine = ++generation.current;
    const q = latest.current;
    if (!q) {
      setState({ rows: null, loading: false, error: null });
      return;
    }
    const known = dataSource().peek<T>(q);
    if (known) {
      // A new array: the rows shown may be this very answer (A → B → A before B came back),
      // and useTrackedQuery recognises a new answer by identity.
      setState({ rows: known.slice(), loading: false, error: null });
      settled.current = key;
      return;
    }
    const abort = new AbortController();
    setState((s) => (s.loading && s.error === null ? s : { rows: s.rows, loading: true, error: null }));
    runQuery<T>(q, { signal: abort.signal, background }).then(
      (rows) => {
        if (generation.current !== mine) return;
        setState({ rows, loading: false, error: null });
        settled.current = key;
      },
      (err: unknown) => {
        if (generation.current !== mine || abort.signal.aborted) return;
        setState({ rows: null, loading: false, error: err instanceof Error ? err : new Error(String(err)) });
      },
    );
    return () => abort.abort();
    // A hidden view's query shown before its answer came: asked again in the foreground (the data source runs it once).
  }, [key, background]);

  return state;
}

/**
 * The manifest (with its `summary`, for painting the Overview before DuckDB
 * is ready), whether DuckDB is ready, and the first error. Starts the data
 * source: the manifest fetch and the DuckDB worker begin at once.
 */
export function useDataStatus(): DataStatus {
  const source = dataSource();
  useEffect(() => source.start(), [source]);
  const s = useSyncExternalStore(source.subscribe, source.status, source.status);
  return s;
}
