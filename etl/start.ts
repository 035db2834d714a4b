// `npm start`: the product on demo data, from a fresh clone, with no database
// installed: the database (embedded unless DATABASE_URL is set), the warehouse
// schema, a demo utility in the inbox when the inbox is empty, an ETL run that
// publishes the extracts, the dashboard build (skipped when up to date), and
// one HTTP server (etl/serve/) for the build and the extracts behind sign-in
// (on first start an `admin` account whose generated password is printed
// once), with the nightly schedule running in the same process until Ctrl-C /
// SIGTERM.

import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { openDatabase, redactUrl } from './db/connection.ts';
import { migrate } from './db/migrate.ts';
import { formatYearMonth, lastCompleteMonth } from './generate/calendar.ts';
import { DEFAULT_INTERVALS, generateUtility } from './generate/generator.ts';
import { log } from './log.ts';
import { progress, stepProgress } from './progress.ts';
import { currentVersion } from './extract/versions.ts';
import { runEtl } from './run/run-etl.ts';
import { loadAuthConfig } from './serve/auth-config.ts';
import { createAuth } from './serve/auth.ts';
import { buildDashboard, DIST_DIR } from './serve/build-dashboard.ts';
import { precompressVersion, startNightly } from './serve/nightly.ts';
import { loadServeConfig } from './serve/serve-config.ts';
import { startServer } from './serve/server.ts';
import { loadOrCreateSessionSecret } from './serve/session-secret.ts';
import { ensureDefaultAccount, readUsersFile } from './serve/users-file.ts';

const DEMO = { customers: 2000, months: 24, seed: 1 };

async function main(): Promise<number> {
  const config = loadConfig();
  const serveConfig = loadServeConfig();
  const authConfig = loadAuthConfig(process.env, config.home);
  // An invalid users file, or none behind a proxy, fails now rather than after the ETL run.
  if ((await readUsersFile(authConfig.usersFile)) === null && authConfig.mode === 'proxy') {
    throw new Error(`GRIDLENS_AUTH=proxy: the users file ${authConfig.usersFile} does not exist; it gives each user the proxy names a role (README, "Users and roles").`);
  }
  const inbox = resolve(config.inbox);
  // Held for the life of the process: the nightly runs use it, and it keeps an embedded server up.
  const handle = await openDatabase(config, { max: 4 });
  try {
    const migrated = await migrate(handle.pool);
    log.info('schema_ready', { database: redactUrl(handle.url), embedded: handle.embedded, applied: migrated.applied.length });

    const inboxEmpty = !existsSync(inbox) || readdirSync(inbox).length === 0;
    if (inboxEmpty) {
      const end = lastCompleteMonth();
      const bar = progress('demo data');
      const result = generateUtility({ ...DEMO, end, out: inbox, dirty: false, intervals: DEFAULT_INTERVALS, surveyRate: 0.02, onProgress: (d, t) => bar.update(d, t) });
      bar.finish();
      log.info('demo_data_written', { inbox, end: formatYearMonth(end), rows: result.rows, seconds: Number(result.seconds.toFixed(1)) });
    } else {
      log.info('inbox_kept', { inbox, note: 'the inbox is not empty: no demo data generated' });
    }

    const bars = stepProgress();
    const summary = await runEtl({
      pool: handle.pool, config, inbox, extracts: config.extracts, full: false, logger: log,
      onProgress: (step, done, total) => bars.update(step, done, total),
    });
    bars.finish();
    if (summary.status === 'failed') {
      process.stderr.write(`gridlens: the ETL run failed: ${summary.error}\n`);
      // The last good extracts keep serving; with none there is nothing to show.
      if ((await currentVersion(config.extracts).catch(() => null)) === null) return 1;
      process.stderr.write(`gridlens: serving the last good extracts in ${config.extracts}/current; see \`npm run etl -- status\`.\n`);
    }
    const rows = summary.files.reduce((a, f) => ({ read: a.read + f.read, rejected: a.rejected + f.rejected }), { read: 0, rejected: 0 });

    const build = await buildDashboard({ logger: log });
    // Sign-in is always on: on first start an `admin` account with a generated password (printed below, once).
    const account = authConfig.mode === 'users' ? await ensureDefaultAccount(authConfig.usersFile, log) : null;
    const auth = createAuth({ config: authConfig, secret: await loadOrCreateSessionSecret(config.home, log), logger: log });
    let server;
    try {
      server = await startServer({ host: serveConfig.host, port: serveConfig.port, distDir: DIST_DIR, extractsDir: config.extracts, logger: log, auth, api: { pool: handle.pool, logger: log } });
    } catch (err) {
      // Nobody saw the new account's password: the next start makes another and prints that one.
      if (account) await rm(authConfig.usersFile, { force: true });
      throw err;
    }
    const nightly = startNightly({ pool: handle.pool, config, inbox, logger: log });
    // In the background: until the variants exist the server sends the extracts uncompressed.
    const compressing = precompressVersion(config.extracts, summary, log);
    process.stdout.write(
      [
        '',
        `Gridlens: warehouse on ${redactUrl(handle.url)}${handle.embedded ? ' (embedded PostgreSQL under ' + config.home + ')' : ''}.`,
        `ETL run ${summary.run_id ?? '(skipped: another run in progress)'}: ${summary.status}, ${rows.read} rows read from ${inbox}, ${rows.rejected} rejected;`,
        `extracts ${summary.extract_version ?? '(unchanged)'} in ${config.extracts}/current (data as of ${summary.data_as_of ?? 'n/a'}).`,
        build.skipped === 'no_dashboard' ? 'The dashboard has no sources yet (dashboard/index.html): only the extracts are served.' : `Dashboard build: ${build.built ? 'built' : 'up to date'} (${DIST_DIR}).`,
        `Dashboard: ${server.url}  (nightly ETL at "${config.schedule}" ${config.tz}, next ${nightly.nextRun()?.toISOString() ?? 'n/a'}; Ctrl-C stops)`,
        authConfig.mode === 'proxy'
          ? `Sign-in: through the proxy at ${authConfig.trustedProxies.join(', ')} (header ${authConfig.header}); roles in ${authConfig.usersFile}.`
          : account
            ? `First start: sign in as "${account.user}" with password ${account.password}\n  (shown this once: ${authConfig.usersFile} keeps only its hash; \`npm run etl -- users --help\` adds users and changes passwords).`
            : `Sign-in: users and roles in ${authConfig.usersFile} (\`npm run etl -- users --help\`).`,
        '',
      ].join('\n'),
    );

    await new Promise<void>((resolveStop) => {
      let stopping = false;
      // `on`, not `once`: while a listener remains, the embedded server's own
      // signal hook stops PostgreSQL without re-raising the signal, so we finish
      // the shutdown below. A second Ctrl-C does not wait.
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) process.exit(130);
        stopping = true;
        log.info('server_stopping', { signal });
        resolveStop();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    await nightly.stop();
    await compressing;
    log.info('server_stopped', {});
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log.error('start_failed', { err });
    process.stderr.write(`gridlens: ${(err as Error).message}\n`);
    process.exitCode = 1;
  },
);
