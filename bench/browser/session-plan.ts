// The scripted session of the browser benchmark, as data: which control to
// use next, planned without a browser. Each step changes the screen state
// (the URL), so each must produce exactly one gridlens:interaction measure;
// the planner simulates the state to guarantee it (a step that would change
// nothing, e.g. the period it already shows, is left out). The runner
// (session-run.ts) resolves `pick` indexes against the options on screen.
//
// The session walks the views in tours: Segments (drill segment → region →
// tariff → band to the customer list, sort it, back to the top, filters),
// Usage, Satisfaction, Service, Overview (period, comparison, filters, the
// breakdown and "what moved" selectors), round after round with other picks.

export const BENCH_VIEWS = ['overview', 'segments', 'usage', 'satisfaction', 'service'] as const;
export type BenchView = (typeof BENCH_VIEWS)[number];
export const FILTER_DIMS = ['segment', 'region', 'tariff', 'band', 'channel'] as const;
export type FilterDim = (typeof FILTER_DIMS)[number];
export type Breakdown = 'segment' | 'region' | 'channel';

export type Step =
  | { kind: 'view'; view: BenchView }
  | { kind: 'drill'; pick: number }
  | { kind: 'drill-top' }
  | { kind: 'sort'; column: string }
  | { kind: 'filter'; dim: FilterDim; pick: number }
  | { kind: 'clear' }
  /** Sets the period's `field` to the month `back` months before the latest one offered. */
  | { kind: 'period'; field: 'from' | 'to'; back: number }
  | { kind: 'compare'; value: 'previous' | 'year' }
  | { kind: 'breakdown'; by: Breakdown }
  | { kind: 'kpi'; pick: number };

/** How the report groups interactions. */
export type StepGroup = 'filter' | 'view' | 'drill' | 'selector';

export function groupOf(step: Step): StepGroup {
  switch (step.kind) {
    case 'view':
      return 'view';
    case 'drill':
    case 'drill-top':
    case 'sort':
      return 'drill';
    case 'breakdown':
    case 'kpi':
      return 'selector';
    default:
      return 'filter';
  }
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'view':
      return `view ${step.view}`;
    case 'drill':
      return `drill #${step.pick}`;
    case 'drill-top':
      return 'drill back to all';
    case 'sort':
      return `sort list by ${step.column}`;
    case 'filter':
      return `filter ${step.dim} +#${step.pick}`;
    case 'clear':
      return 'clear filters';
    case 'period':
      return `period ${step.field} = latest − ${step.back}`;
    case 'compare':
      return `compare ${step.value}`;
    case 'breakdown':
      return `satisfaction by ${step.by}`;
    case 'kpi':
      return `what-moved KPI #${step.pick}`;
  }
}

/** The simulated screen state (what the URL holds). */
interface SimState {
  view: BenchView;
  drill: number;
  filters: Set<FilterDim>;
  fromBack: number;
  toBack: number;
  compare: 'previous' | 'year';
  by: Breakdown;
}

const DRILL_DEPTH = 4;

/** The next state after `step`, or null when the step is not possible or would change nothing. */
function apply(s: SimState, step: Step, months: number): SimState | null {
  switch (step.kind) {
    case 'view':
      return step.view === s.view ? null : { ...s, view: step.view };
    case 'drill':
      // Drill only without filters: a filtered cell may be empty, with nothing to drill into.
      return s.view === 'segments' && s.drill < DRILL_DEPTH && s.filters.size === 0 ? { ...s, drill: s.drill + 1 } : null;
    case 'drill-top':
      return s.view === 'segments' && s.drill > 0 ? { ...s, drill: 0 } : null;
    case 'sort':
      return s.view === 'segments' && s.drill === DRILL_DEPTH ? s : null;
    case 'filter':
      // One value per dimension between two clears: the runner always finds one unchecked.
      if (s.filters.has(step.dim)) return null;
      return { ...s, filters: new Set([...s.filters, step.dim]), drill: 0 };
    case 'clear':
      return s.filters.size ? { ...s, filters: new Set(), drill: 0 } : null;
    case 'period': {
      const back = Math.max(0, Math.min(step.back, months - 1));
      let { fromBack, toBack } = s;
      // As the filter bar does: a `from` after `to` moves `to` along, and the reverse.
      if (step.field === 'from') {
        fromBack = back;
        if (fromBack < toBack) toBack = fromBack;
      } else {
        toBack = back;
        if (toBack > fromBack) fromBack = toBack;
      }
      return fromBack === s.fromBack && toBack === s.toBack ? null : { ...s, fromBack, toBack };
    }
    case 'compare':
      return step.value === s.compare ? null : { ...s, compare: step.value };
    case 'breakdown':
      return s.view === 'satisfaction' && step.by !== s.by ? { ...s, by: step.by } : null;
    case 'kpi':
      return s.view === 'overview' ? s : null;
  }
}

