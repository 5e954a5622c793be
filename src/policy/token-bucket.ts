// Token-bucket rate limiting: a single bucket, and a bounded map of buckets keyed by client.
// Time comes from an injected clock so tests (and callers with their own notion of time) stay deterministic.

/** Milliseconds since some fixed origin; only differences matter. */
export type Clock = () => number;

export interface TokenBucketOptions {
  /** Most tokens the bucket holds: the largest burst allowed. */
  capacity: number;
  /** Tokens added per second, continuously, up to `capacity`. */
  refillPerSecond: number;
  /** Defaults to Date.now. */
  clock?: Clock;
  /** Tokens at creation; defaults to a full bucket. */
  initialTokens?: number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number; remaining: number };

export class TokenBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
  private readonly clock: Clock;
  private tokens: number;
  private updatedAt: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity > 0) || !Number.isFinite(options.capacity)) {
      throw new RangeError(`token bucket capacity must be a positive number, got ${options.capacity}`);
    }
    if (!(options.refillPerSecond >= 0) || !Number.isFinite(options.refillPerSecond)) {
      throw new RangeError(`token bucket refill rate must be a non-negative number, got ${options.refillPerSecond}`);
    }
    this.capacity = options.capacity;
    this.refillPerSecond = options.refillPerSecond;
    this.clock = options.clock ?? Date.now;
    this.tokens = Math.min(options.initialTokens ?? options.capacity, options.capacity);
    this.updatedAt = this.clock();
  }

  /** Tokens available now (fractional while refilling). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Takes `n` tokens if they are all there; otherwise takes nothing and says how long until they would be. */
  take(n = 1): TakeResult {
    this.refill();
    if (this.tokens >= n) {
      this.tokens -= n;
      return { ok: true, remaining: this.tokens };
    }
    return { ok: false, retryAfterMs: this.msUntil(n), remaining: this.tokens };
  }

  tryTake(n = 1): boolean {
    return this.take(n).ok;
  }

  /** Milliseconds until `n` tokens are available: 0 if they are now, Infinity if they never will be. */
  msUntil(n = 1): number {
    this.refill();
    if (this.tokens >= n) return 0;
    if (n > this.capacity || this.refillPerSecond === 0) return Number.POSITIVE_INFINITY;
    return Math.ceil(((n - this.tokens) / this.refillPerSecond) * 1000);
  }

  /** True when the bucket is full again, so forgetting it changes nothing. */
  isFull(): boolean {
    return this.available() >= this.capacity;
  }

  private refill(): void {
    const now = this.clock();
    // A clock that steps backwards must not mint tokens or drain them.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = Math.max(now, this.updatedAt);
    if (elapsed > 0) this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.refillPerSecond);
  }
}

export interface KeyedTokenBucketsOptions extends Omit<TokenBucketOptions, 'initialTokens'> {
  /** Upper bound on remembered keys, so memory stays flat with many clients; full buckets are dropped first. */
  maxKeys?: number;
}

/** One bucket per key (a client, a server, a tool), created full on first use. */
export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly options: KeyedTokenBucketsOptions;
  private readonly maxKeys: number;

  constructor(options: KeyedTokenBucketsOptions) {
    // Validate once, up front, rather than on the first key.
    new TokenBucket(options);
    this.options = options;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  take(key: string, n = 1): TakeResult {
    return this.bucket(key).take(n);
  }

  get size(): number {
    return this.buckets.size;
  }

  private bucket(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      // Re-insert so Map order tracks recency of use.
      this.buckets.delete(key);
      this.buckets.set(key, bucket);
      return bucket;
    }
    if (this.buckets.size >= this.maxKeys) this.evict();
    bucket = new TokenBucket(this.options);
    this.buckets.set(key, bucket);
    return bucket;
  }

  private evict(): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.isFull()) this.buckets.delete(key);
    }
    // Still too many busy clients: forget the least recently used one. It comes back with a full bucket,
    // which is the lesser harm compared with unbounded memory.
    while (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
  }
}
