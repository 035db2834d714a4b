// Settings of sign-in for `npm start`, from the environment (pure, like
// etl/config.ts and serve-config.ts):
//
// | variable                     | default                  | meaning                                    |
// |------------------------------|--------------------------|--------------------------------------------|
// | GRIDLENS_AUTH                | users                    | `users`: sign-in form, users file with     |
// |                              |                          | password hashes; `proxy`: a reverse proxy  |
// |                              |                          | names the user in a header                 |
// | GRIDLENS_USERS_FILE          | <GRIDLENS_HOME>/users.json | users, roles, regions, password hashes   |
// | GRIDLENS_SESSION_HOURS       | 12                       | how long a sign-in lasts                   |
// | GRIDLENS_COOKIE_SECURE       | false                    | `true` behind HTTPS: cookie sent over      |
// |                              |                          | HTTPS only                                 |
// | GRIDLENS_AUTH_PROXY_HEADER   | x-forwarded-user         | proxy mode: header naming the user         |
// | GRIDLENS_AUTH_PROXY_TRUSTED  | (required in proxy mode) | addresses of the reverse proxy, comma-     |
// |                              |                          | separated. proxy mode: the user header is  |
// |                              |                          | ignored from any other address. users      |
// |                              |                          | mode (a TLS proxy in front): the failure   |
// |                              |                          | limit counts the client address the proxy  |
// |                              |                          | adds to X-Forwarded-For, not the proxy's   |
//
// There is no setting that turns authentication off: the product always
// checks who asks. Tests, benchmarks and the Vite dev server pass
// `auth: { mode: 'none' }` to the server themselves.

import { isIP } from 'node:net';
import path from 'node:path';
import { ConfigError } from '../config.ts';
import { USERS_FILE_NAME } from './users-file.ts';

export type AuthConfig =
  | { mode: 'users'; usersFile: string; sessionHours: number; secureCookie: boolean; trustedProxies: string[] }
  | { mode: 'proxy'; usersFile: string; header: string; trustedProxies: string[] };

type Env = Record<string, string | undefined>;

const HEADER_RE = /^[a-z0-9][a-z0-9-]*$/;

export function loadAuthConfig(env: Env, home: string, cwd: string = process.cwd()): AuthConfig {
  const text = (name: string) => env[name]?.trim() || undefined;
  const mode = (text('GRIDLENS_AUTH') ?? 'users').toLowerCase();
  const usersFile = path.resolve(cwd, text('GRIDLENS_USERS_FILE') ?? path.join(home, USERS_FILE_NAME));
  const trusted = (text('GRIDLENS_AUTH_PROXY_TRUSTED') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  for (const a of trusted) if (isIP(a) === 0) throw new ConfigError(`GRIDLENS_AUTH_PROXY_TRUSTED: ${JSON.stringify(a)} is not an IP address.`);
  trusted.splice(0, trusted.length, ...trusted.map(normalizeAddress));
  if (mode === 'users') {
    const rawHours = text('GRIDLENS_SESSION_HOURS');
    const sessionHours = rawHours === undefined ? 12 : Number(rawHours);
    if (!Number.isFinite(sessionHours) || sessionHours <= 0 || sessionHours > 24 * 30) {
      throw new ConfigError(`GRIDLENS_SESSION_HOURS=${JSON.stringify(rawHours)} must be a number of hours above 0 and at most 720 (default 12).`);
    }
    const rawSecure = (text('GRIDLENS_COOKIE_SECURE') ?? 'false').toLowerCase();
    if (!['true', 'false', '1', '0', 'yes', 'no'].includes(rawSecure)) {
      throw new ConfigError(`GRIDLENS_COOKIE_SECURE=${JSON.stringify(rawSecure)} must be true or false (default false; true when users reach Gridlens over HTTPS).`);
    }
    return { mode, usersFile, sessionHours, secureCookie: ['true', '1', 'yes'].includes(rawSecure), trustedProxies: trusted };
  }
  if (mode === 'proxy') {
    const header = (text('GRIDLENS_AUTH_PROXY_HEADER') ?? 'x-forwarded-user').toLowerCase();
    if (!HEADER_RE.test(header) || header === 'cookie' || header === 'host') {
      throw new ConfigError(`GRIDLENS_AUTH_PROXY_HEADER=${JSON.stringify(header)} is not a usable header name (e.g. x-forwarded-user, x-remote-user).`);
    }
    if (trusted.length === 0) {
      throw new ConfigError(
        'GRIDLENS_AUTH=proxy needs GRIDLENS_AUTH_PROXY_TRUSTED: the address(es) the proxy connects from (e.g. 127.0.0.1), ' +
          'so that nobody else can name themselves in the header.',
      );
    }
    return { mode, usersFile, header, trustedProxies: trusted };
  }
  throw new ConfigError(
    `GRIDLENS_AUTH=${JSON.stringify(mode)}: use \`users\` (sign-in form, the default) or \`proxy\` (a reverse proxy names the user). ` +
      'Authentication cannot be turned off for `npm start`.',
  );
}

/** An address as the socket reports it, IPv4-mapped IPv6 (::ffff:1.2.3.4) as plain IPv4. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return m ? m[1]! : a;
}
