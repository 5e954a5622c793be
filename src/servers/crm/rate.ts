// The CRM's per-client rate limit counts JSON-RPC requests, not POSTs: every request in a batch is charged one
// token, in message order. Requests past the budget are named on the POST's AuthInfo, so the gate (gate.ts),
// which sees each message, answers each of them with its own JSON-RPC error and audit line.
import { isJSONRPCRequest, type AuthInfo, type RequestId } from '@modelcontextprotocol/server';
import type { KeyedTokenBuckets } from '../../policy/token-bucket.js';

/** Most JSON-RPC messages one POST may carry (the SDK's own bound is 100; a batch is charged all at once). Only 2025-era POSTs carry batches.. */
export const MAX_BATCH_MESSAGES = 50;

/** The JSON-RPC error code for a request refused by the rate limit (implementation-defined server error range). */
export const RATE_LIMITED_CODE = -32000;

const EXTRA_KEY = 'mcpshRateLimited';

export interface RateCharge {
  /** Requests that got a token. */
  admitted: number;
  /** Requests that did not, in message order. */
  over: RequestId[];
  /** Seconds until the next token, when some request did not get one. */
  retryAfterSeconds: number;
}

export interface RateLimited {
  ids: ReadonlySet<RequestId>;
  retryAfterSeconds: number;
}

/** Takes one token per request in `messages`; once one is refused, the rest are refused too (no tokens taken). */
export function chargeRequests(limiter: KeyedTokenBuckets, client: string, messages: readonly unknown[]): RateCharge {
  const charge: RateCharge = { admitted: 0, over: [], retryAfterSeconds: 0 };
  for (const message of messages) {
    if (!isJSONRPCRequest(message)) continue;
    if (charge.over.length === 0) {
      const verdict = limiter.take(client);
      if (verdict.ok) {
        charge.admitted += 1;
        continue;
      }
      charge.retryAfterSeconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    }
    charge.over.push(message.id);
  }
  return charge;
}

export function rateLimitDescription(client: string, retryAfterSeconds: number): string {
  return `too many requests from "${client}"; retry after ${retryAfterSeconds}s (limit set with serve crm --rate)`;
}

/** A copy of `auth` for one POST that names the requests the gate must refuse. */
export function withRateLimited(auth: AuthInfo, limited: RateLimited): AuthInfo {
  return { ...auth, extra: { ...auth.extra, [EXTRA_KEY]: limited } };
}

export function rateLimitedOf(auth: AuthInfo | undefined): RateLimited | undefined {
  const value = auth?.extra?.[EXTRA_KEY];
  if (typeof value !== 'object' || value === null) return undefined;
  const { ids, retryAfterSeconds } = value as Partial<RateLimited>;
  return ids instanceof Set && typeof retryAfterSeconds === 'number' ? { ids, retryAfterSeconds } : undefined;
}
