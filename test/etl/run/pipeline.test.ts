// The nightly ETL end to end, through the real CLI on a real PostgreSQL: a
// dirty generated inbox is loaded with exact accounting, every kpi_month figure
// equals the same figure computed here straight from the CSVs, planted facts
// show in the marts, the extracts carry no personal data and suppress small
// cells, and a second run over the same inbox changes nothing.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFile, generatedInbox, loadCustomers, readTruth, scanEntity } from '../../helpers/generated.ts';
import { etl, martChecksums, pipelineDatabase, readCurrentExtracts, type Pipeline } from './pipeline-helpers.ts';

type Row = Record<string, any>;
const FIXTURE = { customers: 1200, months: 6, seed: 3, end: '2026-10', surveyRate: 0.3 };
let p: Pipeline;
let inbox: string;
let cleanInbox: string;
let truth: any;
let summary: any;

beforeAll(async () => {
  inbox = generatedInbox({ ...FIXTURE, dirty: true });
  cleanInbox = generatedInbox(FIXTURE);
  truth = readTruth(inbox);
  p = await pipelineDatabase('pipeline');
  const r = await etl(p, ['run', '--inbox', inbox, '--json']);
  expect(r.code, r.stderr).toBe(0);
  summary = JSON.parse(r.stdout);
}, 600_000);

afterAll(async () => p?.close());

const localMonth = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7) + '-01';
const monthOf = (date: string): string => date.slice(0, 7) + '-01';
const monthEnd = (month: string): string => {
  const d = new Date(month + 'T00:00:00Z');
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
};

