// timing.ts's whenIdle: background work (off-screen chart draws, hidden views'
// pre-rendering) never runs inside an interaction, even when its idle deadline
// passes during one; it runs right after the interaction's measure. In Node
// there is no requestIdleCallback or requestAnimationFrame: timing.ts falls
// back to timers, the order of events is the same.

import { afterEach, describe, expect, it } from 'vitest';
import { reportWaiting, startInteraction, whenIdle } from '../../../dashboard/src/timing.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const interactionMeasures = () => performance.getEntriesByName('gridlens:interaction');

describe('whenIdle', () => {
  afterEach(() => performance.clearMeasures('gridlens:interaction'));

  it('runs when nothing is in progress', async () => {
    let ran = 0;
    whenIdle(() => (ran += 1), 1000);
    await sleep(120);
    expect(ran).toBe(1);
  });

  it('waits for an interaction in progress to end, then runs right after its measure', async () => {
    const panel = Symbol('panel');
    const events: string[] = [];
    startInteraction();
    reportWaiting(panel, true);
    whenIdle(() => events.push(`idle work after ${interactionMeasures().length} measure(s)`), 10);
    await sleep(200);
    // The deadline has long passed, but the panel still waits for its answer.
    expect(events).toEqual([]);
    expect(interactionMeasures()).toHaveLength(0);

    reportWaiting(panel, false);
    await sleep(120);
    expect(interactionMeasures()).toHaveLength(1);
    expect(events).toEqual(['idle work after 1 measure(s)']);
  });

  it('a cancelled callback never runs, even if it was waiting for an interaction to end', async () => {
    const panel = Symbol('panel');
    let ran = 0;
    const cancelledEarly = whenIdle(() => (ran += 1), 1000);
    cancelledEarly();
    startInteraction();
    reportWaiting(panel, true);
    const cancelledWhileWaiting = whenIdle(() => (ran += 10), 10);
    await sleep(120);
    cancelledWhileWaiting();
    reportWaiting(panel, false);
    await sleep(120);
    expect(interactionMeasures()).toHaveLength(1);
    expect(ran).toBe(0);
  });
});

describe('the interaction measure ends after the frame that shows the last change', () => {
  // Frames driven by the test: requestAnimationFrame callbacks run when the test says
  // a frame is rendered; the check after it is a posted task (MessageChannel, as in Chromium).
  const frames: (() => void)[] = [];
  const renderFrame = () => frames.splice(0).forEach((cb) => cb());
  const g = globalThis as { requestAnimationFrame?: (cb: () => void) => number };
  afterEach(() => {
    delete g.requestAnimationFrame;
    performance.clearMeasures('gridlens:interaction');
  });

  it('a chart drawn between a frame and the check after it waits for the next frame', async () => {
    g.requestAnimationFrame = (cb) => frames.push(cb);
    const chart = Symbol('chart');
    startInteraction();
    renderFrame();
    // An answer arrives in a task before the check runs: its chart reports waiting, draws, and is done.
    reportWaiting(chart, true);
    reportWaiting(chart, false);
    await sleep(20);
    expect(interactionMeasures()).toHaveLength(0);
    expect(frames).toHaveLength(1); // a new check, after the next frame
    renderFrame();
    await sleep(20);
    expect(interactionMeasures()).toHaveLength(1);
  });

  it('with nothing changed after the frame, the measure ends right after it', async () => {
    g.requestAnimationFrame = (cb) => frames.push(cb);
    startInteraction();
    await sleep(20);
    expect(interactionMeasures()).toHaveLength(0); // no frame yet
    renderFrame();
    await sleep(20);
    expect(interactionMeasures()).toHaveLength(1);
    expect(frames).toHaveLength(0);
  });
});
