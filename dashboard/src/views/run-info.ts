// What the freshness panel says about the run behind the extracts. The
// manifest's `run` block (status, rows read / rejected, finished, the next
// scheduled run) is optional: manifests written before it existed still load,
// and the panel then says "not recorded" instead of guessing.

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

export function runInfoOf(manifest: Manifest): RunInfo {
  const run = (manifest as unknown as { run?: Record<string, unknown> }).run ?? {};
  return {
    status: str(run.status),
    rowsRead: num(run.rows_read),
    rowsRejected: num(run.rows_rejected),
    finishedAt: str(run.finished_at),
    lastScheduledAt: str(run.last_scheduled_at),
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
