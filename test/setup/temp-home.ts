// Temporary GRIDLENS_HOME folders under test/.tmp (git-ignored), for tests that
// run their own embedded server.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidState, stopServerAt } from '../../etl/db/embedded.ts';

export const TMP_ROOT = fileURLToPath(new URL('../.tmp/', import.meta.url));
const RUNNER_FILE = 'runner.pid';

/**
 * A new empty folder test/.tmp/<label>-<pid>-<random>, world-searchable (0755):
 * as root the embedded server runs as OS user `postgres`, which must reach it.
 * It records the creating pid so cleanLeftoverHomes() can tell leftovers.
 */
export async function newTempHome(label: string): Promise<string> {
  await fs.mkdir(TMP_ROOT, { recursive: true, mode: 0o755 });
  await fs.chmod(TMP_ROOT, 0o755);
  const home = path.join(TMP_ROOT, `${label}-${process.pid}-${randomBytes(3).toString('hex')}`);
  await fs.mkdir(home, { mode: 0o755 });
  await fs.chmod(home, 0o755); // mkdir's mode is filtered by the umask
  await fs.writeFile(path.join(home, RUNNER_FILE), String(process.pid));
  return home;
}

/** Stops servers and deletes homes left by test processes that died (their runner pid is gone). */
export async function cleanLeftoverHomes(): Promise<void> {
  const names = await fs.readdir(TMP_ROOT).catch(() => [] as string[]);
  for (const name of names) {
    const home = path.join(TMP_ROOT, name);
    const runner = Number.parseInt(await fs.readFile(path.join(home, RUNNER_FILE), 'utf8').catch(() => ''), 10);
    if (!runner || pidState(runner) === 'running') continue;
    await stopServerAt(home).catch(() => undefined);
    await fs.rm(home, { recursive: true, force: true });
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
