// Rate limits from the config: a token bucket per server (`rateLimit.perMinute`/`burst`) and, on top,
// one per tool for each `rateLimit.tools` glob that names it. A call waits for its tokens up to a bound,
// then fails with a message that says which limit and when to try again; waiting is a timer, never a spin.
import picomatch from 'picomatch';
import type { RateLimitSpec, ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import { TokenBucket } from './token-bucket.js';

/** Time for the limiter: `now()` for the buckets, `sleep()` to wait (tests inject a fake that advances now()). */
export interface LimiterClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Longest a call waits for a token before it fails (a chat turn or a script should not stall longer). */
export const DEFAULT_MAX_WAIT_MS = 5_000;

export const realClock: LimiterClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(cancelled());
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(cancelled());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Limit {
  /** How the limit is named in errors: `db` or `db › write_*`. */
  label: string;
  spec: RateLimitSpec;
  bucket: TokenBucket;
}

interface ServerLimits {
  server: Limit;
  source: string;
  /** Per-tool specs by glob; each (glob, tool) pair gets its own bucket on first use. */
  tools: Array<{ glob: string; test: (tool: string) => boolean; spec: RateLimitSpec }>;
  toolBuckets: Map<string, Limit>;
}

export class RateLimiter {
  private readonly limits = new Map<string, ServerLimits>();

  constructor(
    servers: readonly ResolvedServer[],
    private readonly clock: LimiterClock = realClock,
    private readonly maxWaitMs: number = DEFAULT_MAX_WAIT_MS,
  ) {
    for (const s of servers) {
      if (!s.rateLimit) continue;
      this.limits.set(s.name, {
        server: this.limit(s.name, s.rateLimit),
        source: s.source,
        tools: Object.entries(s.rateLimit.tools).map(([glob, spec]) => ({ glob, test: picomatch(glob, { dot: true }), spec })),
        toolBuckets: new Map(),
      });
    }
  }

  /** True when the server has any limit (callers may skip acquire() otherwise). */
  has(server: string): boolean {
    return this.limits.has(server);
  }

  /**
   * Takes one token from the server's bucket and from each matching tool bucket, waiting (without
   * spinning) while any is empty. Throws AppError('TOOL_ERROR') when the wait would pass the bound,
   * and AppError('CANCELLED') when `signal` aborts.
   */
  async acquire(server: string, tool: string, signal?: AbortSignal): Promise<void> {
    const limits = this.limits.get(server);
    if (!limits) return;
    const buckets = [limits.server, ...this.toolLimits(server, limits, tool)];
    const deadline = this.clock.now() + this.maxWaitMs;
    for (;;) {
      if (signal?.aborted) throw cancelled();
      // All or nothing: a call that cannot pass every limit must not use up the others' tokens.
      const waits = buckets.map((b) => ({ limit: b, ms: b.bucket.msUntil(1) }));
      const worst = waits.reduce((a, b) => (b.ms > a.ms ? b : a));
      if (worst.ms === 0) {
        for (const b of buckets) b.bucket.take(1);
        return;
      }
      if (this.clock.now() + worst.ms > deadline) throw limitReached(worst.limit, worst.ms, limits.source, server);
      await this.clock.sleep(Math.max(1, worst.ms), signal);
    }
  }

  private toolLimits(server: string, limits: ServerLimits, tool: string): Limit[] {
    const out: Limit[] = [];
    for (const t of limits.tools) {
      if (!t.test(tool)) continue;
      const key = `${t.glob}\u0000${tool}`;
      let limit = limits.toolBuckets.get(key);
      if (!limit) {
        limit = this.limit(`${server} › ${tool}`, t.spec);
        limits.toolBuckets.set(key, limit);
      }
      out.push(limit);
    }
    return out;
  }

  private limit(label: string, spec: RateLimitSpec): Limit {
    const bucket = new TokenBucket({ capacity: spec.burst, refillPerSecond: spec.perMinute / 60, clock: () => this.clock.now() });
    return { label, spec, bucket };
  }
}

function limitReached(limit: Limit, waitMs: number, source: string, server: string): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError(
    'TOOL_ERROR',
    `rate limit for ${limit.label} (${formatRate(limit.spec.perMinute)}/min) reached; try again in ${seconds} s`,
    {
      hint: `the limit is mcpServers.${server}.rateLimit in ${source}; raise it there if the server can take more`,
    },
  );
}

function formatRate(perMinute: number): string {
  return Number.isInteger(perMinute) ? String(perMinute) : perMinute.toFixed(2).replace(/\.?0+$/, '');
}

function cancelled(): AppError {
  return new AppError('CANCELLED', 'cancelled while waiting for a rate limit');
}
