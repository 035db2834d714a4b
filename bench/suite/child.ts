// Runs one scenario's own benchmark CLI as a child process (`tsx bench/X.bench.ts
// … --json`) and returns its JSON. A child per scenario keeps each one's memory,
// event loop and process-wide settings (e.g. the ETL's semi-space size) its own,
// and the scenario stays runnable alone with the same flags. The child's
// progress (stderr) is passed through, prefixed with the scenario's name.

import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface ChildRun<T> {
  result: T;
  seconds: number;
}

export async function runScenarioCli<T>(
  name: string,
  script: string,
  args: readonly string[],
  o: { nodeFlags?: readonly string[]; env?: Record<string, string>; log?: (line: string) => void } = {},
): Promise<ChildRun<T>> {
  const log = o.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const t0 = performance.now();
  const child = spawn(TSX, [...(o.nodeFlags ?? []), join(ROOT, script), ...args, '--json'], {
    cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const l of lines) if (l.trim()) log(`  [${name}] ${l}`);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  if (pending.trim()) log(`  [${name}] ${pending}`);
  const seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  if (code !== 0) throw new Error(`${name}: ${script} ${args.join(' ')} exited with ${code} after ${seconds} s (its output is above)`);
  const start = stdout.indexOf('{');
  if (start < 0) throw new Error(`${name}: ${script} printed no JSON result`);
  try {
    return { result: JSON.parse(stdout.slice(start)) as T, seconds };
  } catch (err) {
    throw new Error(`${name}: ${script}'s result is not JSON: ${(err as Error).message}`, { cause: err });
  }
}
