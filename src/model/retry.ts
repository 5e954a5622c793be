// When and how long to wait before retrying a model request: 429, 5xx and transient network errors,
// exponential backoff with jitter, a server's retry-after honoured up to a cap. The wait aborts with the run.
import { setTimeout as sleep } from 'node:timers/promises';
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import { isAPIError, isBadPort, networkCode } from './errors.js';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Codes that mean "nothing listens there" or "no such host": retrying only delays the message. */
const PERMANENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ERR_INVALID_URL']);

export function isRetryable(err: unknown): boolean {
  if (err instanceof APIUserAbortError) return false;
  if (err instanceof APIConnectionTimeoutError) return true;
  if (err instanceof APIConnectionError) {
    if (isBadPort(err)) return false;
    const code = networkCode(err);
    return code === undefined || !(PERMANENT_NETWORK_CODES.has(code) || /CERT|SSL|TLS|UNABLE_TO_VERIFY|SELF_SIGNED/.test(code));
  }
  if (!isAPIError(err) || err.status === undefined) return false;
  const told = err.headers?.get('x-should-retry');
  if (told === 'true') return true;
  if (told === 'false') return false;
  if (err.status === 429) return err.code !== 'insufficient_quota';
  return err.status === 408 || err.status === 409 || err.status >= 500;
}

/** The wait a server asked for (retry-after-ms, or retry-after in seconds or as an HTTP date), in ms. */
export function retryAfterMs(err: unknown, now: number = Date.now()): number | undefined {
  if (!isAPIError(err) || !err.headers) return undefined;
  const ms = Number.parseFloat(err.headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const header = err.headers.get('retry-after');
  if (header === null) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason?: string };

/** Whether attempt number `attempt` (0-based) that failed with `err` gets another go, and after how long. */
export function decideRetry(err: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): RetryDecision {
  if (attempt >= policy.maxRetries || !isRetryable(err)) return { retry: false };
  const asked = retryAfterMs(err);
  if (asked !== undefined) {
    if (asked > policy.maxDelayMs)
      return { retry: false, reason: `the provider asked to wait ${Math.ceil(asked / 1000)} s before retrying` };
    return { retry: true, delayMs: asked };
  }
  const exponential = Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxDelayMs);
  // Jitter spreads out many clients that failed together; +-25% keeps the growth visible.
  return { retry: true, delayMs: Math.round(exponential * (0.75 + random() * 0.5)) };
}

/** Waits, or rejects with the AbortError as soon as `signal` aborts. */
export async function waitForRetry(ms: number, signal: AbortSignal | undefined): Promise<void> {
  await sleep(ms, undefined, signal ? { signal } : {});
}
