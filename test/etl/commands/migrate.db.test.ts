import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrateCommand } from '../../../etl/commands/migrate.ts';
import { readMigrations } from '../../../etl/db/migrate.ts';
import { createScratchDatabase } from '../../helpers/db.ts';

function capture() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('migrateCommand', () => {
  it('prints usage for --help', async () => {
    const io = capture();
    expect(await migrateCommand(['--help'])).toBe(0);
    expect(io.out()).toMatch(/^Usage: gridlens migrate/);
  });

  it('exits 2 on an unknown option', async () => {
    const io = capture();
    expect(await migrateCommand(['--frobnicate'])).toBe(2);
    expect(io.err()).toMatch(/Unknown option '--frobnicate'/);
  });

  it('exits 2 on an invalid setting', async () => {
    vi.stubEnv('GRIDLENS_PG_PORT', 'nope');
    const io = capture();
    expect(await migrateCommand([])).toBe(2);
    expect(io.err()).toMatch(/GRIDLENS_PG_PORT/);
  });

  it('migrates DATABASE_URL and reports JSON, hiding the password', async () => {
    const scratch = await createScratchDatabase('cmd');
    try {
      const url = new URL(scratch.url);
      url.password = url.password || 'unused-secret'; // trust auth ignores it; it must not be printed
      vi.stubEnv('DATABASE_URL', url.toString());
      const io = capture();
      expect(await migrateCommand(['--json'])).toBe(0);
      const result = JSON.parse(io.out());
      expect(result).toMatchObject({ ok: true, embedded: false, skipped: 0 });
      expect(result.applied).toEqual((await readMigrations()).map((f) => f.name));
      expect(io.out()).not.toContain(`:${url.password}@`);
      expect(await migrateCommand(['--json'])).toBe(0);
    } finally {
      vi.restoreAllMocks();
      await scratch.drop();
    }
  });
});
