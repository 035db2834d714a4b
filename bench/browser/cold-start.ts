// One cold start of the dashboard in headless Debian Chromium: a fresh
// profile (empty cache), the page opened on its default screen, then the
// scripted session. Measures
//   - the app's User Timing marks gridlens:first-paint and gridlens:interactive
//     (and the data layer's gridlens:data:*), ms after navigation start;
//   - bytes transferred for the first view: every request finished by the time
//     the page is interactive and the open view's charts are drawn, sized by
//     Network.loadingFinished's encodedDataLength (Playwright's CDP network
//     layer, which also follows the DuckDB worker's session, where the wasm is
//     fetched): DuckDB engine (wasm, worker, its JS API chunk) / extracts / app;
//   - the main thread's JS heap (CDP Performance.getMetrics JSHeapUsedSize)
//     after interactive and after the session;
//   - each interaction's gridlens:interaction measure (session-run.ts).

import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium, waitForCharts } from '../../test/e2e/browser.ts';
import type { Step } from './session-plan.ts';
import { monthOptions, runSession, type TimedStep } from './session-run.ts';

export type ByteClass = 'engine' | 'extracts' | 'app';

export interface FirstViewRequest {
  path: string;
  class: ByteClass;
  bytes: number;
  startMs: number;
  endMs: number;
}

export interface ColdRun {
  firstPaintMs: number;
  interactiveMs: number;
  domContentLoadedMs: number;
  /** gridlens:data:* marks (manifest, duckdb-ready, loaded:<mart>), ms after navigation start. */
  dataMarks: Record<string, number>;
  bytes: Record<ByteClass, number> & { total: number; requests: number };
  /** Each first-view request: path (query left out), class, bytes on the wire, start and end (ms after navigation start). */
  requests: FirstViewRequest[];
  heap: { afterInteractive: number; afterSession: number | null };
  /** How many months the period picker offered (the session plan's input). */
  months: number;
  /** gridlens:data:prefetched (the background loads done), null when the app did not mark it within settleMs. */
  prefetchedMs: number | null;
  /** When the session's first step began, ms after navigation start. */
  sessionStartMs: number;
  interactions: TimedStep[];
  chromium: string;
}

/** Which share of the first view a URL is. */
export function byteClassOf(path: string): ByteClass {
  if (path.startsWith('/extracts/')) return 'extracts';
  // Vite names the hashed assets after their source: duckdb-eh-<hash>.wasm,
  // duckdb-browser-eh.worker-<hash>.js, and the lazy chunk of the async API.
  if (/^\/assets\/duckdb[-.]/.test(path)) return 'engine';
  return 'app';
}

