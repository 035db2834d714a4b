// What a customer's simulation writes into and shares with its parts: the
// month files, the tally, and small helpers for days and scores.

import { fromDayNumber } from './calendar.ts';
import type { OutputFile } from './output.ts';
import type { ActionPlan } from './improvement-actions.ts';
import type { Rng } from './random.ts';
import type { Tally } from './tally.ts';
import type { World } from './world.ts';

export interface MonthFiles {
  usage: OutputFile[];
  billing: OutputFile[];
  tickets: OutputFile[];
  customers: OutputFile[];
  surveys: Map<string, OutputFile>;
  campaigns: Map<string, OutputFile>;
}

export interface SimulationContext {
  seed: number;
  world: World;
  files: MonthFiles;
  tally: Tally;
  surveyRate: number;
  /** Plant abnormal usage in the readings (usage-anomalies.ts). */
  plantUsageAnomalies: boolean;
  /** Plant high bills in the last month (high-bills.ts). */
  plantHighBills: boolean;
  /** Plant the detractor follow-up (detractor-followup.ts). */
  plantDetractorFollowUp: boolean;
  /** Planted improvement actions (improvement-actions.ts); null or absent: none. */
  actions?: ActionPlan | null;
}

export interface PendingRow {
  monthOffset: number;
  file: 'billing' | 'tickets';
  line: string;
}

export function daytimeSeconds(rng: Rng): number {
  // Contacts cluster in the working day and the evening.
  return Math.floor((7.5 + 14.5 * Math.pow(rng.next(), 1.1)) * 3600);
}


export function monthOffsetOfDay(world: World, day: number): number {
  const { year, month } = fromDayNumber(day);
  const first = world.months[0].ym;
  return (year - first.year) * 12 + month - first.month;
}

export function clampScore(x: number): number {
  return Math.min(5, Math.max(1, Math.round(x)));
}
