// Parquet export: files written by dashboard/src/export/parquet.ts (the pure
// JavaScript writer the browser uses) are read back by DuckDB's native engine
// for Node (@duckdb/node-api, parquet built in) — an independent, real reader —
// and must give the same rows, values and column types.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportColumn } from '../../../dashboard/src/export/columns.ts';
import { toParquet } from '../../../dashboard/src/export/parquet.ts';
import { TMP } from '../../helpers/generated.ts';

const DIR = join(TMP, `parquet-export-${process.pid}`);
let conn: DuckDBConnection;

beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  conn = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const META = { title: '分析 =1+1', filters: [['区域', '云岭县']] as [string, string][], dataAsOf: '2026-06-30', exportedAt: new Date('2026-07-01T08:30:15.000Z') };

let n = 0;
async function roundTrip(columns: ExportColumn[], rows: object[]) {
  const bytes = await toParquet(columns, rows, META);
  expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('PAR1');
  const file = join(DIR, `t${n++}.parquet`);
  writeFileSync(file, bytes);
  const read = await conn.runAndReadAll(`select * from read_parquet('${file}')`);
  const described = await conn.runAndReadAll(`describe select * from read_parquet('${file}')`);
  return {
    file,
    rows: read.getRowObjectsJS(),
    types: Object.fromEntries(described.getRowObjectsJS().map((r) => [r.column_name, r.column_type])),
  };
}

describe('parquet export read back by native DuckDB', () => {
  it('keeps rows, values and types: integers, doubles, Chinese text, dates, timestamps, booleans, nulls', async () => {
    const columns: ExportColumn[] = [
      { key: 'customer_key', label: 'Key', type: 'integer' },
      { key: 'region', label: '区域', type: 'text' },
      { key: 'kwh', label: 'kWh', type: 'number' },
      { key: 'month', label: 'Month', type: 'date' },
      { key: 'at', label: 'At', type: 'timestamp' },
      { key: 'green', label: 'Green', type: 'boolean' },
    ];
    const rows = [
      // DuckDB-WASM's shapes: counts as doubles or BigInt, dates and timestamps as epoch ms.
      { customer_key: 9007199254740991, region: '云岭县', kwh: 1234.5678, month: Date.UTC(2026, 0, 1), at: Date.UTC(2026, 0, 5, 10, 11, 12), green: true },
      { customer_key: -42n, region: '=HYPERLINK("x")', kwh: -0.1, month: '2025-12-01', at: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 123)), green: false },
      { customer_key: null, region: null, kwh: null, month: null, at: null, green: null },
      { customer_key: 0, region: '', kwh: 1e-300, month: Date.UTC(1969, 11, 31), at: 0, green: true },
    ];
    const { rows: back, types } = await roundTrip(columns, rows);
    expect(types).toEqual({ customer_key: 'BIGINT', region: 'VARCHAR', kwh: 'DOUBLE', month: 'DATE', at: 'TIMESTAMP', green: 'BOOLEAN' });
    expect(back).toEqual([
      { customer_key: 9007199254740991n, region: '云岭县', kwh: 1234.5678, month: new Date(Date.UTC(2026, 0, 1)), at: new Date(Date.UTC(2026, 0, 5, 10, 11, 12)), green: true },
      // Text exactly as it was: Parquet is not opened by spreadsheets, nothing is neutralised.
      { customer_key: -42n, region: '=HYPERLINK("x")', kwh: -0.1, month: new Date(Date.UTC(2025, 11, 1)), at: new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 123)), green: false },
      { customer_key: null, region: null, kwh: null, month: null, at: null, green: null },
      { customer_key: 0n, region: '', kwh: 1e-300, month: new Date(Date.UTC(1969, 11, 31)), at: new Date(0), green: true },
    ]);
  });

  it('infers types when none are given, and writes an integer column with fractions as DOUBLE instead of rounding', async () => {
    const { rows: back, types } = await roundTrip(
      [{ key: 'a', label: 'A' }, { key: 'b', label: 'B' }, { key: 'c', label: 'C' }, { key: 'd', label: 'D', type: 'integer' }],
      [{ a: 1, b: 1.5, c: 'x', d: 2.5 }, { a: 2, b: 2, c: null, d: 3 }],
    );
    expect(types).toEqual({ a: 'BIGINT', b: 'DOUBLE', c: 'VARCHAR', d: 'DOUBLE' });
    expect(back).toEqual([{ a: 1n, b: 1.5, c: 'x', d: 2.5 }, { a: 2n, b: 2, c: null, d: 3 }]);
  });

  it('writes an empty table with its typed columns, and many rows (several row groups)', async () => {
    const empty = await roundTrip([{ key: 'k', label: 'K', type: 'integer' }, { key: 's', label: 'S', type: 'text' }], []);
    expect(empty.rows).toEqual([]);
    expect(empty.types).toEqual({ k: 'BIGINT', s: 'VARCHAR' });

    const many = Array.from({ length: 25_000 }, (_, i) => ({ i, v: i / 7, s: `客户${i % 97}`, d: Date.UTC(2020, 0, 1 + (i % 1000)) }));
    const { file } = await roundTrip([{ key: 'i', label: 'i', type: 'integer' }, { key: 'v', label: 'v', type: 'number' }, { key: 's', label: 's', type: 'text' }, { key: 'd', label: 'd', type: 'date' }], many);
    // Compared inside DuckDB against the same rows generated in SQL.
    const diff = await conn.runAndReadAll(`
      with expected as (select i::BIGINT as i, i / 7 as v, '客户' || (i % 97) as s, (date '2020-01-01' + (i % 1000)::INTEGER)::DATE as d from range(25000) t(i))
      select (select count(*) from read_parquet('${file}'))::INTEGER as n,
             (select count(*) from (select * from read_parquet('${file}') except all select * from expected))::INTEGER as extra,
             (select count(*) from (select * from expected except all select * from read_parquet('${file}')))::INTEGER as missing`);
    expect(diff.getRowObjectsJS()).toEqual([{ n: 25_000, extra: 0, missing: 0 }]);
  });

  it('carries title, filters, data as-of, export time and column labels as key-value metadata', async () => {
    const { file } = await roundTrip([{ key: 'a', label: '标签 A', type: 'integer' }], [{ a: 1 }]);
    const kv = await conn.runAndReadAll(`select decode(key) as k, decode(value) as v from parquet_kv_metadata('${file}')`);
    const meta = Object.fromEntries(kv.getRowObjectsJS().map((r) => [r.k, r.v]));
    expect(meta['gridlens.title']).toBe(META.title);
    expect(JSON.parse(String(meta['gridlens.filters']))).toEqual(META.filters);
    expect(meta['gridlens.data_as_of']).toBe('2026-06-30');
    expect(meta['gridlens.exported_at']).toBe('2026-07-01T08:30:15.000Z');
    expect(JSON.parse(String(meta['gridlens.column_labels']))).toEqual({ a: '标签 A' });
  });

  it('makes repeated column names unique', async () => {
    const { types } = await roundTrip([{ key: 'x', label: 'x', type: 'integer' }, { key: 'x', label: 'x again', type: 'integer' }], [{ x: 1 }]);
    expect(Object.keys(types)).toEqual(['x', 'x_1']);
  });
});