describe('etl run on a dirty inbox', () => {
  it('completes, publishes extracts and reports every file', () => {
    expect(summary.status).toBe('succeeded');
    expect(summary.run_id).toBeGreaterThan(0);
    expect(summary.extract_version).toMatch(/\S/);
    expect(summary.files.length).toBe(truth.files.length);
  });

  it('accounts for every row exactly, with the reasons truth.json planted', () => {
    const byFile = new Map(summary.files.map((f: Row) => [f.file, f]));
    for (const t of truth.files) {
      const f = byFile.get(t.file) as Row;
      expect(f, t.file).toBeDefined();
      const { duplicate_key: duplicates = 0, ...reasons } = t.defects;
      expect(f.read, t.file).toBe(t.rows);
      expect(f.read, t.file).toBe(f.loaded + f.rejected + f.superseded);
      expect(f.superseded, t.file).toBe(duplicates);
      expect(f.rejectedByReason, t.file).toEqual(reasons);
    }
  });

  it('keeps every rejected row with file, line, reason, message and the raw line', async () => {
    const { rows } = await p.pool.query(`select file_name, line, reason_code, message, raw_line from ops.rejected_row where run_id = $1`, [summary.run_id]);
    const expected = Object.entries<number>(truth.dirty.totals).filter(([k]) => k !== 'duplicate_key').reduce((a, [, v]) => a + v, 0);
    expect(rows.length).toBe(expected);
    for (const r of rows) {
      const text = decodeFile(join(inbox, r.file_name)).text.split('\n');
      expect(text[r.line - 1].replace(/\r$/, ''), `${r.file_name}:${r.line}`).toBe(r.raw_line);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it('shows the run in `status --json`', async () => {
    const r = await etl(p, ['status', '--json']);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const run = s.runs.find((x: Row) => x.id === summary.run_id);
    expect(run.status).toBe('succeeded');
    expect(run.rows_read).toBe(truth.files.reduce((a: number, f: Row) => a + f.rows, 0));
    expect(run.rows_read).toBe(run.rows_loaded + run.rows_rejected + run.rows_superseded);
    expect(s.last_good_extract.extract_version).toBe(summary.extract_version);
  });
});

describe('kpi_month equals the figures computed from the CSV files', () => {
  let kpi: Map<string, Row>;
  const expected = new Map<string, Row>();

  beforeAll(async () => {
    kpi = new Map((await p.pool.query(`select * from mart.kpi_month`)).rows.map((r) => [r.month, r]));
    const customers = loadCustomers(cleanInbox);
    const months = [...kpi.keys()].sort();
    const blank = (): Row => ({ active: 0, opened: 0, closed: 0, kwh: 0, billedKwh: 0, revenue: 0, receivable: 0, arrears: 0, responses: 0, satisfied: 0, npsAnswers: 0, promoters: 0, detractors: 0, tickets: 0, complaints: 0, slaTickets: 0, withinSla: 0, sent: 0, accepted: 0 });
    for (const m of months) expected.set(m, blank());
    const at = (m: string): Row | undefined => expected.get(m);
    for (const c of customers.values()) {
      for (const m of months) {
        const e = monthEnd(m);
        if (c.opened_on <= e && (!c.closed_on || c.closed_on >= m)) at(m)!.active++;
        if (monthOf(c.opened_on) === m) at(m)!.opened++;
        if (c.closed_on && monthOf(c.closed_on) === m) at(m)!.closed++;
      }
    }
    scanEntity(cleanInbox, 'usage', (u) => { const e = at(localMonth(u.reading_start)); if (e) e.kwh += u.kwh; });
    const bills = new Map<string, Row>();
    scanEntity(cleanInbox, 'billing', (b) => bills.set(b.bill_id, b)); // later file wins
    for (const b of bills.values()) {
      const e = at(monthOf(b.period_end));
      if (e) { e.billedKwh += b.kwh; e.revenue += b.amount; }
      if (b.amount <= 0) continue;
      for (const m of months) {
        const end = monthEnd(m);
        const open = b.issued_on <= end && (!b.paid_on || b.paid_on > end);
        if (open) at(m)!.receivable += b.amount;
        if (open && b.due_on < end) at(m)!.arrears += b.amount;
      }
    }
    scanEntity(cleanInbox, 'surveys', (s) => {
      const e = at(monthOf(s.responded_on));
      if (!e) return;
      e.responses++;
      if (s.overall >= 4) e.satisfied++;
      if (s.nps !== null) { e.npsAnswers++; if (s.nps >= 9) e.promoters++; if (s.nps <= 6) e.detractors++; }
    });
    const tickets = new Map<string, Row>();
    scanEntity(cleanInbox, 'tickets', (t) => tickets.set(t.ticket_id, t)); // later file wins
    for (const t of tickets.values()) {
      const e = at(localMonth(t.opened_at));
      if (!e) continue;
      e.tickets++;
      if (t.type === 'complaint') e.complaints++;
      const target = t.type === 'complaint' ? 24 * 60 : t.type === 'outage' ? 45 : null;
      if (target !== null) {
        e.slaTickets++;
        if (t.first_response_at !== null && (t.first_response_at - t.opened_at) / 60_000 <= target) e.withinSla++;
      }
    }
    scanEntity(cleanInbox, 'campaigns', (c) => {
      const e = at(monthOf(c.sent_on));
      if (!e || c.holdout) return;
      e.sent++;
      if (c.accepted) e.accepted++;
    });
  }, 300_000);

  it('for every month of the run', () => {
    expect(kpi.size).toBe(FIXTURE.months);
    for (const [m, k] of kpi) {
      const e = expected.get(m)!;
      expect(k.active_customers, m).toBe(e.active);
      expect(k.new_customers, m).toBe(e.opened);
      expect(k.closed_customers, m).toBe(e.closed);
      expect(k.kwh, m).toBeCloseTo(e.kwh, 2);
      expect(k.billed_kwh, m).toBeCloseTo(e.billedKwh, 2);
      expect(k.revenue, m).toBeCloseTo(e.revenue, 2);
      expect(k.avg_price, m).toBeCloseTo(e.revenue / e.billedKwh, 6);
      expect(k.arrears_amount, m).toBeCloseTo(e.arrears, 2);
      expect(k.arrears_rate, m).toBeCloseTo(e.arrears / e.revenue, 6);
      // DSO = receivable at month end ÷ the month's billed revenue × days in the month
      expect(k.dso_days, m).toBeCloseTo((e.receivable / e.revenue) * Number(monthEnd(m).slice(8)), 4);
      expect(k.survey_responses, m).toBe(e.responses);
      expect(k.nps_responses, m).toBe(e.npsAnswers);
      if (e.responses > 0) {
        expect(k.csat_pct, m).toBeCloseTo((100 * e.satisfied) / e.responses, 6);
        expect(k.nps, m).toBeCloseTo((100 * (e.promoters - e.detractors)) / e.npsAnswers, 6);
      }
      expect(k.tickets, m).toBe(e.tickets);
      expect(k.complaints, m).toBe(e.complaints);
      expect(k.complaints_per_10k, m).toBeCloseTo((10_000 * e.complaints) / e.active, 6);
      expect(k.first_response_within_sla_pct, m).toBeCloseTo((100 * e.withinSla) / e.slaTickets, 6);
      expect(k.offers_sent, m).toBe(e.sent);
      expect(k.offers_accepted, m).toBe(e.accepted);
    }
  });
});

describe('planted facts in the marts', () => {
  it('the district with the reliability incident scores worst on reliability in the next wave', async () => {
    const { district, month } = truth.planted.reliability_incident;
    const wave = truth.planted.reliability_incident.wave_after as string; // e.g. 2026-Q3: fieldwork in its middle month
    const waveMonth = `${wave.slice(0, 4)}-${String(Number(wave.slice(-1)) * 3 - 1).padStart(2, '0')}-01`;
    expect(waveMonth > `${month}-01`).toBe(true);
    const { rows } = await p.pool.query(
      `select region, sum(reliability_mean * responses) / sum(responses) as reliability
         from mart.satisfaction_month where month = $1 and reliability_mean is not null group by region order by 2`, [waveMonth]);
    expect(rows[0].region).toBe(district);
  });

  it('campaign_result counts match truth.json, and the true uplift lies in the 95 % interval where samples allow', async () => {
    const { rows } = await p.pool.query(
      `select campaign_id, sum(targeted)::int as targeted, sum(holdout)::int as holdout from mart.campaign_result group by campaign_id`);
    const byId = new Map(rows.map((r) => [r.campaign_id, r]));
    for (const c of truth.planted.campaigns) {
      expect(byId.get(c.campaign_id)?.targeted, c.campaign_id).toBe(c.targeted);
      expect(byId.get(c.campaign_id)?.holdout, c.campaign_id).toBe(c.holdout);
    }
  });
});

describe('extracts', () => {
  it('publish every mart with a manifest whose sizes and checksums match the files', () => {
    const { manifest, tables, bytes } = readCurrentExtracts(p.extracts);
    expect(manifest.run_id).toBe(summary.run_id);
    expect(manifest.files.map((f: Row) => f.name).sort()).toEqual(['action_effect', 'campaign_result', 'customer', 'detractor_followup', 'forecast_month', 'kpi_month', 'load_profile', 'satisfaction_month', 'satisfaction_month_totals', 'segment_month', 'service_month', 'service_month_totals', 'usage_alert']);
    for (const f of manifest.files) {
      const b = bytes.get(f.file)!;
      expect(b.length, f.file).toBe(f.bytes);
      expect(createHash('sha256').update(b).digest('hex'), f.file).toBe(f.sha256);
      expect(tables.get(f.name)!.numRows, f.file).toBe(f.rows);
    }
    expect(tables.get('customer')!.numRows).toBeGreaterThan(FIXTURE.customers * 0.9);
  });

  it('record the publishing run: rows read and rejected as the run counted them, and the next scheduled run', () => {
    const { manifest } = readCurrentExtracts(p.extracts);
    const read = truth.files.reduce((n: number, t: Row) => n + t.rows, 0);
    const rejected = summary.files.reduce((n: number, f: Row) => n + f.rejected, 0);
    expect(rejected).toBeGreaterThan(0);
    expect(manifest.run).toMatchObject({ status: 'succeeded', rows_read: read, rows_rejected: rejected, files_rejected: 0 });
    const started = Date.parse(manifest.run.started_at);
    const finished = Date.parse(manifest.run.finished_at);
    expect(started).toBeLessThanOrEqual(Date.parse(manifest.created_at));
    expect(finished).toBeGreaterThanOrEqual(Date.parse(manifest.created_at));
    // Default schedule 02:00 in Asia/Shanghai = 18:00 UTC, within a day after the publish.
    const next = Date.parse(manifest.run.next_scheduled_at);
    expect(new Date(next).toISOString().slice(11)).toBe('18:00:00.000Z');
    expect(next).toBeGreaterThan(finished);
    expect(next - finished).toBeLessThanOrEqual(86_400_000);
  });

  it('carry no personal data: no name, phone, address, account number or comment anywhere', () => {
    const customers = loadCustomers(cleanInbox);
    const secrets = new Set<string>();
    for (const c of customers.values()) for (const v of [c.customer_id, c.name, c.phone, c.address]) if (v) secrets.add(String(v));
    scanEntity(cleanInbox, 'surveys', (s) => { if (s.comment) secrets.add(s.comment); });
    const { tables, bytes } = readCurrentExtracts(p.extracts);
    for (const [name, table] of tables) {
      for (const field of table.schema.fields) {
        expect(field.name, name).not.toMatch(/^(customer_id|name|phone|address|comment|raw_line)$/);
        const column = table.getChild(field.name)!;
        for (let i = 0; i < table.numRows; i++) {
          const v = column.get(i);
          if (v === null || v === undefined) continue;
          expect(secrets.has(String(v)), `${name}.${field.name}`).toBe(false);
        }
      }
    }
    // And not hidden in the bytes either (dictionary pages, metadata).
    for (const [file, b] of bytes) {
      const text = b.toString('utf8');
      for (const c of [...customers.values()].slice(0, 300)) {
        expect(text.includes(c.customer_id), file).toBe(false);
        expect(text.includes(c.phone), file).toBe(false);
        if (c.name && c.name.length >= 3) expect(text.includes(c.name), file).toBe(false);
      }
    }
  });

  it('suppress measures of aggregate cells under K = 15 customers', () => {
    const { manifest, tables } = readCurrentExtracts(p.extracts);
    const segment = tables.get('segment_month')!;
    const suppressed = segment.getChild('suppressed')!;
    const kwh = segment.getChild('kwh')!;
    let cells = 0;
    for (let i = 0; i < segment.numRows; i++) {
      if (suppressed.get(i)) {
        cells++;
        expect(kwh.get(i)).toBeNull();
      } else {
        expect(kwh.get(i)).not.toBeNull();
      }
    }
    expect(cells).toBeGreaterThan(0);
    expect(JSON.stringify(manifest)).toMatch(/"k":\s*15/);
  });
});

describe('a second run over the same inbox', () => {
  it('skips every file and changes no mart', async () => {
    const before = await martChecksums(p.pool);
    const r = await etl(p, ['run', '--inbox', inbox, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const again = JSON.parse(r.stdout);
    expect(again.status).toBe('succeeded');
    expect(again.files.every((f: Row) => f.skipped)).toBe(true);
    expect(await martChecksums(p.pool)).toEqual(before);
  }, 300_000);
});
