// Files of the bad-input corpus that are written at run time instead of being
// committed: other encodings and damaged bytes (easier to review as the code
// that makes them than as hex), and large inputs (10–17 MB each; the repository
// stays small). Keyed by case folder, then by inbox path; each case's
// expect.json lists the same paths under "generated", and its line numbers and
// values follow from the text below.

import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';

type Maker = () => Uint8Array;

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? utf8(p) : Buffer.from(p))));

const USAGE_HEADER = 'customer_id,reading_start,interval_minutes,kwh,quality';

/** A usage file of `n` quarter-hour readings of C1 from 2026-03-01 00:00, 1 kWh each. */
function quarterHours(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, i) => {
    const minutes = (from + i) * 15;
    const day = 1 + Math.floor(minutes / 1440);
    const hh = String(Math.floor((minutes % 1440) / 60)).padStart(2, '0');
    const mm = String(minutes % 60).padStart(2, '0');
    return `C1,2026-03-0${day} ${hh}:${mm},15,1,`;
  });
}

const GZIP_GOOD = `${USAGE_HEADER}\nC2,2026-03-05 00:00,1440,12.5,\nC2,2026-03-06 00:00,1440,13.5,\nC2,2026-03-07 00:00,1440,14.5,\n`;
/** Big enough for real deflate blocks, so the damage lands inside compressed data. */
const GZIP_BIG = `${USAGE_HEADER}\n${quarterHours(600).join('\n')}\n`;

/**
 * The 10 MiB field: 8 characters (a line end, a comma and a quote among them)
 * × 1,310,720 = 10,485,760; it neither starts nor ends with whitespace, which
 * the validator would trim.
 */
const TEN_MIB_PATTERN = 'ab\nc,d"e';
const TEN_MIB_REPEAT = 1_310_720;

