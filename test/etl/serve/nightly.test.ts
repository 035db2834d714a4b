// The nightly ETL inside the serving process: runs on its cron schedule on the
// process's pool, publishes, and leaves the new version precompressed for the
// server; stop() waits for the run in progress.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../etl/config.ts';
import { migrate } from '../../../etl/db/migrate.ts';
import type { Logger, LogFields } from '../../../etl/log.ts';
import { startNightly } from '../../../etl/serve/nightly.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { pipelineDatabase, type Pipeline } from '../run/pipeline-helpers.ts';

let p: Pipeline;

beforeAll(async () => {
  p = await pipelineDatabase('nightly');
  // As in `npm start`: the schema exists before the schedule starts.
  await migrate(p.pool);
}, 120_000);
afterAll(async () => p?.close());

describe('startNightly', () => {
  it('runs the ETL on schedule and precompresses the version it published', async () => {
    const inbox = generatedInbox({ customers: 120, months: 2, seed: 41, end: '2026-10' });
    const events: [string, LogFields | undefined][] = [];
    const record = (event: string, fields?: LogFields) => void events.push([event, fields]);
    const logger: Logger = { debug: () => undefined, info: record, warn: record, error: record, child: () => logger };
    const config = loadConfig({
      ...process.env, DATABASE_URL: p.scratch.url, GRIDLENS_HOME: p.home, GRIDLENS_EXTRACTS: p.extracts, GRIDLENS_SCHEDULE: '*/2 * * * * *',
    });
    const nightly = startNightly({ pool: p.pool, config, inbox, logger });
    expect(nightly.nextRun()).toBeInstanceOf(Date);
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && !events.some(([e]) => e === 'extracts_precompressed')) await new Promise((r) => setTimeout(r, 200));
    await nightly.stop();

    const result = events.find(([e]) => e === 'scheduled_run_result')?.[1];
    expect(result?.status, JSON.stringify(events)).toBe('succeeded');
    const version = String(result!.extract_version);
    const dir = path.join(p.extracts, 'versions', version);
    expect(existsSync(path.join(dir, 'segment_month.arrow.br'))).toBe(true);
    expect(existsSync(path.join(dir, 'segment_month.arrow.gz'))).toBe(true);
    expect(existsSync(path.join(dir, 'manifest.json.br'))).toBe(true);
  }, 300_000);

  it('refuses an invalid schedule, naming the variable', () => {
    const config = loadConfig({ ...process.env, GRIDLENS_SCHEDULE: 'every night' });
    const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
    expect(() => startNightly({ pool: p.pool, config, inbox: '/nonexistent', logger: quiet }))
      .toThrow(/GRIDLENS_SCHEDULE="every night" is not a valid cron expression/);
  });
});
