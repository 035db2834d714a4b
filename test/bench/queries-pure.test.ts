// Pure parts of the query benchmark (bench/queries/): the DuckDB → PostgreSQL
// rendering of the builders' SQL, the answer comparison, the figures.

import { describe, expect, it } from 'vitest';
import { compareAnswers, sameValue } from '../../bench/queries/compare.ts';
import { numberPlaceholders, pgQuestion, toPostgresSql } from '../../bench/queries/pg-dialect.ts';
import { planHotspots } from '../../bench/queries/pg-side.ts';
import { latency, limitGoal, p95Ratio, ratioGoal } from '../../bench/queries/stats.ts';

describe('PostgreSQL rendering of the builders’ DuckDB SQL', () => {
  it('numbers placeholders in order, leaving quoted text alone', () => {
    expect(numberPlaceholders(`select '?' as q, "a?" from t where a = ? and b in (?, ?)`)).toEqual({
      text: `select '?' as q, "a?" from t where a = $1 and b in ($2, $3)`,
      count: 3,
    });
    expect(() => numberPlaceholders(`select 'x`)).toThrow(/unterminated/);
  });

  it('rewrites each DuckDB-only construct', () => {
    expect(toPostgresSql(`select x::DOUBLE, cast(y as DOUBLE) from t`)).toBe(`select x::float8, cast(y as float8) from t`);
    expect(toPostgresSql(`select unnest(['a', 'b']) as k, list_position(['a', 'b'], k) from t`)).toBe(
      `select unnest(array['a', 'b']) as k, array_position(array['a', 'b'], k) from t`,
    );
    expect(toPostgresSql(`select arg_max_null(k.x, k.month) / nullif(avg(k.r), 0) from k`)).toBe(
      `select (array_agg(k.x order by k.month desc nulls last))[1] / nullif(avg(k.r), 0) from k`,
    );
    expect(toPostgresSql(`select any_value(t.v) - 1 from t`)).toBe(`select min(t.v) - 1 from t`);
    expect(toPostgresSql(`select strftime(s.month, '%Y-%m-%d') from s`)).toBe(`select to_char(s.month, 'YYYY-MM-DD') from s`);
    expect(toPostgresSql(`select sum(day(last_day(k.month))) from k`)).toBe(
      `select sum(extract(day from (date_trunc('month', k.month) + interval '1 month - 1 day')::date)::integer) from k`,
    );
    expect(toPostgresSql(`select date_diff('month', p.a, p.b) + 1`)).toBe(
      `select ((extract(year from p.b) * 12 + extract(month from p.b)) - (extract(year from p.a) * 12 + extract(month from p.a)))::integer + 1`,
    );
    expect(toPostgresSql(`select cast(year(month) as VARCHAR) || '-Q' || cast(quarter(month) as VARCHAR) from t where m = ?::DATE`)).toBe(
      `select cast(extract(year from month)::integer as VARCHAR) || '-Q' || cast(extract(quarter from month)::integer as VARCHAR) from t where m = $1::DATE`,
    );
    // Words that only end like a rewritten function stay.
    expect(toPostgresSql(`select customer_days, last_day_x from t`)).toBe(`select customer_days, last_day_x from t`);
  });

  it('refuses what it cannot render rather than send another question', () => {
    expect(() => toPostgresSql(`select strftime(m, '%Y') from t`)).toThrow(/strftime format/);
    expect(() => toPostgresSql(`select date_diff('day', a, b) from t`)).toThrow(/date_diff/);
    expect(() => toPostgresSql(`select arg_max(x, y) from t`)).toThrow(/arg_max/);
    expect(() => toPostgresSql(`select list_sum(x) from t`)).toThrow(/list_/);
  });

  it('puts each mart read as a CTE before the question, joining a WITH list', () => {
    const marts = new Map([['kpi_month', 'select * from mart."kpi_month"'], ['segment_month', 'select 1 as s']]);
    const plain = pgQuestion({ sql: 'select month from kpi_month where month = ?::DATE', params: ['2026-10-01'], extracts: ['kpi_month'] }, marts);
    expect(plain.text).toBe(`with "kpi_month" as not materialized (select * from mart."kpi_month")\nselect month from kpi_month where month = $1::DATE`);
    expect(plain.values).toEqual(['2026-10-01']);
    const withList = pgQuestion({ sql: '\nwith a as (select 1) select * from a, segment_month, kpi_month', params: [], extracts: ['segment_month', 'kpi_month'] }, marts);
    expect(withList.text).toBe(
      `with "segment_month" as not materialized (select 1 as s),\n"kpi_month" as not materialized (select * from mart."kpi_month"),\na as (select 1) select * from a, segment_month, kpi_month`,
    );
    expect(() => pgQuestion({ sql: 'select 1 from x', params: [], extracts: ['x'] }, marts)).toThrow(/no PostgreSQL source/);
    expect(() => pgQuestion({ sql: 'select ? from kpi_month', params: [], extracts: ['kpi_month'] }, marts)).toThrow(/1 placeholders but 0/);
  });
});

