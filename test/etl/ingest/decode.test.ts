import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { USAGE } from '../../../etl/contract/entities.ts';
import { mapHeader } from '../../../etl/contract/header.ts';
import { FileRejection } from '../../../etl/contract/reasons.ts';
import { makeRowValidator } from '../../../etl/contract/validate-row.ts';
import { CsvParser } from '../../../etl/ingest/csv-parser.ts';
import { CsvDecoder, DECISION_WINDOW, decodeCsv } from '../../../etl/ingest/decode.ts';

function decodeChunks(chunks: readonly Uint8Array[]): { text: string; decoder: CsvDecoder } {
  const decoder = new CsvDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.write(chunk);
  text += decoder.end();
  return { text, decoder };
}

/** Decoding split at every byte offset gives the same text and encoding as decoding whole. */
function expectSplitInvariant(bytes: Uint8Array): { text: string; decoder: CsvDecoder } {
  const whole = decodeChunks([bytes]);
  for (let i = 0; i <= bytes.length; i++) {
    const split = decodeChunks([bytes.subarray(0, i), bytes.subarray(i)]);
    expect(split.text, `split at ${i}`).toBe(whole.text);
    expect(split.decoder.encoding, `split at ${i}`).toBe(whole.decoder.encoding);
  }
  return whole;
}

const CHINESE_CSV = 'customer_id,name,customer_class,region,tariff,opened_on\r\nC1,张三,居民生活,城东供电所,阶梯,2019-05-01\r\nC2,"李四, 王五",大工业,开发区,分时,2020-01-01\r\n';

describe('CsvDecoder encoding detection', () => {
  it('UTF-8 without BOM', () => {
    const { text, decoder } = expectSplitInvariant(Buffer.from(CHINESE_CSV, 'utf8'));
    expect(text).toBe(CHINESE_CSV);
    expect(decoder.encoding).toBe('utf-8');
    expect(decoder.replacements).toBe(0);
  });

  it('UTF-8 with BOM (the BOM is dropped)', () => {
    const { text, decoder } = expectSplitInvariant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHINESE_CSV, 'utf8')]));
    expect(text).toBe(CHINESE_CSV);
    expect(decoder.encoding).toBe('utf-8');
  });

  it('GBK (as Chinese Excel writes it) is decoded as GB18030', () => {
    const { text, decoder } = expectSplitInvariant(iconv.encode(CHINESE_CSV, 'gbk'));
    expect(text).toBe(CHINESE_CSV);
    expect(decoder.encoding).toBe('gb18030');
    expect(decoder.replacements).toBe(0);
  });

  it('GB18030 four-byte sequences (characters outside GBK)', () => {
    const sample = 'id,name\nC1,𠀀𪚥\nC2,€\n';
    const { text, decoder } = expectSplitInvariant(iconv.encode(sample, 'gb18030'));
    expect(text).toBe(sample);
    expect(decoder.encoding).toBe('gb18030');
  });

  it('GBK whose first Chinese character comes after a long ASCII stretch, in small chunks', () => {
    const ascii = 'customer_id,name\n' + Array.from({ length: 2000 }, (_, i) => `C${i},anon`).join('\n') + '\n';
    const sample = ascii + 'C9999,张三丰\n'.repeat(500);
    const bytes = iconv.encode(sample, 'gbk');
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < bytes.length; at += 1000) chunks.push(bytes.subarray(at, at + 1000));
    const { text, decoder } = decodeChunks(chunks);
    expect(bytes.length - ascii.length).toBeGreaterThan(DECISION_WINDOW);
    expect(decoder.encoding).toBe('gb18030');
    expect(text).toBe(sample);
  });

  it('pure ASCII needs no decision', () => {
    const { text, decoder } = expectSplitInvariant(Buffer.from('id,kwh\nC1,1.5\n'));
    expect(text).toBe('id,kwh\nC1,1.5\n');
    expect(decoder.encoding).toBeNull();
  });

  it('a file shorter than the signature check', () => {
    expect(decodeChunks([Buffer.from('a')]).text).toBe('a');
    expect(decodeChunks([]).text).toBe('');
  });

  it('a chunk buffer reused by the caller does not corrupt held bytes', () => {
    const bytes = Buffer.from('id\n张三\n', 'utf8');
    const buffer = Buffer.alloc(bytes.length);
    const decoder = new CsvDecoder();
    let text = '';
    for (let at = 0; at < bytes.length; at += 4) {
      const n = bytes.copy(buffer, 0, at, at + 4);
      text += decoder.write(buffer.subarray(0, n));
      buffer.fill(0x41);
    }
    expect(text + decoder.end()).toBe('id\n张三\n');
  });
});

