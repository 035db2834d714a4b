// The one export entry point: the CSV of a chart's data is byte for byte what
// toCsv wrote before (existing behaviour kept), DuckDB's shapes (epoch-ms
// dates, BigInt, nested values) become readable cells in every format, and
// each file comes with its name and MIME type.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnTypeOfDuckDb, inferColumnType, plainText } from '../../../dashboard/src/export/columns.ts';
import { toCsv } from '../../../dashboard/src/export/csv.ts';
import { filterPairs } from '../../../dashboard/src/export/export-meta.ts';
import { exportTable } from '../../../dashboard/src/export/table-export.ts';
import { makeI18n } from '../../../dashboard/src/i18n/i18n.tsx';
import { parseState } from '../../../dashboard/src/state/url-state.ts';

const META = { title: '月度 用电', filters: [] as [string, string][], dataAsOf: '2026-10-31', exportedAt: new Date('2026-11-01T00:00:00Z') };

describe('exportTable', () => {
  it('CSV: the same bytes as toCsv for chart data (text, numbers, ISO months), with name and MIME', async () => {
    const columns = [{ key: 'month', label: 'Month' }, { key: 'region', label: '区域' }, { key: 'kwh', label: 'kWh' }];
    const rows = [{ month: '2026-01-01', region: '=evil', kwh: 12.5 }, { month: '2026-02-01', region: '云岭县', kwh: null }, { month: '2026-03-01', region: 'x', kwh: 7n }];
    const file = await exportTable('csv', columns, rows, META);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(file.bytes)).toBe(toCsv(columns, rows));
    expect([...file.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.fileName).toBe('gridlens-月度-用电.csv');
    expect(file.mime).toBe('text/csv;charset=utf-8');
  });

  it('CSV: DuckDB dates and timestamps (epoch ms) as text, nested values as JSON', async () => {
    const file = await exportTable('csv', [
      { key: 'd', label: 'd', type: 'date' }, { key: 'ts', label: 'ts', type: 'timestamp' }, { key: 'l', label: 'l' },
    ], [{ d: Date.UTC(2026, 9, 31), ts: Date.UTC(2026, 9, 31, 13, 5, 0, 250), l: { toJSON: () => [1, 2n] } }], META);
    expect(new TextDecoder().decode(file.bytes)).toBe('d,ts,l\r\n2026-10-31,2026-10-31 13:05:00.250,"[1,2]"\r\n');
  });

  it('XLSX: timestamps as dates with a time, booleans as booleans, typed by the columns', async () => {
    const file = await exportTable('xlsx', [
      { key: 'ts', label: 'ts', type: 'timestamp' }, { key: 'b', label: 'b', type: 'boolean' }, { key: 'n', label: 'n', type: 'integer' },
    ], [{ ts: Date.UTC(2026, 0, 2, 3, 4, 5), b: true, n: 3 }], META);
    expect(file.fileName).toMatch(/\.xlsx$/);
    expect(file.mime).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.bytes.buffer.slice(file.bytes.byteOffset, file.bytes.byteOffset + file.bytes.byteLength) as ArrayBuffer);
    const row = wb.worksheets[0]!.getRow(2);
    expect((row.values as unknown[]).slice(1)).toEqual([new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), true, 3]);
    expect(row.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
  });

  it('Parquet: a PAR1 file with its name and MIME', async () => {
    const file = await exportTable('parquet', [{ key: 'a', label: 'A' }], [{ a: 1 }], META);
    expect(new TextDecoder().decode(file.bytes.slice(0, 4))).toBe('PAR1');
    expect(new TextDecoder().decode(file.bytes.slice(-4))).toBe('PAR1');
    expect(file.fileName).toBe('gridlens-月度-用电.parquet');
    expect(file.mime).toBe('application/vnd.apache.parquet');
  });
});

describe('export column types', () => {
  it('maps DuckDB type names', () => {
    expect(['INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT'].map(columnTypeOfDuckDb)).toEqual(['integer', 'integer', 'integer', 'integer']);
    expect(['DOUBLE', 'FLOAT', 'DECIMAL(18,3)'].map(columnTypeOfDuckDb)).toEqual(['number', 'number', 'number']);
    expect(['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'BOOLEAN', 'VARCHAR', 'INTEGER[]', 'STRUCT(a INTEGER)'].map(columnTypeOfDuckDb))
      .toEqual(['date', 'timestamp', 'timestamp', 'boolean', 'text', 'text', 'text']);
  });

  it('infers from values: integers, mixed numbers, ISO days, text', () => {
    expect(inferColumnType([1, null, 2n])).toBe('integer');
    expect(inferColumnType([1, 2.5])).toBe('number');
    expect(inferColumnType(['2026-01-01', null])).toBe('date');
    expect(inferColumnType(['2026-01-01', 'x'])).toBe('text');
    expect(inferColumnType([1, 'x'])).toBe('text');
    expect(inferColumnType([null])).toBe('text');
  });

  it('writes plain text: dates in UTC (DuckDB DATE is midnight UTC), null empty', () => {
    expect(plainText(Date.UTC(1969, 11, 31), 'date')).toBe('1969-12-31');
    expect(plainText(null, 'number')).toBe('');
    expect(plainText(-0.25, 'number')).toBe('-0.25');
  });
});

describe('export metadata: the filters of the screen, in words', () => {
  it('names the period (default from the as-of date), comparison, dimension filters and drill path', () => {
    const en = makeI18n('en');
    expect(filterPairs(parseState('view=segments&seg=residential&reg=r1&reg=r2&drill=residential&cmp=year'), '2026-10-31', en)).toEqual([
      ['Period', en.month('2026-10')],
      ['Compare with', 'Same period last year'],
      ['Segment', en.code('residential')],
      ['Region', 'r1, r2'],
      ['Drill path', en.code('residential')],
    ]);
    const zh = makeI18n('zh-CN');
    expect(filterPairs(parseState('from=2026-01&to=2026-03'), null, zh)[0]).toEqual(['期间', `${zh.month('2026-01')} – ${zh.month('2026-03')}`]);
  });
});
