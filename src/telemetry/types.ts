// What a command hands telemetry and gets back (start.ts starts it, run.ts implements it): apart, so the
// lazily loaded implementation does not import the module that loads it.
import type { AgentEvent } from '../agent/events.js';
import type { ObservedHub } from './instruments.js';

/** What a command feeds telemetry: the agent's events, and lines worth a log record. */
export interface Telemetry {
  onEvent(event: AgentEvent): void;
  log(severity: 'info' | 'warn' | 'error', message: string): void;
}

export interface TelemetryContext {
  /** The command running (ask, chat). */
  command: string;
  model?: { name: string; baseURL?: string | null | undefined };
  /** The agent profile's name. */
  agent?: string | null | undefined;
  /** The user's prompt (exported only with content capture on). */
  prompt?: string;
  /** The servers, for the per-server metrics and state-change log records. */
  hub?: ObservedHub;
  /** Says a setting that was ignored (an unsupported protocol), once, on stderr. */
  warn?: (line: string) => void;
}
