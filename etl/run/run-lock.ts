// Runs never overlap: a session-level PostgreSQL advisory lock held on a
// dedicated connection for the whole run. Being a database lock, it also keeps
// two schedulers on two machines from running at once against one warehouse,
// and PostgreSQL releases it by itself if the process dies.

import type pg from 'pg';

/** "gridlens-run" folded to a bigint-safe constant; distinct from the migration lock. */
export const RUN_LOCK_KEY = 0x67726e72;

export interface RunLock {
  release(): Promise<void>;
}

/** Takes the run lock without waiting; null when another run holds it. */
export async function tryRunLock(pool: pg.Pool): Promise<RunLock | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [RUN_LOCK_KEY]);
    if (!rows[0].locked) {
      client.release();
      return null;
    }
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query('select pg_advisory_unlock($1)', [RUN_LOCK_KEY]);
        client.release();
      } catch (err) {
        // The connection is gone (and with it the lock): discard it.
        client.release(err as Error);
      }
    },
  };
}
