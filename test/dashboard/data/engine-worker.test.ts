// engine-worker.ts picks DuckDB's bundle without loading DuckDB's JavaScript
// (so the worker starts first thing): its probe must be the one DuckDB's own
// selectBundle uses, and its choice the same as DuckDB's.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as duckdb from '@duckdb/duckdb-wasm';
import { describe, expect, it } from 'vitest';
import { engineBundle, WASM_EXCEPTIONS_PROBE } from '../../../dashboard/src/data/engine-worker.ts';

const require = createRequire(import.meta.url);
const browserBundle = readFileSync(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-browser.mjs'), 'utf8');

describe('engine-worker: the DuckDB bundle chosen before DuckDB loads', () => {
  it("the WebAssembly-exceptions probe is byte for byte the one in DuckDB's browser bundle", () => {
    expect(browserBundle).toContain(`new Uint8Array([${[...WASM_EXCEPTIONS_PROBE].join(',')}])`);
  });

  it("chooses as DuckDB's platform features say (eh with exceptions, else mvp), with that bundle's wasm and worker", async () => {
    const features = await duckdb.getPlatformFeatures();
    const b = engineBundle();
    expect(b.name).toBe(features.wasmExceptions ? 'eh' : 'mvp');
    expect(b.mainModule).toMatch(new RegExp(`duckdb-${b.name}\\.wasm`));
    expect(b.mainWorker).toMatch(new RegExp(`duckdb-browser-${b.name}\\.worker\\.js`));
  });

  it('the probe is what decides: a module with an unknown opcode in its place does not validate', () => {
    const broken = WASM_EXCEPTIONS_PROBE.slice();
    // …0x0a 8 1 (code section, one body) 6 (body size) 0 (no locals) 0x06 (`try`) 0x40 0x19 (`catch_all`) 0x0b 0x0b
    expect(broken[23]).toBe(0x06);
    broken[23] = 0xff;
    expect(WebAssembly.validate(WASM_EXCEPTIONS_PROBE)).toBe(true);
    expect(WebAssembly.validate(broken)).toBe(false);
  });
});
