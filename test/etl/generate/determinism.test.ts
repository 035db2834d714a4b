// The generator is deterministic per options: same options → byte-identical
// files, whether run in-process or through the CLI; another seed → other data.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateUtility } from '../../../etl/generate/generator.ts';
import { TMP, toGenerateOptions } from '../../helpers/generated.ts';

const made: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(TMP, 'determinism-'));
  made.push(d);
  return d;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

const options = { customers: 400, months: 5, seed: 11, end: '2026-03', dirty: true };

describe('generator determinism', () => {
  it('writes byte-identical files for the same options, in-process and through the CLI', () => {
    const a = tempDir();
    const b = tempDir();
    generateUtility(toGenerateOptions(options, a));
    const cli = join(tempDir(), 'inbox');
    execFileSync('npx', ['tsx', 'etl/cli.ts', 'generate', '--customers', '400', '--months', '5', '--seed', '11', '--end', '2026-03', '--dirty', '--out', cli, '--json'], { stdio: 'pipe' });
    generateUtility(toGenerateOptions(options, b));
    const da = digest(a);
    expect(Object.keys(da).length).toBeGreaterThan(20);
    expect(digest(b)).toEqual(da);
    expect(digest(cli)).toEqual(da);
  }, 120_000);

  it('writes different data for another seed', () => {
    const a = tempDir();
    const b = tempDir();
    generateUtility(toGenerateOptions(options, a));
    generateUtility(toGenerateOptions({ ...options, seed: 12 }, b));
    const da = digest(a);
    const db = digest(b);
    expect(da['usage/usage_2026-03.csv']).not.toEqual(db['usage/usage_2026-03.csv']);
    expect(da['customers/customers_2025-11.csv']).not.toEqual(db['customers/customers_2025-11.csv']);
  }, 120_000);

  it('rejects bad usage with exit code 2 and a message naming the option', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync('npx', ['tsx', 'etl/cli.ts', 'generate', '--customers', 'many', '--out', join(tempDir(), 'x')], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(status).toBe(2);
    expect(stderr).toContain('--customers must be a positive whole number');
  }, 60_000);
});
