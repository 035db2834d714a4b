// `etl reports`: the customer usage report (dashboard/src/report/) of every
// customer of an audience file, printed to one A4 PDF each by headless
// Chromium. The product's own server runs in this process on a free loopback
// port (the dashboard build + /api/customer-report on the warehouse), open
// only to the batch's browser (etl/report/batch-auth.ts).

import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { migrate } from '../db/migrate.ts';
import { log } from '../log.ts';
import { progress } from '../progress.ts';
import { AudienceFileError, parseAudience, type AudienceEntry } from '../report/audience-file.ts';
import { batchAuth, BATCH_TOKEN_HEADER } from '../report/batch-auth.ts';
import { launchHeadless } from '../report/chromium.ts';
import { resolveCustomer } from '../report/customer-report.ts';
import { auditLookup } from '../report/lookup-audit.ts';
import { buildDashboard, DIST_DIR } from '../serve/build-dashboard.ts';
import { startServer } from '../serve/server.ts';
import { UsageError } from './usage-error.ts';

export const REPORTS_HELP = `Usage: npm run etl -- reports --audience FILE --out DIR [options]

Prints the one-page usage report of every customer in FILE to DIR, one A4
PDF per customer, with headless Chromium (/usr/bin/chromium, or
GRIDLENS_CHROMIUM). FILE is a target list as the campaign planner exports it
(CSV, UTF-8 with or without a BOM) whose header has a customer_key column
(pseudonymous key) or a customer_id column (account number; each lookup is
audited in ops.customer_lookup). PDFs are named <customer_key>.pdf, or
<account number>.pdf for an account-number list.

Customers that are unknown, have no usage yet, or cannot be rendered are
skipped, counted and listed at the end; the others are still printed. Exit
code 0 when every known customer was printed (unknown ones are listed, as
rejected rows are by \`run\`), 1 when a known customer's report failed.

Options:
  --audience FILE   the target-list CSV
  --out DIR         folder for the PDFs (created; existing files are replaced)
  --lang L          zh-CN (default) or en
  --dist DIR        serve this dashboard build as it is (default: dist/dashboard,
                    built first when the sources changed)
  --json            a JSON summary on stdout
  --help            this text
`;

interface Target {
  entry: AudienceEntry;
  key: number;
  file: string;
}

interface Problem {
  line: number;
  customer: string;
  reason: 'invalid' | 'unknown' | 'no_data' | 'render_failed';
  message: string;
}

