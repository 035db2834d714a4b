import { describe, expect, it } from 'vitest';
import { isTransient, withRetry } from '../../../etl/run/retry.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('transient database errors', () => {
  it.each([
    ['08006', true], ['57P01', true], ['40001', true], ['40P01', true], ['53300', true], ['ECONNREFUSED', true],
    ['23505', false], ['42P01', false], ['22P02', false],
  ])('%s → transient %s', (code, transient) => {
    expect(isTransient(pgError(code as string))).toBe(transient);
  });

  it('recognises a terminated connection by its message', () => {
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isTransient(new Error('relation "x" does not exist'))).toBe(false);
  });

  it('retries transient failures with exponential backoff, then succeeds', async () => {
    let calls = 0;
    const delays: number[] = [];
    const result = await withRetry(async () => {
      if (++calls < 3) throw pgError('08006');
      return 'ok';
    }, { baseDelayMs: 1, onRetry: (_a, _e, d) => delays.push(d) });
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([1, 2]);
  });

  it('gives up after the last attempt, and never retries a permanent error', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw pgError('08006'); }, { attempts: 3, baseDelayMs: 1 })).rejects.toThrow();
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => { calls++; throw pgError('23505'); }, { baseDelayMs: 1 })).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
