// `npm run etl -- users …`: manage the users file (users-file.ts) without
// editing JSON or handling hashes by hand. A running server picks changes up
// on its next request.

import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { UsageError } from '../commands/usage-error.ts';
import { loadAuthConfig } from './auth-config.ts';
import { hashPassword } from './password.ts';
import { isRole, ROLES, type Role } from './roles.ts';
import { generatePassword, parseUsersFile, readUsersFile, writeUsersFile, type UserEntry } from './users-file.ts';

export const USERS_USAGE = `Usage: npm run etl -- users <action> [name] [options]

Actions:
  list                                   users, roles and regions (never passwords)
  add <name> --role <role> [--regions A,B] [--password-stdin | --no-password]
  set <name> [--role <role>] [--regions A,B | --all-regions]
  passwd <name> [--password-stdin]       new password (generated unless given on stdin)
  remove <name>

Roles: ${ROLES.join(', ')} (executive: aggregate extracts only; marketing: + the
customer extract and target lists; analyst: + the workbench; admin: everything).
--regions restricts a user to those regions' rows; without it they see every region.
A generated password is printed once; the file (GRIDLENS_USERS_FILE, default
<GRIDLENS_HOME>/users.json) keeps only its scrypt hash. --no-password: a user
who signs in through the proxy only (GRIDLENS_AUTH=proxy).

Exit codes: 0 ok, 1 failed, 2 bad usage.`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function regionsOf(value: string | undefined): string[] | null | undefined {
  if (value === undefined) return undefined;
  const list = [...new Set(value.split(',').map((r) => r.trim()).filter(Boolean))].sort();
  if (list.length === 0) throw new UsageError('--regions needs at least one region name (A,B,…); use --all-regions for every region');
  return list;
}

export async function usersCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        regions: { type: 'string' },
        'all-regions': { type: 'boolean' },
        'password-stdin': { type: 'boolean' },
        'no-password': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [action, name, ...extra] = positionals;
  if (values.help || !action) {
    process.stdout.write(USERS_USAGE + '\n');
    return action || values.help ? 0 : 2;
  }
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const config = loadConfig();
  const file = loadAuthConfig(process.env, config.home).usersFile;
  const users = (await readUsersFile(file)) ?? [];
  const find = (n: string) => users.findIndex((u) => u.name.toLowerCase() === n.toLowerCase());
  const needName = (): string => {
    if (!name) throw new UsageError(`users ${action} needs a user name`);
    return name;
  };
  const role = (): Role | undefined => {
    if (values.role === undefined) return undefined;
    if (!isRole(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    return values.role;
  };
  const save = async (next: UserEntry[]) => {
    parseUsersFile(JSON.stringify({ users: next.map((u) => ({ ...u, password: u.password ?? undefined })) }), file); // the same checks as the server
    await writeUsersFile(file, next);
  };
  const newPassword = async (): Promise<{ hash: string; shown: string | null }> => {
    const given = values['password-stdin'] ? await readStdin() : null;
    if (given !== null && given.length < 12) throw new UsageError('a password must have at least 12 characters');
    const password = given ?? generatePassword();
    return { hash: await hashPassword(password), shown: given === null ? password : null };
  };

  switch (action) {
    case 'list': {
      if (users.length === 0) process.stdout.write(`no users in ${file}\n`);
      for (const u of users) {
        process.stdout.write(`${u.name}\t${u.role}\t${u.regions ? u.regions.join(',') : 'all regions'}\t${u.password ? 'password' : 'proxy only'}\n`);
      }
      return 0;
    }
    case 'add': {
      const n = needName();
      if (find(n) >= 0) throw new UsageError(`user "${n}" exists already: use \`users set\` or \`users passwd\``);
      const r = role();
      if (!r) throw new UsageError('users add needs --role');
      const pw = values['no-password'] ? null : await newPassword();
      await save([...users, { name: n, role: r, regions: regionsOf(values.regions) ?? null, password: pw?.hash ?? null }]);
      process.stdout.write(`added ${n} (${r}) to ${file}\n`);
      if (pw?.shown) process.stdout.write(`password: ${pw.shown}\n(shown once: pass it on privately)\n`);
      return 0;
    }
    case 'set': {
      const n = needName();
      const i = find(n);
      if (i < 0) throw new UsageError(`no user "${n}" in ${file}`);
      if (values.regions !== undefined && values['all-regions']) throw new UsageError('--regions and --all-regions exclude each other');
      const u = users[i]!;
      const next = { ...u, role: role() ?? u.role, regions: values['all-regions'] ? null : (regionsOf(values.regions) ?? u.regions) };
      await save(users.map((x, j) => (j === i ? next : x)));
      process.stdout.write(`${next.name}: ${next.role}, ${next.regions ? next.regions.join(',') : 'all regions'}\n`);
      return 0;
    }
    case 'passwd': {
      const n = needName();
      const i = find(n);
      if (i < 0) throw new UsageError(`no user "${n}" in ${file}`);
      const pw = await newPassword();
      await save(users.map((x, j) => (j === i ? { ...x, password: pw.hash } : x)));
      process.stdout.write(`new password set for ${users[i]!.name}; their sessions have ended\n`);
      if (pw.shown) process.stdout.write(`password: ${pw.shown}\n(shown once: pass it on privately)\n`);
      return 0;
    }
    case 'remove': {
      const n = needName();
      const i = find(n);
      if (i < 0) throw new UsageError(`no user "${n}" in ${file}`);
      await save(users.filter((_, j) => j !== i));
      process.stdout.write(`removed ${users[i]!.name}; their sessions have ended\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown action "${action}": list, add, set, passwd or remove`);
  }
}
