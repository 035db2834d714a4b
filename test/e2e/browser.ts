// Debian Chromium driven by playwright-core (stack-notes.md: never
// `playwright install`; Playwright refuses --user-data-dir in args, so the
// fresh profile goes through launchPersistentContext).

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.GRIDLENS_CHROMIUM ?? '/usr/bin/chromium';

/** The flags every run uses: no sandbox (root in CI), and nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile under `tmpRoot`; `locale` is the browser's UI language. */
export async function launchChromium(tmpRoot: string, o: { locale?: string } = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set GRIDLENS_CHROMIUM`);
  }
  const profile = mkdtempSync(join(tmpRoot, 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: o.locale ?? 'en-US',
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until every chart of the open view has its answer (no panel busy) and drew it or says why not. */
export async function waitForCharts(page: Page, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const figures = [...document.querySelectorAll('figure[data-chart]')];
      return figures.length > 0 && figures.every((f) => f.getAttribute('aria-busy') === 'false' && (f.querySelector('canvas') || f.querySelector('.status')));
    },
    undefined,
    { timeout },
  );
}

/** Names of the User Timing entries recorded so far. */
export function timingEntries(page: Page): Promise<{ name: string; entryType: string; startTime: number; duration: number }[]> {
  return page.evaluate(() =>
    performance.getEntries()
      .filter((e) => e.name.startsWith('gridlens:'))
      .map((e) => ({ name: e.name, entryType: e.entryType, startTime: e.startTime, duration: e.duration })),
  );
}
