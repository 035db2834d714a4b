// Real data: the Low Carbon London smart-meter fixture, converted to the data
// contract and loaded through the real ETL. Monthly kWh per tariff in the marts
// equals the sums taken straight from the fixture's CSV.

import { createReadStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertLondon } from '../../../etl/convert/london-smart-meters.ts';
import { TMP } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from './pipeline-helpers.ts';

const FIXTURE = resolve(import.meta.dirname, '../../../../shared/realdata/london-smart-meters');
let p: Pipeline;
let inbox: string;
let summary: any;

beforeAll(async () => {
  if (!existsSync(FIXTURE)) throw new Error(`the real-data fixture is missing: ${FIXTURE} (../shared/ beside the checkout)`);
  inbox = join(TMP, 'pipeline', `london-${process.pid}`);
  await convertLondon(FIXTURE, inbox);
  p = await pipelineDatabase('london');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_TZ: 'Europe/London' });
  expect(r.code, r.stderr).toBe(0);
  summary = JSON.parse(r.stdout);
}, 300_000);

afterAll(async () => p?.close());

async function sumsFromCsv(): Promise<Map<string, number>> {
  const tariffOf = new Map<string, string>();
  for await (const line of createInterface({ input: createReadStream(join(FIXTURE, 'informations_households.csv')) })) {
    const [id, stdOrTou, , , block] = line.split(',');
    if (block === 'block_0') tariffOf.set(id, stdOrTou === 'ToU' ? 'tou' : 'flat');
  }
  const sums = new Map<string, number>();
  let header = true;
  for await (const line of createInterface({ input: createReadStream(join(FIXTURE, 'block_0.csv')) })) {
    if (header) { header = false; continue; }
    const f = line.split(',');
    const key = `${f[1].slice(0, 7)}|${tariffOf.get(f[0])}`;
    sums.set(key, (sums.get(key) ?? 0) + Number(f[7]));
  }
  return sums;
}

describe('London smart meters (real data)', () => {
  it('loads every household and every daily reading', () => {
    expect(summary.status).toBe('succeeded');
    const usage = summary.files.find((f: { entity: string }) => f.entity === 'usage');
    expect(usage.read).toBe(25_574);
    expect(usage.loaded).toBe(25_574);
    const customers = summary.files.find((f: { entity: string }) => f.entity === 'customers');
    expect(customers.loaded).toBe(50);
  });

  it('gives monthly kWh per tariff equal to the sums taken straight from the CSV', async () => {
    const expected = await sumsFromCsv();
    const { rows } = await p.pool.query(
      `select to_char(month, 'YYYY-MM') as month, tariff, sum(kwh) as kwh from mart.segment_month group by 1, 2`);
    const got = new Map(rows.map((r) => [`${r.month}|${r.tariff}`, r.kwh]));
    for (const [key, kwh] of expected) expect(got.get(key), key).toBeCloseTo(kwh, 6);
    // Months where an open household sent no reading appear with nothing metered.
    for (const [key, kwh] of got) if (!expected.has(key)) expect(kwh ?? 0, key).toBe(0);
    expect(expected.size).toBeGreaterThan(40);
  });
});
