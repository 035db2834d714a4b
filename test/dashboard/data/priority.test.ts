// The data source's two priorities: what the user waits for (the open view)
// goes to DuckDB at once; background questions (hidden views catching up with
// the filters) wait until no foreground question is in flight, and run one at
// a time. A question asked twice before it is answered runs once; asked in
// the foreground while waiting in the background, it goes at once.

import { describe, expect, it } from 'vitest';
import type { BuiltQuery, Manifest } from '../../../dashboard/src/data/api.ts';
import type { Engine, Row } from '../../../dashboard/src/data/engine.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';

/** An engine whose answers the test releases one by one, recording the order questions reached it. */
function heldSource() {
  const started: string[] = [];
  const held = new Map<string, () => void>();
  const engine: Engine = {
    async insertIPC() {},
    query(sql, params): Promise<Row[]> {
      if (sql.startsWith('select count(*)')) return Promise.resolve([{ n: 1 }]);
      const p = String(params[0]);
      started.push(p);
      return new Promise((resolve) => held.set(p, () => resolve([{ p }])));
    },
  };
  const manifest = { version: 'v1', files: [{ name: 't', file: 't.arrow', rows: 1, bytes: 0 }] } as unknown as Manifest;
  const source = createDataSource({ engine: async () => engine, fetcher: { manifest: async () => manifest, file: async () => new Uint8Array() } });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  const release = async (p: string) => {
    const go = held.get(p);
    if (!go) throw new Error(`${p} is not in DuckDB (started: ${started.join(', ')})`);
    held.delete(p);
    go();
    await settle();
  };
  return { source, started, release, settle };
}

const q = (p: string): BuiltQuery => ({ sql: 'select ? as p from t', params: [p], extracts: ['t'] });

describe('data source priorities', () => {
  it('holds background questions while a foreground one is in flight, then runs them one at a time', async () => {
    const { source, started, release, settle } = heldSource();
    const fg = source.run(q('fg'));
    const b1 = source.run(q('b1'), { background: true });
    const b2 = source.run(q('b2'), { background: true });
    await settle();
    expect(started).toEqual(['fg']);
    await release('fg');
    expect(await fg).toEqual([{ p: 'fg' }]);
    expect(started).toEqual(['fg', 'b1']);
    // A foreground question arriving now goes straight in, next to the running background one.
    const fg2 = source.run(q('fg2'));
    await settle();
    expect(started).toEqual(['fg', 'b1', 'fg2']);
    await release('b1');
    expect(started).toEqual(['fg', 'b1', 'fg2']); // b2 waits for fg2
    await release('fg2');
    expect(started).toEqual(['fg', 'b1', 'fg2', 'b2']);
    await release('b2');
    expect(await Promise.all([b1, fg2, b2])).toEqual([[{ p: 'b1' }], [{ p: 'fg2' }], [{ p: 'b2' }]]);
  });

  it('asked in the foreground while waiting in the background, a question goes at once and runs once', async () => {
    const { source, started, release, settle } = heldSource();
    const fg = source.run(q('fg'));
    const hidden = source.run(q('x'), { background: true });
    await settle();
    const shown = source.run(q('x'));
    await settle();
    expect(started).toEqual(['fg', 'x']);
    await release('x');
    expect(await shown).toEqual([{ p: 'x' }]);
    expect(await hidden).toBe(await shown);
    await release('fg');
    expect(started).toEqual(['fg', 'x']);
  });

  it('never runs a background question whose asker gave up before its turn', async () => {
    const { source, started, release, settle } = heldSource();
    const fg = source.run(q('fg'));
    const abort = new AbortController();
    const gone = source.run(q('gone'), { background: true, signal: abort.signal });
    const kept = source.run(q('kept'), { background: true });
    await settle();
    abort.abort();
    await expect(gone).rejects.toThrow(/abort/i);
    await release('fg');
    await fg;
    expect(started).toEqual(['fg', 'kept']);
    await release('kept');
    expect(source.peek(q('gone'))).toBeUndefined();
    expect(await kept).toEqual([{ p: 'kept' }]);
  });

  it('one asker giving up does not fail another asking the same question', async () => {
    const { source, started, release, settle } = heldSource();
    const abort = new AbortController();
    const first = source.run(q('x'), { background: true, signal: abort.signal });
    const second = source.run(q('x'));
    abort.abort();
    await expect(first).rejects.toThrow(/abort/i);
    await settle();
    expect(started).toEqual(['x']);
    await release('x');
    expect(await second).toEqual([{ p: 'x' }]);
  });

  it('a question given up in the background and asked again at once (its view shown) runs afresh, without an error', async () => {
    const { source, started, release, settle } = heldSource();
    const fg = source.run(q('fg'));
    const abort = new AbortController();
    const hidden = source.run(q('x'), { background: true, signal: abort.signal });
    await settle();
    abort.abort(); // the panel's effect cleans up …
    const shown = source.run(q('x')); // … and asks again in the same tick, now in the foreground
    await expect(hidden).rejects.toThrow(/abort/i);
    await settle();
    expect(started).toEqual(['fg', 'x']);
    await release('x');
    expect(await shown).toEqual([{ p: 'x' }]);
    await release('fg');
  });
});
