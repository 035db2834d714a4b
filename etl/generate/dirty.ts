// `--dirty`: salts the generated files with realistic defects at a small, known
// rate. Defect rows are *added* next to a clean row (a clean row is never
// altered), so a dirty run holds exactly the clean run's data plus the defects,
// and every defect is counted in truth.json with the rejection reason the ETL
// must give it (`duplicate_key` rows are superseded, not rejected).

import { csvLine } from './output.ts';
import { hash32, Rng } from './random.ts';

export type EntityName = 'customers' | 'usage' | 'billing' | 'surveys' | 'tickets' | 'campaigns';

export type DefectCode =
  | 'negative_kwh'
  | 'bad_timestamp'
  | 'bad_date'
  | 'unknown_customer'
  | 'duplicate_key'
  | 'date_order'
  | 'bad_enum'
  | 'out_of_range';

export const HEADERS: Record<EntityName, readonly string[]> = {
  customers: ['customer_id', 'name', 'phone', 'address', 'customer_class', 'region', 'tariff', 'voltage_kv', 'capacity_kva', 'contract_type', 'contract_end', 'green_plan', 'preferred_channel', 'opened_on', 'closed_on'],
  usage: ['customer_id', 'reading_start', 'interval_minutes', 'kwh', 'quality'],
  billing: ['bill_id', 'customer_id', 'period_start', 'period_end', 'kwh', 'amount', 'issued_on', 'due_on', 'paid_on', 'paid_amount'],
  surveys: ['response_id', 'customer_id', 'responded_on', 'wave', 'channel', 'nps', 'overall', 'reliability', 'service', 'price', 'billing', 'communication', 'comment'],
  tickets: ['ticket_id', 'customer_id', 'opened_at', 'channel', 'type', 'category', 'first_response_at', 'resolved_at', 'satisfaction'],
  campaigns: ['contact_id', 'campaign_id', 'campaign_name', 'offer_type', 'customer_id', 'sent_on', 'channel', 'holdout', 'responded_on', 'accepted'],
};

/** Which defects each entity gets, and the per-row rate. */
const DEFECTS: Record<EntityName, { kinds: readonly DefectCode[]; rate: number }> = {
  usage: { kinds: ['negative_kwh', 'bad_timestamp', 'unknown_customer', 'duplicate_key'], rate: 0.0004 },
  billing: { kinds: ['date_order', 'bad_date', 'unknown_customer', 'duplicate_key'], rate: 0.002 },
  customers: { kinds: ['bad_enum', 'bad_date', 'duplicate_key'], rate: 0.002 },
  tickets: { kinds: ['date_order', 'bad_enum', 'unknown_customer', 'duplicate_key'], rate: 0.004 },
  surveys: { kinds: ['out_of_range', 'bad_enum', 'duplicate_key'], rate: 0.01 },
  campaigns: { kinds: ['unknown_customer', 'bad_enum', 'duplicate_key'], rate: 0.003 },
};

export class DefectInjector {
  countdown: number;
  private issued = 0;
  readonly counts: Partial<Record<DefectCode, number>> = {};
  private readonly rng: Rng;
  private readonly kinds: readonly DefectCode[];
  private readonly rate: number;
  private readonly columns: Record<string, number>;

  constructor(seed: number, fileNumber: number, readonly entity: EntityName) {
    this.rng = new Rng(seed, 777, fileNumber);
    this.kinds = DEFECTS[entity].kinds;
    this.rate = DEFECTS[entity].rate;
    this.columns = Object.fromEntries(HEADERS[entity].map((c, i) => [c, i]));
    this.countdown = this.gap();
  }

  private gap(): number {
    const u = Math.max(1e-12, this.rng.next());
    return 1 + Math.floor(Math.log(u) / Math.log(1 - this.rate));
  }

  /** Call once per clean row; true when a defect row should follow it. */
  due(): boolean {
    return --this.countdown <= 0;
  }

  /** The defect line to add after the clean row `fields` (header order). */
  defectLine(fields: string[]): string {
    this.countdown = this.gap();
    // Round-robin over the entity's defect kinds, so a file with a handful of
    // defects still has one of each.
    const kind = this.kinds[this.issued++ % this.kinds.length];
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const f = fields.slice();
    const col = (name: string): number => this.columns[name];
    switch (kind) {
      case 'duplicate_key':
        break;
      case 'negative_kwh':
        f[col('kwh')] = '-' + (fields[col('kwh')] === '0.000' ? '0.125' : fields[col('kwh')]);
        break;
      case 'bad_timestamp': {
        // A day that does not exist in the row's month: 2025-02-30, 2025-04-31, or day 32.
        const ts = fields[col('reading_start')];
        const month = Number(ts.slice(5, 7));
        const badDay = month === 2 ? '30' : [4, 6, 9, 11].includes(month) ? '31' : '32';
        f[col('reading_start')] = ts.slice(0, 8) + badDay + ts.slice(10);
        break;
      }
      case 'bad_date': {
        // Day-first dates as some exports write them: 26/11/2026.
        const name = this.entity === 'customers' ? 'opened_on' : 'issued_on';
        const d = fields[col(name)];
        f[col(name)] = `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
        break;
      }
      case 'unknown_customer':
        f[col('customer_id')] = '39' + String(hash32(this.rng.int(1 << 30), 5) % 100_000_000).padStart(8, '0');
        break;
      case 'date_order':
        if (this.entity === 'billing') {
          // Period ends before it starts.
          f[col('period_start')] = fields[col('period_end')];
          f[col('period_end')] = fields[col('period_start')];
          if (f[col('period_start')] === f[col('period_end')]) f[col('period_end')] = shiftDate(f[col('period_start')], -1);
        } else {
          // A first response one hour before the ticket was opened.
          f[col('first_response_at')] = shiftTimestampHours(fields[col('opened_at')], -1);
        }
        break;
      case 'bad_enum':
        if (this.entity === 'customers') f[col('customer_class')] = 'industrial_big';
        else if (this.entity === 'tickets') f[col('type')] = 'complain';
        else if (this.entity === 'surveys') f[col('channel')] = 'telegram';
        else f[col('offer_type')] = 'coupon';
        break;
      case 'out_of_range':
        if (this.rng.chance(0.5)) f[col('overall')] = '6';
        else f[col('nps')] = '11';
        break;
    }
    // Defect rows are raw lines: re-quote fields the way the clean writer does.
    return kind === 'duplicate_key' ? csvLine(fields) : csvLine(f);
  }
}

function shiftDate(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function shiftTimestampHours(ts: string, hours: number): string {
  const t = Date.UTC(Number(ts.slice(0, 4)), Number(ts.slice(5, 7)) - 1, Number(ts.slice(8, 10)), Number(ts.slice(11, 13)), Number(ts.slice(14, 16)), Number(ts.slice(17, 19) || '0'));
  return new Date(t + hours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Split a clean CSV line back into fields (the generator's lines quote only text with , " or newlines). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const s = line.endsWith('\n') ? line.slice(0, -1) : line;
  while (i <= s.length) {
    if (s[i] === '"') {
      let j = i + 1;
      let v = '';
      for (;;) {
        const q = s.indexOf('"', j);
        if (s[q + 1] === '"') {
          v += s.slice(j, q + 1);
          j = q + 2;
        } else {
          v += s.slice(j, q);
          i = q + 2;
          break;
        }
      }
      out.push(v);
    } else {
      const c = s.indexOf(',', i);
      const end = c === -1 ? s.length : c;
      out.push(s.slice(i, end));
      i = end + 1;
    }
    if (i > s.length) break;
  }
  return out;
}
