// Planted improvement actions (issue 8, item 4): a manager's register of
// actions (inbox `actions/actions.csv`, our own addition to the contract) and a
// known effect of one of them on the survey answers.
//
//   IA01  supply reliability, treated: the two urban districts 江城区 and 临湖区,
//         all segments, dated the first day of the month after survey wave k.
//         Effect: a reliability answer of 3 or 4 given in a treated district on
//         or after that day is raised by one point with probability BUMP_SHARE
//         (hash stream 7401, per customer × wave: no random draw of any other
//         stream changes). Only 3 and 4 are raised, so no answer crosses the
//         detractor rule (≤ 2) of the follow-up plant and 5 never overflows.
//   IA02  service quality in 西山区 and 北塘区, residential customers: a
//         placebo with NO planted effect (its interval should contain 0).
//
// Wave k is chosen so that neither window (six months before / after the
// action date: waves k−1, k before and k+1, k+2 after) holds the survey wave
// after the planted reliability incident (its district sits in the untreated
// group and would bias the comparison); with no such wave nothing is planted.

import { formatDay } from './calendar.ts';
import type { CustomerProfile } from './customer-profile.ts';
import { csvLine } from './output.ts';
import { unitHash } from './random.ts';
import { DISTRICTS } from './utility-model.ts';
import type { World } from './world.ts';

/** Share of the treated 3/4 reliability answers raised by one point. */
export const BUMP_SHARE = 0.6;

/** Months before and after the action date compared (sql/marts/action_effect.sql uses the same). */
export const WINDOW_MONTHS = 6;

export const ACTIONS_HEADER = ['action_id', 'action_date', 'regions', 'segments', 'target', 'description'] as const;

export interface PlannedAction {
  id: string;
  /** Day number of the action date. */
  day: number;
  /** First day after the after-window (action date + WINDOW_MONTHS months): truth counts responses before it. */
  windowEnd: number;
  districts: number[];
  /** null: every segment. */
  segments: string[] | null;
  target: 'reliability' | 'service';
  description: string;
  /** Whether an effect is planted (IA01) or not (IA02, the placebo). */
  planted: boolean;
}

export interface ActionPlan {
  actions: PlannedAction[];
  waveIndex: number;
  /** Per action id: treated responses after the date with an answer to the target, and the points added to them. */
  counts: Map<string, { responses: number; added: number }>;
}

const district = (name: string): number => {
  const k = DISTRICTS.findIndex((d) => d.name === name);
  if (k < 0) throw new Error(`no district ${name}`);
  return k;
};

/** The wave after which the actions are dated, or null when every choice would meet the incident wave. */
export function chooseActionWave(world: World): number | null {
  const n = world.waves.length;
  const incident = world.incident === null ? -100 : world.waves.findIndex((w) => w.label === world.incident!.waveAfter);
  const order = [...Array.from({ length: Math.max(0, n - 2) }, (_, i) => i + 1), 0];
  for (const k of order) {
    if (k + 1 >= n) continue;
    if (incident >= k - 1 && incident <= k + 2) continue;
    return k;
  }
  return null;
}

export function planImprovementActions(world: World): ActionPlan | null {
  const k = chooseActionWave(world);
  if (k === null) return null;
  const wave = world.waves[k];
  const month = world.months[wave.monthOffset + 1];
  if (month === undefined) return null;
  const windowEnd = world.months[wave.monthOffset + 1 + WINDOW_MONTHS]?.firstDay ?? world.lastDay + 1;
  const actions: PlannedAction[] = [
    {
      id: 'IA01', day: month.firstDay, windowEnd, districts: [district('江城区'), district('临湖区')], segments: null, target: 'reliability', planted: true,
      description: 'Feeder automation and vegetation clearance on the urban networks; outage notices by SMS',
    },
    {
      id: 'IA02', day: month.firstDay, windowEnd, districts: [district('西山区'), district('北塘区')], segments: ['residential'], target: 'service', planted: false,
      description: '营业厅 opening hours extended on Saturdays',
    },
  ];
  return { actions, waveIndex: k, counts: new Map(actions.map((a) => [a.id, { responses: 0, added: 0 }])) };
}

/** The register as the generator drops it (inbox actions/actions.csv). */
export function actionsCsv(plan: ActionPlan): string {
  const lines = [ACTIONS_HEADER.join(',')];
  for (const a of plan.actions) {
    lines.push(csvLine([a.id, formatDay(a.day), a.districts.map((d) => DISTRICTS[d].name).join(';'), (a.segments ?? []).join(';'), a.target, a.description]));
  }
  return lines.map((l) => l.replace(/\n$/, '')).join('\n') + '\n';
}

/**
 * The survey items after the planted effect: `items` are the drawn answers in
 * the survey file's order (reliability, service, price, billing, communication).
 * Records every treated response after the date in `plan.counts`. Mutates `items`.
 */
export function applyActionEffects(plan: ActionPlan | null, seed: number, p: CustomerProfile, waveIndex: number, day: number, items: (number | null)[]): void {
  if (plan === null) return;
  for (const a of plan.actions) {
    if (day < a.day || !a.districts.includes(p.district) || (a.segments !== null && !a.segments.includes(p.cls))) continue;
    const at = a.target === 'reliability' ? 0 : 1;
    const v = items[at];
    if (v === null) continue;
    const c = plan.counts.get(a.id)!;
    const inWindow = day < a.windowEnd;
    if (inWindow) c.responses++;
    // The effect lasts; truth counts it over the after-window only (what the mart compares).
    if (a.planted && (v === 3 || v === 4) && unitHash(seed, p.index, 7401, waveIndex) < BUMP_SHARE) {
      items[at] = v + 1;
      if (inWindow) c.added++;
    }
  }
}

/** truth.json's planted.improvement_actions. */
export function actionsTruth(plan: ActionPlan | null): object | null {
  if (plan === null) return null;
  return {
    description: `Improvement actions planted (etl/generate/improvement-actions.ts), written to actions/actions.csv. For a planted action every target answer of 3 or 4 given in a treated region on or after the action date is raised by one point with probability ${BUMP_SHARE} (hashed per customer × wave); the placebo has no effect. effect = points added ÷ treated responses in the after-window (from the action date, for window_months months) that answered the target item: exactly how much the planting raised the treated after-period mean, i.e. the difference-in-differences the mart should estimate. Windows: ${WINDOW_MONTHS} months before and after the action date.`,
    window_months: WINDOW_MONTHS,
    cases: plan.actions.map((a) => {
      const c = plan.counts.get(a.id)!;
      return {
        action_id: a.id, action_date: formatDay(a.day), regions: a.districts.map((d) => DISTRICTS[d].name), segments: a.segments, target: a.target,
        planted: a.planted, treated_responses_after: c.responses, points_added: c.added,
        effect: c.responses === 0 ? 0 : Math.round((c.added / c.responses) * 1e6) / 1e6,
      };
    }),
  };
}