export async function coldStart(o: {
  url: string;
  tmpRoot: string;
  /** The session to play after the first view: a plan, or a function of the months offered. */
  session: (months: number) => Step[];
  timeoutMs: number;
  /** Longest wait for gridlens:data:prefetched before the session. */
  settleMs: number;
  /** Pause before each scripted step after the first (session-run.ts). */
  thinkMs?: number;
  /** Writes CPU profiles of the page's main thread (V8 .cpuprofile): `<prefix>-load.cpuprofile` (navigation to first view) and `<prefix>-session.cpuprofile`. */
  profilePrefix?: string;
  /** Writes a Chrome trace of the load and the session (devtools.timeline: script, style, layout, paint per task; V8's compilers and GC) to this file; open it in DevTools' Performance panel or summarise it with bench/browser/trace-summary.ts. */
  traceFile?: string;
}): Promise<ColdRun> {
  const browser = await launchChromium(o.tmpRoot, { locale: 'en-US' });
  try {
    const { context } = browser;
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));

    // Requests finished before the first view is complete count for it.
    let firstView = true;
    const sized: Promise<(Omit<FirstViewRequest, 'startMs' | 'endMs'> & { start: number; end: number }) | null>[] = [];
    context.on('requestfinished', (req) => {
      if (!firstView) return;
      sized.push(
        req.sizes().then((s) => {
          const path = new URL(req.url()).pathname;
          const t = req.timing();
          return { path, class: byteClassOf(path), bytes: s.responseHeadersSize + s.responseBodySize, start: t.startTime, end: t.startTime + t.responseEnd };
        }, () => null),
      );
    });
    const failed: string[] = [];
    context.on('requestfailed', (req) => failed.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`));

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const version = (await cdp.send('Browser.getVersion')) as { product: string };

    const profiler = o.profilePrefix ? cpuProfiler(cdp, o.profilePrefix) : null;
    // The trace covers the load too: what the session meets (e.g. V8 still compiling the engine's wasm) starts there.
    const tracer = o.traceFile ? chromeTracer(cdp, o.traceFile) : null;
    await tracer?.start();
    await profiler?.start();
    await page.goto(o.url, { waitUntil: 'commit', timeout: o.timeoutMs });
    await page
      .waitForFunction(() => performance.getEntriesByName('gridlens:interactive').length > 0 || document.querySelector('[data-state="error"]'), undefined, {
        timeout: o.timeoutMs, polling: 50,
      })
      .catch((err: unknown) => {
        throw new Error(`the dashboard did not become interactive within ${o.timeoutMs} ms${pageErrors.length ? ` (page errors: ${pageErrors.join('; ')})` : ''}`, { cause: err });
      });
    const error = await page.locator('[data-state="error"]').first().textContent({ timeout: 1 }).catch(() => null);
    if (error) throw new Error(`the dashboard shows an error: ${error.trim()}`);
    await waitForCharts(page, o.timeoutMs);
    firstView = false;
    await profiler?.stop('load');

    // No named function inside: tsx (esbuild keepNames) would wrap it in a __name() the page lacks.
    const marks = await page.evaluate(() => ({
      firstPaint: performance.getEntriesByName('gridlens:first-paint')[0]?.startTime ?? null,
      interactive: performance.getEntriesByName('gridlens:interactive')[0]?.startTime ?? null,
      dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.domContentLoadedEventEnd ?? null,
      data: Object.fromEntries(
        performance.getEntriesByType('mark').filter((m) => m.name.startsWith('gridlens:data:')).map((m) => [m.name.slice('gridlens:data:'.length), m.startTime]),
      ),
      origin: performance.timeOrigin,
    }));
    if (marks.firstPaint === null || marks.interactive === null) {
      throw new Error(`missing User Timing marks: first-paint ${marks.firstPaint}, interactive ${marks.interactive}`);
    }
    const heapAfterInteractive = await jsHeapUsed(page, cdp);
    const requests: FirstViewRequest[] = (await Promise.all(sized))
      .filter((r) => r !== null)
      .map(({ start, end, ...r }) => ({ ...r, startMs: Math.round(start - marks.origin), endMs: Math.round(end - marks.origin) }));
    const bytes = { engine: 0, extracts: 0, app: 0, total: 0, requests: requests.length };
    for (const r of requests) {
      bytes[r.class] += r.bytes;
      bytes.total += r.bytes;
    }

    // A user reads the first view before the first click: the session starts
    // once the app has loaded the other views' extracts in the background
    // (gridlens:data:prefetched), or after `settleMs` if it never says so.
    // (Playwright's timeout 0 means none: no wait at all then.)
    const prefetchedMs = o.settleMs > 0
      ? await page
          .waitForFunction(() => performance.getEntriesByName('gridlens:data:prefetched')[0]?.startTime ?? false, undefined, { timeout: o.settleMs, polling: 50 })
          .then((h) => h.jsonValue() as Promise<number>, () => null)
      : await page.evaluate(() => performance.getEntriesByName('gridlens:data:prefetched')[0]?.startTime ?? null);
    const sessionStartMs = await page.evaluate(() => performance.now());
    const months = await monthOptions(page);
    await profiler?.start();
    const interactions = await runSession(page, o.session(months), { timeoutMs: o.timeoutMs, thinkMs: o.thinkMs });
    await tracer?.stop();
    await profiler?.stop('session');
    const heapAfterSession = interactions.length ? await jsHeapUsed(page, cdp) : null;
    if (pageErrors.length) throw new Error(`page errors during the run: ${pageErrors.join('; ')}`);
    if (failed.length) throw new Error(`failed requests: ${failed.join('; ')}`);
    return {
      firstPaintMs: marks.firstPaint,
      interactiveMs: marks.interactive,
      domContentLoadedMs: marks.dcl ?? NaN,
      dataMarks: marks.data,
      bytes,
      requests,
      heap: { afterInteractive: heapAfterInteractive, afterSession: heapAfterSession },
      months,
      prefetchedMs,
      sessionStartMs,
      interactions,
      chromium: version.product,
    };
  } finally {
    await browser.close();
  }
}

async function jsHeapUsed(page: Page, cdp: { send(method: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }> }): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
  if (used !== undefined) return used;
  return page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN);
}

/** Chrome's own timeline (what DevTools' Performance panel records), streamed to `file` as {"traceEvents": [...]}. */
function chromeTracer(cdp: CDPSession, file: string): { start(): Promise<void>; stop(): Promise<void> } {
  return {
    async start() {
      await cdp.send('Tracing.start', {
        transferMode: 'ReturnAsStream',
        traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'v8.execute', 'toplevel', 'v8.wasm', 'v8', 'v8.compile', 'disabled-by-default-v8.compile', 'disabled-by-default-v8.gc', 'disabled-by-default-devtools.timeline.frame', 'benchmark'], recordMode: 'recordContinuously' },
      });
    },
    async stop() {
      const done = new Promise<string>((resolveStream) => cdp.once('Tracing.tracingComplete', (e: { stream?: string }) => resolveStream(e.stream!)));
      await cdp.send('Tracing.end');
      const handle = await done;
      // Bytes, decoded once at the end: a base64 chunk may end inside a UTF-8 character.
      const chunks: Buffer[] = [];
      for (;;) {
        const r = (await cdp.send('IO.read', { handle, size: 1 << 20 })) as { data: string; eof: boolean; base64Encoded?: boolean };
        chunks.push(Buffer.from(r.data, r.base64Encoded ? 'base64' : 'utf8'));
        if (r.eof) break;
      }
      await cdp.send('IO.close', { handle });
      writeFileSync(file, Buffer.concat(chunks));
    },
  };
}

function cpuProfiler(cdp: CDPSession, prefix: string): { start(): Promise<void>; stop(name: string): Promise<void> } {
  return {
    async start() {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    },
    async stop(name) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(`${prefix}-${name}.cpuprofile`, JSON.stringify(profile));
    },
  };
}
