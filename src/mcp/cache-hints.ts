// ttlMs / cacheScope (2026-07-28, SEP-2549): how long a result may be reused, and whether it may be served in
// another authorization context. Modern list and read results carry them at runtime, but the SDK's TS types do
// not, so every cache of mcpsh reads them through this one narrow accessor and resolves them the same way.

/** No server can make mcpsh keep an answer longer than this (the SDK's MAX_CACHE_TTL_MS). */
export const MAX_CACHE_TTL_MS = 24 * 3600_000;

export type CacheScope = 'public' | 'private';

/** The hints of one result, resolved: a TTL within [0, 24 h] and a scope. */
export interface CacheHints {
  ttlMs: number;
  scope: CacheScope;
}

/**
 * The hints a result carries, or undefined when it carries neither field (a legacy-era result, or a tools/call
 * result: callers keep their own policy then). Resolved as the spec says: a missing, negative or non-numeric
 * ttlMs is 0 ("immediately stale"), a missing or unknown cacheScope is "private" (the safe reading), and the
 * TTL is capped at 24 h.
 */
export function cacheHintsOf(result: unknown): CacheHints | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { ttlMs, cacheScope } = result as { ttlMs?: unknown; cacheScope?: unknown };
  if (ttlMs === undefined && cacheScope === undefined) return undefined;
  return { ttlMs: clampTtl(ttlMs), scope: cacheScope === 'public' ? 'public' : 'private' };
}

/** A TTL as mcpsh uses it: a finite number of milliseconds in [0, MAX_CACHE_TTL_MS]. */
export function clampTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) return 0;
  return Math.min(Math.floor(ttlMs), MAX_CACHE_TTL_MS);
}

/**
 * Whether an entry stored under `storedPartition` (the auth context it was fetched in, see auth-partition.ts)
 * may be served in `partition`: a public entry anywhere, a private one only in its own context.
 */
export function servableIn(scope: CacheScope | undefined, storedPartition: string | undefined, partition: string): boolean {
  return scope === 'public' || storedPartition === partition;
}
