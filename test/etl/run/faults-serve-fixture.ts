// The product's server (etl/serve/server.ts) in a process of its own, for the
// fault tests: `node --import tsx faults-serve-fixture.ts <distDir> <extractsDir>`
// prints its URL on one line and serves until killed. With
// GRIDLENS_FAULT_POINT set, a fault point in what it runs can kill it.
import { startServer } from '../../../etl/serve/server.ts';

const [distDir, extractsDir] = process.argv.slice(2);
if (!distDir || !extractsDir) throw new Error('usage: faults-serve-fixture.ts <distDir> <extractsDir>');
const server = await startServer({ host: '127.0.0.1', port: 0, distDir, extractsDir });
process.stdout.write(`${server.url}\n`);
