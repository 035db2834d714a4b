// The scripted browser session (bench/browser/session-plan.ts) as the
// questions the dashboard asks: for each step, the screen state it leads to
// (as the dashboard's handlers change the URL state) and the queries the
// visible view then fires, built by the same builders the views call
// (dashboard/src/views/*.tsx). Picks (which group to drill into, which filter
// value to tick) are resolved against the answers on screen, which the caller
// supplies (`answer`), so the plan is the same for every user and both sides.
//
// Which queries a step fires: the visible view's queries for the new state,
// less those identical to what the same view showed before the step (React
// keeps a panel whose query did not change: a sort re-runs only the page of
// the customer list). A view switch fires every query of the view, as a BI
// tool's dashboard tab would (the dashboard's own answer cache may answer some
// without DuckDB; this benchmark never uses that cache). The session opens
// with the filter bar's option lists and the Overview ('open').

import type { BuiltQuery, Filters } from '../../dashboard/src/data/api.ts';
import { customerCountQuery, customerPageQuery, dimensionValuesQuery, monthsQuery, segmentGroupsQuery, SORTABLE_COLUMNS } from '../../dashboard/src/data/queries/segments.ts';
import { ADDITIVE_KPIS } from '../../dashboard/src/data/queries/kpi.ts';
import { channelValuesQuery } from '../../dashboard/src/data/queries/service.ts';
import { movedKpiOf, overviewQuestions, satisfactionQuestions, serviceQuestions, usageQuestions } from '../../dashboard/src/data/queries/view-questions.ts';
import { answerKey } from '../../dashboard/src/data/source.ts';
import { DEFAULT_STATE, filtersOf, latestCompleteMonth, nextDrillLevel, type ScreenState } from '../../dashboard/src/state/url-state.ts';
import { describeStep, groupOf, type Step, type StepGroup } from '../browser/session-plan.ts';

/** One question: which builder asked it, and the query. */
export interface Question {
  /** Builder (and its variant), e.g. 'ticketTrend:channel'. */
  name: string;
  query: BuiltQuery;
}

export interface PlannedStep {
  index: number;
  /** 'open' for the session's start, else describeStep's text. */
  step: string;
  group: StepGroup | 'open';
  view: ScreenState['view'];
  questions: Question[];
}

/** The rows the dashboard would show for a query (resolves picks). */
export type Answer = (query: BuiltQuery) => Promise<Record<string, unknown>[]>;

/** Page size of the customer list (dashboard/src/views/CustomerList.tsx PAGE). */
export const CUSTOMER_PAGE = 100;

/**
 * The queries the visible view fires for `state`: the main panels' questions,
 * from the builders the views themselves use (view-questions.ts). The panels
 * shown only when their extract is offered (forecast, detractor follow-up,
 * improvement actions) have no mart twin here and are left out.
 */
export function viewQuestions(state: ScreenState, filters: Filters): Question[] {
  const f = filters;
  const named = (prefix: Record<string, string>, qs: Record<string, BuiltQuery>): Question[] => Object.entries(qs).map(([k, query]) => ({ name: prefix[k] ?? k, query }));
  switch (state.view) {
    case 'overview':
      return named({ cards: 'kpiCards', series: 'kpiSeries', moved: 'whatMoved' }, overviewQuestions(f, movedKpiOf(state.kpi)));
    case 'segments': {
      if (nextDrillLevel(state.drill)) return [{ name: 'segmentGroups', query: segmentGroupsQuery(f, state.drill) }];
      const column = state.sort && (SORTABLE_COLUMNS as readonly string[]).includes(state.sort) ? state.sort : 'revenue_12m';
      return [
        { name: 'customerCount', query: customerCountQuery(f, state.drill) },
        { name: 'customerPage', query: customerPageQuery(f, state.drill, { column, desc: state.sortDesc }, { offset: 0, limit: CUSTOMER_PAGE }) },
      ];
    }
    case 'usage':
      return named({ monthly: 'monthlyUsage', heat: 'loadHeatmap', profile: 'loadProfile', shape: 'loadShape' }, usageQuestions(f));
    case 'satisfaction':
      return named({ trendAndWaves: 'satisfactionTrendAndWaves', breakdown: `satisfactionBreakdown:${state.by}`, experience: 'experience' }, satisfactionQuestions(f, state.by));
    case 'service':
      return named(
        { byChannel: 'ticketTrend:channel', byType: 'ticketTrend:type', monthly: 'serviceTrend', times: 'responseTimes', regions: 'complaintsByRegion' },
        serviceQuestions(f),
      );
    default:
      // Views of issue 5 (campaigns, workbench) ask what the user builds or types: no fixed questions to plan.
      return [];
  }
}

/** The filter bar's option lists, asked once the page is interactive (dashboard/src/views/FilterBar.tsx). */
export function filterBarQuestions(): Question[] {
  return [
    { name: 'months', query: monthsQuery() },
    ...(['segment', 'region', 'tariff', 'band'] as const).map((d) => ({ name: `dimensionValues:${d}`, query: dimensionValuesQuery(d) })),
    { name: 'channelValues', query: channelValuesQuery() },
  ];
}

