// Personal data of an inbox, and a scanner that looks for it in published
// extracts. Independent of the ETL on purpose: the inbox is read with its own
// small RFC 4180 reader (not etl/ingest), every customer_id of every row is
// taken (rejected rows included: they are account numbers too), and the
// scanner looks at the files as bytes and, separately, at every decoded cell.

import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { tableFromIPC, type Table } from 'apache-arrow';

export type PersonalKind =
  | 'account_number' | 'name' | 'phone' | 'address' | 'comment'
  | 'name_in_comment' | 'phone_in_comment' | 'secret';

/** One thing that must not be published: text (searched in cells and as UTF-8 bytes) or raw bytes (searched as bytes only). */
export interface Needle {
  kind: PersonalKind;
  /** What a failure message shows. */
  label: string;
  /** Where it came from (file:line of its first occurrence). */
  from: string;
  text?: string;
  bytes?: Buffer;
}

export interface Finding {
  needle: Needle;
  file: string;
  /** 'bytes', 'cell <column> row <n>', 'number <column> row <n>' or 'manifest <json path>'. */
  where: string;
}

export interface InboxPersonalData {
  /** What the scan looks for. */
  needles: Needle[];
  /** Values left out as too short or generic to mean anything (see isMeaningful). */
  skipped: Needle[];
  /** Every customer_id seen in any file, valid row or not. */
  accountNumbers: Set<string>;
}

const ENTITIES = ['customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns'] as const;

/**
 * Non-personal text of the contract (enum labels, regions, ticket categories,
 * campaign names, waves): a personal value equal to one of these is generic,
 * and finding it in an extract would say nothing about a leak.
 */
const VOCABULARY_COLUMNS = ['customer_class', 'region', 'tariff', 'contract_type', 'preferred_channel', 'wave', 'channel', 'type', 'category', 'campaign_id', 'campaign_name', 'offer_type'];

// A phone number in free text: a mainland mobile number (11 digits, 1[3-9]…)
// or a landline with area code; and a name a respondent gives ("我是王伟，").
const PHONE_IN_TEXT = /(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)/g;
const NAME_IN_TEXT = /我是([^，。,.\s\d]{2,8})/g;

