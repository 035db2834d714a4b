// The improvement-action register's format (inbox actions/*.csv; our own
// addition to the data contract, documented in README and docs/demo-data.md)
// and its row validator. Pure: the known regions come in as a set.
//
//   action_id    required, ≤ 64 characters; the last row of an id wins
//   action_date  required, YYYY-MM-DD
//   regions      required, region codes separated by ';' (as in the customers file)
//   segments     optional, segments separated by ';'; empty = every segment
//   target       required, a survey item (synonyms below)
//   description  optional free text by staff, ≤ 2000 characters
//
// Reasons reuse the contract's codes (etl/contract/reasons.ts): missing_value,
// bad_date, bad_enum (unknown region, segment or target), text_too_long,
// wrong_field_count; a header without a required column rejects the file
// (missing_required_column).

import type { ReasonCode } from '../contract/reasons.ts';

export const ACTION_COLUMNS = ['action_id', 'action_date', 'regions', 'segments', 'target', 'description'] as const;
export const REQUIRED_ACTION_COLUMNS = ['action_id', 'action_date', 'regions', 'target'] as const;

/** Survey items an action can target: the mart's column names, and the names the issue and glossary use. */
export const TARGETS: Readonly<Record<string, ActionTarget>> = {
  reliability: 'reliability', supply_reliability: 'reliability', 供电可靠性: 'reliability',
  service: 'service', service_quality: 'service', 服务质量: 'service',
  price: 'price', price_reasonableness: 'price', 电价合理性: 'price',
  billing: 'billing', communication: 'communication', overall: 'overall',
  nps: 'nps',
};
export type ActionTarget = 'reliability' | 'service' | 'price' | 'billing' | 'communication' | 'overall' | 'nps';

/** Segments as in rollup.customer_month.segment. */
export const SEGMENTS = ['large_industrial', 'commercial', 'sme', 'residential', 'agricultural'] as const;

export interface ActionRow {
  action_id: string;
  action_date: string;
  regions: string[];
  /** null: every segment. */
  segments: string[] | null;
  target: ActionTarget;
  description: string;
}

export type ActionHeader =
  | { ok: true; indexOf: Record<string, number>; fieldCount: number; warnings: string[] }
  | { ok: false; code: 'missing_required_column' | 'duplicate_column'; message: string };

export type ActionResult = { ok: true; row: ActionRow } | { ok: false; code: ReasonCode; column: string | null; message: string };

export function mapActionHeader(fields: readonly string[]): ActionHeader {
  const names = fields.map((f, i) => (i === 0 && f.charCodeAt(0) === 0xfeff ? f.slice(1) : f).trim().toLowerCase());
  const indexOf: Record<string, number> = {};
  const warnings: string[] = [];
  names.forEach((name, i) => {
    if (!(ACTION_COLUMNS as readonly string[]).includes(name)) {
      warnings.push(`column "${fields[i]}" is not a column of the action register and was ignored`);
      return;
    }
    if (indexOf[name] !== undefined) indexOf[name] = -2;
    else indexOf[name] = i;
  });
  const dup = Object.keys(indexOf).filter((k) => indexOf[k] === -2);
  if (dup.length > 0) return { ok: false, code: 'duplicate_column', message: `the header names ${dup.map((d) => `"${d}"`).join(', ')} twice: keep one copy` };
  const missing = REQUIRED_ACTION_COLUMNS.filter((c) => indexOf[c] === undefined);
  if (missing.length > 0) {
    return { ok: false, code: 'missing_required_column', message: `the header lacks the required column(s) ${missing.map((m) => `"${m}"`).join(', ')} (expected ${ACTION_COLUMNS.join(', ')})` };
  }
  return { ok: true, indexOf, fieldCount: fields.length, warnings };
}

function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

const list = (text: string): string[] => [...new Set(text.split(/[;；]/).map((s) => s.trim()).filter((s) => s.length > 0))];

/** Validate one record (fields in file order) against the header; `knownRegions` = the regions of core.customer. */
export function validateAction(header: Extract<ActionHeader, { ok: true }>, fields: readonly string[], knownRegions: ReadonlySet<string>): ActionResult {
  if (fields.length !== header.fieldCount) {
    return { ok: false, code: 'wrong_field_count', column: null, message: `the row has ${fields.length} fields, the header ${header.fieldCount}` };
  }
  if (fields.some((f) => f.includes('\uFFFD'))) {
    return { ok: false, code: 'bad_encoding', column: null, message: 'the row holds bytes that are not valid UTF-8 or GB18030 text' };
  }
  const get = (c: string): string => (header.indexOf[c] === undefined ? '' : fields[header.indexOf[c]].trim());
  for (const c of REQUIRED_ACTION_COLUMNS) {
    if (get(c) === '') return { ok: false, code: 'missing_value', column: c, message: `${c} is empty` };
  }
  const id = get('action_id');
  if (id.length > 64) return { ok: false, code: 'text_too_long', column: 'action_id', message: 'action_id is longer than 64 characters' };
  const date = get('action_date');
  if (!isRealDate(date)) return { ok: false, code: 'bad_date', column: 'action_date', message: `"${date}" is not a real date in YYYY-MM-DD form` };
  const regions = list(get('regions'));
  if (regions.length === 0) return { ok: false, code: 'missing_value', column: 'regions', message: 'regions lists no region' };
  const unknown = regions.filter((r) => !knownRegions.has(r));
  if (unknown.length > 0) {
    return { ok: false, code: 'bad_enum', column: 'regions', message: `unknown region(s) ${unknown.map((u) => `"${u}"`).join(', ')}: use the region codes of the customers file, separated by ';'` };
  }
  const segments = list(get('segments'));
  const badSegment = segments.filter((s) => !(SEGMENTS as readonly string[]).includes(s));
  if (badSegment.length > 0) {
    return { ok: false, code: 'bad_enum', column: 'segments', message: `unknown segment(s) ${badSegment.map((u) => `"${u}"`).join(', ')}: use ${SEGMENTS.join(', ')} separated by ';', or leave empty for all` };
  }
  const rawTarget = get('target');
  const target = TARGETS[rawTarget.toLowerCase()] ?? TARGETS[rawTarget];
  if (target === undefined) {
    return { ok: false, code: 'bad_enum', column: 'target', message: `"${rawTarget}" is not a survey item: use reliability, service, price, billing, communication, overall or nps` };
  }
  const description = get('description');
  if (description.length > 2000) return { ok: false, code: 'text_too_long', column: 'description', message: 'description is longer than 2000 characters' };
  return { ok: true, row: { action_id: id, action_date: date, regions, segments: segments.length === 0 ? null : segments, target, description } };
}
