// Starts the era fixtures (modern-only, dual-era, legacy basic, the tolerant-fallback ones) as stdio config
// entries or HTTP servers, and reads what they logged (--log FILE: one JSON line per inbound message/event).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath, startHttpFixture } from './fixtures.js';

export type Transport = 'stdio' | 'http';

/** One line a fixture logged; see /tmp/fixtures13.md (and each fixture's header) for the fields. */
export interface FixtureRecord {
  pid: number;
  ev: string;
  transport?: Transport;
  kind?: 'request' | 'notification' | 'response' | null;
  method?: string | null;
  id?: string | number | null;
  protocolVersion?: string | null;
  name?: string | null;
  headers?: Record<string, string>;
  era?: 'modern' | 'legacy';
  action?: string;
  token?: string | number | null;
  [key: string]: unknown;
}

export interface EraServer {
  /** The `mcpServers` entry for it (stdio: command/args; http: url). */
  entry: Record<string, unknown>;
  /** Everything the fixture logged so far. */
  log(): FixtureRecord[];
  /** Forget what was logged (to look at one run of the CLI alone). */
  clearLog(): void;
  close(): Promise<void>;
}

/** HTTP args a fixture needs besides --log (basic.mjs takes a port, the others a flag). */
function httpArgs(file: string): string[] {
  if (file === 'basic.mjs') return ['--http', '0'];
  if (file === 'odd-reply.mjs') return [];
  return ['--http'];
}

/**
 * Starts `file` for `transport`: stdio returns a config entry (mcpsh spawns it), http starts it now.
 * `args` go to the fixture (e.g. ['--mode', 'sse-empty']); `extra` is merged into the config entry.
 */
export async function startEraServer(
  file: string,
  transport: Transport,
  args: string[] = [],
  extra: Record<string, unknown> = {},
): Promise<EraServer> {
  const logFile = join(mkdtempSync(join(tmpdir(), 'mcpsh-era-log-')), 'fixture.jsonl');
  writeFileSync(logFile, '');
  const log = (): FixtureRecord[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as FixtureRecord)
      : [];
  const clearLog = (): void => writeFileSync(logFile, '');
  const logArgs = file === 'basic.mjs' ? [] : ['--log', logFile];
  if (transport === 'stdio') {
    const entry = { command: process.execPath, args: [fixturePath(file), ...args, ...logArgs], ...extra };
    return { entry, log, clearLog, close: () => Promise.resolve() };
  }
  const fixture = await startHttpFixture(file, [...httpArgs(file), ...args, ...logArgs]);
  return { entry: { url: fixture.url, ...extra }, log, clearLog, close: () => fixture.close() };
}

/** The JSON-RPC methods a fixture received, in order. */
export function methods(records: FixtureRecord[]): string[] {
  return records.filter((r) => r.ev === 'message' && typeof r.method === 'string').map((r) => r.method as string);
}

/** How many `server/discover` probes reached the fixture. */
export function probes(records: FixtureRecord[]): number {
  return methods(records).filter((m) => m === 'server/discover').length;
}
