// Converts the Low Carbon London smart-meter data (per-block daily form, see
// ../shared/realdata/README.md) to the Gridlens data contract: a real export
// from outside our generator, converted and then loaded unchanged.
//
// Mapping (as the fixture's README gives it): a household is a `residential`
// customer; Std → tariff `flat`, ToU → `tou`; region = the ACORN group (the
// only geography the trial publishes); a day is a usage row with
// interval_minutes 1440 and kwh = energy_sum; energy_count < 48 half-hours is a
// partial day → quality `estimated`; opened_on = the household's first day.

import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { csvLine } from '../generate/output.ts';

export interface LondonConversion {
  customers: number;
  usageRows: number;
}

async function* lines(path: string): AsyncGenerator<string[]> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let header = true;
  for await (const line of rl) {
    if (header) {
      header = false;
      continue;
    }
    if (line) yield line.split(',');
  }
}

/** Writes <inbox>/customers/london_customers.csv and <inbox>/usage/london_block_N.csv for the given blocks. */
export async function convertLondon(fixtureDir: string, inbox: string, blocks: readonly string[] = ['block_0']): Promise<LondonConversion> {
  const households = new Map<string, { tariff: string; group: string }>();
  for await (const [id, stdOrTou, , group, block] of lines(join(fixtureDir, 'informations_households.csv'))) {
    if (blocks.includes(block)) households.set(id, { tariff: stdOrTou === 'ToU' ? 'tou' : 'flat', group: group && group !== 'ACORN-' ? group : 'ACORN unknown' });
  }
  const firstDay = new Map<string, string>();
  mkdirSync(join(inbox, 'usage'), { recursive: true });
  let usageRows = 0;
  for (const block of blocks) {
    const out = ['customer_id,reading_start,interval_minutes,kwh,quality\n'];
    for await (const f of lines(join(fixtureDir, `${block}.csv`))) {
      const [id, day, , , , count, , sum] = f;
      if (!households.has(id)) continue;
      if (!firstDay.has(id) || day < firstDay.get(id)!) firstDay.set(id, day);
      out.push(csvLine([id, `${day} 00:00`, 1440, sum, Number(count) < 48 ? 'estimated' : 'actual']));
      usageRows++;
    }
    writeFileSync(join(inbox, 'usage', `london_${block}.csv`), out.join(''));
  }
  mkdirSync(join(inbox, 'customers'), { recursive: true });
  const customers = ['customer_id,customer_class,region,tariff,opened_on\n'];
  for (const [id, h] of households) {
    if (firstDay.has(id)) customers.push(csvLine([id, 'residential', h.group, h.tariff, firstDay.get(id)]));
  }
  writeFileSync(join(inbox, 'customers', 'london_customers.csv'), customers.join(''));
  return { customers: customers.length - 1, usageRows };
}
