/// <reference types="vite/client" />
// DuckDB-WASM's worker, started before the engine's JavaScript has arrived:
// this module holds only the bundle's URLs (Vite `?url` imports: hashed
// assets served by our own server, no CDN) and a one-line feature probe, so
// boot.ts can start the worker while the page's other modules are still
// evaluated. The worker fetches and compiles its ~770 kB script meanwhile;
// duckdb-browser.ts then hands it to DuckDB's AsyncDuckDB and instantiates.

import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';

/**
 * A module using WebAssembly exceptions (try / catch_all): the probe DuckDB's
 * own selectBundle validates (getPlatformFeatures().wasmExceptions), copied
 * so the choice is the same without loading DuckDB's JavaScript.
 */
export const WASM_EXCEPTIONS_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 8, 1, 6, 0, 6, 64, 25, 11, 11]);

export interface EngineBundle {
  /** 'eh' (WebAssembly exceptions: faster) where the browser has them, else 'mvp'. */
  name: 'eh' | 'mvp';
  mainModule: string;
  mainWorker: string;
}

/** The bundle DuckDB's selectBundle would pick for this browser (we ship no threaded "coi" bundle). */
export function engineBundle(): EngineBundle {
  return WebAssembly.validate(WASM_EXCEPTIONS_PROBE)
    ? { name: 'eh', mainModule: ehWasm, mainWorker: ehWorker }
    : { name: 'mvp', mainModule: mvpWasm, mainWorker: mvpWorker };
}
