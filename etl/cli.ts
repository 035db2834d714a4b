// Gridlens ETL command line: `npm run etl -- <command> [options]`.
// Exit codes: 0 ok, 1 failed, 2 bad usage.

import { generateCommand } from './commands/generate.ts';
import { UsageError } from './commands/usage-error.ts';
import { describeError } from './run/describe-error.ts';

const HELP = `Usage: npm run etl -- <command> [options]

Commands:
  run        one ETL run now: inbox → warehouse → rollups → marts → extracts
  schedule   stay up and run the ETL nightly (node-cron, GRIDLENS_SCHEDULE)
  status     recent runs, their row accounting and durations, extract serving
  generate   write a demo utility's exports in the data-contract format
  migrate    create or upgrade the warehouse schema in PostgreSQL
  users      dashboard users, roles, regions and passwords (the users file)
  reports    print the usage report of every customer of an audience file to PDF

Run a command with --help for its options. DATABASE_URL selects a PostgreSQL
server; without it an embedded PostgreSQL is started under .gridlens/.
`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<Command>> = {
  generate: async () => generateCommand,
  migrate: async () => (await import('./commands/migrate.ts')).migrateCommand,
  run: async () => (await import('./commands/run.ts')).runCommand,
  status: async () => (await import('./commands/status.ts')).statusCommand,
  schedule: async () => (await import('./commands/schedule.ts')).scheduleCommand,
  users: async () => (await import('./serve/users-command.ts')).usersCommand,
  reports: async () => (await import('./commands/reports.ts')).reportsCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (e) {
    if (e instanceof UsageError || (e as Error | null)?.name === 'ConfigError') {
      process.stderr.write(`error: ${(e as Error).message}\n(run with --help for usage)\n`);
      return 2;
    }
    process.stderr.write(`error: ${describeError(e)}\n`);
    if (process.env.GRIDLENS_LOG_LEVEL === 'debug') process.stderr.write(`${(e as Error).stack}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
