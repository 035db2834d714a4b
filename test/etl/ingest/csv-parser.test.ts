import { describe, expect, it } from 'vitest';
import { CsvParser, type CsvParserOptions, type CsvRecord, parseCsv } from '../../../etl/ingest/csv-parser.ts';

/** Parse `chunks` in order with one parser. */
function parseChunks(chunks: readonly string[], options?: CsvParserOptions): CsvRecord[] {
  const parser = new CsvParser(options);
  const out: CsvRecord[] = [];
  for (const chunk of chunks) out.push(...parser.push(chunk));
  out.push(...parser.end());
  return out;
}

const parse = (text: string, options?: CsvParserOptions) => parseChunks([text], options);

/** Asserts that splitting `text` anywhere (two and three chunks, and one character at a time) changes nothing. */
function expectSplitInvariant(text: string, options?: CsvParserOptions, threeWay = true): CsvRecord[] {
  const whole = parse(text, options);
  for (let i = 0; i <= text.length; i++) {
    expect(parseChunks([text.slice(0, i), text.slice(i)], options), `split at ${i}`).toEqual(whole);
    if (!threeWay) continue;
    for (let j = i; j <= text.length; j++) {
      expect(parseChunks([text.slice(0, i), text.slice(i, j), text.slice(j)], options), `split at ${i}, ${j}`).toEqual(whole);
    }
  }
  expect(parseChunks([...text], options), 'one character per chunk').toEqual(whole);
  return whole;
}

const ok = (line: number, raw: string, fields: string[]): CsvRecord => ({ fields, line, raw, error: null });

describe('CsvParser on tricky input', () => {
  const tricky =
    '\ufeffid,text,n\r\n' + // BOM, CRLF
    '1,"multi\r\nline, with ""quotes""",3\r\n' + // quoted CRLF, comma and escaped quotes
    '2,,\n' + // empty fields, LF
    '\r\n' + // blank line (skipped, still counted)
    '3,"",""\n' + // empty quoted fields
    '4,12" pipe,a\rb\n' + // bare quote and lone CR in unquoted fields are data
    '5,"x\ny\nz",9\n' + // several embedded newlines
    '6,last,row'; // no final newline

  const expected = [
    ok(1, 'id,text,n', ['id', 'text', 'n']),
    ok(2, '1,"multi\r\nline, with ""quotes""",3', ['1', 'multi\r\nline, with "quotes"', '3']),
    ok(4, '2,,', ['2', '', '']),
    ok(6, '3,"",""', ['3', '', '']),
    ok(7, '4,12" pipe,a\rb', ['4', '12" pipe', 'a\rb']),
    ok(8, '5,"x\ny\nz",9', ['5', 'x\ny\nz', '9']),
    ok(11, '6,last,row', ['6', 'last', 'row']),
  ];

  it('parses fields, physical line numbers and raw text', () => {
    expect(parse(tricky)).toEqual(expected);
  });

  it('gives identical output for every way of splitting the input into chunks', () => {
    expect(expectSplitInvariant(tricky)).toEqual(expected);
  });
});

describe('CsvParser line endings and edges', () => {
  it.each([
    ['a,b\n', [ok(1, 'a,b', ['a', 'b'])]],
    ['a,b', [ok(1, 'a,b', ['a', 'b'])]],
    ['a,b\r\n', [ok(1, 'a,b', ['a', 'b'])]],
    ['a,b\r', [ok(1, 'a,b', ['a', 'b'])]],
    ['a,"b"\r\n', [ok(1, 'a,"b"', ['a', 'b'])]],
    ['a,"b"\r', [ok(1, 'a,"b"', ['a', 'b'])]],
    ['a,"b"', [ok(1, 'a,"b"', ['a', 'b'])]],
    ['a,', [ok(1, 'a,', ['a', ''])]],
    ['"a\nb"', [ok(1, '"a\nb"', ['a\nb'])]],
    ['""', [ok(1, '""', [''])]],
    ['""""', [ok(1, '""""', ['"'])]],
    ['x\n\n\ny\n', [ok(1, 'x', ['x']), ok(4, 'y', ['y'])]],
    ['', []],
    ['\ufeff', []],
    ['\n\r\n\n', []],
    ['\ufeffa\n', [ok(1, 'a', ['a'])]],
  ])('%j', (text, records) => {
    expect(expectSplitInvariant(text)).toEqual(records);
  });

  it('strips a BOM only at the very start', () => {
    expect(parse('a\n\ufeffb\n')).toEqual([ok(1, 'a', ['a']), ok(2, '\ufeffb', ['\ufeffb'])]);
  });
});

