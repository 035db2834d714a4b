import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../etl/config.ts';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      databaseUrl: undefined,
      home: path.resolve('/srv/app/.gridlens'),
      pgPort: 54329,
      tz: 'Asia/Shanghai',
    });
  });

  it('reads overrides, resolving GRIDLENS_HOME against cwd', () => {
    const c = loadConfig(
      { DATABASE_URL: 'postgres://u@h/db', GRIDLENS_HOME: 'state', GRIDLENS_PG_PORT: '6000', GRIDLENS_TZ: 'Europe/Berlin' },
      '/srv/app',
    );
    expect(c).toEqual({ databaseUrl: 'postgres://u@h/db', home: path.resolve('/srv/app/state'), pgPort: 6000, tz: 'Europe/Berlin' });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ', GRIDLENS_PG_PORT: '' }, '/x')).toMatchObject({ databaseUrl: undefined, pgPort: 54329 });
  });

  it.each([
    [{ GRIDLENS_PG_PORT: 'abc' }, /GRIDLENS_PG_PORT="abc" is not a TCP port/],
    [{ GRIDLENS_PG_PORT: '70000' }, /GRIDLENS_PG_PORT/],
    [{ GRIDLENS_TZ: 'Mars/Olympus' }, /GRIDLENS_TZ="Mars\/Olympus" is not an IANA time zone/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env, '/x')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/x')).toThrow(message);
  });
});
