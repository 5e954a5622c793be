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

/** Folders already made this run: a server that logs a lot costs one append per message, not a mkdir too. */
const made = new Set<string>();

/** Appends one log message; a log file that cannot be written is not worth failing the session for. */
export function appendServerLog(path: string, params: LoggingMessageNotification['params']): void {
  const text = redact(formatLogMessage(params));
  const dir = dirname(path);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      appendFileSync(path, text, { mode: 0o600 });
      return;
    } catch {
      // The folder may have gone since (a cleaned state dir): made again once, else the message is dropped.
      made.delete(dir);
    }
  }
}
