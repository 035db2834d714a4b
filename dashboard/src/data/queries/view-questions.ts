// The questions each filtered view asks for a screen state, panel by panel.
// One place for three users: the views build their panels' queries here; the
// app asks a hidden view's questions in the background after each interaction
// (App.tsx), so that switching to it finds their answers known; and the query
// benchmark replays the same questions against PostgreSQL (bench/queries/plan.ts).

import type { BuiltQuery, Filters } from '../api.ts';
import { actionEffectQuery } from './action-effect.ts';
import { followUpQuery } from './detractor-followup.ts';
import { FORECAST_EXTRACT, forecastQuery } from './forecast.ts';
import { ADDITIVE_KPIS, DEFAULT_MOVED_KPI, kpiCards, kpiSeries, whatMoved, type AdditiveKpi } from './kpi.ts';
import { satisfactionBreakdownQuery, satisfactionTrendAndWavesQuery, experienceQuery, type Breakdown } from './satisfaction.ts';
import { DRILL_COLUMNS, segmentGroupsQuery } from './segments.ts';
import { complaintsByRegionQuery, responseTimesQuery, serviceTrendQuery, ticketTrendQuery } from './service.ts';
import { loadHeatmapQuery, loadProfileQuery, loadShapeQuery, monthlyUsageQuery } from './usage.ts';

/** The KPI "what moved" explains: the URL's, when it is an additive one. */
export function movedKpiOf(kpi: string | null | undefined): AdditiveKpi {
  return (ADDITIVE_KPIS as readonly string[]).includes(kpi ?? '') ? (kpi as AdditiveKpi) : DEFAULT_MOVED_KPI;
}

export function overviewQuestions(filters: Filters, kpi: AdditiveKpi) {
  return { cards: kpiCards(filters), series: kpiSeries(filters), moved: whatMoved(filters, kpi) };
}

export function usageQuestions(filters: Filters) {
  return { monthly: monthlyUsageQuery(filters), heat: loadHeatmapQuery(filters), profile: loadProfileQuery(filters), shape: loadShapeQuery(filters) };
}

export function satisfactionQuestions(filters: Filters, by: Breakdown) {
  return {
    trendAndWaves: satisfactionTrendAndWavesQuery(filters),
    breakdown: satisfactionBreakdownQuery(filters, by),
    experience: experienceQuery(filters),
  };
}

export function serviceQuestions(filters: Filters) {
  return {
    byChannel: ticketTrendQuery(filters, 'channel'),
    byType: ticketTrendQuery(filters, 'type'),
    monthly: serviceTrendQuery(filters),
    times: responseTimesQuery(filters),
    regions: complaintsByRegionQuery(filters),
  };
}

/** The part of a screen state a view's questions depend on, besides the filters. */
export interface ViewQuestionState {
  view: string;
  kpi: string | null;
  by: Breakdown;
  drill: readonly string[];
}

/**
 * Every question `view` asks on screen for `state` and `filters`, the panels
 * shown only when the manifest offers their extract included (`offered`);
 * `customerReadable`: the role may read the customer extract (the need tags).
 * Segments at the customer list is left out: its pages depend on the list's
 * own scrolling. A view not listed asks nothing here.
 */
export function questionsOfView(
  state: ViewQuestionState,
  filters: Filters,
  o: { offered: (extract: string) => boolean; customerReadable: boolean },
): BuiltQuery[] {
  switch (state.view) {
    case 'overview':
      return [
        ...Object.values(overviewQuestions(filters, movedKpiOf(state.kpi))),
        ...(o.offered(FORECAST_EXTRACT) ? [forecastQuery({ segment: filters.segment, region: filters.region })] : []),
      ];
    case 'segments':
      return state.drill.length < DRILL_COLUMNS.length ? [segmentGroupsQuery(filters, state.drill, { needs: o.customerReadable })] : [];
    case 'usage':
      return Object.values(usageQuestions(filters));
    case 'satisfaction':
      return [
        ...Object.values(satisfactionQuestions(filters, state.by)),
        ...(o.offered('detractor_followup') ? [followUpQuery(filters)] : []),
        ...(o.offered('action_effect') ? [actionEffectQuery(filters)] : []),
      ];
    case 'service':
      return Object.values(serviceQuestions(filters));
    default:
      return [];
  }
}
