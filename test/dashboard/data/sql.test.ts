// The pure query-builder helpers: month arithmetic and the filter WHERE clause.
import { describe, expect, it } from 'vitest';
import type { Filters } from '../../../dashboard/src/data/api.ts';
import { kpiCards, whatMoved } from '../../../dashboard/src/data/queries/kpi.ts';
import {
  addMonths, comparisonPeriod, defaultFilters, filterWhere, latestCompleteMonth, monthCount, monthsBetween, monthRange,
} from '../../../dashboard/src/data/sql.ts';

const NONE: Filters = { from: '2026-10-01', to: '2026-10-01', compare: 'previous', segment: [], region: [], tariff: [], band: [], channel: [] };

describe('months', () => {
  it('adds and counts months across years', () => {
    expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
    expect(addMonths('2026-11-01', 14)).toBe('2028-01-01');
    expect(addMonths('2026-03-01', -27)).toBe('2023-12-01');
    expect(monthCount('2025-11-01', '2026-02-01')).toBe(4);
    expect(monthCount('2026-02-01', '2025-11-01')).toBe(0);
    expect(monthsBetween('2025-11-01', '2026-01-01')).toEqual(['2025-11-01', '2025-12-01', '2026-01-01']);
    expect(() => addMonths('2026-13-01', 1)).toThrow(/not a month/);
    expect(() => addMonths('2026-10-15', 1)).toThrow(/not a month/);
  });

  it('compares with the period before of equal length, or the same months a year earlier', () => {
    expect(comparisonPeriod({ from: '2026-10-01', to: '2026-10-01' }, 'previous')).toEqual({ from: '2026-09-01', to: '2026-09-01' });
    expect(comparisonPeriod({ from: '2026-01-01', to: '2026-03-01' }, 'previous')).toEqual({ from: '2025-10-01', to: '2025-12-01' });
    expect(comparisonPeriod({ from: '2026-01-01', to: '2026-03-01' }, 'year')).toEqual({ from: '2025-01-01', to: '2025-03-01' });
  });

  it('defaults to the latest complete month against the month before', () => {
    expect(latestCompleteMonth('2026-10-31')).toBe('2026-10-01');
    expect(latestCompleteMonth('2026-11-25')).toBe('2026-10-01');
    expect(latestCompleteMonth('2024-02-29')).toBe('2024-02-01');
    expect(latestCompleteMonth('2026-01-01')).toBe('2025-12-01');
    expect(defaultFilters('2026-11-25')).toEqual(NONE);
  });
});

describe('filterWhere', () => {
  it('binds every value as a parameter, only for the columns the table has', () => {
    const f: Filters = { ...NONE, segment: ['residential', 'sme'], region: ["o'hare"], channel: ['app'] };
    expect(filterWhere(f, { segment: 's.segment', region: 'region', tariff: 'tariff' })).toEqual({
      sql: 's.segment in (?, ?) and region in (?)',
      params: ['residential', 'sme', "o'hare"],
    });
    expect(filterWhere(NONE, { segment: 'segment' })).toEqual({ sql: 'true', params: [] });
    expect(monthRange('month', { from: '2026-01-01', to: '2026-03-01' })).toEqual({ sql: 'month between ?::DATE and ?::DATE', params: ['2026-01-01', '2026-03-01'] });
  });

  it('keeps user input out of the KPI builders’ SQL text', () => {
    const evil = "x'); drop table kpi_month; --";
    for (const q of [kpiCards({ ...NONE, segment: [evil] }), whatMoved({ ...NONE, region: [evil] }, 'kwh')]) {
      expect(q.sql).not.toContain('drop table');
      expect(q.params).toContain(evil);
      expect(q.sql.split('?').length - 1).toBe(q.params.length);
    }
    expect(kpiCards(NONE).extracts).toEqual(['kpi_month']);
    expect(kpiCards({ ...NONE, band: ['high'] }).extracts).toEqual(['segment_month']);
    expect(whatMoved(NONE, 'revenue').extracts).toEqual(['segment_month', 'kpi_month']);
  });
});
