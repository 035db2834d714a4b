// Transient database errors (a dropped connection, a server restarting, a
// serialization failure or deadlock) are retried with exponential backoff.
// Safe because every step commits atomically: a retried step starts again from
// the last committed state. Anything else fails the run at once.

const TRANSIENT_SQLSTATE_PREFIXES = ['08', '57P']; // connection exceptions, operator intervention (shutdown)
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '53300']); // serialization, deadlock, too many connections
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code)) return true;
    if (TRANSIENT_SQLSTATE_PREFIXES.some((p) => code.startsWith(p))) return true;
  }
  const message = (err as Error | null)?.message ?? '';
  // "…connection error and is not queryable": node-postgres's answer on a client whose connection died between statements.
  return /Connection terminated|connection timeout|the database system is (starting up|shutting down)|connection error and is not queryable/i.test(message);
}

export interface RetryOptions {
  attempts?: number;
  baseDelayMs?: number;
  onRetry?: (attempt: number, err: unknown, delayMs: number) => void;
}

export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  const base = options.baseDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isTransient(err)) throw err;
      const delay = base * 2 ** (attempt - 1);
      options.onRetry?.(attempt, err, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
