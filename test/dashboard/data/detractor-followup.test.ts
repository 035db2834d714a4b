// nextWaveDifference (the panel's 95% interval) from summed rows equals the
// difference and Welch interval computed from the raw answers; followUpQuery
// reads the level of the filters and binds their values.
import { describe, expect, it } from 'vitest';
import { followUpQuery, nextWaveDifference, type FollowUpRow } from '../../../dashboard/src/data/queries/detractor-followup.ts';
import { defaultFilters } from '../../../dashboard/src/data/sql.ts';

const row = (contacted: number[], uncontacted: number[]): FollowUpRow => ({
  wave: 'w', month: '2026-02-01', cases: 10, pending: 0, contacted: contacted.length, contacted_within_target: 0, contact_rate: null,
  contact_hours_median: null, contact_hours_p90: null, suppressed_cells: 0,
  contacted_next_responses: contacted.length, contacted_next_nps_sum: contacted.reduce((a, b) => a + b, 0), contacted_next_nps_sumsq: contacted.reduce((a, b) => a + b * b, 0),
  uncontacted_next_responses: uncontacted.length, uncontacted_next_nps_sum: uncontacted.reduce((a, b) => a + b, 0), uncontacted_next_nps_sumsq: uncontacted.reduce((a, b) => a + b * b, 0),
});

describe('nextWaveDifference', () => {
  it('equals the difference of means and its Welch 95% interval over the raw answers, across waves', () => {
    const c = [9, 10, 7, 8, 10, 6, 9];
    const u = [5, 7, 8, 3, 6, 9, 7, 4, 6];
    const d = nextWaveDifference([row(c.slice(0, 3), u.slice(0, 5)), row(c.slice(3), u.slice(5))])!;
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const s2 = (v: number[]): number => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1);
    const se = Math.sqrt(s2(c) / c.length + s2(u) / u.length);
    expect(d.diff).toBeCloseTo(mean(c) - mean(u), 12);
    expect(d.low).toBeCloseTo(mean(c) - mean(u) - 1.96 * se, 12);
    expect(d.high).toBeCloseTo(mean(c) - mean(u) + 1.96 * se, 12);
    expect(d.contacted.n).toBe(7);
  });

  it('is null with fewer than two answers in a group, and ignores suppressed (null) rows', () => {
    expect(nextWaveDifference([row([9], [5, 6, 7])])).toBeNull();
    const suppressed = { ...row([], []), contacted_next_responses: null, uncontacted_next_responses: null, contacted_next_nps_sum: null, uncontacted_next_nps_sum: null };
    expect(nextWaveDifference([suppressed, row([9, 8], [5, 6])])!.diff).toBeCloseTo(3, 12);
  });
});

describe('followUpQuery', () => {
  it('reads the all-segments, all-regions level without filters and the filtered level with them, values bound', () => {
    const f = defaultFilters('2026-10-31');
    expect(followUpQuery(f).sql).toContain('segment is null and region is null');
    const q = followUpQuery({ ...f, region: ["x' or 1=1"] });
    expect(q.sql).toContain('segment is null and region is not null');
    expect(q.sql).not.toContain('1=1');
    expect(q.params).toContain("x' or 1=1");
    expect(q.extracts).toEqual(['detractor_followup']);
  });
});