/** Text of a contract file: UTF-8 (BOM dropped) when valid, else GB18030. Gzip undone. */
function decodeInboxFile(path: string): string {
  let bytes: Uint8Array = readFileSync(path);
  if (/\.gz$/i.test(path)) bytes = gunzipSync(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

/** Records of RFC 4180 text (LF or CRLF; quoted fields may hold commas, quotes, newlines); blank lines skipped. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  const n = text.length;
  const fieldEnd = (from: number): number => {
    const comma = text.indexOf(',', from);
    const newline = text.indexOf('\n', from);
    return Math.min(comma < 0 ? n : comma, newline < 0 ? n : newline);
  };
  let i = 0;
  while (i <= n) {
    let value = '';
    if (text[i] === '"') {
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) { value += text.slice(from); i = n; break; }
        if (text[q + 1] === '"') { value += text.slice(from, q + 1); from = q + 2; continue; }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
    }
    const end = fieldEnd(i);
    value += text.slice(i, end);
    const endsRecord = end >= n || text[end] === '\n';
    record.push(endsRecord ? value.replace(/\r$/, '') : value);
    if (endsRecord) {
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
    }
    i = end + 1;
  }
  return records;
}

/**
 * Worth searching for: at least 6 bytes of UTF-8 (a two-character Chinese name,
 * an 11-digit phone). Shorter values — a one-character name, "Li", empty — would
 * also turn up inside unrelated text or in the bytes of any number by chance,
 * so finding them proves nothing. Account numbers are never skipped.
 */
export function isMeaningful(value: string, vocabulary: ReadonlySet<string>): boolean {
  return Buffer.byteLength(value.trim(), 'utf8') >= 6 && !vocabulary.has(value.trim());
}

/** Every personal value of the inbox: account numbers, names, phones, addresses, comments and what comments quote. */
export function readInboxPersonalData(inbox: string): InboxPersonalData {
  const accountNumbers = new Set<string>();
  const vocabulary = new Set<string>();
  const candidates = new Map<string, Needle>(); // kind + text → first occurrence
  const add = (kind: PersonalKind, text: string, from: string): void => {
    const key = `${kind}\u0000${text}`;
    if (text !== '' && !candidates.has(key)) candidates.set(key, { kind, label: `${kind} ${JSON.stringify(text)}`, from, text });
  };
  for (const entity of ENTITIES) {
    const dir = join(inbox, entity);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => /\.csv(\.gz)?$/i.test(f)).sort()) {
      const [header, ...rows] = parseCsv(decodeInboxFile(join(dir, name)));
      const col = (c: string): number => header.findIndex((h) => h.trim().toLowerCase() === c);
      const id = col('customer_id');
      const personal = entity === 'customers' ? (['name', 'phone', 'address'] as const) : [];
      const comment = entity === 'surveys' ? col('comment') : -1;
      const vocab = VOCABULARY_COLUMNS.map(col).filter((c) => c >= 0);
      rows.forEach((row, r) => {
        const from = `${entity}/${name}:${r + 2}`; // physical line when no field spans lines (true of generated files)
        const idValue = id >= 0 ? row[id]?.trim() : undefined;
        if (idValue) accountNumbers.add(idValue);
        for (const c of vocab) if (row[c]) vocabulary.add(row[c].trim());
        for (const kind of personal) {
          const c = col(kind);
          if (c >= 0 && row[c]) add(kind, row[c].trim(), from);
        }
        const text = comment >= 0 ? row[comment] ?? '' : '';
        if (text.trim() !== '') {
          add('comment', text.trim(), from);
          for (const m of text.matchAll(PHONE_IN_TEXT)) add('phone_in_comment', m[0], from);
          for (const m of text.matchAll(NAME_IN_TEXT)) add('name_in_comment', m[1], from);
        }
      });
    }
  }
  const needles: Needle[] = [];
  const skipped: Needle[] = [];
  for (const n of candidates.values()) (isMeaningful(n.text!, vocabulary) ? needles : skipped).push(n);
  // Account numbers: every one, whatever its length.
  for (const a of [...accountNumbers].sort()) needles.push({ kind: 'account_number', label: `account number ${a}`, from: 'customer_id', text: a });
  return { needles, skipped, accountNumbers };
}

/** The pseudonym secret as it could leak: hex as stored, upper-case hex, base64, its raw bytes, and each quarter of the hex. */
export function secretNeedles(secret: string, from: string): Needle[] {
  const out: Needle[] = [{ kind: 'secret', label: 'pseudonym secret (as stored)', from, text: secret }];
  if (/^[0-9a-f]+$/i.test(secret) && secret.length % 2 === 0) {
    const raw = Buffer.from(secret, 'hex');
    out.push({ kind: 'secret', label: 'pseudonym secret (upper-case hex)', from, text: secret.toUpperCase() });
    out.push({ kind: 'secret', label: 'pseudonym secret (base64)', from, text: raw.toString('base64') });
    out.push({ kind: 'secret', label: 'pseudonym secret (raw bytes)', from, bytes: raw });
    const quarter = Math.floor(secret.length / 4);
    for (let q = 0; q < 4 && quarter >= 16; q++) {
      out.push({ kind: 'secret', label: `pseudonym secret (hex characters ${q * quarter}–${(q + 1) * quarter})`, from, text: secret.slice(q * quarter, (q + 1) * quarter) });
    }
  } else {
    out.push({ kind: 'secret', label: 'pseudonym secret (raw bytes)', from, bytes: Buffer.from(secret, 'utf8') });
  }
  return out;
}

/** Needles found in a file's bytes: each text as UTF-8, each raw byte needle as is. */
export function scanBytes(file: string, bytes: Uint8Array, needles: readonly Needle[]): Finding[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: Finding[] = [];
  for (const n of needles) {
    for (const pattern of [n.text === undefined ? undefined : Buffer.from(n.text, 'utf8'), n.bytes]) {
      if (pattern && pattern.length > 0 && buf.includes(pattern)) {
        found.push({ needle: n, file, where: 'bytes' });
        break;
      }
    }
  }
  return found;
}

