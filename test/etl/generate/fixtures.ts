// The generated utilities the generator tests share (cached by options).
import type { FixtureOptions } from '../../helpers/generated.ts';

/**
 * 6,000 accounts over 12 months ending October 2026: a Spring Festival, a
 * summer, a January for the residential tiers, four survey waves and the planted
 * incident. Surveys at 5% so each district has enough respondents per wave to
 * test the planted reliability fact.
 */
export const MAIN_FIXTURE: FixtureOptions = { customers: 6000, months: 12, seed: 42, end: '2026-10', surveyRate: 0.05 };
