// Test hook: named points in the ETL where the fault tests
// (test/etl/run/faults*.test.ts) stop the process, to prove that a run killed
// anywhere leaves a state the next run converges from. Inert unless the
// environment asks (docs/decisions.md, "Fault points"):
//
//   GRIDLENS_FAULT_POINT=<name>         SIGKILL this process the first time it reaches <name>
//   GRIDLENS_FAULT_POINT=<name>:pause   the first time: write <GRIDLENS_FAULT_DIR>/<name>.paused
//                                       (holding the pid), then wait until <name>.resume exists
//
// Callers `await faultPoint('step:where')`. Unset, it is one comparison of a
// string read once at start-up.

import { existsSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

const REQUESTED = process.env.GRIDLENS_FAULT_POINT || undefined;
let fired = false;

export function faultPoint(name: string): Promise<void> | undefined {
  if (REQUESTED === undefined || fired) return undefined;
  if (REQUESTED === name) {
    fired = true;
    // Synchronous: the line must be out before the signal lands.
    writeSync(2, `fault point ${name}: SIGKILL (GRIDLENS_FAULT_POINT)\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  if (REQUESTED === `${name}:pause`) {
    fired = true;
    return pause(name);
  }
  return undefined;
}

async function pause(name: string): Promise<void> {
  const dir = process.env.GRIDLENS_FAULT_DIR;
  if (!dir) throw new Error(`GRIDLENS_FAULT_POINT=${name}:pause needs GRIDLENS_FAULT_DIR (where <name>.paused and <name>.resume go)`);
  const file = (suffix: string) => path.join(dir, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}.${suffix}`);
  writeFileSync(file('paused'), String(process.pid));
  while (!existsSync(file('resume'))) await new Promise((r) => setTimeout(r, 25));
}
