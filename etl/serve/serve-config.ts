// Settings of the dashboard server, from the environment (pure, like
// etl/config.ts): PORT and GRIDLENS_HOST. The server binds to 127.0.0.1
// unless told otherwise, so a laptop demo is not exposed to the network.

import { ConfigError } from '../config.ts';

export interface ServeConfig {
  port: number;
  host: string;
}

export const DEFAULT_PORT = 4173;
export const DEFAULT_HOST = '127.0.0.1';

export function loadServeConfig(env: Record<string, string | undefined> = process.env): ServeConfig {
  const rawPort = env.PORT?.trim();
  let port = DEFAULT_PORT;
  if (rawPort) {
    port = Number(rawPort);
    // 0 = any free port (tests).
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(`PORT=${JSON.stringify(rawPort)} is not a TCP port: use an integer 1–65535 (default ${DEFAULT_PORT}).`);
    }
  }
  const host = env.GRIDLENS_HOST?.trim() || DEFAULT_HOST;
  return { port, host };
}
