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
      inbox: path.resolve('/srv/app/data/inbox'),
      extracts: path.resolve('/srv/app/data/extracts'),
      schedule: '0 2 * * *',
      smeThresholdKwh: 50_000,
      suppressionK: 15,
      slaComplaintHours: 24,
      slaOutageMinutes: 45,
      pseudonymSecret: undefined,
      extractVersionsKept: 7,
    });
  });

  it('reads overrides, resolving GRIDLENS_HOME against cwd', () => {
    const c = loadConfig(
      { DATABASE_URL: 'postgres://u@h/db', GRIDLENS_HOME: 'state', GRIDLENS_PG_PORT: '6000', GRIDLENS_TZ: 'Europe/Berlin' },
      '/srv/app',
    );
    expect(c).toMatchObject({ databaseUrl: 'postgres://u@h/db', home: path.resolve('/srv/app/state'), pgPort: 6000, tz: 'Europe/Berlin' });
    expect(loadConfig({ GRIDLENS_INBOX: 'in', GRIDLENS_SUPPRESSION_K: '5', GRIDLENS_SCHEDULE: '30 1 * * *' }, '/srv/app')).toMatchObject({
      inbox: path.resolve('/srv/app/in'), suppressionK: 5, schedule: '30 1 * * *',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ DATABASE_URL: '  ', GRIDLENS_PG_PORT: '' }, '/x')).toMatchObject({ databaseUrl: undefined, pgPort: 54329 });
  });

  it.each([
    [{ GRIDLENS_PG_PORT: 'abc' }, /GRIDLENS_PG_PORT="abc" is not a TCP port/],
    [{ GRIDLENS_PG_PORT: '70000' }, /GRIDLENS_PG_PORT/],
    [{ GRIDLENS_TZ: 'Mars/Olympus' }, /GRIDLENS_TZ="Mars\/Olympus" is not an IANA time zone/],
    [{ GRIDLENS_SUPPRESSION_K: '-3' }, /GRIDLENS_SUPPRESSION_K="-3" must be a positive number/],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env, '/x')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/x')).toThrow(message);
  });
});
