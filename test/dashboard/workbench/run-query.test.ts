// The workbench's query path through the real data source and a real
// DuckDB-WASM (Node bundle): column types from DESCRIBE (a DATE is not a
// number, though both arrive as numbers), only the extracts a query names are
// loaded, refusals and DuckDB's errors come back as such. Plus the pure parts:
// who sees the workbench, history and saved queries, the quick chart.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../dashboard/src/data/api.ts';
import type { Engine } from '../../../dashboard/src/data/engine.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';
import { mayUseWorkbench, viewAllowed } from '../../../dashboard/src/workbench/access.ts';
import { defaultChoice, quickChart } from '../../../dashboard/src/workbench/quick-chart.ts';
import { RefusedQueryError, referencedTables, runWorkbenchQuery } from '../../../dashboard/src/workbench/run-query.ts';
import { addToHistory, formatSaved, HISTORY_KEPT, mergeSaved, parseSaved } from '../../../dashboard/src/workbench/saved-queries.ts';
import { formatState, parseState } from '../../../dashboard/src/state/url-state.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

let engine: Engine;
const inserted: string[] = [];

beforeAll(async () => {
  engine = await startNodeEngine();
  await engine.query(`create table kpi_month as select (date '2026-01-01' + to_months(i::INTEGER))::DATE as month, (i * 1.5)::DOUBLE as kwh, i::BIGINT as customers, '区域' || i as region from range(12) t(i)`, []);
  await engine.query(`create table customer as select i::INTEGER as customer_key from range(5) t(i)`, []);
}, 120_000);

/** A data source over the engine above; "inserting" an extract only records its name (the tables exist). */
function source() {
  const manifest = {
    version: 'v1',
    files: [{ name: 'kpi_month', file: 'k.arrow', rows: 12, bytes: 0 }, { name: 'customer', file: 'c.arrow', rows: 5, bytes: 0 }],
  } as unknown as Manifest;
  const wrapped: Engine = {
    insertIPC: async (name) => void inserted.push(name),
    query: (sql, params) => engine.query(sql, params),
  };
  return createDataSource({ engine: async () => wrapped, fetcher: { manifest: async () => manifest, file: async () => new Uint8Array() } });
}

describe('workbench queries', () => {
  it('types columns from DESCRIBE, and loads only the extracts the query names', async () => {
    inserted.length = 0;
    const r = await runWorkbenchQuery(source(), 'select month, kwh, customers, region, null::INTEGER as nothing from kpi_month order by month limit 3;');
    expect(r.columns.map((c) => [c.key, c.type])).toEqual([['month', 'date'], ['kwh', 'number'], ['customers', 'integer'], ['region', 'text'], ['nothing', 'integer']]);
    expect(r.rows).toHaveLength(3);
    expect(r.rows[0]).toEqual({ month: Date.UTC(2026, 0, 1), kwh: 0, customers: 0, region: '区域0', nothing: null });
    expect(inserted).toEqual(['kpi_month']);
    expect(r.sql).toBe('select month, kwh, customers, region, null::INTEGER as nothing from kpi_month order by month limit 3');
  });

  it('loads every extract for a statement naming none (SHOW TABLES), and infers types where DESCRIBE cannot tell', async () => {
    inserted.length = 0;
    const r = await runWorkbenchQuery(source(), 'show tables');
    expect(inserted.sort()).toEqual(['customer', 'kpi_month']);
    expect(r.columns.map((c) => c.key)).toEqual(['name']);
    expect(r.rows.map((x) => x.name)).toEqual(expect.arrayContaining(['customer', 'kpi_month']));
  });

  it('refuses writing statements before anything reaches DuckDB, and passes DuckDB errors on with their message', async () => {
    await expect(runWorkbenchQuery(source(), 'drop table kpi_month')).rejects.toBeInstanceOf(RefusedQueryError);
    await expect(runWorkbenchQuery(source(), 'select nope from kpi_month')).rejects.toThrow(/nope/);
    const [{ n }] = (await engine.query('select count(*)::INTEGER as n from kpi_month', [])) as [{ n: number }];
    expect(n).toBe(12);
  });

  it('finds table names as words outside strings', () => {
    expect(referencedTables(`select * from KPI_MONTH join "customer" using (x) where a = 'kpi_month_x'`, ['kpi_month', 'customer', 'segment_month'])).toEqual(['kpi_month', 'customer']);
    expect(referencedTables(`select 'segment_month'`, ['segment_month'])).toEqual([]);
  });
});

