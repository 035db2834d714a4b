// The users file (GRIDLENS_USERS_FILE, default <GRIDLENS_HOME>/users.json):
// who may sign in, with which role, restricted to which regions. JSON an
// administrator can edit by hand (users-cli.ts does it for them):
//
//   { "users": [
//       { "name": "admin", "role": "admin", "password": "scrypt$N=32768,r=8,p=1$…$…" },
//       { "name": "east", "role": "marketing", "regions": ["East"], "password": "scrypt$…" },
//       { "name": "ceo@utility.cn", "role": "executive" }            ← proxy mode: no password
//   ] }
//
// `regions` absent or null = every region. Parsing is pure; the store re-reads
// the file when it changes (size or mtime), so edits apply without a restart,
// and refuses every sign-in while the file is invalid (fail closed).

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { hashPassword, parsePasswordHash } from './password.ts';
import { isRole, ROLES, type Role } from './roles.ts';

export const USERS_FILE_NAME = 'users.json';
/** The account made on first start (printed once with its generated password). */
export const DEFAULT_ADMIN = 'admin';

export interface UserEntry {
  name: string;
  role: Role;
  /** null = every region. */
  regions: string[] | null;
  /** scrypt hash (password.ts); null: the user signs in through the proxy only. */
  password: string | null;
}

export class UsersFileError extends Error {
  override name = 'UsersFileError';
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;

/** The users of a users file's text; throws UsersFileError naming the file, the entry and what to fix. */
export function parseUsersFile(text: string, file: string): UserEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsersFileError(`${file} is not valid JSON (${(err as Error).message}): fix it, or move it away to have a new admin account made on the next start.`);
  }
  const list = (doc as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) throw new UsersFileError(`${file} must hold an object with a "users" array.`);
  const seen = new Set<string>();
  return list.map((raw: unknown, i) => {
    const where = `${file}: users[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new UsersFileError(`${where} is not an object.`);
    const u = raw as Record<string, unknown>;
    const name = u.name;
    if (typeof name !== 'string' || !NAME_RE.test(name)) {
      throw new UsersFileError(`${where}: "name" must be 1–64 letters, digits or . _ @ + - (starting with a letter or digit), not ${JSON.stringify(name)}.`);
    }
    const key = name.toLowerCase();
    if (seen.has(key)) throw new UsersFileError(`${where}: the name "${name}" appears twice (names are compared ignoring case).`);
    seen.add(key);
    if (!isRole(u.role)) throw new UsersFileError(`${where} ("${name}"): "role" must be one of ${ROLES.join(', ')}, not ${JSON.stringify(u.role)}.`);
    let regions: string[] | null = null;
    if (u.regions !== undefined && u.regions !== null) {
      if (!Array.isArray(u.regions) || u.regions.length === 0 || !u.regions.every((r) => typeof r === 'string' && r.trim() !== '')) {
        throw new UsersFileError(`${where} ("${name}"): "regions" must be a non-empty list of region names, or absent for every region.`);
      }
      regions = [...new Set((u.regions as string[]).map((r) => r.trim()))].sort();
    }
    let password: string | null = null;
    if (u.password !== undefined && u.password !== null) {
      if (typeof u.password !== 'string' || !parsePasswordHash(u.password)) {
        throw new UsersFileError(
          `${where} ("${name}"): "password" is not a scrypt hash this server makes (scrypt$N=…,r=…,p=…$salt$key): ` +
            `set it with \`npm run users -- passwd ${name}\`, never as plain text.`,
        );
      }
      password = u.password;
    }
    return { name, role: u.role, regions, password };
  });
}

export function formatUsersFile(users: readonly UserEntry[]): string {
  const list = users.map((u) => ({
    name: u.name,
    role: u.role,
    ...(u.regions ? { regions: u.regions } : {}),
    ...(u.password ? { password: u.password } : {}),
  }));
  return JSON.stringify({ users: list }, null, 2) + '\n';
}

/** The users of `file`, or null when it does not exist. */
export async function readUsersFile(file: string): Promise<UserEntry[] | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  return parseUsersFile(text, file);
}

/** Replaces `file` atomically (temporary file, fsync, rename), readable by its owner only: it holds password hashes. */
export async function writeUsersFile(file: string, users: readonly UserEntry[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(formatUsersFile(users));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** A random password of 20 URL-safe characters (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}

/**
 * On first start (no users file yet): makes the file with one `admin` account
 * and a generated password, and returns that password — the only time it is
 * known in clear; the file holds its hash. Two processes starting at once
 * agree on one file (made under a temporary name, then hard-linked into place,
 * which never replaces). Returns null when the file exists already.
 */
export async function ensureDefaultAccount(file: string, logger?: Logger): Promise<{ user: string; password: string } | null> {
  if ((await readUsersFile(file)) !== null) return null;
  const password = generatePassword();
  const users: UserEntry[] = [{ name: DEFAULT_ADMIN, role: 'admin', regions: null, password: await hashPassword(password) }];
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fh = await fs.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(formatUsersFile(users));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fs.link(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null; // another process made it first
      throw err;
    }
  } finally {
    await fs.rm(tmp, { force: true });
  }
  logger?.info('users_file_created', { file, user: DEFAULT_ADMIN });
  return { user: DEFAULT_ADMIN, password };
}

export interface UsersStore {
  /** The user named `name` (ignoring case), or null. Throws UsersFileError while the file is missing or invalid. */
  lookup(name: string): Promise<UserEntry | null>;
}

/** Reads `file` when its size or mtime changed since the last read (a stat per lookup, nothing more). */
export function createUsersStore(file: string, logger?: Logger): UsersStore {
  let cached: { size: number; mtimeMs: number; users: Map<string, UserEntry> } | null = null;
  return {
    async lookup(name) {
      let st;
      try {
        st = await fs.stat(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsersFileError(`the users file ${file} does not exist: restart Gridlens to make one, or create it (README, "Users and roles").`);
        throw err;
      }
      if (!cached || cached.size !== st.size || cached.mtimeMs !== st.mtimeMs) {
        cached = null;
        const users = parseUsersFile(await fs.readFile(file, 'utf8'), file);
        if ((st.mode & 0o077) !== 0) logger?.warn('users_file_readable_by_others', { file, mode: (st.mode & 0o777).toString(8) });
        cached = { size: st.size, mtimeMs: st.mtimeMs, users: new Map(users.map((u) => [u.name.toLowerCase(), u])) };
        logger?.info('users_file_loaded', { file, users: users.length });
      }
      return cached.users.get(name.toLowerCase()) ?? null;
    },
  };
}
