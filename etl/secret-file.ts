// A secret kept in a file under GRIDLENS_HOME (the pseudonym secret, the
// session-signing key): 32 random bytes as hex, made once with mode 0600 and
// hard-linked into place, so two processes starting at once agree on one and
// an existing secret is never replaced.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fsyncDir } from './extract/versions.ts';
import type { Logger } from './log.ts';

/** Writes a new secret to `file` unless one is there already (then the caller reads the winner's). */
export async function createSecretFileOnce(file: string, o: { createdEvent: string; logger?: Logger }): Promise<void> {
  const dir = path.dirname(file);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(randomBytes(32).toString('hex') + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.link(tmp, file); // never replaces: if another process won, use its secret
      o.logger?.info(o.createdEvent, { file });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await fsyncDir(dir);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
