// The debug log (`--debug` or MCPSH_DEBUG=1): one JSONL file per run in <state>/debug/ with every MCP
// message and model request in summary form, secrets redacted. Cheap when off: callers check `enabled`.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { appPaths } from './paths.js';
import { redactValue } from './policy/redact.js';

/** A message larger than this (as JSON) is logged without its payload. */
export const PAYLOAD_LIMIT = 2048;

export type McpDirection = 'send' | 'receive';

/** One model request, as the adapter saw it from start to end (or failure). */
export interface ModelDebugEvent {
  model: string;
  baseURL?: string;
  messages: number;
  tools: number;
  attempt?: number;
  durationMs: number;
  usage?: { inputTokens: number; outputTokens: number };
  finish?: string;
  toolCalls?: number;
  error?: string;
}

export interface DebugLog {
  readonly enabled: boolean;
  /** The file this run writes, when enabled. */
  readonly file: string | undefined;
  /** Summary of one JSON-RPC message to or from a server; `bytes` is the wire size when the caller knows it. */
  mcp(server: string, direction: McpDirection, message: unknown, bytes?: number): void;
  model(event: ModelDebugEvent): void;
  /** Anything else worth a line (start-up, the config files read). */
  note(what: string, details?: Record<string, unknown>): void;
}

class FileDebugLog implements DebugLog {
  private fd: number | null = null;
  file: string | undefined;

  get enabled(): boolean {
    return this.fd !== null;
  }

  start(env: NodeJS.ProcessEnv, now = new Date()): string {
    if (this.file !== undefined) return this.file;
    const dir = path.join(appPaths(env).state, 'debug');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${now.toISOString().replace(/[:.]/g, '-')}-${process.pid}.jsonl`);
    this.fd = openSync(file, 'a', 0o600);
    this.file = file;
    return file;
  }

  stop(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }

  mcp(server: string, direction: McpDirection, message: unknown, bytes?: number): void {
    if (this.fd === null) return;
    this.write({ type: 'mcp', server, direction, ...summarise(message, bytes) });
  }

  model(event: ModelDebugEvent): void {
    if (this.fd === null) return;
    this.write({ type: 'model', ...event });
  }

  note(what: string, details: Record<string, unknown> = {}): void {
    if (this.fd === null) return;
    this.write({ type: 'note', what, ...details });
  }

  private write(line: Record<string, unknown>): void {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, `${JSON.stringify(redactValue({ time: new Date().toISOString(), ...line }))}\n`);
    } catch {
      // A full disk must not take the run down with it: stop logging instead.
      this.stop();
    }
  }
}

/** The process-wide debug log; off until startDebugLog(). */
const instance = new FileDebugLog();
export const debugLog: DebugLog = instance;

/** Turns the debug log on (once per process) and returns its file. */
export function startDebugLog(env: NodeJS.ProcessEnv): string {
  return instance.start(env);
}

/** True when MCPSH_DEBUG asks for debugging (any value but empty, 0 or false). */
export function debugRequested(env: NodeJS.ProcessEnv): boolean {
  const v = env.MCPSH_DEBUG?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/** method / id / result-or-error / size of a JSON-RPC message, with the payload only when it is small. */
export function summarise(message: unknown, bytes?: number): Record<string, unknown> {
  let json: string | undefined;
  // A known-large message is not serialised again just to be left out.
  if (bytes === undefined || bytes <= PAYLOAD_LIMIT) {
    try {
      json = JSON.stringify(message);
    } catch {
      json = undefined;
    }
  }
  const size = bytes ?? (json === undefined ? 0 : Buffer.byteLength(json));
  if (typeof message !== 'object' || message === null) return { bytes: size };
  const m = message as { id?: unknown; method?: unknown; params?: unknown; result?: { isError?: unknown } | null; error?: unknown };
  const out: Record<string, unknown> = {};
  if (typeof m.method === 'string') out.method = m.method;
  if (typeof m.id === 'string' || typeof m.id === 'number') out.id = m.id;
  if (typeof m.method === 'string' && m.method === 'tools/call') {
    const name = (m.params as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string') out.tool = name;
  }
  if (m.result !== undefined) {
    out.result = 'ok';
    if (m.result?.isError === true) out.isError = true;
  }
  if (m.error !== undefined) {
    const e = m.error as { code?: unknown; message?: unknown };
    out.error = { code: e.code, message: typeof e.message === 'string' ? e.message.slice(0, 500) : undefined };
  }
  out.bytes = size;
  if (json !== undefined && json.length <= PAYLOAD_LIMIT) {
    const payload = m.params ?? m.result;
    if (payload !== undefined) out.payload = payload;
  }
  return out;
}
