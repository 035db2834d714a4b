// The one typed configuration object, read from the environment.
//
// | variable            | default                    | meaning                                        |
// |---------------------|----------------------------|------------------------------------------------|
// | DATABASE_URL        | (unset → embedded server)  | PostgreSQL to use; unset starts the embedded   |
// |                     |                            | PostgreSQL 18 under GRIDLENS_HOME/pg           |
// | GRIDLENS_HOME       | <cwd>/.gridlens            | local state: embedded data dir `pg/`, … (git-  |
// |                     |                            | ignored)                                       |
// | GRIDLENS_PG_PORT    | 54329                      | port of the embedded server (127.0.0.1 only)   |
// | GRIDLENS_TZ         | Asia/Shanghai              | the utility's time zone: "day" and "hour of    |
// |                     |                            | day" and offset-less timestamps in files       |
// | GRIDLENS_LOG_LEVEL  | info                       | read by etl/log.ts (debug|info|warn|error|     |
// |                     |                            | silent)                                        |
// | GRIDLENS_INBOX      | <cwd>/data/inbox           | where the source systems drop their exports    |
// | GRIDLENS_EXTRACTS   | <cwd>/data/extracts        | published extract versions; current/ is live   |
// | GRIDLENS_SCHEDULE   | 0 2 * * *                  | cron expression of the nightly run (in TZ)     |
// | GRIDLENS_SME_THRESHOLD_KWH | 50000               | commercial customers under this annual kWh are |
// |                     |                            | the SME segment                                |
// | GRIDLENS_SUPPRESSION_K | 15                      | aggregate cells with fewer customers are       |
// |                     |                            | suppressed in extracts                         |
// | GRIDLENS_SLA_COMPLAINT_HOURS | 24                | first-response target for complaints           |
// | GRIDLENS_SLA_OUTAGE_MINUTES | 45                 | first-response target for outage reports       |
// | GRIDLENS_PSEUDONYM_SECRET | (file)               | secret of the pseudonymous customer key; unset |
// |                     |                            | → GRIDLENS_HOME/pseudonym.secret, made once    |
// | GRIDLENS_EXTRACT_VERSIONS | 7                    | extract versions kept                          |
//
// To add a setting: add a field to `Config`, parse it in `loadConfig` with one of
// the small parsers below, and add a row to the table above.

import path from 'node:path';

export interface Config {
  /** External PostgreSQL URL, or undefined to use the embedded server. */
  databaseUrl: string | undefined;
  /** Absolute path of the local state directory. */
  home: string;
  /** Port of the embedded PostgreSQL server. */
  pgPort: number;
  /** IANA time zone of the utility. */
  tz: string;
  inbox: string;
  extracts: string;
  /** node-cron expression of the nightly run, evaluated in `tz`. */
  schedule: string;
  smeThresholdKwh: number;
  suppressionK: number;
  slaComplaintHours: number;
  slaOutageMinutes: number;
  /** Explicit pseudonym secret; undefined → a secret file under `home`. */
  pseudonymSecret: string | undefined;
  extractVersionsKept: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function port(env: Env, name: string, fallback: number): number {
  const v = text(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new ConfigError(`${name}=${JSON.stringify(v)} is not a TCP port: use an integer 1–65535 (default ${fallback}).`);
  }
  return n;
}

function timeZone(env: Env, name: string, fallback: string): string {
  const v = text(env, name) ?? fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
  } catch {
    throw new ConfigError(`${name}=${JSON.stringify(v)} is not an IANA time zone: use e.g. Asia/Shanghai.`);
  }
  return v;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const v = text(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new ConfigError(`${name}=${JSON.stringify(v)} must be a positive number (default ${fallback}).`);
  }
  return n;
}

/**
 * Reads the configuration. Pure: depends only on its arguments (no I/O), so it
 * is safe to call anywhere and easy to test. Throws ConfigError naming the
 * variable when a value is invalid.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  return {
    databaseUrl: text(env, 'DATABASE_URL'),
    home: path.resolve(cwd, text(env, 'GRIDLENS_HOME') ?? '.gridlens'),
    pgPort: port(env, 'GRIDLENS_PG_PORT', 54329),
    tz: timeZone(env, 'GRIDLENS_TZ', 'Asia/Shanghai'),
    inbox: path.resolve(cwd, text(env, 'GRIDLENS_INBOX') ?? 'data/inbox'),
    extracts: path.resolve(cwd, text(env, 'GRIDLENS_EXTRACTS') ?? 'data/extracts'),
    schedule: text(env, 'GRIDLENS_SCHEDULE') ?? '0 2 * * *',
    smeThresholdKwh: positiveNumber(env, 'GRIDLENS_SME_THRESHOLD_KWH', 50_000),
    suppressionK: positiveNumber(env, 'GRIDLENS_SUPPRESSION_K', 15),
    slaComplaintHours: positiveNumber(env, 'GRIDLENS_SLA_COMPLAINT_HOURS', 24),
    slaOutageMinutes: positiveNumber(env, 'GRIDLENS_SLA_OUTAGE_MINUTES', 45),
    pseudonymSecret: text(env, 'GRIDLENS_PSEUDONYM_SECRET'),
    extractVersionsKept: positiveNumber(env, 'GRIDLENS_EXTRACT_VERSIONS', 7),
  };
}
