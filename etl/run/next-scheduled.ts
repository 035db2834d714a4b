// When the nightly schedule fires next: recorded in each manifest so the
// dashboard can tell stale extracts (the next scheduled run has passed and
// published nothing newer) without asking the server.

import cron from 'node-cron';

/** The first time after now that `expression` fires in `timeZone`, or null when the expression is not valid cron. */
export async function nextScheduledRun(expression: string, timeZone: string): Promise<Date | null> {
  if (!cron.validate(expression)) return null;
  // A task that is never started: getNextRuns() reads its schedule without a timer.
  const task = cron.createTask(expression, () => undefined, { timezone: timeZone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    await task.destroy();
  }
}
