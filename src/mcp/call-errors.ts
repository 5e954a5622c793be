// What a failed tools/call means: cancelled, timed out (silent too long, or past maxCallTime however much
// progress it reported), the session expired (HTTP 404: reconnect and retry once), the connection is
// gone (reconnect), or a plain failure. Mapped to AppErrors people read.
import { AppError, errorMessage } from '../errors.js';
import { httpStatusOf } from './transports.js';

export type CallFailure = 'cancelled' | 'timeout' | 'max_time' | 'session_expired' | 'connection_lost' | 'other';

export function classifyCallError(err: unknown, aborted: boolean): CallFailure {
  if (aborted) return 'cancelled';
  const message = errorMessage(err);
  if (/Request timed out/i.test(message)) return 'timeout';
  if (httpStatusOf(err) === 404) return 'session_expired';
  const code = (err as { cause?: { code?: string } } | undefined)?.cause?.code;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    /fetch failed|ECONNREFUSED|ECONNRESET|socket hang up|Connection closed|Not connected/i.test(message)
  ) {
    return 'connection_lost';
  }
  return 'other';
}

export interface CallWhere {
  server: string;
  tool: string;
  timeoutMs: number;
  /** The total bound in force (maxCallTime, or the timeout when that is longer). */
  maxCallTimeMs?: number;
  serverError?: string;
}

export function callError(kind: CallFailure, err: unknown, where: CallWhere): AppError {
  const message = errorMessage(err).replace(/^MCP error -?\d+: /, '');
  const label = `${where.server} › ${where.tool}`;
  switch (kind) {
    case 'cancelled':
      return new AppError('CANCELLED', `call to ${label} was cancelled`, { cause: err });
    case 'timeout':
      return new AppError('TIMEOUT', `${label} did not answer within ${where.timeoutMs / 1000}s`, {
        hint: 'raise callTimeout for this server in the config, or pass --timeout',
        cause: err,
      });
    case 'max_time': {
      const seconds = (where.maxCallTimeMs ?? where.timeoutMs) / 1000;
      return new AppError('TIMEOUT', `${label} exceeded maxCallTime (${seconds}s) despite reporting progress, so it was cancelled`, {
        hint: `raise maxCallTime (seconds, the most one call may take in total) for server ${where.server} in the config; callTimeout only bounds the silence between progress reports`,
        cause: err,
      });
    }
    case 'connection_lost':
    case 'session_expired':
      return new AppError(
        'SERVER_UNAVAILABLE',
        `${where.server} stopped during the call to ${where.tool}: ${where.serverError ?? message}`,
        { cause: err },
      );
    case 'other':
      // mcpsh's own errors from under the transport (e.g. a server that now needs a new OAuth sign-in) keep their code and hint.
      if (err instanceof AppError) return err;
      return new AppError('TOOL_ERROR', `${label} failed: ${message}`, { cause: err });
  }
}

/** Exponential backoff with ±25% jitter: 0.5 s, 1 s, 2 s, … capped at 30 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + random() * 0.5));
}
