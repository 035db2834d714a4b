// One line per event. Machine-readable JSON lines when stderr is not a TTY (CI,
// cron, pipes); a short readable line on a TTY. Logs go to stderr so stdout stays
// free for a command's actual output (e.g. `--json` results).
//
//   log.info('embedded_pg_started', { port: 54329, dataDir })
//   → {"ts":"2026-…","level":"info","event":"embedded_pg_started","port":54329,"dataDir":"…"}
//
// Level threshold: GRIDLENS_LOG_LEVEL = debug | info (default) | warn | error | silent.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ runId }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Minimum level written; 'silent' writes nothing. */
  level?: LogLevel | 'silent';
  /** JSON lines (true) or readable lines (false). Default: JSON unless the stream is a TTY. */
  json?: boolean;
  write?: (line: string) => void;
  isTTY?: boolean;
  now?: () => Date;
}

const RANK: Record<LogLevel | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export function parseLogLevel(value: string | undefined): LogLevel | 'silent' {
  const v = (value ?? '').trim().toLowerCase();
  return v in RANK ? (v as LogLevel | 'silent') : 'info';
}

/** Errors do not JSON.stringify (own props only): keep the useful parts. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const out: Record<string, unknown> = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}

function readable(value: unknown): string {
  const v = plain(value);
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  if (v !== null && typeof v === 'object') {
    const m = (v as { message?: unknown }).message;
    return typeof m === 'string' ? JSON.stringify(m) : JSON.stringify(v);
  }
  return String(v);
}

export function createLogger(options: LoggerOptions = {}, bound: LogFields = {}): Logger {
  const level = options.level ?? parseLogLevel(process.env.GRIDLENS_LOG_LEVEL);
  const write = options.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const isTTY = options.isTTY ?? Boolean(process.stderr.isTTY);
  const json = options.json ?? !isTTY;
  const now = options.now ?? (() => new Date());

  function emit(lvl: LogLevel, event: string, fields: LogFields = {}): void {
    if (RANK[lvl] < RANK[level]) return;
    const all = { ...bound, ...fields };
    if (json) {
      const rec: Record<string, unknown> = { ts: now().toISOString(), level: lvl, event };
      for (const [k, v] of Object.entries(all)) if (v !== undefined) rec[k] = plain(v);
      write(JSON.stringify(rec));
    } else {
      const t = now().toISOString().slice(11, 19);
      const kv = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${readable(v)}`)
        .join(' ');
      write(`${t} ${lvl.padEnd(5)} ${event}${kv ? ' ' + kv : ''}`);
    }
  }

  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    child: (fields) => createLogger({ ...options, level, write, isTTY, json, now }, { ...bound, ...fields }),
  };
}

/** The process-wide logger. */
export const log: Logger = createLogger();
