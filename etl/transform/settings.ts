// The configuration values that rollups and mart views read, copied into the
// one-row table ops.mart_settings (migration 021) before each refresh.

import type pg from 'pg';
import type { Config } from '../config.ts';

export type MartSettings = Pick<Config, 'smeThresholdKwh' | 'suppressionK' | 'slaComplaintHours' | 'slaOutageMinutes' | 'tz'>;

/**
 * Writes the thresholds and the time zone into ops.mart_settings. A changed
 * time zone changes what "day" means: run a full rollup rebuild after it
 * (refreshRollups({ full: true })), since stored days would otherwise mix zones.
 * Returns true when a stored value changed.
 */
export async function syncSettings(pool: pg.Pool, config: MartSettings): Promise<boolean> {
  const r = await pool.query(
    `insert into ops.mart_settings as t (singleton, sme_threshold_kwh, suppression_k, sla_complaint_hours, sla_outage_minutes, time_zone, updated_at)
     values (true, $1, $2, $3, $4, $5, now())
     on conflict (singleton) do update
       set sme_threshold_kwh = excluded.sme_threshold_kwh, suppression_k = excluded.suppression_k,
           sla_complaint_hours = excluded.sla_complaint_hours, sla_outage_minutes = excluded.sla_outage_minutes,
           time_zone = excluded.time_zone, updated_at = excluded.updated_at
       where (t.sme_threshold_kwh, t.suppression_k, t.sla_complaint_hours, t.sla_outage_minutes, t.time_zone)
             is distinct from (excluded.sme_threshold_kwh, excluded.suppression_k, excluded.sla_complaint_hours,
                               excluded.sla_outage_minutes, excluded.time_zone)`,
    [config.smeThresholdKwh, Math.round(config.suppressionK), config.slaComplaintHours, config.slaOutageMinutes, config.tz],
  );
  // One row: without statistics the planner guesses hundreds, and every view
  // that reads the settings would be costed (and JIT-compiled) as if it were big.
  await pool.query('analyze ops.mart_settings');
  return (r.rowCount ?? 0) > 0;
}
