// An incremental sequence of nights yields marts identical to a full rebuild,
// and identical to loading everything in one run on a fresh warehouse.

import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedInbox, TMP } from '../../helpers/generated.ts';
import { etl, martChecksums, pipelineDatabase, type Pipeline } from './pipeline-helpers.ts';

const FIXTURE = { customers: 600, months: 4, seed: 9, end: '2026-10', surveyRate: 0.1 };
const SECRET = { GRIDLENS_PSEUDONYM_SECRET: 'incremental-test-secret-0123456789' };
let nightly: Pipeline;
let oneShot: Pipeline;
let source: string;

/** The month (YYYY-MM) a generated file belongs to. */
function fileMonth(name: string): string {
  const month = /(\d{4})-(\d{2})\.csv$/.exec(name);
  if (month) return `${month[1]}-${month[2]}`;
  const wave = /(\d{4})-Q(\d)\.csv$/.exec(name);
  if (wave) return `${wave[1]}-${String(Number(wave[2]) * 3 - 1).padStart(2, '0')}`;
  const campaign = /CMP(\d{4})(\d{2})\.csv$/.exec(name);
  if (campaign) return `${campaign[1]}-${campaign[2]}`;
  throw new Error(`no month in ${name}`);
}

beforeAll(async () => {
  source = generatedInbox(FIXTURE);
  nightly = await pipelineDatabase('nightly');
  oneShot = await pipelineDatabase('oneshot');
}, 120_000);

afterAll(async () => {
  await nightly?.close();
  await oneShot?.close();
});

describe('incremental runs', () => {
  it('night by night, then --full, then all at once on a fresh warehouse: identical marts', async () => {
    const entities = ['customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns'];
    const files = entities.flatMap((e) => readdirSync(join(source, e)).map((f) => `${e}/${f}`));
    const months = [...new Set(files.map((f) => fileMonth(f)))].sort();
    expect(months.length).toBe(FIXTURE.months);
    const inbox = join(TMP, 'pipeline', `incremental-inbox-${process.pid}`);
    for (const month of months) {
      for (const f of files.filter((x) => fileMonth(x) === month)) {
        mkdirSync(join(inbox, f.split('/')[0]), { recursive: true });
        copyFileSync(join(source, f), join(inbox, f));
      }
      const r = await etl(nightly, ['run', '--inbox', inbox, '--json'], SECRET);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.status).toBe('succeeded');
      // Each night loads only the new files.
      expect(s.files.filter((f: { skipped: boolean }) => !f.skipped).every((f: { file: string }) => fileMonth(f.file) === month)).toBe(true);
    }
    const incremental = await martChecksums(nightly.pool);
    expect(Object.keys(incremental).length).toBeGreaterThanOrEqual(7);

    const full = await etl(nightly, ['run', '--inbox', inbox, '--full', '--json'], SECRET);
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).full).toBe(true);
    expect(await martChecksums(nightly.pool)).toEqual(incremental);

    const once = await etl(oneShot, ['run', '--inbox', inbox, '--json'], SECRET);
    expect(once.code, once.stderr).toBe(0);
    expect(await martChecksums(oneShot.pool)).toEqual(incremental);
  }, 900_000);
});