describe('workbench access, history, saved queries, quick chart', () => {
  it('shows the workbench to roles with the permission, to everyone without sign-in, and to no one before the manifest', () => {
    const access = (permissions: string[]) => ({ access: { user: 'u', role: 'x', permissions, regions: null, withheld: [] } });
    expect(mayUseWorkbench(access(['extracts.aggregate', 'workbench']))).toBe(true);
    expect(mayUseWorkbench(access(['extracts.aggregate', 'extracts.customer']))).toBe(false);
    expect(mayUseWorkbench({})).toBe(true);
    expect(mayUseWorkbench(null)).toBe(false);
    expect(viewAllowed('overview', null)).toBe(true);
    expect(viewAllowed('workbench', access([]))).toBe(false);
  });

  it('keeps history newest first, each SQL once, bounded; saved queries round-trip through the URL form', () => {
    let h = addToHistory([], { sql: 'a', at: '1', rows: 1, ms: 1 });
    h = addToHistory(h, { sql: 'b', at: '2', rows: 1, ms: 1 });
    h = addToHistory(h, { sql: 'a', at: '3', rows: 2, ms: 1 });
    expect(h.map((x) => [x.sql, x.at])).toEqual([['a', '3'], ['b', '2']]);
    for (let i = 0; i < 50; i++) h = addToHistory(h, { sql: `q${i}`, at: String(i), rows: 0, ms: 0 });
    expect(h).toHaveLength(HISTORY_KEPT);
    const q = { name: '客户\tby segment', sql: 'select 1\n-- two lines\tand a tab' };
    expect(parseSaved(formatSaved(q))).toEqual({ name: '客户 by segment', sql: q.sql });
    expect(parseSaved('no tab')).toBeNull();
    expect(parseSaved('\tselect 1')).toBeNull();
    expect(mergeSaved([{ name: 'b', sql: 'old' }, { name: 'a', sql: 'x' }], [{ name: 'b', sql: 'new' }])).toEqual([{ name: 'a', sql: 'x' }, { name: 'b', sql: 'new' }]);
  });

  it('keeps the query run and the saved queries in the URL, and reads them back', () => {
    const state = { ...parseState(''), view: 'workbench' as const, sql: "select '云' as x\n-- a & b = c", savedQueries: [formatSaved({ name: 'n 1', sql: 'select 1' })] };
    const back = parseState(formatState(state));
    expect(back.view).toBe('workbench');
    expect(back.sql).toBe(state.sql);
    expect(back.savedQueries.map(parseSaved)).toEqual([{ name: 'n 1', sql: 'select 1' }]);
    expect(parseState('wsq=no-tab').savedQueries).toEqual([]);
  });

  it('charts the first label and numeric columns by default, dates as a line', async () => {
    const r = await runWorkbenchQuery(source(), 'select month, region, kwh from kpi_month order by month');
    const choice = defaultChoice(r.columns)!;
    expect(choice).toEqual({ label: 'month', value: 'kwh', kind: 'line' });
    const { rows, option } = quickChart(r, choice);
    expect(rows[1]).toEqual({ label: '2026-02-01', value: 1.5 });
    expect((option.series as { type: string }[])[0]!.type).toBe('line');
    expect(defaultChoice([{ key: 'a', label: 'a', type: 'text', duckType: null }])).toBeNull();
  });
});
