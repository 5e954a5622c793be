// RateLimiter under an injected clock: server and per-tool buckets, waiting (by sleeping, never
// spinning) up to the bound, the error past it, all-or-nothing takes, and cancellation.
import { describe, expect, it } from 'vitest';
import type { ResolvedServer } from '../../../src/config/schema.js';
import { AppError } from '../../../src/errors.js';
import { RateLimiter, type LimiterClock } from '../../../src/policy/rate-limits.js';
import { stdioServer } from '../../helpers/config.js';

/** A clock whose sleep() advances time at once and records each wait. */
function fakeClock(): LimiterClock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) return Promise.reject(new AppError('CANCELLED', 'cancelled'));
      clock.sleeps.push(ms);
      clock.t += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

function limited(name: string, rateLimit: ResolvedServer['rateLimit']): ResolvedServer {
  return { ...stdioServer(name, 'node', []), ...(rateLimit ? { rateLimit } : {}) };
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('RateLimiter', () => {
  it('lets a burst through at once, then waits for the refill by sleeping', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([limited('db', { perMinute: 60, burst: 2, tools: {} })], clock);
    await limiter.acquire('db', 'query');
    await limiter.acquire('db', 'query');
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire('db', 'query');
    // 60/min is one token a second: the third call slept exactly until it had one.
    expect(clock.sleeps).toEqual([1000]);
  });

  it('fails with the limit and the wait when the token is further away than the bound', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([limited('db', { perMinute: 6, burst: 1, tools: {} })], clock, 5000);
    await limiter.acquire('db', 'query');
    const err = await errorOf(limiter.acquire('db', 'query'));
    expect(err.code).toBe('TOOL_ERROR');
    expect(err.message).toBe('rate limit for db (6/min) reached; try again in 10 s');
    expect(err.hint).toContain('mcpServers.db.rateLimit');
    // It did not sleep in vain before refusing.
    expect(clock.sleeps).toEqual([]);
  });

  it('servers without a limit, and other servers, are not affected', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([limited('db', { perMinute: 1, burst: 1, tools: {} }), limited('files', undefined)], clock);
    await limiter.acquire('db', 'query');
    for (let i = 0; i < 100; i++) await limiter.acquire('files', 'read');
    await limiter.acquire('nobody', 'x');
    expect(limiter.has('db')).toBe(true);
    expect(limiter.has('files')).toBe(false);
    expect(clock.sleeps).toEqual([]);
  });

  it('per-tool limits apply on top of the server limit, to each tool a glob matches', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(
      [limited('db', { perMinute: 600, burst: 100, tools: { 'write_*': { perMinute: 1, burst: 1 } } })],
      clock,
    );
    await limiter.acquire('db', 'write_row');
    await limiter.acquire('db', 'write_table');
    const err = await errorOf(limiter.acquire('db', 'write_row'));
    expect(err.message).toBe('rate limit for db › write_row (1/min) reached; try again in 60 s');
    // Tools the glob does not match only meet the server limit.
    for (let i = 0; i < 50; i++) await limiter.acquire('db', 'query');
    expect(clock.sleeps).toEqual([]);
  });

  it('a call refused by its tool limit does not use up the server token', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([limited('db', { perMinute: 1, burst: 2, tools: { slow: { perMinute: 1, burst: 1 } } })], clock);
    await limiter.acquire('db', 'slow');
    await errorOf(limiter.acquire('db', 'slow'));
    // One server token is left, because the refused call took none.
    await limiter.acquire('db', 'other');
    expect(clock.sleeps).toEqual([]);
  });

  it('waits several times when concurrent callers share the bucket, within the bound', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([limited('db', { perMinute: 60, burst: 1, tools: {} })], clock, 5000);
    await limiter.acquire('db', 'q');
    await Promise.all([limiter.acquire('db', 'q'), limiter.acquire('db', 'q'), limiter.acquire('db', 'q')]);
    expect(clock.t).toBeGreaterThanOrEqual(3000);
    expect(clock.sleeps.every((ms) => ms >= 1)).toBe(true);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter([limited('db', { perMinute: 60, burst: 1, tools: {} })], clock);
    await limiter.acquire('db', 'q');
    const controller = new AbortController();
    controller.abort();
    expect((await errorOf(limiter.acquire('db', 'q', controller.signal))).code).toBe('CANCELLED');
  });

  it('with the real clock, an abort during the wait rejects at once', async () => {
    const limiter = new RateLimiter([limited('db', { perMinute: 60, burst: 1, tools: {} })]);
    await limiter.acquire('db', 'q');
    const controller = new AbortController();
    const pending = limiter.acquire('db', 'q', controller.signal);
    setTimeout(() => controller.abort(), 20);
    expect((await errorOf(pending)).code).toBe('CANCELLED');
  });
});