describe('CsvDecoder invalid bytes', () => {
  it('UTF-8 with a few invalid bytes stays UTF-8; they become U+FFFD and are counted', () => {
    const bytes = Buffer.concat([Buffer.from('id,name\nC1,张三\nC2,', 'utf8'), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('\nC3,李四\n', 'utf8')]);
    const { text, decoder } = expectSplitInvariant(bytes);
    expect(decoder.encoding).toBe('utf-8');
    expect(text).toBe('id,name\nC1,张三\nC2,\ufffd\ufffdA\nC3,李四\n');
    expect(decoder.replacements).toBe(2);
  });

  it('a UTF-8 sequence cut at the end of the file is one U+FFFD', () => {
    const bytes = Buffer.concat([Buffer.from('a,张\n', 'utf8'), Buffer.from([0xe5, 0xbc])]);
    expect(decodeChunks([bytes]).text).toBe('a,张\n\ufffd');
  });

  it('rows holding invalid bytes are rejected per line with bad_encoding; the others load', () => {
    const bytes = Buffer.concat([
      Buffer.from('customer_id,reading_start,interval_minutes,kwh\nC1张,2026-03-01 00:00,15,1\nC', 'utf8'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(',2026-03-01 00:15,15,1\nC3,2026-03-01 00:30,15,1\n', 'utf8'),
    ]);
    const parser = new CsvParser();
    const { text } = decodeChunks([bytes]);
    const [header, ...records] = [...parser.push(text), ...parser.end()];
    const mapped = mapHeader(USAGE, header.fields);
    if (!mapped.ok) throw new Error(mapped.message);
    const validate = makeRowValidator(USAGE, mapped);
    expect(records.map((r) => [r.line, validate(r.fields).ok || (validate(r.fields) as { code: string }).code])).toEqual([
      [2, true],
      [3, 'bad_encoding'],
      [4, true],
    ]);
  });
});

describe('CsvDecoder whole-file rejections', () => {
  it.each([
    ['UTF-16 LE', Buffer.from([0xff, 0xfe, 0x61, 0x00]), 'bad_encoding', /UTF-16/],
    ['UTF-16 BE', Buffer.from([0xfe, 0xff, 0x00, 0x61]), 'bad_encoding', /UTF-16/],
    ['gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]), 'not_csv', /gzip-compressed/],
    ['xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]), 'not_csv', /\.xlsx/],
    ['xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1]), 'not_csv', /\.xls\)/],
    ['NUL bytes', Buffer.from('a,b\n1,\u00002\n'), 'not_csv', /binary data/],
  ])('%s', (_label, bytes, code, message) => {
    const decoder = new CsvDecoder();
    let thrown: unknown;
    try {
      decoder.write(bytes);
      decoder.end();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FileRejection);
    expect((thrown as FileRejection).code).toBe(code);
    expect((thrown as FileRejection).message).toMatch(message);
  });
});

describe('decodeCsv', () => {
  it('decodes an async stream of byte chunks', async () => {
    const bytes = iconv.encode(CHINESE_CSV, 'gbk');
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
    }
    let text = '';
    for await (const chunk of decodeCsv(chunks())) text += chunk;
    expect(text).toBe(CHINESE_CSV);
  });
});
