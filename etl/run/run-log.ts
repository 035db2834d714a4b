// The run log (ops.etl_run): one row per run with its status, error, per-step
// durations and the extract version it published. Per-file accounting lives in
// ops.etl_file, written by the ingest in the same transaction as the file's data.

import type pg from 'pg';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'abandoned';

export async function startRun(pool: pg.Pool): Promise<number> {
  // We hold the run lock: any run still marked running died without finishing.
  await pool.query(`update ops.etl_run set status = 'abandoned', finished_at = now(),
    error = coalesce(error, 'the process ended before the run finished') where status = 'running'`);
  const { rows } = await pool.query<{ id: number }>(`insert into ops.etl_run default values returning id`);
  return rows[0].id;
}

export async function recordStep(pool: pg.Pool, runId: number, step: string, ms: number): Promise<void> {
  await pool.query(`update ops.etl_run set step_durations = step_durations || jsonb_build_object($2::text, $3::int) where id = $1`, [runId, step, Math.round(ms)]);
}

export async function finishRun(pool: pg.Pool, runId: number, status: Exclude<RunStatus, 'running'>, details: { error?: string; extractVersion?: string } = {}): Promise<void> {
  await pool.query(`update ops.etl_run set status = $2, finished_at = now(), error = $3, extract_version = $4 where id = $1`, [
    runId, status, details.error ?? null, details.extractVersion ?? null,
  ]);
}

export interface RunRecord {
  id: number;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  error: string | null;
  step_durations: Record<string, number>;
  extract_version: string | null;
  seconds: number | null;
  files: number;
  files_skipped: number;
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  rows_superseded: number;
}

export async function recentRuns(pool: pg.Pool, limit: number): Promise<RunRecord[]> {
  const { rows } = await pool.query<RunRecord>(
    `select r.id, r.started_at::text as started_at, r.finished_at::text as finished_at, r.status, r.error, r.step_durations, r.extract_version,
            extract(epoch from (r.finished_at - r.started_at))::float8 as seconds,
            count(f.id)::int as files,
            count(f.id) filter (where f.skipped)::int as files_skipped,
            coalesce(sum(f.rows_read), 0)::float8 as rows_read,
            coalesce(sum(f.rows_loaded), 0)::float8 as rows_loaded,
            coalesce(sum(f.rows_rejected), 0)::float8 as rows_rejected,
            coalesce(sum(f.rows_superseded), 0)::float8 as rows_superseded
       from ops.etl_run r left join ops.etl_file f on f.run_id = r.id
      group by r.id order by r.id desc limit $1`,
    [limit],
  );
  return rows;
}

export async function lastGoodExtract(pool: pg.Pool): Promise<{ run_id: number; extract_version: string; finished_at: string } | null> {
  const { rows } = await pool.query(
    `select id as run_id, extract_version, finished_at::text as finished_at from ops.etl_run
      where status = 'succeeded' and extract_version is not null order by id desc limit 1`,
  );
  return rows[0] ?? null;
}
