import { describe, expect, it } from 'vitest';
import { createLogger, parseLogLevel } from '../../etl/log.ts';

const now = () => new Date('2026-03-01T08:09:10.123Z');

describe('createLogger', () => {
  it('writes one JSON line per event when not on a TTY', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), isTTY: false, level: 'info', now });
    log.info('embedded_pg_started', { port: 54329, skip: undefined });
    log.error('failed', { err: Object.assign(new Error('boom'), { code: 'E1' }) });
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { ts: '2026-03-01T08:09:10.123Z', level: 'info', event: 'embedded_pg_started', port: 54329 },
      { ts: '2026-03-01T08:09:10.123Z', level: 'error', event: 'failed', err: { name: 'Error', message: 'boom', code: 'E1' } },
    ]);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('writes a readable line on a TTY', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), isTTY: true, level: 'info', now });
    log.warn('stale_lock', { pid: 12, dir: '/a b' });
    expect(lines).toEqual(['08:09:10 warn  stale_lock pid=12 dir="/a b"']);
  });

  it('filters below the level and adds child fields', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), json: true, level: 'warn', now }).child({ runId: 7 });
    log.info('hidden');
    log.warn('shown', { n: 1 });
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ ts: now().toISOString(), level: 'warn', event: 'shown', runId: 7, n: 1 }]);
  });

  it('parses GRIDLENS_LOG_LEVEL leniently', () => {
    expect(parseLogLevel('DEBUG')).toBe('debug');
    expect(parseLogLevel('silent')).toBe('silent');
    expect(parseLogLevel('loud')).toBe('info');
    expect(parseLogLevel(undefined)).toBe('info');
  });
});
