// What every tool call of one server passes through around the actual request: the opt-in response
// cache, the circuit breaker, and the metrics. Kept apart from the connection's lifecycle.
import type { CallToolResult, Tool } from './types.js';
import type { ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { ServerMetrics } from './metrics.js';
import { ResponseCache } from './response-cache.js';

export class CallGate {
  readonly metrics = new ServerMetrics();
  readonly breaker: CircuitBreaker;
  private readonly cache: ResponseCache | undefined;

  constructor(
    private readonly server: string,
    config: ResolvedServer,
    /** The auth context calls are made in: a private cached answer is only served in its own. */
    private readonly partition: () => string,
  ) {
    this.breaker = new CircuitBreaker(config.breaker.failures, config.breaker.cooldownMs);
    if (config.cache) this.cache = new ResponseCache(config.cache.ttlMs, config.cache.tools);
  }

  /** Runs `call` for `tool`, unless the cache has a fresh answer or the breaker is open. */
  async run(
    tool: Tool | undefined,
    args: Record<string, unknown>,
    call: () => Promise<CallToolResult>,
    toError: (err: unknown) => AppError,
  ): Promise<CallToolResult> {
    const cacheable = tool !== undefined && this.cache?.cacheable(tool) === true;
    if (cacheable) {
      const hit = this.cache?.get(tool.name, args, this.partition());
      if (hit) {
        this.metrics.cacheHits += 1;
        return hit;
      }
      this.metrics.cacheMisses += 1;
    }
    if (!this.breaker.tryPass()) {
      throw new AppError(
        'SERVER_UNAVAILABLE',
        `${this.server} is failing (${this.breaker.consecutiveFailures} calls in a row; last: ${this.metrics.lastError ?? 'unknown'}); calls fail fast for ${Math.ceil(this.breaker.retryInMs() / 1000)}s more`,
        { hint: 'the circuit breaker lets one trial call through after the cooldown (circuitBreaker in the config)' },
      );
    }
    const started = performance.now();
    try {
      const result = await call();
      this.breaker.success();
      if (cacheable) this.cache?.set(tool.name, args, result, this.partition());
      this.metrics.recordCall(performance.now() - started, result.isError ? 'tool reported an error' : undefined);
      return result;
    } catch (err) {
      const error = toError(err);
      // A cancelled call says nothing about the server's health.
      if (error.code !== 'CANCELLED') this.breaker.failure();
      this.metrics.recordCall(performance.now() - started, error.message);
      throw error;
    }
  }

  /** A changed tool list may mean changed behaviour: cached answers are dropped. */
  clearCache(): void {
    this.cache?.clear();
  }
}
