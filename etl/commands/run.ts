// `etl run`: one ETL run now.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';
import { log } from '../log.ts';
import { stepProgress } from '../progress.ts';
import { runEtl } from '../run/run-etl.ts';
import { UsageError } from './usage-error.ts';

export const RUN_HELP = `Usage: npm run etl -- run [--inbox DIR] [--extracts DIR] [--full] [--json]

One ETL run now: load new files from the inbox (files already loaded, by
content, are skipped), refresh the rollups for what they touched, and publish
a new version of the extracts.

Options:
  --inbox DIR      the exports folder (default GRIDLENS_INBOX or data/inbox)
  --extracts DIR   where extract versions are published (default
                   GRIDLENS_EXTRACTS or data/extracts); <DIR>/current is live
  --full           rebuild every rollup from the core tables (same code)
  --json           print the run summary as one JSON object on stdout
  --help           this text

Exit codes: 0 the run completed (rejected rows do not fail a run), 1 it
failed, 2 bad usage. A run that finds another run in progress skips (exit 0).
`;

export async function runCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      inbox: { type: 'string' }, extracts: { type: 'string' }, full: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    }, strict: true }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const config = loadConfig();
  const inbox = resolve(values.inbox ?? config.inbox);
  const extracts = resolve(values.extracts ?? config.extracts);
  const handle = await openDatabase(config, { max: 4 });
  try {
    await migrate(handle.pool);
    const bars = stepProgress();
    const summary = await runEtl({
      pool: handle.pool, config, inbox, extracts, full: values.full === true, logger: log,
      onProgress: (step, done, total) => bars.update(step, done, total),
    });
    bars.finish();
    if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
    else printSummary(summary);
    return summary.status === 'failed' ? 1 : 0;
  } finally {
    await handle.close();
  }
}

function printSummary(s: Awaited<ReturnType<typeof runEtl>>): void {
  const out = process.stdout;
  if (s.status === 'skipped') {
    out.write('another ETL run is in progress: skipped\n');
    return;
  }
  out.write(`run ${s.run_id}: ${s.status} in ${s.seconds}s${s.extract_version ? `, published extracts ${s.extract_version}` : ''}${s.data_as_of ? `, data as of ${s.data_as_of}` : ''}\n`);
  if (s.error) out.write(`error: ${s.error}\n`);
  for (const f of s.files) {
    if (f.skipped) {
      out.write(`  ${f.file}: already loaded, skipped\n`);
    } else if (f.fileRejection) {
      out.write(`  ${f.file}: REJECTED — ${f.fileRejection.message}\n`);
    } else {
      const reasons = Object.entries(f.rejectedByReason).map(([k, v]) => `${k} ${v}`).join(', ');
      out.write(`  ${f.file}: read ${f.read}, loaded ${f.loaded}, rejected ${f.rejected}${reasons ? ` (${reasons})` : ''}, superseded ${f.superseded}\n`);
    }
  }
  out.write(`steps: ${Object.entries(s.steps).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ')}\n`);
}