/** One round of tours; `r` varies the picks from round to round. */
function round(r: number): Step[] {
  return [
    { kind: 'view', view: 'segments' },
    { kind: 'drill-top' },
    { kind: 'drill', pick: r },
    { kind: 'drill', pick: r + 1 },
    { kind: 'drill', pick: r },
    { kind: 'drill', pick: r + 2 },
    { kind: 'sort', column: 'customer_key' },
    { kind: 'sort', column: 'customer_key' },
    { kind: 'drill-top' },
    { kind: 'filter', dim: 'segment', pick: r },
    { kind: 'filter', dim: 'region', pick: r },
    { kind: 'clear' },

    { kind: 'view', view: 'usage' },
    { kind: 'period', field: 'from', back: 2 },
    { kind: 'filter', dim: 'band', pick: r },
    { kind: 'filter', dim: 'tariff', pick: r },
    { kind: 'clear' },
    { kind: 'compare', value: 'year' },
    { kind: 'compare', value: 'previous' },
    { kind: 'period', field: 'from', back: 0 },

    { kind: 'view', view: 'satisfaction' },
    { kind: 'breakdown', by: 'segment' },
    { kind: 'breakdown', by: 'channel' },
    { kind: 'breakdown', by: 'region' },
    { kind: 'filter', dim: 'channel', pick: r },
    { kind: 'filter', dim: 'segment', pick: r + 1 },
    { kind: 'clear' },

    { kind: 'view', view: 'service' },
    { kind: 'filter', dim: 'channel', pick: r + 1 },
    { kind: 'period', field: 'from', back: 11 },
    { kind: 'period', field: 'to', back: 1 },
    { kind: 'filter', dim: 'region', pick: r + 2 },
    { kind: 'clear' },
    { kind: 'period', field: 'to', back: 0 },
    { kind: 'period', field: 'from', back: 0 },

    { kind: 'view', view: 'overview' },
    { kind: 'kpi', pick: r + 1 },
    { kind: 'filter', dim: 'segment', pick: r },
    { kind: 'period', field: 'from', back: 2 },
    { kind: 'compare', value: 'year' },
    { kind: 'compare', value: 'previous' },
    { kind: 'clear' },
    { kind: 'period', field: 'from', back: 0 },
  ];
}

/**
 * `count` steps starting from the default screen (Overview, latest complete
 * month, no filter); `months` is how many months the period pickers offer.
 */
export function planSession(count: number, o: { months: number }): Step[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`interaction count must be a positive integer, not ${count}`);
  if (!Number.isInteger(o.months) || o.months < 1) throw new Error(`months must be a positive integer, not ${o.months}`);
  let s: SimState = { view: 'overview', drill: 0, filters: new Set(), fromBack: 0, toBack: 0, compare: 'previous', by: 'region' };
  const steps: Step[] = [];
  for (let r = 0; steps.length < count; r++) {
    const before = steps.length;
    for (const step of round(r)) {
      const next = apply(s, step, o.months);
      if (!next) continue;
      s = next;
      steps.push(step);
      if (steps.length === count) break;
    }
    if (steps.length === before) throw new Error('session plan made no progress in a round'); // cannot happen: views alone change
  }
  return steps;
}
