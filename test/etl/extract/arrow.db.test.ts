// Query → Arrow IPC stream: types, nulls, batches with dictionary deltas, the
// int8 fallback, refusals; read back with apache-arrow (and DuckDB-WASM when
// installed). Read-only queries on the run's database, each in a transaction.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MessageHeader, MessageReader, tableFromIPC, Type } from 'apache-arrow';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dateToDays, ExtractTypeError } from '../../../etl/extract/arrow-columns.ts';
import { writeQueryToArrowFile, type WriteArrowOptions } from '../../../etl/extract/arrow.ts';
import { testDatabaseUrl } from '../../helpers/db.ts';
import { queryWithDuckDB } from './duckdb.ts';

let client: pg.Client;
let dir: string;
beforeAll(async () => {
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-arrow-'));
});
afterAll(async () => {
  await client.end();
  await fs.rm(dir, { recursive: true, force: true });
});

let n = 0;
async function write(sql: string, options: WriteArrowOptions = {}) {
  const file = path.join(dir, `t${++n}.arrow`);
  await client.query('begin isolation level repeatable read, read only');
  try {
    const result = await writeQueryToArrowFile(client, sql, file, options);
    return { result, file, bytes: new Uint8Array(await fs.readFile(file)) };
  } finally {
    await client.query('rollback');
  }
}

/** Message kinds of an IPC stream, e.g. ['schema', 'dict', 'batch', 'delta', 'batch']. */
function messages(bytes: Uint8Array): string[] {
  const reader = new MessageReader(bytes);
  const kinds: string[] = [];
  for (const m of reader) {
    if (m.headerType === MessageHeader.Schema) kinds.push('schema');
    else if (m.isDictionaryBatch()) kinds.push(m.header().isDelta ? 'delta' : 'dict');
    else if (m.headerType === MessageHeader.RecordBatch) kinds.push('batch');
    if (m.bodyLength > 0) reader.readMessageBody(m.bodyLength);
  }
  return kinds;
}

const ALL_TYPES = `
  select x::int4 as i4, x::int2 as i2, count(*) over (partition by x % 2) as n8,
         case when x = 3 then null else (x * 1.25)::numeric(14, 2) end as money,
         (x / 4.0)::float8 as ratio, x::float4 as f4,
         case when x % 3 = 0 then null else 'seg-' || (x % 4) end as txt,
         ('class ' || (x % 2))::varchar(12) as vc,
         case when x = 5 then null else date '2026-01-30' + x end as d,
         case when x = 7 then null else x % 2 = 0 end as b
    from generate_series(1, 8) x order by x`;

