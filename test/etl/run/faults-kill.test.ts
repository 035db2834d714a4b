// A run SIGKILLed anywhere: at each fault point (etl/run/fault-point.ts) the
// ETL process dies; the real server (etl/serve/server.ts) keeps serving the
// last good version, whole and consistent, while the run dies and after; the
// next normal run converges to exactly what one uninterrupted run gives: every
// mart (martChecksums) and the published extracts' content and manifest.
//
// One template database (migrated, the first months loaded and published) is
// cloned for the baseline and for each kill point of a nightly run; the first
// run's kill points start from an empty database and converge to the template.
// Runs in the `service` project only: it makes its own databases.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import {
  faultDatabase, faultPool, fileMonth, sleep, ROOT, inboxUpTo, leftovers, killLeftoverChildren, newFaultDir, publishedState, runEtlCli, servedVersion, watchServer,
  FAULT_FIXTURE, type FaultDatabase, type PublishedState,
} from './faults-helpers.ts';
import { martChecksums } from './pipeline-helpers.ts';

type Night = 'first' | 'next';

/**
 * Where a run can die, in the order a run reaches them. `next`: a nightly run
 * over a warehouse that has published (the last month's files are new);
 * `first`: the very first run on an empty warehouse, nothing published yet.
 */
const KILL_POINTS: { point: string; night: Night }[] = [
  { point: 'run:locked', night: 'next' }, // run lock held, no run row yet
  { point: 'ingest:copy', night: 'next' }, // a file's rows sent into an open COPY
  { point: 'ingest:merge', night: 'next' }, // a file merged into core, not committed
  { point: 'ingest:file-committed', night: 'next' }, // one new file committed, the others not loaded
  { point: 'run:ingested', night: 'next' }, // every file committed, rollups not refreshed
  { point: 'pseudonyms:keying', night: 'first' }, // keys inserted, not committed (no later night of this utility has new customers)
  { point: 'rollups:refresh', night: 'next' }, // mid rollup transaction
  { point: 'run:rolled-up', night: 'next' }, // rollups committed (pending keys consumed), marts and extracts not
  { point: 'marts:install', night: 'next' }, // mart views dropped, not yet re-created (one transaction)
  { point: 'extracts:write', night: 'next' }, // one extract file written in the partial folder
  { point: 'extracts:manifest', night: 'next' }, // manifest.json created, empty
  { point: 'extracts:manifest', night: 'first' }, // the same with no `current` at all
  { point: 'extracts:renamed', night: 'next' }, // complete version folder, `current` not switched
  { point: 'extracts:switched', night: 'next' }, // published, the run not recorded as finished
];

let dir: string;
let all: string;
let before: string;
let template: FaultDatabase;
let templateExtracts: string;
let templateVersion: string;
let emptyDist: string;
/** What an uninterrupted run leaves: `first` on the empty warehouse (= the template), `next` on the template. */
const expected = {} as Record<Night, { marts: Record<string, string>; published: PublishedState }>;
const cleanups: (() => Promise<void>)[] = [];
const drops: FaultDatabase[] = [];

interface World {
  env: Record<string, string>;
  extracts: string;
  pool: pg.Pool;
  server: RunningServer;
}

/**
 * A database and extracts folder for one test, and a server on that folder:
 * for `next` copies of the template's, for `first` empty (the CLI migrates).
 */
async function world(label: string, night: Night): Promise<World> {
  const db = await faultDatabase(label, night === 'next' ? template.name : undefined);
  const extracts = join(dir, label, 'extracts');
  if (night === 'next') await fs.cp(templateExtracts, extracts, { recursive: true, verbatimSymlinks: true });
  else await fs.mkdir(extracts, { recursive: true });
  const server = await startServer({ host: '127.0.0.1', port: 0, distDir: emptyDist, extractsDir: extracts });
  const pool = faultPool(db.url);
  cleanups.push(async () => {
    await server.close();
    await pool.end();
  });
  drops.push(db);
  return { env: { DATABASE_URL: db.url, GRIDLENS_HOME: join(dir, label, 'home'), GRIDLENS_EXTRACTS: extracts }, extracts, pool, server };
}

