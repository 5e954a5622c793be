import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/mcp/circuit-breaker.js';
import { ServerMetrics } from '../../../src/mcp/metrics.js';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast during the cooldown, then lets one trial through', () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1000, () => now);
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();
    expect(breaker.state).toBe('closed'); // a success in between reset the count
    breaker.failure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryPass()).toBe(false);
    expect(breaker.retryInMs()).toBe(1000);
    now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryPass()).toBe(true);
    expect(breaker.tryPass()).toBe(false); // one trial at a time
    breaker.failure();
    expect(breaker.state).toBe('open'); // the trial failed: open again for a full cooldown
    now = 2000;
    expect(breaker.tryPass()).toBe(true);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryPass()).toBe(true);
  });
});

describe('ServerMetrics', () => {
  it('counts calls and errors and reports latency percentiles', () => {
    const m = new ServerMetrics();
    for (let i = 1; i <= 100; i++) m.recordCall(i, i % 10 === 0 ? `error ${i}` : undefined);
    expect(m.snapshot()).toEqual({
      calls: 100,
      errors: 10,
      latencyMs: { p50: 50, p95: 95, max: 100 },
      lastError: 'error 100',
      restarts: 0,
      cache: { hits: 0, misses: 0 },
    });
  });

  it('keeps a bounded window of samples', () => {
    const m = new ServerMetrics();
    for (let i = 0; i < 5000; i++) m.recordCall(i < 4000 ? 1000 : 1);
    // Only the most recent 512 calls count for latency: all of them took 1 ms.
    expect(m.snapshot().latencyMs).toEqual({ p50: 1, p95: 1, max: 1 });
    expect(m.snapshot().calls).toBe(5000);
  });

  it('has no latency before the first call', () => {
    expect(new ServerMetrics().snapshot().latencyMs).toBeNull();
  });
});