describe('answer comparison', () => {
  it('equal numbers up to float noise; text, null and booleans exactly', () => {
    expect(sameValue(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameValue(123456789.12, 123456789.12 * (1 + 1e-12))).toBe(true);
    expect(sameValue(100, 100.01)).toBe(false);
    expect(sameValue(null, undefined)).toBe(true);
    expect(sameValue(null, 0)).toBe(false);
    expect(sameValue('2026-10-01', '2026-10-01')).toBe(true);
    expect(sameValue(true, 'true')).toBe(true);
  });

  it('finds a different value, row count or column; accepts the same rows in another order', () => {
    const a = [{ k: 'x', v: 1 }, { k: 'y', v: 2 }];
    expect(compareAnswers(a, [{ k: 'x', v: 1 }, { k: 'y', v: 2 }])).toEqual({ same: true, orderDiffers: false, detail: null });
    expect(compareAnswers(a, [{ k: 'x', v: 1 }, { k: 'y', v: 3 }])).toMatchObject({ same: false, detail: 'row 1: v: 2 vs 3' });
    expect(compareAnswers(a, [{ k: 'x', v: 1 }])).toMatchObject({ same: false, detail: '2 rows vs 1' });
    expect(compareAnswers(a, [{ k: 'x', w: 1 }, { k: 'y', w: 2 }])).toMatchObject({ same: false, detail: expect.stringMatching(/columns differ/) });
    expect(compareAnswers(a, [{ k: 'y', v: 2 }, { k: 'x', v: 1 }])).toMatchObject({ same: true, orderDiffers: true });
    expect(compareAnswers([], [])).toMatchObject({ same: true });
  });
});

describe('figures', () => {
  it('latency: nearest-rank percentiles, max and mean', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(latency(xs)).toEqual({ n: 20, p50: 10, p95: 19, max: 20, mean: 10.5 });
    expect(() => latency([])).toThrow(/no samples/);
  });

  it('ratio of p95s and the goals at their limits', () => {
    const duck = latency([10, 20]);
    const pg = latency([200, 250]);
    expect(p95Ratio(pg, duck)).toBe(12.5);
    expect(p95Ratio(pg, latency([0]))).toBeNull();
    expect(ratioGoal('r', 10, 10)).toEqual({ name: 'r', ratio: 10, limit: 10, pass: true });
    expect(ratioGoal('r', 9.99, 10)!.pass).toBe(false);
    expect(ratioGoal('r', null, 10)).toBeNull();
    expect(limitGoal('p95', 100, 100).pass).toBe(true);
    expect(limitGoal('p95', 100.1, 100).pass).toBe(false);
  });

  it('plan hotspots: each node’s time less its children’s, largest first', () => {
    const plan = {
      'Node Type': 'Aggregate', Strategy: 'Hashed', 'Actual Total Time': 100, 'Actual Loops': 1,
      Plans: [
        { 'Node Type': 'Seq Scan', 'Relation Name': 'customer_month', 'Actual Total Time': 60, 'Actual Loops': 1 },
        { 'Node Type': 'Index Scan', 'Relation Name': 'bill_month', 'Actual Total Time': 5, 'Actual Loops': 2 },
      ],
    };
    expect(planHotspots(plan)).toEqual([
      { node: 'Seq Scan customer_month', selfMs: 60 },
      { node: 'Aggregate Hashed', selfMs: 30 },
      { node: 'Index Scan bill_month', selfMs: 10 },
    ]);
  });
});
