// The Alerts view's query builders (data/queries/alerts.ts) end to end: a
// generated utility with planted abnormal usage through the real ETL into
// PostgreSQL and published extracts, served by the product's server and loaded
// into DuckDB-WASM (Node) by the dashboard's data source. Every figure the view
// shows must equal the same question asked of PostgreSQL's mart.usage_alert by
// hand: the as-of summary, open alerts by type × severity, by segment and by
// region (with the filter bar's segment/region), the weekly trend, and the
// list's rows and order. Also: the alert list's re-identification request and
// the reason worded from the figures (en) = the mart's reason. High-bill
// warnings (alert_type high_bill) carry their projected and usual bill, month
// and driver through the same extract.

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAudience, alertListRequest, alertReason } from '../../../dashboard/src/alerts/alert-list.ts';
import type { Filters } from '../../../dashboard/src/data/api.ts';
import { runQuery, setDataSource } from '../../../dashboard/src/data/client.ts';
import { httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import {
  alertCountQuery, alertPageQuery, alertSummaryQuery, alertTrendQuery, alertWhere, openByDimensionQuery, openByTypeSeverityQuery,
  type AlertBreakdownRow, type AlertRow, type AlertSummaryRow, type AlertTrendRow, type AlertTypeSeverityRow,
} from '../../../dashboard/src/data/queries/alerts.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';
import { makeI18n } from '../../../dashboard/src/i18n/i18n.tsx';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, type Pipeline } from '../../etl/run/pipeline-helpers.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

let p: Pipeline;
let server: RunningServer;
let dist: string;

const NO_FILTERS: Filters = { from: '2026-09-01', to: '2026-09-01', compare: 'previous', segment: [], region: [], tariff: [], band: [], channel: [] };
const f = (o: Partial<Filters>): Filters => ({ ...NO_FILTERS, ...o });

beforeAll(async () => {
  // The detectors' test utility (test/etl/transform/usage-alerts.db.test.ts): 2,000 accounts × 4 months, anomalies planted in the last 30 days.
  const inbox = generatedInbox({ customers: 2000, months: 4, seed: 1, end: '2026-10' });
  p = await pipelineDatabase('alerts-view');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], { GRIDLENS_PSEUDONYM_SECRET: 'usage-alerts-test-secret-0123456789' });
  expect(r.code, r.stderr).toBe(0);
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-dist-'));
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts });
  setDataSource(createDataSource({ engine: startNodeEngine, fetcher: httpExtractFetcher(new URL('extracts/', server.url)) }));
}, 600_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
});

/** PostgreSQL's WHERE for the same segment/region filters ($n from `from`). */
function pgWhere(filters: Filters, from = 1): { sql: string; params: unknown[] } {
  const parts = ['true'];
  const params: unknown[] = [];
  for (const dim of ['segment', 'region'] as const) {
    if (filters[dim].length) {
      parts.push(`${dim} = any($${from + params.length}::text[])`);
      params.push(filters[dim]);
    }
  }
  return { sql: parts.join(' and '), params };
}

describe('the SQL the builders write', () => {
  it('binds every filter value, applies only segment and region, and the list options', () => {
    const w = alertWhere(f({ segment: ['sme'], region: ['江城区'], tariff: ['tou'], channel: ['app'] }), { status: 'open', types: ['zero', 'bogus', 'flat'] });
    expect(w.sql).toBe(`segment in (?) and region in (?) and status = 'open' and alert_type in (?, ?)`);
    expect(w.params).toEqual(['sme', '江城区', 'zero', 'flat']);
    expect(alertWhere(NO_FILTERS, { status: 'all', types: [] }).sql).toBe('true');
    const q = alertPageQuery(NO_FILTERS, { status: 'all', types: [] }, { column: 'reason; drop table x', desc: false }, { offset: 200, limit: 100 });
    expect(q.sql).toContain('order by severity asc nulls last, first_seen desc, customer_key, alert_type limit ? offset ?');
    expect(q.params).toEqual([100, 200]);
    expect(q.extracts).toEqual(['usage_alert']);
  });

  it('the re-identification request: every customer once, no holdout, the list described for the audit', () => {
    const audience = alertAudience({ segment: ['sme'], region: [] }, { status: 'open', types: ['spike'] }, { column: 'first_seen', desc: true }, '2026-10-31');
    expect(audience).toEqual({ kind: 'usage_alerts', status: 'open', types: ['spike'], segment: ['sme'], as_of: '2026-10-31', sort: '-first_seen' });
    expect(alertListRequest('x', audience, [{ customer_key: 7 }, { customer_key: 3 }, { customer_key: 7 }])).toEqual({ name: 'x', audience, holdout: null, keys: [7, 3], holdoutKeys: [] });
  });
});

