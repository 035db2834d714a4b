// core.usage_day stores readings by local day of one time zone
// (core.usage_time_zone, migration 052). Reading those rows under another zone
// would shift every reading, so a run whose GRIDLENS_TZ differs from the
// stored zone is refused while readings are stored; with none stored the zone
// simply follows the configuration.

import type pg from 'pg';

export class UsageTimeZoneError extends Error {
  override name = 'UsageTimeZoneError';
}

/** Make core.usage_time_zone equal `timeZone`, or throw when stored readings use another zone. */
export async function checkUsageTimeZone(client: pg.PoolClient | pg.Pool, timeZone: string): Promise<void> {
  const stored = (await client.query<{ time_zone: string }>('select time_zone from core.usage_time_zone')).rows[0]?.time_zone;
  if (stored === timeZone) return;
  if (stored !== undefined) {
    const { rows } = await client.query<{ any: boolean }>('select exists (select 1 from core.usage_day) as any');
    if (rows[0].any) {
      throw new UsageTimeZoneError(
        `GRIDLENS_TZ is ${timeZone}, but the stored meter readings are grouped by local days of ${stored}: ` +
          `set GRIDLENS_TZ=${stored}, or load into a new database to use ${timeZone}`,
      );
    }
  }
  await client.query(
    `insert into core.usage_time_zone (time_zone) values ($1)
     on conflict (singleton) do update set time_zone = excluded.time_zone`,
    [timeZone],
  );
}
