// Progress reporting for long steps: a redrawn bar on a TTY, a JSON log line
// every few seconds otherwise (so CI logs and schedulers stay readable).

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < (tty ? 100 : 5000) && done < total) return;
      last = now;
      const share = total > 0 ? done / total : 1;
      if (tty) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0)}% ${done}/${total} ${((now - started) / 1000).toFixed(1)}s`);
      } else {
        stream.write(JSON.stringify({ level: 'info', event: 'progress', step: label, done, total, seconds: (now - started) / 1000 }) + '\n');
      }
    },
    finish() {
      if (tty) stream.write('\n');
    },
  };
}

/** One progress bar per step name, made on the step's first update (for runEtl's onProgress). */
export function stepProgress(): { update(step: string, done: number, total: number): void; finish(): void } {
  const bars = new Map<string, Progress>();
  return {
    update(step, done, total) {
      let bar = bars.get(step);
      if (!bar) bars.set(step, (bar = progress(step)));
      bar.update(done, total);
    },
    finish() {
      for (const bar of bars.values()) bar.finish();
    },
  };
}
