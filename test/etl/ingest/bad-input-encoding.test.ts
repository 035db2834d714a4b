// The encoding decision on damaged files (bugs found by the bad-input corpus,
// fixed in etl/ingest/decode.ts): damaged UTF-8 that happens to be valid
// GB18030 stays UTF-8, and GBK with an invalid byte stays GB18030, however the
// bytes arrive in chunks. The corpus runs the same files through the ETL.

import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CsvDecoder } from '../../../etl/ingest/decode.ts';
import { GENERATED_FILES } from './bad-input-generated.ts';

function decode(chunks: readonly Uint8Array[]): { text: string; encoding: string | null; replacements: number } {
  const decoder = new CsvDecoder();
  let text = '';
  for (const chunk of chunks) text += decoder.write(chunk);
  text += decoder.end();
  return { text, encoding: decoder.encoding, replacements: decoder.replacements };
}

/** Decoded whole and split in two at every offset: the same answer each time. */
function decodeEverySplit(bytes: Uint8Array) {
  const whole = decode([bytes]);
  for (let at = 0; at <= bytes.length; at++) {
    expect(decode([bytes.subarray(0, at), bytes.subarray(at)]), `split at ${at}`).toEqual(whole);
  }
  return whole;
}

const fits = (encoding: string, bytes: Uint8Array) => {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

describe('encoding of damaged files', () => {
  it('UTF-8 with a stray byte and a cut character stays UTF-8, although its bytes are valid GB18030', () => {
    const bytes = GENERATED_FILES['invalid-utf8-bytes']['customers/customers.csv']();
    expect(fits('utf-8', bytes)).toBe(false);
    expect(fits('gb18030', bytes)).toBe(true); // what used to decide it
    const { text, encoding, replacements } = decodeEverySplit(bytes);
    expect(encoding).toBe('utf-8');
    expect(replacements).toBe(2);
    expect(text.split('\n').slice(1, 5)).toEqual([
      'C1,张三,residential,城东,tiered,2020-01-01',
      'C2,\ufffd李四,commercial,江城,flat,2021-06-01',
      'C3,王五,residential,城\ufffd区,tiered,2022-01-01',
      'C4,赵六,agricultural,农场,flat,2023-01-01',
    ]);
  });

  it('GBK with a byte that is never valid (0xFF) stays GB18030: only that character is lost', () => {
    const bytes = GENERATED_FILES['invalid-gbk-bytes']['customers/customers_gbk.csv']();
    expect(fits('gb18030', bytes)).toBe(false);
    const { text, encoding, replacements } = decodeEverySplit(bytes);
    expect(encoding).toBe('gb18030');
    expect(replacements).toBe(1);
    expect(text).toContain('G1,张三,江城区,居民生活,阶梯,2020-01-01\r\nG2,李\ufffd四,高新区');
  });

  it('clean GBK of a few characters is still GB18030, damaged UTF-8 of a few characters still UTF-8', () => {
    for (const word of ['张三', '李四', '城东供电所', '居民生活', '一般工商业', '故障报修', '掌上电力']) {
      expect(decode([iconv.encode(`id,name\nC1,${word}\n`, 'gbk')]).encoding, word).toBe('gb18030');
      const damaged = Buffer.concat([Buffer.from('id,name\nC1,'), Buffer.from([0x80]), Buffer.from(`${word}\n`)]);
      expect(decode([damaged]).encoding, `0x80 + ${word}`).toBe('utf-8');
    }
  });
});
