// Pure helpers behind the panels: whether a chart has anything to draw
// (suppressed cells are nulls), and what the freshness panel reads from a manifest.

import { describe, expect, it } from 'vitest';
import { hasValues } from '../../../dashboard/src/charts/has-values.ts';
import { isStale, runInfoOf, STALE_GRACE_MS } from '../../../dashboard/src/views/run-info.ts';
import type { Manifest } from '../../../dashboard/src/data/api.ts';

describe('hasValues', () => {
  it('is false when every figure is null (all cells suppressed), true with one number, heatmap cells included', () => {
    expect(hasValues({ series: [{ data: [null, null] }, { data: [] }] })).toBe(false);
    expect(hasValues({ series: [{ data: [null, 0] }] })).toBe(true);
    expect(hasValues({ series: [{ data: [{ value: null }, { value: 3 }] }] })).toBe(true);
    expect(hasValues({ series: [{ data: [[1, 2, null]] }] })).toBe(false);
    expect(hasValues({ series: [{ data: [[1, 2, 0.5]] }] })).toBe(true);
    expect(hasValues({ series: { data: [Number.NaN] } })).toBe(false);
    expect(hasValues({})).toBe(false);
  });
});

describe('run info', () => {
  const manifest = { created_at: '2026-11-26T02:10:00Z' } as Manifest;

  it('says nothing it does not know: a manifest without a run block', () => {
    expect(runInfoOf(manifest)).toEqual({ status: null, rowsRead: null, rowsRejected: null, finishedAt: null, lastScheduledAt: null });
  });

  it('reads the optional run block', () => {
    const m = { ...manifest, run: { status: 'succeeded', rows_read: 1200, rows_rejected: 3, finished_at: '2026-11-26T02:10:00Z' } } as unknown as Manifest;
    expect(runInfoOf(m)).toMatchObject({ status: 'succeeded', rowsRead: 1200, rowsRejected: 3 });
  });

  it('names the missed scheduled run once its time plus the grace period has passed', () => {
    const m = { ...manifest, run: { status: 'succeeded', next_scheduled_at: '2026-11-27T02:00:00.000Z' } } as unknown as Manifest;
    const at = (iso: string) => runInfoOf(m, Date.parse(iso)).lastScheduledAt;
    expect(at('2026-11-26T12:00:00Z')).toBeNull(); // before the next run
    expect(at('2026-11-27T03:59:59Z')).toBeNull(); // the run may still be publishing
    expect(at('2026-11-27T04:00:00Z')).toBe('2026-11-27T02:00:00.000Z');
    expect(isStale(m, at('2026-11-27T04:00:00Z'))).toBe(true);
    expect(2 * 3_600_000).toBe(STALE_GRACE_MS);
  });

  it('is stale only when a scheduled run came after the extracts were published', () => {
    expect(isStale(manifest, null)).toBe(false);
    expect(isStale(manifest, '2026-11-26T02:00:00Z')).toBe(false);
    expect(isStale(manifest, '2026-11-27T02:00:00Z')).toBe(true);
  });
});
