// The browser engine's start, shared by the page's entry and its data source.
// main.tsx imports boot.ts first, so DuckDB's worker is created and its
// JavaScript chunk requested before React and the app's modules are
// evaluated: the worker loads its script and DuckDB's chunk arrives while the
// first view renders. The data source (client.ts) then takes the same
// promise. Measured in docs/performance.md ("DuckDB started first").

import type { Engine } from './engine.ts';
import { engineBundle } from './engine-worker.ts';

let started: Promise<Engine> | null = null;

/** Starts the engine once (worker, chunk, wasm); later calls get the same promise. */
export function browserEngine(): Promise<Engine> {
  if (!started) {
    const bundle = engineBundle();
    const worker = new Worker(bundle.mainWorker);
    // A worker that fails to load may do so before DuckDB's chunk is there to listen: caught here.
    const failed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (e) => reject(new Error(`DuckDB's worker ${bundle.mainWorker} failed to start${e.message ? `: ${e.message}` : ''} — reload the page.`)), { once: true });
    });
    started = Promise.race([import('./duckdb-browser.ts').then((m) => m.startBrowserEngine(worker, bundle)), failed]);
    // Its failure is reported by the data source that awaits it, not as an unhandled rejection.
    started.catch(() => undefined);
  }
  return started;
}
