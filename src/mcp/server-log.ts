// A server's MCP log notifications (`notifications/message`), appended redacted to the same per-server
// log file its stderr goes to, so one file tells a server's story whatever its transport.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LoggingMessageNotification } from './types.js';
import { redact } from '../policy/redact.js';

export function formatLogMessage(params: LoggingMessageNotification['params'], now = new Date()): string {
  const data = typeof params.data === 'string' ? params.data : JSON.stringify(params.data);
  return `${now.toISOString()} [${params.level}]${params.logger ? ` ${params.logger}:` : ''} ${data}\n`;
}

/** Appends one log message; a log file that cannot be written is not worth failing the session for. */
export function appendServerLog(path: string, params: LoggingMessageNotification['params']): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, redact(formatLogMessage(params)), { mode: 0o600 });
  } catch {
    // ignored: see above
  }
}
