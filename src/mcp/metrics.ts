// Per-server health numbers: calls, errors, latency percentiles (over a bounded window of recent
// calls, so memory stays flat in long sessions), last error, restarts, response-cache hits.

const WINDOW = 512;

export interface MetricsSnapshot {
  calls: number;
  errors: number;
  latencyMs: { p50: number; p95: number; max: number } | null;
  lastError: string | null;
  restarts: number;
  cache: { hits: number; misses: number };
}

export class ServerMetrics {
  calls = 0;
  errors = 0;
  restarts = 0;
  cacheHits = 0;
  cacheMisses = 0;
  lastError: string | undefined;
  private readonly samples: number[] = [];
  private next = 0;

  recordCall(durationMs: number, error?: string): void {
    this.calls += 1;
    if (error !== undefined) {
      this.errors += 1;
      this.lastError = error;
    }
    if (this.samples.length < WINDOW) this.samples.push(durationMs);
    else this.samples[this.next] = durationMs;
    this.next = (this.next + 1) % WINDOW;
  }

  snapshot(): MetricsSnapshot {
    return {
      calls: this.calls,
      errors: this.errors,
      latencyMs: this.samples.length === 0 ? null : latency(this.samples),
      lastError: this.lastError ?? null,
      restarts: this.restarts,
      cache: { hits: this.cacheHits, misses: this.cacheMisses },
    };
  }
}

function latency(samples: readonly number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1] ?? 0) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