describe('writeQueryToArrowFile', () => {
  it('maps PostgreSQL types to Float64, Int32, Dictionary<Utf8, Int32>, DateDay and Bool, keeping nulls', async () => {
    const { result, bytes } = await write(ALL_TYPES, { batchRows: 3 });
    expect(result.rows).toBe(8);
    expect(result.columns.map((c) => [c.name, c.type])).toEqual([
      ['i4', 'int32'], ['i2', 'int32'], ['n8', 'int32'], ['money', 'float64'], ['ratio', 'float64'], ['f4', 'float64'],
      ['txt', 'dictionary<int32,utf8>'], ['vc', 'dictionary<int32,utf8>'], ['d', 'date32[day]'], ['b', 'bool'],
    ]);
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(8);
    const typeIds = Object.fromEntries(table.schema.fields.map((f) => [f.name, f.type.typeId]));
    expect(typeIds).toEqual({
      i4: Type.Int, i2: Type.Int, n8: Type.Int, money: Type.Float, ratio: Type.Float, f4: Type.Float,
      txt: Type.Dictionary, vc: Type.Dictionary, d: Type.Date, b: Type.Bool,
    });
    const txt = table.schema.fields.find((f) => f.name === 'txt')!.type;
    expect(String(txt)).toBe('Dictionary<Int32, Utf8>');
    expect(String(table.schema.fields.find((f) => f.name === 'd')!.type)).toBe('Date32<DAY>');
    expect(String(table.schema.fields.find((f) => f.name === 'i4')!.type)).toBe('Int32');
    expect(String(table.schema.fields.find((f) => f.name === 'money')!.type)).toBe('Float64');

    const col = (name: string) => [...table.getChild(name)!];
    expect(col('i4')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(col('i2')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(col('n8')).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(col('money')).toEqual([1.25, 2.5, null, 5, 6.25, 7.5, 8.75, 10]);
    expect(col('ratio')).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(col('txt')).toEqual(['seg-1', 'seg-2', null, 'seg-0', 'seg-1', null, 'seg-3', 'seg-0']);
    expect(col('vc')).toEqual(['class 1', 'class 0', 'class 1', 'class 0', 'class 1', 'class 0', 'class 1', 'class 0']);
    const day = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
    expect(col('d')).toEqual(['2026-01-31', '2026-02-01', '2026-02-02', '2026-02-03', null, '2026-02-05', '2026-02-06', '2026-02-07'].map((s) => (s ? day(s) : null)));
    expect(col('b')).toEqual([false, true, false, true, false, true, null, true]);
    expect(result.trueCounts).toEqual({ b: 4 });
  });

  it('streams one record batch per FETCH; text dictionaries grow by deltas', async () => {
    const { bytes } = await write(ALL_TYPES, { batchRows: 3 });
    // 2 text columns: both get a first dictionary; txt adds 'seg-3'/'seg-0' later as deltas, vc adds nothing.
    expect(messages(bytes)).toEqual(['schema', 'dict', 'dict', 'batch', 'delta', 'batch', 'delta', 'batch']);
  });

  it('writes the file it reports: bytes and sha256', async () => {
    const { result, bytes } = await write(ALL_TYPES);
    expect(result.bytes).toBe(bytes.byteLength);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('writes a typed, empty table for a result without rows', async () => {
    const { result, bytes } = await write(`select 1::int4 as a, 'x'::text as t, current_date as d where false`);
    expect(result.rows).toBe(0);
    const table = tableFromIPC(bytes);
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Int32', 'Dictionary<Int32, Utf8>', 'Date32<DAY>']);
  });

  it('keeps int8 as Int32 while it fits and restarts the file with Float64 when a value does not', async () => {
    const { result, bytes } = await write(
      `select x::int8 as small, case when x = 7 then 3000000000 else x end::int8 as big from generate_series(1, 8) x order by x`,
      { batchRows: 2 },
    );
    expect(result.columns.map((c) => c.type)).toEqual(['int32', 'float64']);
    const table = tableFromIPC(bytes);
    expect([...table.getChild('big')!]).toEqual([1, 2, 3, 4, 5, 6, 3_000_000_000, 8]);
    expect(String(table.schema.fields[0]!.type)).toBe('Int32');
    expect(result.rows).toBe(8);
  });

  it('carries NaN and infinities of float columns', async () => {
    const { bytes } = await write(`select v from (values ('NaN'::float8), ('Infinity'), ('-Infinity'), ('NaN'::numeric::float8)) t(v)`);
    expect([...tableFromIPC(bytes).getChild('v')!]).toEqual([NaN, Infinity, -Infinity, NaN]);
  });

  it('refuses a type the dashboard should not get, naming the column and what to do', async () => {
    await expect(write(`select now() as opened_at`)).rejects.toThrow(ExtractTypeError);
    await expect(write(`select now() as opened_at`)).rejects.toThrow(/"opened_at" has type timestamptz.*cast it in the mart's SQL/);
    await expect(write(`select 'infinity'::date as d`)).rejects.toThrow(/"d" holds the date "infinity"/);
  });

  it('converts dates outside 1970–2099 exactly', () => {
    expect(dateToDays('1970-01-01')).toBe(0);
    expect(dateToDays('1969-12-31')).toBe(-1);
    expect(dateToDays('0050-03-01')).toBe(Math.round(Date.parse('0050-03-01T00:00:00Z') / 86_400_000));
    expect(dateToDays('2400-02-29')).toBe(Date.UTC(2400, 1, 29) / 86_400_000);
  });

  it('is read by DuckDB-WASM with the intended types (IPC stream, dictionary deltas, nulls)', async () => {
    const { bytes } = await write(ALL_TYPES, { batchRows: 3 });
    const { bytes: empty } = await write(`select 1::int4 as a, 'x'::text as t where false`);
    const types = await queryWithDuckDB(
      { t: bytes, e: empty },
      `select table_name, column_name, data_type from information_schema.columns where table_name in ('t', 'e') order by table_name, ordinal_position`,
    );
    expect(types.map((r) => `${r.table_name}.${r.column_name} ${r.data_type}`)).toEqual([
      'e.a INTEGER', 'e.t VARCHAR',
      't.i4 INTEGER', 't.i2 INTEGER', 't.n8 INTEGER', 't.money DOUBLE', 't.ratio DOUBLE', 't.f4 DOUBLE',
      't.txt VARCHAR', 't.vc VARCHAR', 't.d DATE', 't.b BOOLEAN',
    ]);
    const rows = await queryWithDuckDB(
      { t: bytes },
      `select txt, count(*)::int as n, sum(money)::double as money, max(d)::varchar as d, count(b)::int as b from t group by txt order by txt nulls last`,
    );
    expect(rows).toEqual([
      { txt: 'seg-0', n: 2, money: 15, d: '2026-02-07', b: 2 },
      { txt: 'seg-1', n: 2, money: 7.5, d: '2026-01-31', b: 2 },
      { txt: 'seg-2', n: 1, money: 2.5, d: '2026-02-01', b: 1 },
      { txt: 'seg-3', n: 1, money: 8.75, d: '2026-02-06', b: 0 },
      { txt: null, n: 2, money: 7.5, d: '2026-02-05', b: 2 },
    ]);
  });
});