const runNight = (w: World, night: Night, extra: Record<string, string> = {}) =>
  runEtlCli(['run', '--inbox', night === 'first' ? before : all, '--json'], { ...w.env, ...extra });

beforeAll(async () => {
  dir = newFaultDir('kill');
  emptyDist = join(dir, 'dist');
  await fs.mkdir(emptyDist);
  all = generatedInbox(FAULT_FIXTURE);
  const months = [...new Set((await fs.readdir(join(all, 'usage'))).map(fileMonth))].sort();
  expect(months.length).toBe(FAULT_FIXTURE.months);
  before = inboxUpTo(all, months[months.length - 2]!, join(dir, 'inbox-before'));

  template = await faultDatabase('ktemplate');
  drops.push(template);
  templateExtracts = join(dir, 'template', 'extracts');
  const first = await runEtlCli(['run', '--inbox', before, '--json'], {
    DATABASE_URL: template.url, GRIDLENS_HOME: join(dir, 'template', 'home'), GRIDLENS_EXTRACTS: templateExtracts,
  });
  expect(first.code, first.stderr).toBe(0);
  templateVersion = JSON.parse(first.stdout).extract_version;
  const templatePool = faultPool(template.url);
  expected.first = { marts: await martChecksums(templatePool), published: publishedState(templateExtracts) };
  await templatePool.end(); // a template database must have no sessions

  // The uninterrupted nightly run: what every `next` recovery must reach.
  const w = await world('baseline', 'next');
  const r = await runNight(w, 'next');
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).status).toBe('succeeded');
  expected.next = { marts: await martChecksums(w.pool), published: publishedState(w.extracts) };
  expect(Object.keys(expected.next.marts).length).toBeGreaterThanOrEqual(9);
  // The new month changes what is published: a recovery that stayed on the old state would be caught.
  expect(expected.next.published.tables).not.toEqual(expected.first.published.tables);
  expect(expected.next.marts).not.toEqual(expected.first.marts);
}, 300_000);

