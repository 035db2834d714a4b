// The key that signs session cookies: <GRIDLENS_HOME>/session.secret, 32
// random bytes (64 hex digits), made on first start with mode 0600 and
// hard-linked into place so two processes starting at once agree on one.
// It lives with the server's state, never in the extracts folder. Deleting it
// signs everybody out (every cookie's signature fails); nothing else breaks.

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { createSecretFileOnce } from '../secret-file.ts';

export const SESSION_SECRET_FILE = 'session.secret';
const MIN_HEX = 64;

export async function loadOrCreateSessionSecret(home: string, logger?: Logger): Promise<Buffer> {
  const file = path.join(home, SESSION_SECRET_FILE);
  const existing = await readSecret(file, logger);
  if (existing) return existing;
  await createSecretFileOnce(file, { createdEvent: 'session_secret_created', logger });
  const created = await readSecret(file, logger);
  if (!created) throw new Error(`${file} vanished right after it was created`);
  return created;
}

async function readSecret(file: string, logger?: Logger): Promise<Buffer | null> {
  let text: string;
  try {
    text = (await fs.readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (!/^[0-9a-f]+$/i.test(text) || text.length < MIN_HEX) {
    throw new Error(`${file} holds no usable session secret (need ${MIN_HEX} hex digits): delete it to have a new one made on the next start (everybody signs in again).`);
  }
  const { mode } = await fs.stat(file);
  if ((mode & 0o077) !== 0) logger?.warn('session_secret_readable_by_others', { file, mode: (mode & 0o777).toString(8) });
  return Buffer.from(text, 'hex');
}
