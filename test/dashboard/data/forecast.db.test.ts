// The Overview's forecast query (data/queries/forecast.ts) end to end: the
// forecasts' test utility (36 months) through the real ETL and published
// extracts, served by the product's server and loaded into DuckDB-WASM (Node)
// by the dashboard's data source. Each selection must equal the same question
// asked of PostgreSQL's mart.forecast_month by hand: the company, one segment,
// one segment × region cell (their own series and MAPE), and several
// segments (point forecasts and bounds added, no MAPE).

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQuery, setDataSource } from '../../../dashboard/src/data/client.ts';
import { httpExtractFetcher } from '../../../dashboard/src/data/extract-fetch.ts';
import { FORECAST_HISTORY_MONTHS, forecastQuery, forecastSeries, type ForecastRow } from '../../../dashboard/src/data/queries/forecast.ts';
import { createDataSource } from '../../../dashboard/src/data/source.ts';
import { startServer, type RunningServer } from '../../../etl/serve/server.ts';
import { generatedInbox } from '../../helpers/generated.ts';
import { etl, pipelineDatabase, readCurrentExtracts, type Pipeline } from '../../etl/run/pipeline-helpers.ts';
import { FORECAST_FIXTURE, FORECAST_SECRET } from '../../etl/transform/forecast-fixture.ts';
import { startNodeEngine } from '../../../etl/extract/duckdb-node.ts';

let p: Pipeline;
let server: RunningServer;
let dist: string;

beforeAll(async () => {
  const inbox = generatedInbox(FORECAST_FIXTURE);
  p = await pipelineDatabase('forecast-view');
  const r = await etl(p, ['run', '--inbox', inbox, '--json'], FORECAST_SECRET);
  expect(r.code, r.stderr).toBe(0);
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'gridlens-dist-'));
  server = await startServer({ host: '127.0.0.1', port: 0, distDir: dist, extractsDir: p.extracts });
  setDataSource(createDataSource({ engine: startNodeEngine, fetcher: httpExtractFetcher(new URL('extracts/', server.url)) }));
}, 900_000);

afterAll(async () => {
  await server?.close();
  await p?.close();
  if (dist) await fs.rm(dist, { recursive: true, force: true });
});

/**
 * The same selection asked of PostgreSQL: the level, the members, summed per
 * measure × month, with the extract's small-cell rule applied by hand (the
 * manifest's k and dominance limit: a suppressed cell's figures are null).
 */
async function pgForecast(segment: string[], region: string[]): Promise<ForecastRow[]> {
  const { manifest } = readCurrentExtracts(p.extracts);
  const { k, dominance_limit: limit } = manifest.suppression;
  const { rows } = await p.pool.query(
    `with m as (
       select measure, segment, region, month, is_forecast, customers < ${k} or coalesce(top_customer_share > ${limit}, false) as suppressed,
              actual, point, lo80, hi80, lo95, hi95, mape_model, mape_naive, status
         from mart.forecast_month),
     s as (
       select measure, segment, region, month, is_forecast, suppressed,
              ${['actual', 'point', 'lo80', 'hi80', 'lo95', 'hi95', 'mape_model', 'mape_naive', 'status'].map((c) => `case when suppressed then null else ${c} end as ${c}`).join(', ')}
         from m),
     sel as (
       select * from s
        where (segment is null) = ($1::text[] = '{}') and (region is null) = ($2::text[] = '{}')
          and ($1::text[] = '{}' or segment = any($1)) and ($2::text[] = '{}' or region = any($2))),
     last as (select max(month) filter (where not is_forecast) as m from sel)
     select measure, to_char(month, 'YYYY-MM-DD') as month, is_forecast,
            sum(actual) as actual, sum(point) as point, sum(lo80) as lo80, sum(hi80) as hi80, sum(lo95) as lo95, sum(hi95) as hi95,
            count(*)::int as cells, (count(*) filter (where suppressed))::int as suppressed_cells,
            case when count(*) = 1 then max(mape_model) end as mape_model, case when count(*) = 1 then max(mape_naive) end as mape_naive,
            string_agg(distinct status, ',' order by status) as statuses
       from sel where is_forecast or month > (select m from last) - interval '${FORECAST_HISTORY_MONTHS} months'
      group by 1, 2, 3 order by 1, 2`, [segment, region]);
  return rows;
}

