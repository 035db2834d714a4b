// The bad-input corpus (test/fixtures/bad-input/, see its README): what a case
// is, reading it from disk, and building its inbox. Pure file handling; the
// database test (bad-input.db.test.ts) runs the cases through the real ETL.
//
// A case is a folder holding an inbox fragment (`<entity>/<file>.csv[.gz]`, the
// contract's inbox layout) and `expect.json`. Files that are binary or large
// are not committed: expect.json lists them under `generated` and
// bad-input-generated.ts writes them when the inbox is built.

import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ENTITY_NAMES } from '../../../etl/contract/entities.ts';
import { REASONS, type ReasonCode } from '../../../etl/contract/reasons.ts';
import { TMP } from '../../helpers/generated.ts';
import { GENERATED_FILES } from './bad-input-generated.ts';

export const CORPUS = resolve(import.meta.dirname, '../../fixtures/bad-input');

/** One row the ingest must quarantine. */
export interface RejectedRowExpectation {
  /** Physical line (1-based, the header is line 1) where the record starts. */
  line: number;
  code: ReasonCode;
  /** The column at fault, or null when the row as a whole is (wrong field count, a quote). */
  field: string | null;
  /** Substrings the message must contain (the value, the rule). */
  messageIncludes?: string[];
  /**
   * The raw line as stored. Default: the file's physical line `line`, decoded
   * independently of the ETL. Given for records the ETL keeps cut (a huge field).
   */
  raw?: { startsWith: string; length: number };
}

export interface LoadedFileExpectation {
  read: number;
  loaded: number;
  /** Lines replaced by a later line with the same key in the same file (default 0). */
  superseded?: number;
  /** Exactly the rows quarantined, any order. */
  rejected: RejectedRowExpectation[];
  /** 'utf-8' / 'gb18030' as detected, null for plain ASCII (checked when given). */
  encoding?: 'utf-8' | 'gb18030' | null;
  /** Substrings each of which some warning of the file must contain. */
  warningsInclude?: string[];
  /** Exact number of warnings (checked when given). */
  warningCount?: number;
}

export interface RejectedFileExpectation {
  rejectedWhole: { code: ReasonCode; messageIncludes: string[] };
}

export type FileExpectation = LoadedFileExpectation | RejectedFileExpectation;

/** A query over the warehouse after the run and the rows it must return, exactly and in order. */
export interface CoreExpectation {
  sql: string;
  rows: Record<string, unknown>[];
}

export interface ExtractExpectation {
  /** Strings (personal text) that must not occur in any published file, in any form. */
  absent?: string[];
  /** Values that must reach a mart's extract as plain string data, exactly. */
  present?: { mart: string; column: string; value: string }[];
}

export interface CaseExpectation {
  /** What the case feeds the ETL. */
  title: string;
  /** The data-contract rule it exercises (data-contract.md). */
  rule: string;
  /** Files written at run time by bad-input-generated.ts (not committed). */
  generated?: string[];
  /** Per inbox file (path relative to the inbox): whole-file rejection or row accounting. */
  files: Record<string, FileExpectation>;
  /** Warehouse content after the run: the good rows, with exact values. */
  core: CoreExpectation[];
  extracts?: ExtractExpectation;
}

export interface BadInputCase {
  name: string;
  dir: string;
  expect: CaseExpectation;
}

export const isRejectedWhole = (f: FileExpectation): f is RejectedFileExpectation => 'rejectedWhole' in f;

const EXPECT_FILE = 'expect.json';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** The inbox files a case has on disk (committed), relative to its folder. */
export function committedFiles(dir: string): string[] {
  return filesUnder(dir)
    .map((f) => relative(dir, f).split('\\').join('/'))
    .filter((f) => f !== EXPECT_FILE)
    .sort();
}

/** Problems with a case's own definition (so a typo in the corpus cannot make a test vacuous). */
export function caseProblems(c: BadInputCase): string[] {
  const problems: string[] = [];
  const onDisk = committedFiles(c.dir);
  const generated = c.expect.generated ?? [];
  const makers = GENERATED_FILES[c.name] ?? {};
  for (const f of generated) if (!(f in makers)) problems.push(`${f} is listed as generated but bad-input-generated.ts has no maker for it`);
  for (const f of Object.keys(makers)) if (!generated.includes(f)) problems.push(`bad-input-generated.ts makes ${f} but expect.json does not list it under "generated"`);
  const inbox = [...onDisk, ...generated].sort();
  const expected = Object.keys(c.expect.files).sort();
  if (JSON.stringify(inbox) !== JSON.stringify(expected)) problems.push(`files ${JSON.stringify(inbox)} ≠ expectations ${JSON.stringify(expected)}`);
  for (const f of inbox) {
    const [entity, ...rest] = f.split('/');
    if (!(ENTITY_NAMES as readonly string[]).includes(entity) || rest.length !== 1 || !/\.csv(\.gz)?$/i.test(f)) problems.push(`${f} is not <entity>/<name>.csv[.gz]`);
  }
  for (const [file, e] of Object.entries(c.expect.files)) {
    const codes = isRejectedWhole(e) ? [e.rejectedWhole.code] : e.rejected.map((r) => r.code);
    for (const code of codes) if (!(code in REASONS)) problems.push(`${file}: unknown reason code ${code}`);
    if (!isRejectedWhole(e) && e.read !== e.loaded + e.rejected.length + (e.superseded ?? 0)) {
      problems.push(`${file}: expected read ${e.read} ≠ loaded ${e.loaded} + rejected ${e.rejected.length} + superseded ${e.superseded ?? 0}`);
    }
  }
  if (!c.expect.title || !c.expect.rule) problems.push('expect.json needs a title and a rule');
  return problems;
}

export function loadCorpus(): BadInputCase[] {
  return readdirSync(CORPUS)
    .filter((name) => statSync(join(CORPUS, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(CORPUS, name);
      const file = join(dir, EXPECT_FILE);
      if (!existsSync(file)) throw new Error(`bad-input case ${name} has no ${EXPECT_FILE}`);
      return { name, dir, expect: JSON.parse(readFileSync(file, 'utf8')) as CaseExpectation };
    });
}

/** A fresh inbox folder with the case's committed and generated files. */
export function buildInbox(c: BadInputCase): string {
  const inbox = join(TMP, 'bad-input', `${c.name}-${process.pid}-${randomBytes(3).toString('hex')}`);
  for (const f of committedFiles(c.dir)) {
    mkdirSync(dirname(join(inbox, f)), { recursive: true });
    copyFileSync(join(c.dir, f), join(inbox, f));
  }
  for (const [f, make] of Object.entries(GENERATED_FILES[c.name] ?? {})) {
    mkdirSync(dirname(join(inbox, f)), { recursive: true });
    writeFileSync(join(inbox, f), make());
  }
  return inbox;
}
