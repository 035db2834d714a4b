/// <reference types="vite/client" />
// The page's one data source: DuckDB-WASM in a worker, extracts from this
// server's /extracts/. Created on first use, so importing the data layer
// (e.g. for a query builder) starts nothing.

import type { BuiltQuery } from './api.ts';
import type { Row } from './engine.ts';
import { browserEngine } from './engine-boot.ts';
import { httpExtractFetcher } from './extract-fetch.ts';
import { createDataSource, type DataSource } from './source.ts';

let source: DataSource | null = null;

/** The page's data source (the browser engine, extracts next to the page). */
export function dataSource(): DataSource {
  if (!source) {
    const base = new URL(`${import.meta.env.BASE_URL}extracts/`, window.location.href);
    source = createDataSource({
      engine: browserEngine,
      fetcher: httpExtractFetcher(base),
    });
  }
  return source;
}

/**
 * Replaces the page's data source (tests, benchmarks, a Node script): e.g.
 * createDataSource({ engine: nodeEngine, fetcher: httpExtractFetcher(url) }).
 */
export function setDataSource(next: DataSource): void {
  source = next;
}

/** Runs a built query outside React (tests, benchmarks, exports). */
export function runQuery<T = Row>(query: BuiltQuery, options?: { signal?: AbortSignal; background?: boolean }): Promise<T[]> {
  return dataSource().run<T>(query, options);
}