afterAll(async () => {
  killLeftoverChildren();
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  // At once: each DROP DATABASE waits for a checkpoint, and concurrent ones share it.
  await Promise.all(drops.map((d) => d.drop().catch(() => undefined)));
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('a run SIGKILLed at a fault point', () => {
  for (const { point, night } of KILL_POINTS) {
    it(`${point} (${night} run): the last good version serves throughout; the next run converges`, async () => {
      const w = await world(`${night}-${point.replace(':', '-')}`, night);
      const previous = night === 'next' ? templateVersion : null; // null: nothing published (404)
      expect(await servedVersion(w.server.url)).toBe(previous);

      const watch = watchServer(w.server.url);
      const killed = await runNight(w, night, { GRIDLENS_FAULT_POINT: point });
      const seen = await watch.stop();
      expect(killed.signal, `${point} was not reached: ${killed.stdout}${killed.stderr}`).toBe('SIGKILL');
      expect(killed.stderr).toContain(`fault point ${point}: SIGKILL`);
      expect(seen.errors).toEqual([]);
      expect(seen.requests).toBeGreaterThan(0);

      // Until `current` is switched the previous version serves; the switch itself is the publish.
      const after = await servedVersion(w.server.url);
      if (point === 'extracts:switched') {
        expect(after).not.toBe(previous);
        expect(seen.versions.every((v) => v === previous || v === after)).toBe(true);
        expect(publishedState(w.extracts).tables).toEqual(expected[night].published.tables);
      } else {
        expect(after).toBe(previous);
        expect(seen.versions).toEqual([previous]);
      }

      const next = await runNight(w, night);
      expect(next.code, next.stderr).toBe(0);
      const summary = JSON.parse(next.stdout);
      expect(summary.status).toBe('succeeded');
      expect(await martChecksums(w.pool)).toEqual(expected[night].marts);
      const state = publishedState(w.extracts);
      expect(state.version).toBe(summary.extract_version);
      expect(state.tables).toEqual(expected[night].published.tables);
      expect(state.manifest).toEqual(expected[night].published.manifest);
      expect(await servedVersion(w.server.url)).toBe(summary.extract_version);
      // The killed run's partial folder or temporary link is cleaned up by the next publish.
      expect(await leftovers(w.extracts)).toEqual([]);

      // The run log: the killed run is marked abandoned (it has a row unless killed before making it).
      const { rows } = await w.pool.query<{ status: string }>('select status from ops.etl_run order by id');
      const earlier = night === 'next' ? ['succeeded'] : [];
      expect(rows.map((r) => r.status)).toEqual([...earlier, ...(point === 'run:locked' ? [] : ['abandoned']), 'succeeded']);
    }, 120_000);
  }
});

describe('the server SIGKILLed while it precompresses an extract', () => {
  it('precompress:write: the half-made variant is never served; the next server makes it again, whole', async () => {
    const extracts = join(dir, 'precompress', 'extracts');
    await fs.cp(templateExtracts, extracts, { recursive: true, verbatimSymlinks: true });
    const manifest = JSON.parse(readFileSync(join(extracts, 'current', 'manifest.json'), 'utf8'));
    const file = [...manifest.files].sort((a, b) => b.bytes - a.bytes)[0]; // compressible: over 1 KB
    const versionDir = join(extracts, 'versions', manifest.version);
    const path = `extracts/versions/${manifest.version}/${file.file}`;
    const sha256 = (b: ArrayBuffer) => createHash('sha256').update(Buffer.from(b)).digest('hex');

    // The server in a process of its own, dying at the fault point.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/etl/run/faults-serve-fixture.ts', emptyDist, extracts], {
      cwd: ROOT, env: { ...process.env, GRIDLENS_FAULT_POINT: 'precompress:write' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('close', (_code, signal) => r(signal)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolveUrl(out.slice(0, out.indexOf('\n')));
      });
      child.once('close', () => reject(new Error(`server fixture ended: ${stderr}`)));
    });
    // No variant yet: the file is sent whole, and the server compresses it in the background.
    const first = await fetch(new URL(path, url), { headers: { 'accept-encoding': 'br, gzip' } });
    expect(first.headers.get('content-encoding')).toBeNull();
    expect(sha256(await first.arrayBuffer())).toBe(file.sha256);
    expect(await exited).toBe('SIGKILL');
    expect(stderr).toContain('fault point precompress:write: SIGKILL');
    // Killed between writing the variant and renaming it into place: only its temporary file is left.
    const around = readdirSync(versionDir).filter((n) => n.startsWith(`${file.file}.`));
    expect(around).toEqual([expect.stringMatching(new RegExp(`^${file.file.replace('.', '\\.')}\\.br\\.tmp-`))]);

    const server = await startServer({ host: '127.0.0.1', port: 0, distDir: emptyDist, extractsDir: extracts });
    try {
      const again = await fetch(new URL(path, server.url), { headers: { 'accept-encoding': 'br' } });
      expect(again.headers.get('content-encoding')).toBeNull(); // the temporary file is not a variant
      expect(sha256(await again.arrayBuffer())).toBe(file.sha256);
      for (let i = 0; !(existsSync(join(versionDir, `${file.file}.br`)) && existsSync(join(versionDir, `${file.file}.gz`))); i++) {
        if (i > 600) throw new Error('the variants were not made again within 30 s');
        await sleep(50);
      }
      for (const encoding of ['br', 'gzip']) {
        const r = await fetch(new URL(path, server.url), { headers: { 'accept-encoding': encoding } });
        expect(r.headers.get('content-encoding')).toBe(encoding);
        expect(sha256(await r.arrayBuffer())).toBe(file.sha256); // fetch decodes it: the whole file, unchanged
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});
