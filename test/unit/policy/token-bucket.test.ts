// Token bucket behaviour under an injected clock: bursts up to capacity, steady refill, honest retry hints,
// and a keyed set that keeps clients apart while staying bounded.
import { describe, expect, it } from 'vitest';
import { KeyedTokenBuckets, TokenBucket } from '../../../src/policy/token-bucket.js';

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('TokenBucket', () => {
  it('allows a burst of exactly `capacity`, then refuses', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1, clock: clock.now });
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true]);
    const refused = bucket.take();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBe(1000);
  });

  it('refills continuously at the given rate and never above capacity', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 2, clock: clock.now });
    bucket.take(2);
    expect(bucket.available()).toBe(0);
    clock.advance(250);
    expect(bucket.available()).toBeCloseTo(0.5);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(250);
    expect(bucket.tryTake()).toBe(true);
    clock.advance(60_000);
    expect(bucket.available()).toBe(2);
  });

  it('says how long until n tokens are there, and Infinity when they never will be', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 0.5, clock: clock.now, initialTokens: 0 });
    expect(bucket.msUntil(1)).toBe(2000);
    expect(bucket.msUntil(2)).toBe(4000);
    expect(bucket.msUntil(6)).toBe(Number.POSITIVE_INFINITY);
    clock.advance(2000);
    expect(bucket.msUntil(1)).toBe(0);
    const frozen = new TokenBucket({ capacity: 1, refillPerSecond: 0, clock: clock.now, initialTokens: 0 });
    expect(frozen.msUntil()).toBe(Number.POSITIVE_INFINITY);
  });

  it('takes nothing when a multi-token take cannot be met', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ capacity: 4, refillPerSecond: 1, clock: clock.now });
    bucket.take(3);
    expect(bucket.take(2).ok).toBe(false);
    expect(bucket.available()).toBe(1);
  });

  it('ignores a clock that steps backwards', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, clock: clock.now });
    bucket.take(2);
    clock.advance(-10_000);
    expect(bucket.available()).toBe(0);
    clock.advance(10_500);
    // Only the 500 ms past the last update count: the backward step neither minted nor drained tokens.
    expect(bucket.available()).toBeCloseTo(0.5);
    clock.advance(500);
    expect(bucket.available()).toBe(1);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: -1 })).toThrow(RangeError);
    expect(() => new KeyedTokenBuckets({ capacity: Number.NaN, refillPerSecond: 1 })).toThrow(RangeError);
  });
});

describe('KeyedTokenBuckets', () => {
  it('keeps one bucket per key', () => {
    const clock = fakeClock();
    const buckets = new KeyedTokenBuckets({ capacity: 1, refillPerSecond: 1, clock: clock.now });
    expect(buckets.take('alice').ok).toBe(true);
    expect(buckets.take('alice').ok).toBe(false);
    expect(buckets.take('bob').ok).toBe(true);
    clock.advance(1000);
    expect(buckets.take('alice').ok).toBe(true);
  });

  it('stays within maxKeys, forgetting full buckets before busy ones', () => {
    const clock = fakeClock();
    const buckets = new KeyedTokenBuckets({ capacity: 2, refillPerSecond: 1, clock: clock.now, maxKeys: 2 });
    buckets.take('busy', 2);
    buckets.take('idle');
    clock.advance(1000); // idle is full again, busy has 1
    buckets.take('new');
    expect(buckets.size).toBe(2);
    // busy was kept: it still remembers its spent token.
    expect(buckets.take('busy', 2).ok).toBe(false);
  });
});
