// `etl status`: recent runs, their counts and durations, the last good extract.

import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';
import { lastGoodExtract, recentRuns } from '../run/run-log.ts';
import { STEP_ORDER } from '../run/run-etl.ts';
import { UsageError } from './usage-error.ts';

export const STATUS_HELP = `Usage: npm run etl -- status [--limit N] [--json]

Recent ETL runs (newest first) with status, duration, per-step times and row
accounting (read = loaded + rejected + superseded), and the extract version
now serving.

Options:
  --limit N   how many runs (default 10)
  --json      one JSON object on stdout
  --help      this text
`;

export async function statusCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { limit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(STATUS_HELP);
    return 0;
  }
  const limit = values.limit === undefined ? 10 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive whole number, got "${values.limit}"`);
  const config = loadConfig();
  const handle = await openDatabase(config, { max: 2 });
  try {
    await migrate(handle.pool);
    const runs = await recentRuns(handle.pool, limit);
    const last = await lastGoodExtract(handle.pool);
    if (values.json) {
      process.stdout.write(JSON.stringify({ runs, last_good_extract: last }) + '\n');
      return 0;
    }
    const out = process.stdout;
    out.write(last ? `serving extracts ${last.extract_version} (run ${last.run_id}, ${last.finished_at})\n` : 'no extracts published yet\n');
    if (runs.length === 0) out.write('no runs yet: npm run etl -- run\n');
    for (const r of runs) {
      out.write(`run ${r.id}  ${r.status.padEnd(9)} ${r.started_at}  ${r.seconds === null ? '…' : r.seconds.toFixed(1) + 's'}  files ${r.files} (${r.files_skipped} skipped)  read ${r.rows_read} = loaded ${r.rows_loaded} + rejected ${r.rows_rejected} + superseded ${r.rows_superseded}${r.extract_version ? '  → ' + r.extract_version : ''}\n`);
      // jsonb keeps keys sorted, not in run order: show them in run order.
      const order = (k: string): number => { const i = (STEP_ORDER as readonly string[]).indexOf(k); return i === -1 ? STEP_ORDER.length : i; };
      const steps = Object.entries(r.step_durations).sort(([a], [b]) => order(a) - order(b)).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ');
      if (steps) out.write(`        steps: ${steps}\n`);
      if (r.error) out.write(`        error: ${r.error}\n`);
    }
    return 0;
  } finally {
    await handle.close();
  }
}
