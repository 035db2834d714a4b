// The workbench's read-only statement check: what it lets through runs in a
// real DuckDB-WASM (the Node bundle the data layer's tests use) and leaves
// its tables as they were; what it refuses would have written, changed the
// session, run two statements or read a file or URL.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../dashboard/src/data/engine.ts';
import { columnTypeOfDuckDb } from '../../../dashboard/src/export/columns.ts';
import { checkReadOnly, describable } from '../../../dashboard/src/workbench/read-only.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

const ALLOWED = [
  'select * from kpi_month',
  '  SELECT 1',
  'select 1;',
  'select 1; ;  -- done',
  'with t as (select 1 as a) select * from t',
  'from kpi_month select month limit 3',
  'values (1, 2), (3, 4)',
  'describe kpi_month',
  'DESCRIBE select 1 as a',
  'show tables',
  'summarize kpi_month',
  'explain select * from kpi_month',
  '(select 1) union all (select 2)',
  "select 'drop table kpi_month; delete from x' as text",
  'select 1 as "update"',
  '-- drop table kpi_month\nselect 2',
  '/* insert into x */ select 3',
  "select replace('a-b', '-', '+') as r",
  "select * from kpi_month where region = 'from ''x.csv'''",
  'select 1 as load_factor, 2 as settlement, 3 as reset_count',
];

const REFUSED: [string, string][] = [
  ['drop table kpi_month', 'kind'],
  ['create or replace table kpi_month as select 1', 'kind'],
  ['insert into kpi_month select * from kpi_month', 'kind'],
  ['delete from kpi_month', 'kind'],
  ['attach \'x.db\'', 'kind'],
  ['pragma enable_profiling', 'kind'],
  ['set autoload_known_extensions = true', 'kind'],
  ['install parquet', 'kind'],
  ['copy kpi_month to \'x.csv\'', 'kind'],
  ['update kpi_month set kwh = 0', 'kind'],
  ['call pragma_version()', 'kind'],
  ['with t as (select 1) insert into kpi_month select * from t', 'keyword'],
  ['explain analyze delete from kpi_month', 'keyword'],
  ['select 1; drop table kpi_month', 'multiple'],
  ['select 1; select 2', 'multiple'],
  ["select * from read_csv('http://example.invalid/x.csv')", 'file'],
  ["select * from READ_PARQUET ('x.parquet')", 'file'],
  ["select * from 'https://example.invalid/data.csv'", 'file'],
  ["select * from kpi_month join 'x.parquet' using (month)", 'file'],
  ["summarize 'x.csv'", 'file'],
  ["select * from glob('*')", 'file'],
  ['', 'empty'],
  ['  -- nothing\n ; ', 'empty'],
];

let engine: Engine;
beforeAll(async () => {
  engine = await startNodeEngine();
  await engine.query(`create table kpi_month as select (date '2026-01-01' + to_months(i::INTEGER))::DATE as month, i * 1.5 as kwh, 'r' || i as region from range(12) t(i)`, []);
}, 120_000);

describe('workbench read-only check', () => {
  it('lets reading statements through, and each runs in DuckDB-WASM', async () => {
    for (const sql of ALLOWED) {
      const check = checkReadOnly(sql);
      expect(check, sql).toMatchObject({ ok: true });
      if (check.ok) await expect(engine.query(check.sql, []), sql).resolves.toBeInstanceOf(Array);
    }
  });

  it('refuses writing, session and multi-statement input and reading files or URLs, saying why', () => {
    for (const [sql, reason] of REFUSED) expect(checkReadOnly(sql), sql).toMatchObject({ ok: false, reason });
    expect(checkReadOnly('drop table kpi_month')).toEqual({ ok: false, reason: 'kind', word: 'drop' });
    expect(checkReadOnly('with t as (select 1) insert into x select 1')).toEqual({ ok: false, reason: 'keyword', word: 'insert' });
  });

  it('cuts a trailing semicolon, so DuckDB gets exactly one statement', () => {
    expect(checkReadOnly('select 1 ;  ')).toEqual({ ok: true, sql: 'select 1' });
    expect(checkReadOnly("select ';' as s; -- end")).toEqual({ ok: true, sql: "select ';' as s" });
  });

  it('the table the views read is still there and unchanged after every allowed statement', async () => {
    const [r] = await engine.query('select count(*)::INTEGER as n, sum(kwh) as s from kpi_month', []);
    expect(r).toEqual({ n: 12, s: 99 });
  });

  it('knows which statements DESCRIBE can type', async () => {
    expect(describable('select 1')).toBe(true);
    expect(describable(' (with t as (select 1) select * from t)')).toBe(true);
    expect(describable('show tables')).toBe(false);
    expect(describable('summarize kpi_month')).toBe(false);
    const types = await engine.query('describe select month, kwh, region from kpi_month', []);
    expect(types.map((t) => columnTypeOfDuckDb(String(t.column_type)))).toEqual(['date', 'number', 'text']);
  });
});
