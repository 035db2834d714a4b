// Abnormal-usage alerts (sql/alerts/, rollup.usage_alert, mart.usage_alert):
// on a generated utility the detectors find the anomalies the generator
// planted (precision and recall per type, from truth.json against the alert
// table), and an alert's lifecycle over nightly runs is right: a condition that
// persists is one alert, it resolves when consumption is back to normal, and
// it comes back as a new alert.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mayReadExtract } from '../../../etl/serve/roles.ts';
import { generatedInbox, readTruth } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, readCurrentExtracts, type Pipeline } from '../run/pipeline-helpers.ts';

const SECRET = { GRIDLENS_PSEUDONYM_SECRET: 'usage-alerts-test-secret-0123456789' };
const TYPES = ['spike', 'zero', 'flat', 'night_load'] as const;

interface Alert { customer_id: string; alert_type: string; first_seen: string; last_seen: string; status: string; resolved_on: string | null }

/**
 * Customer-days where the detectors' narrow copy (rollup.usage_recent) differs
 * from rollup.usage_day over the copy's window [first_day, as_of]: a day missing
 * on either side, or a different kWh, night kWh or flat-hours flag. Read
 * straight from usage_day here, not through the maintenance SQL.
 */
async function recentMismatches(pool: Pipeline['pool']): Promise<number> {
  const { rows: [{ n }] } = await pool.query<{ n: number }>(`
    with st as (select as_of from rollup.usage_alert_state),
    copy as (
      select r.customer_id, r.first_day + (u.i::integer - 1) as day, u.kwh, u.night_kwh, u.flat_hours
      from rollup.usage_recent r
      cross join lateral unnest(r.kwh, r.night_kwh, r.flat_hours) with ordinality u(kwh, night_kwh, flat_hours, i)
      where u.kwh is not null
    ),
    source as (
      select d.customer_id, d.day, d.kwh,
             (select sum(h) from unnest(d.kwh_by_hour[1:6]) h) as night_kwh,
             d.peak_valley_rate = 0 as flat_hours
      from rollup.usage_day d
      join rollup.usage_recent r on r.customer_id = d.customer_id
      cross join st
      where d.day >= r.first_day and d.day <= st.as_of
    )
    select count(*)::int as n
    from copy c full join source s on s.customer_id = c.customer_id and s.day = c.day
    where c.day is null or s.day is null or c.kwh <> s.kwh
       or c.night_kwh is distinct from s.night_kwh and abs(c.night_kwh - s.night_kwh) > 1e-9
       or (c.night_kwh is null) <> (s.night_kwh is null)
       or c.flat_hours is distinct from s.flat_hours`);
  return n;
}

