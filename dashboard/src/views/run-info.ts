// What the freshness panel says about the run behind the extracts. The
// manifest's `run` block (status, rows read / rejected, finished, the next
// scheduled run: etl/extract/manifest.ts ManifestRun) is optional: manifests
// written before it existed still load, and the panel then says "not recorded"
// instead of guessing.
//
// Stale data: the manifest names the first scheduled run after its publish.
// Once that time plus STALE_GRACE_MS has passed and this manifest is still the
// current one, that run published nothing (it failed, or the scheduler is
// down): the App shows a warning naming the missed run.

import type { Manifest } from '../data/api.ts';

export interface RunInfo {
  status: string | null;
  rowsRead: number | null;
  rowsRejected: number | null;
  finishedAt: string | null;
  /** ISO time of the last scheduled run that should have published by now. */
  lastScheduledAt: string | null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Time a scheduled run may take to publish before its absence counts as stale (a night at 1M customers takes minutes, not hours). */
export const STALE_GRACE_MS = 2 * 3_600_000;

export function runInfoOf(manifest: Manifest, now: number = Date.now()): RunInfo {
  const run = (manifest as unknown as { run?: Record<string, unknown> }).run ?? {};
  const next = str(run.next_scheduled_at);
  const nextMs = next === null ? NaN : Date.parse(next);
  return {
    status: str(run.status),
    rowsRead: num(run.rows_read),
    rowsRejected: num(run.rows_rejected),
    finishedAt: str(run.finished_at),
    lastScheduledAt: Number.isFinite(nextMs) && now >= nextMs + STALE_GRACE_MS ? next : null,
  };
}

/**
 * True when the extracts are older than the last scheduled run: that run
 * should have published newer ones (it failed, or never ran).
 */
export function isStale(manifest: Manifest, lastScheduledAt: string | null): boolean {
  if (!lastScheduledAt) return false;
  const scheduled = Date.parse(lastScheduledAt);
  const created = Date.parse(manifest.created_at);
  return Number.isFinite(scheduled) && Number.isFinite(created) && created < scheduled;
}
