// Plays a planned session (session-plan.ts) on the dashboard in a Playwright
// page and times each step by the app's own gridlens:interaction measure
// (dashboard/src/timing.ts: from the input event to every visible panel
// showing its new answer, next frames painted). Every step must add exactly
// one measure: none within the timeout, or two, fails the run loudly.

import type { Locator, Page } from 'playwright-core';
import { describeStep, groupOf, type Step, type StepGroup } from './session-plan.ts';

export interface TimedStep {
  index: number;
  step: string;
  group: StepGroup;
  /** gridlens:interaction duration, ms. */
  ms: number;
  /** Its start (performance.now() of the page), ms. */
  startMs: number;
  /** gridlens:chart-draw measures inside it: how many, and their summed duration (ms). */
  chartDraws: number;
  chartDrawMs: number;
  /** Those draws in order: the chart's id, setOption ('option') or resize, ms. */
  draws: { chart: string; kind: string; ms: number }[];
  /**
   * gridlens:query measures (questions run in DuckDB) answered inside it: the
   * open view's (foreground) and hidden views' (background), and the summed
   * duration of the foreground ones, ms.
   */
  queries: { foreground: number; background: number; foregroundMs: number };
}

const DRILL_LEVELS = ['segment', 'region', 'tariff', 'band'] as const;

export function interactionCount(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName('gridlens:interaction').length);
}

/** How many months the period pickers offer (the planner's `months`). */
export function monthOptions(page: Page): Promise<number> {
  return page.locator('select[name="from"] option').count();
}

/**
 * `thinkMs`: a pause before each step after the first, as a user reading the
 * changed charts before the next click (0: back to back, a stress pattern no
 * person produces).
 */
export async function runSession(page: Page, steps: readonly Step[], o: { timeoutMs: number; thinkMs?: number }): Promise<TimedStep[]> {
  const done: TimedStep[] = [];
  const base = await interactionCount(page);
  for (const [i, step] of steps.entries()) {
    const what = `interaction ${i + 1}/${steps.length} (${describeStep(step)})`;
    if (i > 0 && o.thinkMs) await page.waitForTimeout(o.thinkMs);
    const before = await interactionCount(page);
    if (before !== base + i) {
      throw new Error(`${what}: ${before - base} gridlens:interaction measures before it, expected ${i} (a step produced more than one, or something else changed the URL)`);
    }
    await perform(page, step, o.timeoutMs).catch((err: unknown) => {
      throw new Error(`${what}: could not perform it: ${(err as Error).message}`, { cause: err });
    });
    await page
      .waitForFunction((n) => performance.getEntriesByName('gridlens:interaction').length > n, before, { timeout: o.timeoutMs, polling: 20 })
      .catch((err: unknown) => {
        throw new Error(`${what}: no gridlens:interaction measure within ${o.timeoutMs} ms (charts still loading, or the step changed nothing)`, { cause: err });
      });
    const measured = await page.evaluate((n) => {
      const own = performance.getEntriesByName('gridlens:interaction').slice(n);
      // The charts drawn inside the (first) interaction: what part of it ECharts took.
      const [m] = own;
      const draws = m ? performance.getEntriesByName('gridlens:chart-draw').filter((d) => d.startTime >= m.startTime && d.startTime + d.duration <= m.startTime + m.duration) : [];
      const answered = m ? performance.getEntriesByName('gridlens:query').filter((q) => q.startTime + q.duration > m.startTime && q.startTime + q.duration <= m.startTime + m.duration) : [];
      const foreground = answered.filter((q) => !((q as PerformanceMeasure).detail as { background?: boolean } | null)?.background);
      // No named function in here: tsx (esbuild keepNames) would wrap it in a __name() the page lacks.
      return {
        count: own.length, ms: m?.duration ?? 0, startMs: m?.startTime ?? 0, chartDraws: draws.length, chartDrawMs: draws.reduce((t, d) => t + d.duration, 0),
        draws: draws.map((d) => {
          const detail = ((d as PerformanceMeasure).detail ?? {}) as { chart?: string; kind?: string };
          return { chart: detail.chart ?? '', kind: detail.kind ?? '', ms: d.duration };
        }),
        queries: { foreground: foreground.length, background: answered.length - foreground.length, foregroundMs: foreground.reduce((t, q) => t + q.duration, 0) },
      };
    }, before);
    if (measured.count !== 1) throw new Error(`${what}: ${measured.count} gridlens:interaction measures, expected 1`);
    done.push({ index: i, step: describeStep(step), group: groupOf(step), ms: measured.ms, startMs: measured.startMs, chartDraws: measured.chartDraws, chartDrawMs: measured.chartDrawMs, draws: measured.draws, queries: measured.queries });
    if (step.kind === 'filter') await closeDisclosure(page.locator(`[data-filter="${step.dim}"]`));
  }
  return done;
}

async function currentDrillDepth(page: Page): Promise<number> {
  return new URL(page.url()).searchParams.getAll('drill').length;
}

async function perform(page: Page, step: Step, timeout: number): Promise<void> {
  switch (step.kind) {
    case 'view':
      await page.locator(`a[data-view="${step.view}"]`).click({ timeout });
      return;
    case 'drill': {
      const level = DRILL_LEVELS[await currentDrillDepth(page)];
      if (!level) throw new Error('already at the customer list');
      const table = page.locator(`table[data-table="segment-groups"][data-level="${level}"]`);
      await table.waitFor({ timeout });
      const buttons = table.locator('button[data-drill-value]');
      const n = await buttons.count();
      if (n === 0) throw new Error(`the ${level} table has no group to drill into`);
      await buttons.nth(step.pick % n).click({ timeout });
      return;
    }
    case 'drill-top':
      await page.locator('.breadcrumb ol > li').first().locator('button').click({ timeout });
      return;
    case 'sort':
      await page.locator(`[data-panel="customer-list"] button[data-sort="${step.column}"]`).click({ timeout });
      return;
    case 'filter': {
      const d = page.locator(`[data-filter="${step.dim}"]`);
      if (!(await d.evaluate((el) => (el as HTMLDetailsElement).open))) await d.locator('summary').click({ timeout });
      const boxes = d.locator(`input[name="${step.dim}"]:not(:checked)`);
      await boxes.first().waitFor({ timeout });
      const n = await boxes.count();
      await boxes.nth(step.pick % n).check({ timeout });
      return;
    }
    case 'clear':
      await page.locator('.filter-bar button.clear').click({ timeout });
      return;
    case 'period': {
      const select = page.locator(`select[name="${step.field}"]`);
      const values = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const target = values[Math.max(0, values.length - 1 - step.back)]!;
      if (target === (await select.inputValue())) throw new Error(`the period's ${step.field} already is ${target}`);
      await select.selectOption(target, { timeout });
      return;
    }
    case 'compare':
      await page.locator('select[name="compare"]').selectOption(step.value, { timeout });
      return;
    case 'breakdown':
      await page.locator('.view-satisfaction select').selectOption(step.by, { timeout });
      return;
    case 'kpi': {
      const select = page.locator('.what-moved select');
      const values = await select.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
      const current = await select.inputValue();
      let target = values[step.pick % values.length]!;
      if (target === current) target = values[(step.pick + 1) % values.length]!;
      await select.selectOption(target, { timeout });
      return;
    }
  }
}

/** Closes a filter's list (not an interaction: the URL does not change). */
async function closeDisclosure(details: Locator): Promise<void> {
  await details.evaluate((el) => {
    (el as HTMLDetailsElement).open = false;
  });
}