describe('CsvParser errors (reported as records, never thrown)', () => {
  it('an unclosed quote at the end of input is unbalanced_quote; the lines after it are parsed again', () => {
    const records = expectSplitInvariant('h1,h2\n1,"open\n2,b\n3,c\n');
    expect(records).toEqual([
      ok(1, 'h1,h2', ['h1', 'h2']),
      { fields: [], line: 2, raw: '1,"open', error: { code: 'unbalanced_quote', message: 'a quoted field is never closed (unbalanced quote)' } },
      ok(3, '2,b', ['2', 'b']),
      ok(4, '3,c', ['3', 'c']),
    ]);
  });

  it('an unclosed quote on the last line without newline', () => {
    expect(expectSplitInvariant('h\n"abc')).toEqual([ok(1, 'h', ['h']), { fields: [], line: 2, raw: '"abc', error: expect.objectContaining({ code: 'unbalanced_quote' }) }]);
  });

  it('text after a closing quote is unbalanced_quote for that line only', () => {
    const records = expectSplitInvariant('1,"ab"c,d\r\n2,e,f\n');
    expect(records).toEqual([
      {
        fields: [],
        line: 1,
        raw: '1,"ab"c,d',
        error: { code: 'unbalanced_quote', message: 'unexpected text after a closing quote (a quote inside a quoted value must be doubled: "")' },
      },
      ok(2, '2,e,f', ['2', 'e', 'f']),
    ]);
  });

  it('a stray quote that pairs with a later one costs its own line, not the file', () => {
    const records = expectSplitInvariant('1,"x\n2,"y"\n3,z\n');
    expect(records.map((r) => [r.line, r.error?.code ?? null, r.fields])).toEqual([
      [1, 'unbalanced_quote', []],
      [2, null, ['2', 'y']],
      [3, null, ['3', 'z']],
    ]);
  });

  it('a quoted field over the cap is text_too_long; parsing resumes on the next line', () => {
    const records = expectSplitInvariant('1,"0123456789AB\nrest",2\n3,4\n', { maxFieldLength: 10 }, false);
    expect(records).toEqual([
      { fields: [], line: 1, raw: '1,"0123456789AB', error: { code: 'text_too_long', message: 'a field is longer than 10 characters' } },
      // The rest of the runaway "field" is read as its own line (a bare quote in an unquoted field is data).
      ok(2, 'rest",2', ['rest"', '2']),
      ok(3, '3,4', ['3', '4']),
    ]);
  });

  it('an unquoted field over the cap is text_too_long; the rest of its line is skipped', () => {
    const records = expectSplitInvariant('1,0123456789AB,x\n3,4\n', { maxFieldLength: 10 }, false);
    expect(records).toEqual([
      { fields: [], line: 1, raw: '1,0123456789AB,x', error: { code: 'text_too_long', message: 'a field is longer than 10 characters' } },
      ok(2, '3,4', ['3', '4']),
    ]);
  });

  it('fields at the cap are fine', () => {
    expect(parse('0123456789,"0123456789"\n', { maxFieldLength: 10 })).toEqual([ok(1, '0123456789,"0123456789"', ['0123456789', '0123456789'])]);
  });

  it('a record over maxRecordLength is text_too_long (checked at chunk ends)', () => {
    const long = Array.from({ length: 50 }, () => 'abcdefgh').join(',');
    const records = parseChunks([long.slice(0, 200), long.slice(200) + '\nok\n'], { maxFieldLength: 10, maxRecordLength: 100 });
    expect(records.map((r) => [r.line, r.error?.code ?? null])).toEqual([
      [1, 'text_too_long'],
      [2, null],
    ]);
  });

  it('does not keep unbounded memory for a runaway unquoted field', () => {
    const parser = new CsvParser({ maxFieldLength: 1000 });
    const chunk = 'x'.repeat(100_000);
    for (let i = 0; i < 100; i++) expect(parser.push(chunk)).toEqual([]);
    const [record, after] = [...parser.push('\nnext\n'), ...parser.end()];
    expect(record.error?.code).toBe('text_too_long');
    expect(record.raw.length).toBeLessThanOrEqual(64 * 1024);
    expect(after).toEqual(ok(2, 'next', ['next']));
  });
});

