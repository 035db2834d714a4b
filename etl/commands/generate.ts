// `etl generate`: write a demo utility's exports in the data-contract format.

import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { CustomerClass } from '../domain/tariffs.ts';
import { formatYearMonth, lastCompleteMonth, monthIndex, parseYearMonth } from '../generate/calendar.ts';
import { DEFAULT_INTERVALS, generateUtility } from '../generate/generator.ts';
import { progress } from '../progress.ts';
import { CUSTOMER_CLASSES } from '../generate/utility-model.ts';
import { UsageError } from './usage-error.ts';

export const GENERATE_HELP = `Usage: npm run etl -- generate [options]

Writes a demo utility's exports (customers, usage, billing, surveys, tickets,
campaigns) in the format of the data contract, plus truth.json with the facts
the generator planted. The same options always give byte-identical files.

Options:
  --customers N     accounts to generate (default 2000)
  --months M        months of history (default 24)
  --seed S          random seed, an integer (default 1)
  --out DIR         output folder (default data/inbox)
  --end YYYY-MM     last month of data (default: the last complete month;
                    pass it to reproduce a data set on another day)
  --dirty           salt the files with realistic defects, counted in truth.json
  --intervals LIST  read interval per class in minutes, e.g.
                    large_industrial=15,commercial=60,residential=1440,agricultural=1440
  --survey-rate X   share of customers answering each quarterly wave (default 0.02)
  --force           replace the entity folders and truth.json if DIR is not empty
  --json            print the summary as JSON on stdout
  --help            this text
`;


function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--${name} must be a positive whole number, got "${text}"`);
  return Number(text);
}

function parseIntervals(text: string | undefined): Record<CustomerClass, 15 | 30 | 60 | 1440> {
  const out = { ...DEFAULT_INTERVALS };
  if (!text) return out;
  for (const part of text.split(',')) {
    const [cls, minutes] = part.split('=');
    if (!CUSTOMER_CLASSES.includes(cls as CustomerClass)) throw new UsageError(`--intervals: unknown customer class "${cls}" (expected one of ${CUSTOMER_CLASSES.join(', ')})`);
    if (!['15', '30', '60', '1440'].includes(minutes)) throw new UsageError(`--intervals: ${cls} interval must be 15, 30, 60 or 1440 minutes, got "${minutes}"`);
    out[cls as CustomerClass] = Number(minutes) as 15 | 30 | 60 | 1440;
  }
  return out;
}

export async function generateCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        customers: { type: 'string' }, months: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' },
        end: { type: 'string' }, dirty: { type: 'boolean' }, intervals: { type: 'string' }, 'survey-rate': { type: 'string' },
        force: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) {
    process.stdout.write(GENERATE_HELP);
    return 0;
  }
  const customers = positiveInt('customers', values.customers, 2000);
  const months = positiveInt('months', values.months, 24);
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  const seed = Number(values.seed ?? 1);
  const endText = values.end ?? formatYearMonth(lastCompleteMonth());
  const end = parseYearMonth(endText);
  if (!end) throw new UsageError(`--end must look like 2026-10, got "${endText}"`);
  if (monthIndex(end) - months + 1 < 2015 * 12) throw new UsageError('the generator knows holidays from 2015 on: use a later --end or fewer --months');
  const surveyRate = values['survey-rate'] === undefined ? 0.02 : Number(values['survey-rate']);
  if (!(surveyRate > 0 && surveyRate <= 1)) throw new UsageError(`--survey-rate must be in (0, 1], got "${values['survey-rate']}"`);
  const out = resolve(values.out ?? 'data/inbox');
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!values.force) throw new UsageError(`${out} is not empty: pass --force to replace the generated folders in it, or choose another --out`);
    for (const sub of ['customers', 'usage', 'billing', 'surveys', 'tickets', 'campaigns', 'truth.json']) rmSync(join(out, sub), { recursive: true, force: true });
  }
  const bar = progress('generate');
  const result = generateUtility({
    customers, months, seed, out, end, dirty: values.dirty === true, intervals: parseIntervals(values.intervals), surveyRate,
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.finish();
  const summary = { out, seconds: Number(result.seconds.toFixed(2)), rows: result.rows, files: result.files.length, truth: result.truthPath };
  if (values.json) process.stdout.write(JSON.stringify(summary) + '\n');
  else process.stderr.write(`generated ${Object.entries(result.rows).map(([k, v]) => `${v} ${k}`).join(', ')} rows in ${result.files.length} files under ${out} (${summary.seconds}s)\n`);
  return 0;
}