function expectClose(duck: ForecastRow[], pg: ForecastRow[]): void {
  expect(duck.map((r) => [r.measure, r.month, r.is_forecast, r.cells, r.suppressed_cells, r.statuses])).toEqual(pg.map((r) => [r.measure, r.month, r.is_forecast, r.cells, r.suppressed_cells, r.statuses]));
  for (let i = 0; i < pg.length; i++) {
    for (const k of ['actual', 'point', 'lo80', 'hi80', 'lo95', 'hi95', 'mape_model', 'mape_naive'] as const) {
      const a = duck[i][k];
      const b = pg[i][k];
      if (b === null) expect(a, `${pg[i].month} ${k}`).toBeNull();
      else expect(a! / b, `${pg[i].month} ${k}`).toBeCloseTo(1, 9);
    }
  }
}

describe('forecast query in DuckDB-WASM vs PostgreSQL mart.forecast_month', () => {
  it('writes the level and members as parameters', () => {
    const q = forecastQuery({ segment: ['sme'], region: [] });
    expect(q.sql).toContain('segment is not null and region is null and segment in (?)');
    expect(q.params).toEqual(['sme']);
    expect(q.extracts).toEqual(['forecast_month']);
  });

  it('company, one segment, one cell: the series itself with its MAPE; several segments: summed, no MAPE', async () => {
    const { rows: [cell] } = await p.pool.query<{ segment: string; region: string }>(
      `select segment, region from mart.forecast_month where segment is not null and region is not null and is_forecast group by 1, 2 order by sum(customers) desc limit 1`);
    const cases: [string[], string[]][] = [[[], []], [['residential'], []], [[cell.segment], [cell.region]], [['residential', 'commercial'], []], [[], ['江城区', '临湖区']]];
    for (const [segment, region] of cases) {
      const duck = await runQuery<ForecastRow>(forecastQuery({ segment, region }));
      const pg = await pgForecast(segment, region);
      expect(pg.length, JSON.stringify([segment, region])).toBe(2 * (FORECAST_HISTORY_MONTHS + 3));
      expectClose(duck, pg);
      const kwh = forecastSeries(duck, 'kwh');
      if (pg.some((r) => r.measure === 'kwh' && r.suppressed_cells > 0)) {
        // A member cell is withheld (too few customers, or one customer > 15 % of its kWh): no sum, no forecast.
        expect([kwh.reason, kwh.forecastMonths], JSON.stringify([segment, region])).toEqual(['suppressed', []]);
        expect(segment.length + region.length, 'the company, a segment and the largest cell are never suppressed').toBeGreaterThan(1);
        continue;
      }
      expect(kwh.forecastMonths).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
      expect(kwh.reason).toBeNull();
      if (segment.length <= 1 && region.length <= 1) {
        expect(kwh.mapeModel).toBeGreaterThan(0);
        expect(kwh.mapeModel).toBe(duck.find((r) => r.measure === 'kwh')!.mape_model);
      } else {
        expect(kwh.mapeModel).toBeNull();
      }
    }
  });
});

describe('forecastSeries (the chart arrays)', () => {
  const row = (month: string, is_forecast: boolean, v: number, o: Partial<ForecastRow> = {}): ForecastRow => ({
    measure: 'kwh', month, is_forecast, actual: is_forecast ? null : v, point: is_forecast ? v : null, lo80: is_forecast ? v - 1 : null, hi80: is_forecast ? v + 1 : null,
    lo95: is_forecast ? v - 2 : null, hi95: is_forecast ? v + 2 : null, cells: 1, suppressed_cells: 0, mape_model: 2, mape_naive: 4, statuses: 'ok', ...o,
  });
  it('the dashed line and bands start at the last actual; a suppressed or short series shows no forecast and says why', () => {
    const rows = [row('2026-09-01', false, 10), row('2026-10-01', false, 11), row('2026-11-01', true, 12), row('2026-12-01', true, 13)];
    const s = forecastSeries(rows, 'kwh');
    expect(s.actual).toEqual([10, 11, null, null]);
    expect(s.point).toEqual([null, 11, 12, 13]);
    expect(s.lo95).toEqual([null, 11, 10, 11]);
    expect(s.forecastMonths).toEqual(['2026-11-01', '2026-12-01']);
    expect([s.mapeModel, s.mapeNaive, s.reason]).toEqual([2, 4, null]);
    const withheld = forecastSeries(rows.map((r) => ({ ...r, suppressed_cells: r.month === '2026-09-01' ? 1 : 0 })), 'kwh');
    expect([withheld.reason, withheld.months, withheld.mapeModel]).toEqual(['suppressed', [], null]); // a partial sum is not drawn
    const short = forecastSeries(rows.slice(0, 2).map((r) => ({ ...r, statuses: 'too_short', mape_model: null })), 'kwh');
    expect([short.reason, short.forecastMonths, short.point]).toEqual(['too_short', [], [null, null]]);
  });
});
