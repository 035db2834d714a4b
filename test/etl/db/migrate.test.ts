// Pure checks of migration file handling (no database).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checksum, DEFAULT_MIGRATIONS_DIR, MigrationError, readMigrations } from '../../../etl/db/migrate.ts';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function folder(files: Record<string, string>): Promise<string> {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-migrations-'));
  for (const [name, sql] of Object.entries(files)) await fs.writeFile(path.join(dir, name), sql);
  return dir;
}

describe('readMigrations', () => {
  it('reads the repository migrations in version order, starting with the schemas', async () => {
    const files = await readMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(files[0]?.name).toBe('001_schemas.sql');
    expect(files.map((f) => f.version)).toEqual([...files.map((f) => f.version)].sort((a, b) => a - b));
    expect(new Set(files.map((f) => f.version)).size).toBe(files.length);
  });

  it('orders by number and ignores other files', async () => {
    const d = await folder({ '010_b.sql': 'select 2', '002_a.sql': 'select 1', 'README.md': '#' });
    expect((await readMigrations(d)).map((f) => f.name)).toEqual(['002_a.sql', '010_b.sql']);
  });

  it('rejects a badly named file, naming it', async () => {
    const d = await folder({ '001_ok.sql': '', 'Add-Table.sql': '' });
    await expect(readMigrations(d)).rejects.toThrow(MigrationError);
    await expect(readMigrations(d)).rejects.toThrow(/Add-Table\.sql: migration file names must look like/);
  });

  it('rejects two files with one version', async () => {
    const d = await folder({ '003_a.sql': '', '003_b.sql': '' });
    await expect(readMigrations(d)).rejects.toThrow(/003_a\.sql and 003_b\.sql have the same version 3/);
  });
});

describe('checksum', () => {
  it('ignores CRLF and a BOM, nothing else', () => {
    expect(checksum('\uFEFFa\r\nb\n')).toBe(checksum('a\nb\n'));
    expect(checksum('a\nb\n')).not.toBe(checksum('a\nb \n'));
  });
});