/** The account numbers that read as numbers, for spotting one stored in a numeric column. */
export function accountNumbersAsNumbers(accounts: Iterable<string>): Map<number, string> {
  const out = new Map<number, string>();
  for (const a of accounts) if (/^\d+$/.test(a) && Number.isSafeInteger(Number(a))) out.set(Number(a), a);
  return out;
}

function textNeedleIn(value: string, needles: readonly Needle[]): Needle[] {
  return needles.filter((n) => n.text !== undefined && value.includes(n.text));
}

/**
 * Needles found in a table's cells: every string cell of every column
 * (dictionary or plain utf8) is searched for each text; every numeric cell is
 * compared with the account numbers.
 */
export function scanTable(file: string, table: Table, needles: readonly Needle[], accountNumbers: ReadonlyMap<number, string>): Finding[] {
  const found: Finding[] = [];
  const byAccount = new Map(needles.filter((n) => n.kind === 'account_number').map((n) => [n.text!, n]));
  for (const field of table.schema.fields) {
    const cells = table.getChild(field.name)!.toArray() as ArrayLike<unknown>;
    const checked = new Set<string>();
    for (let row = 0; row < cells.length; row++) {
      const v = cells[row];
      if (typeof v === 'string' && !checked.has(v)) {
        checked.add(v);
        for (const n of textNeedleIn(v, needles)) found.push({ needle: n, file, where: `cell ${field.name} row ${row}` });
      } else if ((typeof v === 'number' || typeof v === 'bigint') && accountNumbers.has(Number(v))) {
        const account = accountNumbers.get(Number(v))!;
        found.push({ needle: byAccount.get(account) ?? { kind: 'account_number', label: account, from: 'customer_id', text: account }, file, where: `number ${field.name} row ${row}` });
      }
    }
  }
  return found;
}

/** Needles found in the strings and numbers of a JSON document (the manifest), wherever they sit. */
export function scanJson(file: string, doc: unknown, needles: readonly Needle[], accountNumbers: ReadonlyMap<number, string>): Finding[] {
  const found: Finding[] = [];
  const walk = (v: unknown, at: string): void => {
    if (typeof v === 'string') {
      for (const n of textNeedleIn(v, needles)) found.push({ needle: n, file, where: `manifest ${at}` });
    } else if (typeof v === 'number' && accountNumbers.has(v)) {
      found.push({ needle: { kind: 'account_number', label: accountNumbers.get(v)!, from: 'customer_id' }, file, where: `manifest ${at}` });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        walk(k, `${at}.<key ${k}>`);
        walk(x, `${at}.${k}`);
      }
    }
  };
  walk(doc, '$');
  return found;
}

/**
 * Scans every file of a published version folder: each file's bytes, every
 * cell of each .arrow table, every string and number of manifest.json. Throws
 * on a file it cannot read as what its name says, so nothing goes unscanned.
 */
export function scanPublished(dir: string, needles: readonly Needle[], accountNumbers: ReadonlyMap<number, string>): { files: string[]; findings: Finding[] } {
  const files = readdirSync(dir).sort();
  const findings: Finding[] = [];
  for (const f of files) {
    const bytes = readFileSync(join(dir, f));
    findings.push(...scanBytes(f, bytes, needles));
    if (f.endsWith('.arrow')) findings.push(...scanTable(f, tableFromIPC(bytes), needles, accountNumbers));
    else if (f.endsWith('.json')) findings.push(...scanJson(f, JSON.parse(bytes.toString('utf8')), needles, accountNumbers));
    else throw new Error(`${join(dir, f)}: neither an extract (.arrow) nor the manifest: cannot tell what it holds`);
  }
  return { files, findings };
}

/** Findings as lines a failure message can show (first `max`). */
export function describeFindings(findings: readonly Finding[], max = 20): string {
  const lines = findings.slice(0, max).map((f) => `${f.file} (${f.where}): ${f.needle.label} from ${f.needle.from}`);
  if (findings.length > max) lines.push(`… and ${findings.length - max} more`);
  return lines.join('\n');
}