describe('CsvParser round trip', () => {
  // Deterministic pseudo-random fields full of delimiters, quotes and line ends.
  function* random(seed: number) {
    let state = seed;
    for (;;) {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      yield state / 2 ** 31;
    }
  }

  it('parses back what an RFC 4180 writer wrote, at random chunk sizes', () => {
    const rng = random(42);
    const next = () => rng.next().value as number;
    const alphabet = ['a', 'b', ',', '"', '\n', '\r\n', ' ', '中', '\r'];
    const rows: string[][] = [];
    for (let r = 0; r < 400; r++) {
      const width = 1 + Math.floor(next() * 5);
      rows.push(Array.from({ length: width }, () => Array.from({ length: Math.floor(next() * 8) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('')));
    }
    // Rows made of one empty field would be blank lines (skipped): give them content.
    for (const row of rows) if (row.length === 1 && row[0] === '') row[0] = 'a';
    const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    const text = rows.map((row) => row.map(quote).join(',')).join('\r\n');

    const chunks: string[] = [];
    for (let at = 0; at < text.length; ) {
      const size = 1 + Math.floor(next() * 40);
      chunks.push(text.slice(at, at + size));
      at += size;
    }
    const records = parseChunks(chunks);
    expect(records.map((r) => r.fields)).toEqual(rows);
    expect(records.every((r) => r.error === null)).toBe(true);
    // Line numbers count the physical lines before each record.
    let line = 1;
    records.forEach((record, i) => {
      expect(record.line).toBe(line);
      line += (record.raw.match(/\n/g)?.length ?? 0) + 1;
      expect(record.raw).toBe(rows[i].map(quote).join(','));
    });
  });
});

describe('parseCsv', () => {
  it('streams records from async text chunks', async () => {
    async function* chunks() {
      yield 'a,b\n1,"x';
      yield 'y"\n2,z';
    }
    const records: CsvRecord[] = [];
    for await (const record of parseCsv(chunks())) records.push(record);
    expect(records).toEqual([ok(1, 'a,b', ['a', 'b']), ok(2, '1,"xy"', ['1', 'xy']), ok(3, '2,z', ['2', 'z'])]);
  });
});

describe('line hook', () => {
  it('offers whole lines at record starts, in file order with the parsed records, and keeps line numbers', () => {
    const text = 'h1,h2\nF,1\n"q\nuoted",2\nF,3\r\nbad"x,4\nF,5\n\nlast,6';
    for (const size of [1, 3, 7, 1000]) {
      const parser = new CsvParser();
      const seen: string[] = [];
      let line = 0;
      parser.setLineHook({
        line: (t, from, to) => {
          const s = t.slice(from, to);
          if (!s.startsWith('F')) return false;
          seen.push(`hook ${s}`);
          return true;
        },
        records: (records) => seen.push(...records.map((r) => `record ${r.line} ${r.error?.code ?? r.fields.join('|')}`)),
      });
      for (let at = 0; at < text.length; at += size) {
        for (const r of parser.push(text.slice(at, at + size))) seen.push(`record ${r.line} ${r.error?.code ?? r.fields.join('|')}`);
        line++;
      }
      for (const r of parser.end()) seen.push(`record ${r.line} ${r.error?.code ?? r.fields.join('|')}`);
      // A hooked line stands where its record would have been, with the same line number.
      const asRecord: Record<string, string> = { 'hook F,1': 'record 2 F|1', 'hook F,3': 'record 5 F|3', 'hook F,5': 'record 7 F|5' };
      expect(seen.map((s) => asRecord[s] ?? s), `chunk ${size}`).toEqual([
        'record 1 h1|h2', 'record 2 F|1', 'record 3 q\nuoted|2', 'record 5 F|3', 'record 6 bad"x|4', 'record 7 F|5', 'record 9 last|6',
      ]);
      // No line is ever whole inside a 1- or 3-character chunk; in one big chunk every F line is.
      const hooks = seen.filter((s) => s.startsWith('hook')).length;
      if (size <= 3) expect(hooks).toBe(0);
      if (size === 1000) expect(hooks).toBe(3);
      expect(line).toBeGreaterThan(0);
    }
  });
});
