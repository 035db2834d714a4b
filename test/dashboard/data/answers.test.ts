// The data source keeps answers by query: asked again, a query is answered
// without DuckDB; a query superseded before it ran is neither run nor kept.

import { describe, expect, it } from 'vitest';
import type { BuiltQuery, Manifest } from '../../../dashboard/src/data/api.ts';
import type { Engine, Row } from '../../../dashboard/src/data/engine.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';

function fakeSource() {
  const queries: string[] = [];
  const engine: Engine = {
    async insertIPC() {},
    async query(sql, params): Promise<Row[]> {
      if (sql.startsWith('select count(*)')) return [{ n: 1 }];
      queries.push(`${sql} ${JSON.stringify(params)}`);
      return [{ sql, p: params[0] ?? null }];
    },
  };
  const manifest = { version: 'v1', files: [{ name: 't', file: 't.arrow', rows: 1, bytes: 0 }] } as unknown as Manifest;
  const source = createDataSource({
    engine: async () => engine,
    fetcher: { manifest: async () => manifest, file: async () => new Uint8Array() },
  });
  return { source, queries };
}

const q = (p: string): BuiltQuery => ({ sql: 'select ? as p from t', params: [p], extracts: ['t'] });

describe('data source answers', () => {
  it('runs a query once; asked again (same SQL and parameters) the same rows come back at once', async () => {
    const { source, queries } = fakeSource();
    expect(source.peek(q('a'))).toBeUndefined();
    const first = await source.run(q('a'));
    expect(source.peek(q('a'))).toBe(first);
    expect(await source.run(q('a'))).toBe(first);
    expect(queries).toHaveLength(1);
    await source.run(q('b'));
    expect(queries).toHaveLength(2);
    expect(source.peek(q('b'))).toEqual([{ sql: 'select ? as p from t', p: 'b' }]);
  });

  it('keeps nothing for a query superseded before it ran', async () => {
    const { source, queries } = fakeSource();
    const abort = new AbortController();
    abort.abort();
    await expect(source.run(q('a'), { signal: abort.signal })).rejects.toThrow(/abort/i);
    expect(source.peek(q('a'))).toBeUndefined();
    expect(queries).toHaveLength(0);
  });

  it('forgets the least recently used answers beyond 256', async () => {
    const { source } = fakeSource();
    for (let i = 0; i < 257; i++) await source.run(q(String(i)));
    expect(source.peek(q('0'))).toBeUndefined();
    expect(source.peek(q('1'))).toBeDefined();
    expect(source.peek(q('256'))).toBeDefined();
  });
});
