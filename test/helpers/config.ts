// Builders for resolved server entries, so connection tests can skip the config loader.
import { resolve } from 'node:path';
import type { ResolvedRemoteServer, ResolvedStdioServer } from '../../src/config/schema.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EVERYTHING = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FILESYSTEM = resolve(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');

const common = {
  enabled: true,
  required: false,
  connectTimeoutMs: 15_000,
  callTimeoutMs: 15_000,
  maxCallTimeMs: 600_000,
  includeTools: [] as string[],
  excludeTools: [] as string[],
  source: 'test',
  maxRestarts: 0,
  breaker: { failures: 5, cooldownMs: 30_000 },
  pingIntervalMs: 0,
};

export function stdioServer(name: string, command: string, args: string[], extra: Partial<ResolvedStdioServer> = {}): ResolvedStdioServer {
  return { ...common, name, transport: 'stdio', command, args, env: {}, inheritEnv: false, cwd: ROOT, ...extra };
}

export function nodeServer(
  name: string,
  script: string,
  args: string[] = [],
  extra: Partial<ResolvedStdioServer> = {},
): ResolvedStdioServer {
  return stdioServer(name, process.execPath, [script, ...args], extra);
}

export function remoteServer(
  name: string,
  url: string,
  transport: ResolvedRemoteServer['transport'] = 'auto',
  extra: Partial<ResolvedRemoteServer> = {},
): ResolvedRemoteServer {
  return { ...common, name, transport, url, headers: {}, oauth: { redirectPort: 0 }, ...extra };
}