describe('detectors on a generated utility (2,000 accounts)', () => {
  let p: Pipeline;
  let inbox: string;
  beforeAll(async () => {
    inbox = generatedInbox({ customers: 2000, months: 4, seed: 1, end: '2026-10' });
    p = await pipelineDatabase('usage-alerts');
    const r = await etl(p, ['run', '--inbox', inbox, '--json'], SECRET);
    expect(r.code, r.stderr).toBe(0);
  }, 600_000);
  afterAll(async () => p?.close());

  it('find the planted anomalies: precision and recall ≥ 0.9 per type', async () => {
    const truth = readTruth(inbox);
    const cases: { customer_id: string; type: string; first_day: string; last_day: string }[] = truth.planted.usage_anomalies.cases;
    // The generator plants in the last 30 days only: judge the alerts of that window.
    const windowStart = cases.map((c) => c.first_day).sort()[0];
    const { rows: alerts } = await p.pool.query<Alert>(
      `select customer_id, alert_type, first_seen, last_seen, status, resolved_on from rollup.usage_alert where last_seen >= $1`, [windowStart]);
    const overlaps = (a: Alert, c: (typeof cases)[number]): boolean =>
      a.customer_id === c.customer_id && a.alert_type === c.type && a.first_seen <= c.last_day && a.last_seen >= c.first_day;
    const report: Record<string, { planted: number; alerts: number; precision: number; recall: number }> = {};
    for (const type of TYPES) {
      const planted = cases.filter((c) => c.type === type);
      const raised = alerts.filter((a) => a.alert_type === type);
      const precision = raised.filter((a) => planted.some((c) => overlaps(a, c))).length / raised.length;
      const recall = planted.filter((c) => raised.some((a) => overlaps(a, c))).length / planted.length;
      report[type] = { planted: planted.length, alerts: raised.length, precision, recall };
    }
    console.log('usage alerts vs truth.json', JSON.stringify(report));
    for (const type of TYPES) {
      expect(report[type].planted, type).toBeGreaterThanOrEqual(5);
      expect(report[type].precision, type).toBeGreaterThanOrEqual(0.9);
      expect(report[type].recall, type).toBeGreaterThanOrEqual(0.9);
    }
  });

  it("keep every customer's latest weeks in rollup.usage_recent, equal to rollup.usage_day", async () => {
    const { rows: [{ rows, days, customers }] } = await p.pool.query<{ rows: number; days: number; customers: number }>(
      `select count(*)::int as rows, min(cardinality(kwh))::int as days,
              (select count(*)::int from core.customer) as customers from rollup.usage_recent`);
    expect(rows).toBe(customers);
    expect(days).toBe(7 * 6 + 2 * 2 + 14); // baseline weeks, run margins, two weeks of lateness
    expect(await recentMismatches(p.pool)).toBe(0);
  });

  it('publish the alerts as an extract under the pseudonymous key, without account numbers', async () => {
    const { manifest, tables } = readCurrentExtracts(p.extracts);
    const table = tables.get('usage_alert');
    expect(table).toBeDefined();
    // the mart also carries the high-bill warnings (rollup.high_bill_alert)
    const { rows: [{ n }] } = await p.pool.query<{ n: number }>('select ((select count(*) from rollup.usage_alert) + (select count(*) from rollup.high_bill_alert))::int as n');
    expect(table!.numRows).toBe(n);
    const columns = table!.schema.fields.map((f) => f.name);
    expect(columns).toContain('customer_key');
    expect(columns).not.toContain('customer_id');
    // Per-customer (no customers column): marketing and above read it, executives do not.
    expect(manifest.suppression.marts.usage_alert.customers_column).toBeNull();
    expect(mayReadExtract('executive', manifest.suppression.marts.usage_alert.customers_column)).toBe(false);
    expect(mayReadExtract('marketing', manifest.suppression.marts.usage_alert.customers_column)).toBe(true);
    const ids = new Set((await p.pool.query<{ customer_id: string }>('select customer_id from core.customer')).rows.map((r) => r.customer_id));
    for (let i = 0; i < table!.numRows; i++) {
      for (const c of columns) expect(ids.has(String(table!.getChild(c)!.get(i)))).toBe(false);
    }
  });
});

// ---- lifecycle over nights, on a hand-made customer ----

const CUSTOMERS = 'customer_id,name,phone,address,customer_class,region,tariff,voltage_kv,capacity_kva,contract_type,contract_end,green_plan,preferred_channel,opened_on,closed_on\n'
  + '9900000001,,,,residential,江城区,tiered,0.22,8,standard,,false,app,2020-01-01,\n';

