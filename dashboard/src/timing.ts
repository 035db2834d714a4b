// User Timing hooks (issue 4, documented in dashboard/README.md):
//   mark    gridlens:first-paint    first KPI values visible
//   mark    gridlens:interactive    DuckDB ready and the open view's queries answered
//   measure gridlens:interaction    one filter or drill change, from input to every
//                                   visible chart showing the new result
//   measure gridlens:chart-draw     one chart's setOption or resize (detail.chart: its id, detail.kind: option | resize;
//                                   charts/Chart.tsx)
//
// An interaction starts when the URL state changes (use-url-state.ts). Each
// query a view shows reports whether it still waits for the answer to its
// current query (useTrackedQuery), each chart whether it still has to draw
// (Chart.tsx); when none waits, right after the next frame is painted, the
// measure ends.

let firstPaint = false;
let interactive = false;
let interactionStart: number | null = null;
const waiting = new Set<symbol>();
let checkScheduled = false;

const perf = (): Performance | null => (typeof performance === 'undefined' ? null : performance);
/**
 * Calls `fn` once the next frame has been rendered: a requestAnimationFrame
 * callback runs just before the frame's style, layout and paint, and a task
 * posted from it runs right after them (the "after next paint" pattern; a
 * second requestAnimationFrame would wait a whole frame more, ~16 ms on every
 * measure). Without requestAnimationFrame (Node), a timer.
 */
const afterNextPaint = (fn: () => void, onFrame: () => void): void => {
  if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel === 'undefined') {
    setTimeout(fn, 0);
    return;
  }
  requestAnimationFrame(() => {
    onFrame();
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      fn();
    };
    channel.port2.postMessage(null);
  });
};

export function markFirstPaint(): void {
  if (firstPaint) return;
  firstPaint = true;
  perf()?.mark('gridlens:first-paint');
}

const interactiveListeners = new Set<() => void>();

export function markInteractive(): void {
  if (interactive) return;
  interactive = true;
  perf()?.mark('gridlens:interactive');
  for (const l of interactiveListeners) l();
}

export const isInteractive = (): boolean => interactive;

/** Calls `listener` when the page becomes interactive (for useSyncExternalStore with isInteractive). */
export function subscribeInteractive(listener: () => void): () => void {
  interactiveListeners.add(listener);
  return () => interactiveListeners.delete(listener);
}

/** A filter or drill change happened now (from an input event or back/forward). */
export function startInteraction(): void {
  // A newer input restarts the clock only if the previous one finished: the
  // user's first change is when they started waiting.
  if (interactionStart === null) interactionStart = perf()?.now() ?? Date.now();
  scheduleCheck();
}

/** A query of the visible view waits for (true) or has shown (false) its current answer. */
export function reportWaiting(id: symbol, isWaiting: boolean): void {
  if (isWaiting) waiting.add(id);
  else waiting.delete(id);
  scheduleCheck();
}

export const waitingCount = (): number => waiting.size;

const settledListeners: (() => void)[] = [];

/** Calls `fn` once no interaction is in progress (now, or right after the current one's measure). */
export function whenSettled(fn: () => void): void {
  if (interactionStart === null && waiting.size === 0) fn();
  else settledListeners.push(fn);
}

/**
 * Calls `fn` when the browser is idle (at the latest after `timeoutMs`), and
 * never inside an interaction: if the deadline comes while one is in progress,
 * right after its measure. For work the screen does not wait for (charts below
 * the fold or in hidden views, pre-rendering views): forced in by the idle
 * deadline, it landed inside unrelated interactions (measured at 100k customers:
 * a hidden view's chart drawn inside a drill, 26–56 ms of it). Returns a cancel function.
 */
export function whenIdle(fn: () => void, timeoutMs: number): () => void {
  let cancelled = false;
  const run = (): void => {
    if (!cancelled) whenSettled(() => { if (!cancelled) fn(); });
  };
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: timeoutMs });
    return () => {
      cancelled = true;
      cancelIdleCallback(handle);
    };
  }
  const timer = setTimeout(run, 50);
  return () => {
    cancelled = true;
    clearTimeout(timer);
  };
}

// The pending check's frame has started rendering (its requestAnimationFrame
// ran), and something changed after that (a query answered, a chart drawn).
let checkFrameStarted = false;
let changedAfterCheckFrame = false;

function scheduleCheck(): void {
  if (checkScheduled) {
    // A task between that frame and the check (e.g. an answer arriving and its
    // chart drawn) is on screen only with the next frame: measured in a trace,
    // 7 of 44 interactions ended 1–3 ms after their last chart draw and 4–9 ms
    // before the Paint that showed it.
    if (checkFrameStarted) changedAfterCheckFrame = true;
    return;
  }
  checkScheduled = true;
  checkFrameStarted = false;
  changedAfterCheckFrame = false;
  // After the next paint: React has committed the state change and the charts
  // have drawn (a chart still to draw reports itself waiting), and the frame
  // showing them has been rendered.
  afterNextPaint(() => {
    checkScheduled = false;
    if (waiting.size > 0) return;
    if (changedAfterCheckFrame) {
      scheduleCheck();
      return;
    }
    if (interactionStart !== null) {
      const p = perf();
      p?.measure('gridlens:interaction', { start: interactionStart, end: p.now() });
      interactionStart = null;
    }
    for (const fn of settledListeners.splice(0)) fn();
  }, () => {
    checkFrameStarted = true;
  });
}
