// Reads the audience of the `reports` batch (pure): a target-list CSV as the
// campaign planner exports it (UTF-8, a BOM allowed) whose header has a
// `customer_key` column (pseudonymous key) or a `customer_id` column (account
// number); the planner's localised headers for them are accepted too. The key
// wins when both are there. Rows are kept in file order, repeats dropped;
// a malformed value is an entry with its line, so the batch reports it and
// goes on.

import { CsvParser } from '../ingest/csv-parser.ts';

export type AudienceEntry =
  | { line: number; kind: 'key'; key: number }
  | { line: number; kind: 'account'; account: string }
  | { line: number; kind: 'invalid'; value: string; message: string };

export interface Audience {
  column: 'customer_key' | 'customer_id';
  entries: AudienceEntry[];
  /** Rows whose customer was already listed. */
  repeats: number;
}

/** Header names of each column: the code and the planner's en / zh-CN labels (dashboard/src/i18n). */
const KEY_HEADERS = ['customer_key', 'customer (pseudonym)', '客户（假名编号）'];
const ID_HEADERS = ['customer_id', 'account number', 'account_number', '户号'];
const KEY = /^[1-9]\d{0,9}$/;

export class AudienceFileError extends Error {
  override name = 'AudienceFileError';
}

export function parseAudience(text: string, file = 'audience file'): Audience {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parser = new CsvParser();
  const records = [...parser.push(body), ...parser.end()];
  const header = records[0];
  if (!header || header.error) throw new AudienceFileError(`${file}: empty, or its header line cannot be read as CSV`);
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const keyAt = names.findIndex((n) => KEY_HEADERS.includes(n));
  const idAt = names.findIndex((n) => ID_HEADERS.includes(n));
  if (keyAt === -1 && idAt === -1) {
    throw new AudienceFileError(`${file}:1: the header has no customer_key or customer_id column (found: ${header.fields.join(', ') || 'nothing'}); export the audience as a target list, or name the column customer_key / customer_id`);
  }
  const column = keyAt !== -1 ? 'customer_key' : 'customer_id';
  const at = keyAt !== -1 ? keyAt : idAt;
  const entries: AudienceEntry[] = [];
  const seen = new Set<string>();
  let repeats = 0;
  for (const r of records.slice(1)) {
    if (r.error) {
      entries.push({ line: r.line, kind: 'invalid', value: r.raw.slice(0, 80), message: r.error.message });
      continue;
    }
    const value = (r.fields[at] ?? '').trim();
    if (seen.has(value)) {
      repeats++;
      continue;
    }
    seen.add(value);
    if (column === 'customer_key') {
      if (KEY.test(value) && Number(value) <= 2 ** 31 - 1) entries.push({ line: r.line, kind: 'key', key: Number(value) });
      else entries.push({ line: r.line, kind: 'invalid', value, message: `"${value}" is not a customer key (a positive whole number)` });
    } else if (value) {
      entries.push({ line: r.line, kind: 'account', account: value });
    } else {
      entries.push({ line: r.line, kind: 'invalid', value, message: 'no account number' });
    }
  }
  return { column, entries, repeats };
}