/** A file name from an account number: anything but letters, digits, '-', '_' and '.' becomes '_'. */
const safeName = (s: string): string => s.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^\.+/, '_');

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Spreadsheet programs on Chinese Windows save CSV in GB18030.
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export async function reportsCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { audience: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' }, dist: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(REPORTS_HELP);
    return 0;
  }
  if (!values.audience) throw new UsageError('--audience FILE is required (a target-list CSV with a customer_key or customer_id column)');
  if (!values.out) throw new UsageError('--out DIR is required (the folder for the PDFs)');
  const lang = values.lang ?? 'zh-CN';
  if (lang !== 'zh-CN' && lang !== 'en') throw new UsageError(`--lang must be zh-CN or en, got "${lang}"`);
  const audiencePath = resolve(values.audience);
  const bytes = await readFile(audiencePath).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read the audience file ${audiencePath}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  let audience;
  try {
    audience = parseAudience(decode(bytes), audiencePath);
  } catch (e) {
    if (e instanceof AudienceFileError) throw new UsageError(e.message);
    throw e;
  }
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });

  const config = loadConfig();
  const handle = await openDatabase(config, { max: 4 });
  const actor = `reports:${userInfo().username}`;
  const problems: Problem[] = [];
  const targets: Target[] = [];
  let written = 0;
  const started = performance.now();
  try {
    await migrate(handle.pool);
    // Resolve every entry first: unknown customers are known before the browser starts.
    for (const entry of audience.entries) {
      if (entry.kind === 'invalid') {
        problems.push({ line: entry.line, customer: entry.value, reason: 'invalid', message: entry.message });
        continue;
      }
      const who = await resolveCustomer(handle.pool, entry.kind === 'key' ? { key: entry.key } : { account: entry.account });
      if (entry.kind === 'account') await auditLookup(handle.pool, { actor, role: 'cli', channel: 'batch', customerId: entry.account, found: who !== null });
      const label = entry.kind === 'key' ? `key ${entry.key}` : `account ${entry.account}`;
      if (!who) problems.push({ line: entry.line, customer: label, reason: 'unknown', message: `no such customer (${label})` });
      else if (who.customerKey === null) problems.push({ line: entry.line, customer: label, reason: 'no_data', message: `${label} has no pseudonymous key yet: run the ETL first` });
      else targets.push({ entry, key: who.customerKey, file: join(out, `${entry.kind === 'key' ? entry.key : safeName(entry.account)}.pdf`) });
    }

    if (targets.length > 0) {
      // --dist: a build made elsewhere (tests, a release), served as it is; else dist/dashboard, built when out of date.
      const distDir = values.dist ? resolve(values.dist) : DIST_DIR;
      if (values.dist) {
        if (!existsSync(join(distDir, 'index.html'))) throw new UsageError(`--dist ${distDir} holds no dashboard build (no index.html)`);
      } else {
        const build = await buildDashboard({ logger: log, outDir: distDir });
        if (build.skipped === 'no_dashboard') throw new Error('the dashboard sources (dashboard/index.html) are missing: the report page cannot be built');
      }
      const { auth, token } = batchAuth(actor);
      const server = await startServer({ host: '127.0.0.1', port: 0, distDir, extractsDir: config.extracts, logger: log, auth, api: { pool: handle.pool, logger: log } });
      try {
        const browser = await launchHeadless({ locale: lang, headers: { [BATCH_TOKEN_HEADER]: token } });
        try {
          const page = await browser.context.newPage();
          const bar = progress('reports');
          for (const [i, t] of targets.entries()) {
            const problem = await printOne(page, server.url, t, lang);
            if (problem) problems.push(problem);
            else written++;
            bar.update(i + 1, targets.length);
          }
          bar.finish();
        } finally {
          await browser.close();
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    await handle.close();
  }

  problems.sort((a, b) => a.line - b.line);
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const counts = (r: Problem['reason']) => problems.filter((p) => p.reason === r).length;
  const summary = {
    audience: audiencePath, column: audience.column, out, lang, customers: audience.entries.length, repeats: audience.repeats,
    written, unknown: counts('unknown'), invalid: counts('invalid'), no_data: counts('no_data'), failed: counts('render_failed'), seconds, problems,
  };
  if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else {
    process.stdout.write(`wrote ${written} report PDF(s) to ${out} (${seconds}s)\n`);
    if (problems.length) {
      process.stdout.write(`${problems.length} customer(s) of ${audiencePath} without a report:\n`);
      for (const p of problems) process.stdout.write(`  line ${p.line}: ${p.message}\n`);
    }
  }
  log.info('reports_done', { written, unknown: summary.unknown, invalid: summary.invalid, no_data: summary.no_data, failed: summary.failed, seconds });
  return summary.failed > 0 ? 1 : 0;
}

/** Opens one report and prints it; a problem when the page says it could not load or never got ready. */
async function printOne(page: Page, base: string, t: Target, lang: string): Promise<Problem | null> {
  const label = t.entry.kind === 'key' ? `key ${t.key}` : `account ${t.entry.kind === 'account' ? t.entry.account : ''}`;
  try {
    await page.goto(`${base}?view=report&key=${t.key}&lang=${encodeURIComponent(lang)}`);
    const root = await page.waitForSelector('.report-page[data-state="ready"], .report-page[data-state="error"]', { timeout: 60_000 });
    if ((await root.getAttribute('data-state')) === 'error') {
      const message = (await page.textContent('.report-error')) ?? 'the report could not be loaded';
      return { line: t.entry.line, customer: label, reason: 'render_failed', message: `${label}: ${message}` };
    }
    await page.pdf({ path: t.file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    return null;
  } catch (e) {
    return { line: t.entry.line, customer: label, reason: 'render_failed', message: `${label}: ${(e as Error).message.split('\n')[0]}` };
  }
}