function day(offset: number): string {
  return new Date(Date.UTC(2026, 5, 1) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** A usage file of daily reads for days [from, to): kWh by a function of the day. */
function usageFile(from: number, to: number, kwh: (d: number) => number): string {
  let s = 'customer_id,reading_start,interval_minutes,kwh,quality\n';
  for (let d = from; d < to; d++) s += `9900000001,${day(d)} 00:00,1440,${kwh(d).toFixed(3)},\n`;
  return s;
}

describe('alert lifecycle over nightly runs', () => {
  let p: Pipeline;
  let inbox: string;
  const normal = (d: number): number => 8 + (d % 7) * 0.37; // varied, so never "flat"
  beforeAll(async () => {
    p = await pipelineDatabase('usage-alerts-life');
    inbox = join(p.home, '..', 'inbox');
    mkdirSync(join(inbox, 'customers'), { recursive: true });
    mkdirSync(join(inbox, 'usage'), { recursive: true });
    writeFileSync(join(inbox, 'customers', 'customers_2026-06.csv'), CUSTOMERS);
  }, 120_000);
  afterAll(async () => p?.close());

  async function night(name: string, content: string): Promise<Alert[]> {
    writeFileSync(join(inbox, 'usage', name), content);
    const r = await etl(p, ['run', '--inbox', inbox, '--json'], SECRET);
    expect(r.code, r.stderr).toBe(0);
    const { rows } = await p.pool.query<Alert>(
      `select customer_id, alert_type, first_seen, last_seen, status, resolved_on from rollup.usage_alert order by first_seen`);
    return rows;
  }

  it('one alert while the meter reads zero, resolved when it reads again, a new alert when it drops again', async () => {
    // Night 1: 60 normal days, then 3 zero days (days 60–62).
    let alerts = await night('usage_2026-08-a.csv', usageFile(0, 63, (d) => (d >= 60 ? 0 : normal(d))));
    expect(alerts).toEqual([{ customer_id: '9900000001', alert_type: 'zero', first_seen: day(60), last_seen: day(62), status: 'open', resolved_on: null }]);

    // Night 2: two more zero days: the same alert, last seen later.
    alerts = await night('usage_2026-08-b.csv', usageFile(63, 65, () => 0));
    expect(alerts).toEqual([{ customer_id: '9900000001', alert_type: 'zero', first_seen: day(60), last_seen: day(64), status: 'open', resolved_on: null }]);

    // Night 3: one normal day is not yet "back to normal" (resolve_days = 2)…
    alerts = await night('usage_2026-08-c.csv', usageFile(65, 66, normal));
    expect(alerts.map((a) => a.status)).toEqual(['open']);

    // Night 4: …two are: resolved, on the first normal day.
    alerts = await night('usage_2026-08-d.csv', usageFile(66, 70, normal));
    expect(alerts).toEqual([{ customer_id: '9900000001', alert_type: 'zero', first_seen: day(60), last_seen: day(64), status: 'resolved', resolved_on: day(65) }]);

    // Night 5: zero again for 4 days: a new open alert; the old one stays resolved.
    alerts = await night('usage_2026-08-e.csv', usageFile(70, 74, () => 0));
    expect(alerts).toEqual([
      { customer_id: '9900000001', alert_type: 'zero', first_seen: day(60), last_seen: day(64), status: 'resolved', resolved_on: day(65) },
      { customer_id: '9900000001', alert_type: 'zero', first_seen: day(70), last_seen: day(73), status: 'open', resolved_on: null },
    ]);

    // A full rebuild gives the same alerts as the nights did.
    const full = await etl(p, ['run', '--inbox', inbox, '--full', '--json'], SECRET);
    expect(full.code, full.stderr).toBe(0);
    const { rows } = await p.pool.query<Alert>(
      `select customer_id, alert_type, first_seen, last_seen, status, resolved_on from rollup.usage_alert order by first_seen`);
    expect(rows).toEqual(alerts);
  }, 600_000);

  it('the narrow copy follows the nights: shifted on a new day, re-read after a correction inside its window', async () => {
    const row = async () => (await p.pool.query<{ first_day: string; kwh: (number | null)[] }>(
      `select first_day, kwh from rollup.usage_recent where customer_id = '9900000001'`)).rows[0];
    // After the nights above (as of day 73): the window ends on the last day read.
    let r = await row();
    expect(r.kwh).toHaveLength(60);
    expect(r.first_day).toBe(day(73 - 59));
    expect(await recentMismatches(p.pool)).toBe(0);
    // A new night shifts the window by its days.
    await night('usage_2026-08-g.csv', usageFile(74, 76, normal));
    r = await row();
    expect(r.first_day).toBe(day(75 - 59));
    expect(r.kwh[59]).toBeCloseTo(normal(75), 3);
    // A resent day inside the window (a meter-reading correction) changes that element (12.5 kWh: no spike).
    await night('usage_2026-08-h.csv', usageFile(40, 41, () => 12.5));
    r = await row();
    expect(r.kwh[40 - (75 - 59)]).toBeCloseTo(12.5, 3);
    expect(await recentMismatches(p.pool)).toBe(0);
    // rollup.alert_usage reads the same days from either source…
    const { rows: [{ same }] } = await p.pool.query<{ same: boolean }>(
      `select (select array_agg(row(day, kwh, night_kwh, interval_meter, flat_hours)::text order by day)
                 from rollup.alert_usage('9900000001', $1::date - 30, $2::date + 1) where day >= $1::date)
            = (select array_agg(row(day, kwh, night_kwh, interval_meter, flat_hours)::text order by day)
                 from rollup.alert_usage('9900000001', $1::date, $2::date + 1)) as same`, [day(75 - 59), day(75)]);
    expect(same).toBe(true);
    // …and so does rollup.alert_day_kwh (the spike rule's reader), for days inside the copy and reaching before it.
    const { rows: [{ inside, before }] } = await p.pool.query<{ inside: boolean; before: boolean }>(
      `with w as (select array(select d::date from generate_series($1::date, $2::date, interval '1 day') d) as days,
                         array(select d::date from generate_series($1::date - 30, $2::date, interval '1 day') d) as longer),
            want as (select array_agg(row(day, kwh)::text order by day) as a from rollup.alert_usage('9900000001', $1::date, $2::date + 1))
       select (select array_agg(row(day, kwh)::text order by day) from w, rollup.alert_day_kwh('9900000001', w.days)) = want.a as inside,
              (select array_agg(row(day, kwh)::text order by day) from w, rollup.alert_day_kwh('9900000001', w.longer) where day >= $1::date) = want.a as before
       from want`, [day(75 - 59), day(75)]);
    expect([inside, before]).toEqual([true, true]);

    // The copy is UNLOGGED: a crash empties it. The next night finds it empty and
    // seeds every customer again, and the alerts are those it had before.
    const alertsBefore = (await p.pool.query('select customer_id, alert_type, first_seen, last_seen, status from rollup.usage_alert order by 1, 2, 3')).rows;
    expect((await p.pool.query<{ relpersistence: string }>(`select relpersistence from pg_class where oid = 'rollup.usage_recent'::regclass`)).rows[0].relpersistence).toBe('u');
    await p.pool.query('truncate rollup.usage_recent');
    await night('usage_2026-08-i.csv', usageFile(76, 77, normal));
    r = await row();
    expect(r.first_day).toBe(day(76 - 59));
    expect(await recentMismatches(p.pool)).toBe(0);
    expect((await p.pool.query('select customer_id, alert_type, first_seen, last_seen, status from rollup.usage_alert order by 1, 2, 3')).rows).toEqual(alertsBefore);
  }, 600_000);

  it('a spike is judged against the same day type and flagged with its figures', async () => {
    // Day 74 (a workday) at 6× the usual level; then normal days.
    await night('usage_2026-08-f.csv', usageFile(74, 80, (d) => (d === 74 ? 6 * normal(d) : d < 74 ? 0 : normal(d))));
    const { rows } = await p.pool.query<{ day: string; severity: number; baseline: number; observed: number; threshold: number }>(
      `select day, severity, baseline, observed, threshold from rollup.usage_alert_day where alert_type = 'spike'`);
    // Median of the same day type over the previous 6 weeks, computed here from the readings.
    const { rows: [{ median }] } = await p.pool.query<{ median: number }>(
      `select percentile_cont(0.5) within group (order by kwh) as median from rollup.usage_day u
        where u.day >= $1::date - 42 and u.day < $1::date
          and extract(isodow from u.day) between 1 and 5 and u.day not in (select day from core.calendar_day where day_type = 'holiday')`, [day(74)]);
    expect(rows).toHaveLength(1);
    expect(rows[0].day).toBe(day(74));
    expect(rows[0].baseline).toBeCloseTo(median, 9);
    expect(rows[0].observed).toBeCloseTo(6 * normal(74), 3);
    expect(rows[0].threshold).toBeGreaterThanOrEqual(3 * median);
  }, 600_000);
});