export const GENERATED_FILES: Record<string, Record<string, Maker>> = {
  'not-csv': {
    // The first bytes of a PNG image (signature, then the IHDR chunk with its NUL-filled length).
    'usage/usage_image.csv': () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]),
    // A ZIP local file header, as every .xlsx workbook starts.
    'usage/usage_workbook.csv': () => bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00], '[Content_Types].xml'),
  },

  gbk: {
    'customers/customers_gbk.csv': () => iconv.encode(
      'customer_id,name,phone,address,customer_class,region,tariff,green_plan,preferred_channel,opened_on\r\n' +
      'G1,张三,13800000001,江城区滨江路8号,居民生活,江城区,阶梯,否,微信,2020-01-01\r\n' +
      'G2,李四,13800000002,青溪县溪口镇2号,大工业,高新区,分时,是,95598热线,2019-05-01\r\n' +
      'G3,王五,,,一般工商业,南湾区,单一制,,营业厅,2021-03-15\r\n' +
      'G4,赵六,,,商业,南湾区,单一制,,,2021-03-15\r\n',
      'gbk',
    ),
  },

  gb18030: {
    'customers/customers_gb18030.csv': () => iconv.encode(
      'customer_id,name,address,customer_class,region,tariff,opened_on\n' +
      'G1,𠀀𪚥,欧元区 € 1 号,residential,𡈽湾区,tiered,2020-01-01\n' +
      'G2,李四,,commercial,江城区,flat,2021-01-01\n',
      'gb18030',
    ),
  },

  'invalid-utf8-bytes': {
    // Two-character names and regions, as is common: with the two damages below
    // every run of non-ASCII bytes has an even length, and the whole file is
    // then flawless GB18030 (which is why it used to load as mojibake: decode.ts).
    'customers/customers.csv': () => bytes(
      'customer_id,name,customer_class,region,tariff,opened_on\n',
      'C1,张三,residential,城东,tiered,2020-01-01\n',
      'C2,', [0x80], '李四,commercial,江城,flat,2021-06-01\n', // a stray byte (a lone UTF-8 continuation byte)
      'C3,王五,residential,城', [0xe5, 0xbc], '区,tiered,2022-01-01\n', // a character cut after 2 of its 3 bytes
      'C4,赵六,agricultural,农场,flat,2023-01-01\n',
    ),
    'usage/usage.csv': () => bytes(`${USAGE_HEADER}\nC1,2026-03-01 00:00,15,1.5,\nC1,2026-03-01 00:15,15,1.`, [0xff], '5,\n'),
  },

  'invalid-gbk-bytes': {
    'customers/customers_gbk.csv': () => Buffer.concat([
      iconv.encode('customer_id,name,region,customer_class,tariff,opened_on\r\nG1,张三,江城区,居民生活,阶梯,2020-01-01\r\nG2,李', 'gbk'),
      Buffer.from([0xff]),
      iconv.encode('四,高新区,大工业,分时,2019-05-01\r\nG3,王五,南湾区,一般工商业,单一制,2021-03-15\r\n', 'gbk'),
    ]),
  },

  utf16: {
    'customers/customers.csv': () => Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('customer_id,customer_class,region,tariff,opened_on\r\nC1,residential,城东供电所,tiered,2020-01-01\r\n', 'utf16le'),
    ]),
  },

  'nul-bytes-late': {
    // 200 good rows (> 4 KB, past the decoder's binary check), the damaged row 202, a good row 203.
    'tickets/tickets.csv': () => {
      const row = (n: number, category: string) => `T${String(n).padStart(3, '0')},C1,2026-03-01 09:00,web,inquiry,${category}\n`;
      let text = 'ticket_id,customer_id,opened_at,channel,type,category\n';
      for (let n = 1; n <= 200; n++) text += row(n, `category ${n}`);
      return utf8(text + row(201, 'ab\u0000cd') + row(202, 'category 202'));
    },
    'usage/usage.csv': () => utf8(`${USAGE_HEADER}\n${quarterHours(200).join('\n')}\nC1,2026-03-03 02:00,15,1\u00005,\n${quarterHours(1, 201).join('\n')}\n`),
  },

  'gzip-corrupt': {
    'usage/usage_good.csv.gz': () => gzipSync(GZIP_GOOD),
    'usage/usage_damaged.csv.gz': () => {
      const gz = gzipSync(GZIP_BIG);
      gz[gz.length >> 1] ^= 0xff;
      return gz;
    },
    'usage/usage_truncated.csv.gz': () => {
      const gz = gzipSync(GZIP_BIG);
      return gz.subarray(0, Math.floor(gz.length * 0.6));
    },
    'usage/usage_plain_text.csv.gz': () => utf8(GZIP_GOOD),
    // Not the bytes of usage_good.csv.gz: the same content would be skipped as already loaded.
    'usage/usage_gzip_named_csv.csv': () => gzipSync(`${USAGE_HEADER}\nC2,2026-03-08 00:00,1440,15.5,\n`),
  },

  'field-10mb': {
    'tickets/tickets_big.csv': () => utf8(
      'ticket_id,customer_id,opened_at,channel,type,category\n' +
      'T1,C1,2026-03-01 09:00,web,inquiry,before\n' +
      `T2,C1,2026-03-01 10:00,web,inquiry,"${TEN_MIB_PATTERN.replace('"', '""').repeat(TEN_MIB_REPEAT)}"\n` +
      'T3,C2,2026-03-01 11:00,app,praise,after\n' +
      'T4,C2,2026-03-01 12:00,fax,praise,bad channel after the big field\n',
    ),
  },

  'field-over-cap': {
    'tickets/tickets_huge.csv': () => utf8(
      'ticket_id,customer_id,opened_at,channel,type,category\n' +
      'T1,C1,2026-03-01 09:00,web,inquiry,before\n' +
      `T2,C1,2026-03-01 10:00,web,inquiry,${'x'.repeat(17 * 1024 * 1024)}\n` +
      'T3,C2,2026-03-01 11:00,app,praise,after\n',
    ),
  },

  'columns-1000': {
    // Column numbers 1, 251, 501, 751 and 1000 are the contract's; the others are x_<column number>.
    'usage/usage_wide.csv': () => {
      const contract = new Map([[1, 'customer_id'], [251, 'reading_start'], [501, 'interval_minutes'], [751, 'kwh'], [1000, 'quality']]);
      const row = (values: Record<string, string>, width = 1000) =>
        Array.from({ length: width }, (_, i) => (contract.has(i + 1) ? values[contract.get(i + 1)!] : `v${i + 1}`)).join(',');
      const reading = (customer: string, start: string, interval: string, kwh: string, width?: number) =>
        row({ customer_id: customer, reading_start: start, interval_minutes: interval, kwh, quality: '' }, width);
      return utf8([
        Array.from({ length: 1000 }, (_, i) => contract.get(i + 1) ?? `x_${i + 1}`).join(','),
        reading('C1', '2026-03-01 00:00', '15', '1.25'),
        reading('C1', '2026-03-01 00:15', '15', '2.5'),
        reading('C1', '2026-03-01 00:30', '15', '3', 999),
        `${reading('C1', '2026-03-01 00:45', '15', '3')},v1001`,
        reading('C2', '2026-03-01 00:00', '1440', '40'),
      ].join('\n') + '\n');
    },
  },
};