const FILTER_BAR_DIMS = ['segment', 'region', 'tariff', 'band', 'channel'] as const;

function filterValuesQuery(dim: (typeof FILTER_BAR_DIMS)[number]): BuiltQuery {
  return dim === 'channel' ? channelValuesQuery() : dimensionValuesQuery(dim);
}

/** 'YYYY-MM-01' or 'YYYY-MM…' → 'YYYY-MM'. */
const ym = (month: string): string => month.slice(0, 7);

/**
 * The session's questions, step by step. `dataAsOf` is the manifest's (the
 * default period); `steps` from planSession. Throws when a step cannot be
 * performed (nothing to drill into, no value to tick), as the browser run would.
 */
export async function planQuestions(steps: readonly Step[], o: { dataAsOf: string; answer: Answer }): Promise<PlannedStep[]> {
  const defaultMonth = latestCompleteMonth(o.dataAsOf);
  let state: ScreenState = { ...DEFAULT_STATE, from: defaultMonth, to: defaultMonth };
  const filters = (s: ScreenState): Filters => filtersOf(s, defaultMonth);
  const rowsOf = async (q: BuiltQuery) => o.answer(q);

  const months = (await rowsOf(monthsQuery())).map((r) => ym(String(r.month))).sort();
  const planned: PlannedStep[] = [
    { index: 0, step: 'open', group: 'open', view: state.view, questions: [...filterBarQuestions(), ...viewQuestions(state, filters(state))] },
  ];

  for (const step of steps) {
    const before = state;
    state = await applyStep(state, step, { months, filters, rowsOf });
    const shown = viewQuestions(state, filters(state));
    const previous = before.view === state.view ? new Set(viewQuestions(before, filters(before)).map((q) => answerKey(q.query))) : new Set<string>();
    planned.push({
      index: planned.length,
      step: describeStep(step),
      group: groupOf(step),
      view: state.view,
      questions: shown.filter((q) => !previous.has(answerKey(q.query))),
    });
  }
  return planned;
}

interface StepContext {
  months: string[];
  filters: (s: ScreenState) => Filters;
  rowsOf: (q: BuiltQuery) => Promise<Record<string, unknown>[]>;
}

/** The state after `step`, as the dashboard's controls set it (session-run.ts performs the same clicks). */
async function applyStep(s: ScreenState, step: Step, c: StepContext): Promise<ScreenState> {
  const what = describeStep(step);
  switch (step.kind) {
    case 'view':
      return { ...s, view: step.view };
    case 'drill': {
      if (s.view !== 'segments' || !nextDrillLevel(s.drill)) throw new Error(`${what}: not on a Segments level`);
      const rows = await c.rowsOf(segmentGroupsQuery(c.filters(s), s.drill));
      if (rows.length === 0) throw new Error(`${what}: the ${nextDrillLevel(s.drill)} table has no group to drill into`);
      return { ...s, drill: [...s.drill, String(rows[step.pick % rows.length]!.key)] };
    }
    case 'drill-top':
      return { ...s, drill: [] };
    case 'sort': {
      const column = s.sort && (SORTABLE_COLUMNS as readonly string[]).includes(s.sort) ? s.sort : 'revenue_12m';
      return { ...s, sort: step.column, sortDesc: step.column === column ? !s.sortDesc : true };
    }
    case 'filter': {
      const values = (await c.rowsOf(filterValuesQuery(step.dim))).map((r) => String(r.value));
      const unchecked = [...new Set([...values, ...s[step.dim]])].filter((v) => !s[step.dim].includes(v));
      if (unchecked.length === 0) throw new Error(`${what}: no value left to tick`);
      return { ...s, [step.dim]: [...s[step.dim], unchecked[step.pick % unchecked.length]!], drill: [] };
    }
    case 'clear':
      return { ...s, segment: [], region: [], tariff: [], band: [], channel: [], drill: [] };
    case 'period': {
      const from = s.from!;
      const to = s.to!;
      const options = [...new Set([...c.months, from, to])].sort();
      const v = options[Math.max(0, options.length - 1 - step.back)]!;
      return step.field === 'from' ? { ...s, from: v, to: v > to ? v : to } : { ...s, to: v, from: v < from ? v : from };
    }
    case 'compare':
      return { ...s, compare: step.value };
    case 'breakdown':
      return { ...s, by: step.by };
    case 'kpi': {
      const current = (ADDITIVE_KPIS as readonly string[]).includes(s.kpi ?? '') ? s.kpi! : 'revenue';
      let target: string = ADDITIVE_KPIS[step.pick % ADDITIVE_KPIS.length]!;
      if (target === current) target = ADDITIVE_KPIS[(step.pick + 1) % ADDITIVE_KPIS.length]!;
      return { ...s, kpi: target };
    }
  }
}

/** Every distinct question of a plan (by SQL and parameters), in first-asked order. */
export function distinctQuestions(plan: readonly PlannedStep[]): Question[] {
  const seen = new Map<string, Question>();
  for (const s of plan) for (const q of s.questions) if (!seen.has(answerKey(q.query))) seen.set(answerKey(q.query), q);
  return [...seen.values()];
}