describe('Alerts view queries in DuckDB-WASM vs PostgreSQL mart.usage_alert', () => {
  it('summary: as-of day, open alerts and customers, open high severity, new on the as-of day, resolved', async () => {
    for (const filters of [NO_FILTERS, f({ segment: ['commercial'] })]) {
      const [duck] = await runQuery<AlertSummaryRow>(alertSummaryQuery(filters));
      const w = pgWhere(filters);
      const { rows: [pg] } = await p.pool.query(
        `select max(as_of)::text as as_of,
                count(*) filter (where status = 'open')::int as open_alerts,
                count(distinct customer_key) filter (where status = 'open')::int as open_customers,
                count(*) filter (where status = 'open' and severity = 3)::int as high,
                count(*) filter (where first_seen = as_of)::int as new_today,
                count(*) filter (where status = 'resolved')::int as resolved_alerts
           from mart.usage_alert where ${w.sql}`, w.params);
      expect(duck).toEqual(pg);
    }
    const [all] = await runQuery<AlertSummaryRow>(alertSummaryQuery(NO_FILTERS));
    expect(all!.open_alerts).toBeGreaterThan(0);
    expect(all!.open_alerts + all!.resolved_alerts).toBeGreaterThan(30);
  });

  it('open alerts by type × severity', async () => {
    const duck = await runQuery<AlertTypeSeverityRow>(openByTypeSeverityQuery(NO_FILTERS));
    const { rows } = await p.pool.query(`select alert_type, severity, count(*)::int as alerts from mart.usage_alert where status = 'open' group by 1, 2 order by 1, 2`);
    expect(duck).toEqual(rows);
    expect(new Set(duck.map((r) => r.alert_type))).toEqual(new Set(['spike', 'zero', 'flat', 'night_load', 'high_bill']));
  });

  it('open alerts by segment and by region, unfiltered and under the filter bar\'s segment/region', async () => {
    const { rows: regions } = await p.pool.query<{ region: string }>(`select region from mart.usage_alert where status = 'open' group by 1 order by count(*) desc limit 2`);
    const cases = [NO_FILTERS, f({ region: regions.map((r) => r.region) }), f({ segment: ['commercial', 'residential'], tariff: ['tou'] })];
    for (const filters of cases) {
      for (const by of ['segment', 'region'] as const) {
        const duck = await runQuery<AlertBreakdownRow>(openByDimensionQuery(filters, by));
        const w = pgWhere(filters);
        const { rows } = await p.pool.query(
          `select coalesce(${by}, 'unknown') as key, count(*)::int as alerts, count(distinct customer_key)::int as customers,
                  count(*) filter (where severity = 3)::int as high
             from mart.usage_alert where status = 'open' and ${w.sql} group by 1 order by alerts desc, coalesce(${by}, 'unknown') collate "C"`, w.params);
        expect(duck, `${by} ${JSON.stringify(filters.segment)} ${JSON.stringify(filters.region)}`).toEqual(rows);
        expect(duck.length).toBeGreaterThan(0);
      }
    }
  });

  it('weekly trend: new, resolved and open at the week\'s end', async () => {
    for (const filters of [NO_FILTERS, f({ segment: ['residential'] })]) {
      const duck = await runQuery<AlertTrendRow>(alertTrendQuery(filters));
      const w = pgWhere(filters);
      const { rows } = await p.pool.query(`
        with a as (select first_seen, resolved_on from mart.usage_alert where ${w.sql}),
             s as (select max(as_of) as as_of from mart.usage_alert),
             wk as (select g::date as week, least(g::date + 6, (select as_of from s)) as week_end
                      from generate_series(date_trunc('week', (select min(first_seen) from a)), (select as_of from s), interval '7 days') g)
        select week::text as week,
               (select count(*) from a where first_seen >= week and first_seen < week + 7)::int as new_alerts,
               (select count(*) from a where resolved_on >= week and resolved_on < week + 7)::int as resolved,
               (select count(*) from a where first_seen <= week_end and (resolved_on is null or resolved_on > week_end))::int as open_at_end
          from wk order by week`, w.params);
      expect(duck).toEqual(rows);
      expect(duck.length).toBeGreaterThanOrEqual(4);
    }
    // Every alert first seen is counted once; the last week's open count is today's open alerts.
    const duck = await runQuery<AlertTrendRow>(alertTrendQuery(NO_FILTERS));
    const { rows: [n] } = await p.pool.query(`select count(*)::int as total, count(*) filter (where status = 'open')::int as open from mart.usage_alert`);
    expect(duck.reduce((s, r) => s + r.new_alerts, 0)).toBe(n.total);
    expect(duck.at(-1)!.open_at_end).toBe(n.open);
  });

  it('the list: count, rows and order equal PostgreSQL\'s; pages neither overlap nor leave gaps', async () => {
    const options = { status: 'all' as const, types: ['spike', 'zero'] };
    const [{ n }] = await runQuery<{ n: number }>(alertCountQuery(NO_FILTERS, options));
    const { rows: pg } = await p.pool.query(
      `select customer_key, segment, region, alert_type, severity, first_seen::text, last_seen::text, flagged_days, status, resolved_on::text, reason
         from mart.usage_alert where alert_type in ('spike', 'zero')
        order by first_seen asc nulls last, first_seen desc, customer_key, alert_type`);
    expect(n).toBe(pg.length);
    const sort = { column: 'first_seen', desc: false };
    const paged: AlertRow[] = [];
    for (let offset = 0; offset < n; offset += 25) paged.push(...(await runQuery<AlertRow>(alertPageQuery(NO_FILTERS, options, sort, { offset, limit: 25 }))));
    const all = await runQuery<AlertRow>(alertPageQuery(NO_FILTERS, options, sort, null));
    expect(paged).toEqual(all);
    const pick = ({ customer_key, segment, region, alert_type, severity, first_seen, last_seen, flagged_days, status, resolved_on, reason }: AlertRow) =>
      ({ customer_key, segment, region, alert_type, severity, first_seen, last_seen, flagged_days, status, resolved_on, reason });
    expect(all.map(pick)).toEqual(pg);
    // Default order: open only, most severe first.
    const open = await runQuery<AlertRow>(alertPageQuery(NO_FILTERS, { status: 'open', types: [] }, { column: 'severity', desc: true }, null));
    expect(open.every((r) => r.status === 'open')).toBe(true);
    expect(open.map((r) => r.severity)).toEqual([...open.map((r) => r.severity)].sort((a, b) => b - a));
  });

  it('high-bill warnings: the projected and usual bill, month and driver equal PostgreSQL\'s, sorted by projected bill', async () => {
    const options = { status: 'all' as const, types: ['high_bill'] };
    const duck = await runQuery<AlertRow>(alertPageQuery(NO_FILTERS, options, { column: 'projected_amount', desc: true }, null));
    const { rows: pg } = await p.pool.query(
      `select customer_key, alert_type, status, bill_month::text, projected_amount, usual_amount, threshold, driver
         from mart.usage_alert where alert_type = 'high_bill'
        order by projected_amount desc nulls last, first_seen desc, customer_key, alert_type`);
    expect(pg.length).toBeGreaterThanOrEqual(5);
    expect(duck.map(({ customer_key, alert_type, status, bill_month, projected_amount, usual_amount, threshold, driver }) =>
      ({ customer_key, alert_type, status, bill_month, projected_amount, usual_amount, threshold, driver }))).toEqual(pg);
    expect(duck.every((r) => r.projected_amount! > r.threshold! && ['more_kwh', 'higher_tier', 'more_peak'].includes(r.driver!))).toBe(true);
    // the other types carry none of these figures
    const others = await runQuery<AlertRow>(alertPageQuery(NO_FILTERS, { status: 'all', types: ['spike', 'zero', 'flat', 'night_load'] }, { column: 'severity', desc: true }, null));
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((r) => r.projected_amount === null && r.usual_amount === null && r.driver === null && r.bill_month === null)).toBe(true);
  });

  it('the reason worded from the figures (en) is the mart\'s reason', async () => {
    const rows = await runQuery<AlertRow>(alertPageQuery(NO_FILTERS, { status: 'all', types: [] }, { column: 'severity', desc: true }, null));
    const en = makeI18n('en');
    const zh = makeI18n('zh-CN');
    let same = 0;
    for (const r of rows) {
      const worded = alertReason(r, (k, v) => en.t(k as never, v), 'en', (d) => d);
      expect(worded.toLowerCase(), `${r.customer_key} ${r.alert_type}`).toBe(r.reason.toLowerCase());
      same++;
      expect(alertReason(r, (k, v) => zh.t(k as never, v), 'zh-CN', zh.day)).not.toMatch(/[a-z]{4,}/);
    }
    expect(same).toBe(rows.length);
  });
});
