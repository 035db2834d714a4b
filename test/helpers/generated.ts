// Generated demo utilities for tests, and a reader that validates their files
// against the data contract.
//
// A fixture is generated once per (options, generator source) and cached under
// test/.tmp/generated/: the generator is deterministic, so a cached copy is the
// same bytes a fresh run would write. Generation writes to a temporary folder
// and renames it into place, so parallel test files never see half a fixture.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ENTITIES, type EntityName } from '../../etl/contract/entities.ts';
import { mapHeader } from '../../etl/contract/header.ts';
import type { ReasonCode } from '../../etl/contract/reasons.ts';
import { makeRowValidator } from '../../etl/contract/validate-row.ts';
import { CsvParser } from '../../etl/ingest/csv-parser.ts';
import { parseYearMonth } from '../../etl/generate/calendar.ts';
import { DEFAULT_INTERVALS, generateUtility, type GenerateOptions } from '../../etl/generate/generator.ts';

const ROOT = resolve(import.meta.dirname, '../..');
export const TMP = join(ROOT, 'test/.tmp');

export interface FixtureOptions {
  customers: number;
  months: number;
  seed: number;
  end: string;
  dirty?: boolean;
  surveyRate?: number;
  intervals?: GenerateOptions['intervals'];
}

function sourceHash(): string {
  const h = createHash('sha256');
  for (const dir of ['etl/generate', 'etl/domain']) {
    for (const f of readdirSync(join(ROOT, dir)).sort()) h.update(f).update(readFileSync(join(ROOT, dir, f)));
  }
  return h.digest('hex').slice(0, 12);
}

export function toGenerateOptions(o: FixtureOptions, out: string): GenerateOptions {
  const end = parseYearMonth(o.end);
  if (!end) throw new Error(`bad end ${o.end}`);
  return {
    customers: o.customers, months: o.months, seed: o.seed, end, out,
    dirty: o.dirty ?? false, intervals: o.intervals ?? DEFAULT_INTERVALS, surveyRate: o.surveyRate ?? 0.02,
  };
}

/** Folder of a generated utility with these options (generated on first use). */
export function generatedInbox(o: FixtureOptions): string {
  const key = createHash('sha256').update(JSON.stringify(o)).update(sourceHash()).digest('hex').slice(0, 16);
  const dir = join(TMP, 'generated', key);
  if (existsSync(join(dir, 'truth.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  mkdirSync(tmp, { recursive: true });
  generateUtility(toGenerateOptions(o, tmp));
  try {
    renameSync(tmp, dir);
  } catch {
    // Another worker finished first: theirs is byte-identical.
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

export function readTruth(dir: string): any {
  return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
}

/** Files of one entity in name order, relative to the inbox. */
export function entityFiles(dir: string, entity: EntityName): string[] {
  const sub = join(dir, entity);
  if (!existsSync(sub)) return [];
  return readdirSync(sub).filter((f) => f.endsWith('.csv')).sort().map((f) => `${entity}/${f}`);
}

/** Text of a file: UTF-8 when the bytes are valid UTF-8, else GB18030 (the contract's two encodings). */
export function decodeFile(path: string): { text: string; encoding: 'utf-8' | 'gb18030' } {
  const bytes = readFileSync(path);
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

export interface FileReport {
  file: string;
  header: string[];
  encoding: string;
  read: number;
  rejected: Partial<Record<ReasonCode, number>>;
  superseded: number;
  fileRejection: string | null;
}

/**
 * Validate every row of every file of an entity with the contract layer and
 * call `onRow` for each valid row that is not a repeat of a key already seen in
 * the same file. `known` is the referential check for customer_id.
 */
export function scanEntity(
  dir: string,
  entity: EntityName,
  onRow: (row: Record<string, any>, file: string, line: number, raw: string) => void,
  known?: (id: string) => boolean,
): FileReport[] {
  const spec = ENTITIES[entity];
  const reports: FileReport[] = [];
  for (const file of entityFiles(dir, entity)) {
    const { text, encoding } = decodeFile(join(dir, file));
    const parser = new CsvParser();
    const records = [...parser.push(text), ...parser.end()];
    const header = records[0].fields;
    const report: FileReport = { file, header, encoding, read: records.length - 1, rejected: {}, superseded: 0, fileRejection: null };
    reports.push(report);
    const map = mapHeader(spec, header);
    if (!map.ok) {
      report.fileRejection = map.message;
      continue;
    }
    const validate = makeRowValidator(spec, map, known ? { isKnownCustomer: known } : {});
    const seen = new Set<string>();
    for (let i = 1; i < records.length; i++) {
      const r = records[i];
      if (r.error) {
        report.rejected[r.error.code] = (report.rejected[r.error.code] ?? 0) + 1;
        continue;
      }
      const v = validate(r.fields);
      if (!v.ok) {
        report.rejected[v.code] = (report.rejected[v.code] ?? 0) + 1;
        continue;
      }
      if (seen.has(v.key)) {
        report.superseded++;
        continue;
      }
      seen.add(v.key);
      onRow(v.row as Record<string, any>, file, r.line, r.raw);
    }
  }
  return reports;
}

/** Latest row per customer across the customers files (later file wins), keyed by customer_id. */
export function loadCustomers(dir: string): Map<string, Record<string, any>> {
  const customers = new Map<string, Record<string, any>>();
  scanEntity(dir, 'customers', (row) => customers.set(row.customer_id, row));
  return customers;
}
