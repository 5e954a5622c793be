// The opt-in response cache of one server: results of tools that say they are read-only and
// idempotent (or that the config lists) are reused for a TTL. Bounded (least recently used goes first).
// A result that carries ttlMs/cacheScope (cache-hints.ts) keeps to them: its TTL is the shorter of the two
// (0: not kept), and only a "public" answer is shared across auth contexts; an answer without hints is
// treated as private, so it is only ever served in the auth context (auth-partition.ts) it was fetched in.
import type { CallToolResult, Tool } from './types.js';
import picomatch from 'picomatch';
import { canonicalJson } from '../policy/audit-log.js';
import { cacheHintsOf, MAX_CACHE_TTL_MS } from './cache-hints.js';

const MAX_ENTRIES = 256;
/** The partition of answers any auth context may be served. */
const PUBLIC = '';

export class ResponseCache {
  private readonly entries = new Map<string, { expiresAt: number; result: CallToolResult }>();
  private readonly listed: (name: string) => boolean;
  private readonly ttlMs: number;

  constructor(
    ttlMs: number,
    tools: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = Math.min(ttlMs, MAX_CACHE_TTL_MS);
    this.listed = tools.length > 0 ? picomatch([...tools]) : () => false;
  }

  /** Only tools whose results may be reused: annotated read-only + idempotent, or listed in the config. */
  cacheable(tool: Tool): boolean {
    const a = tool.annotations;
    return (a?.readOnlyHint === true && a.idempotentHint === true) || this.listed(tool.name);
  }

  /** A fresh answer for these arguments: one fetched in `partition`, or a public one. */
  get(tool: string, args: Record<string, unknown>, partition: string): CallToolResult | undefined {
    return this.take(keyOf(tool, args, partition)) ?? this.take(keyOf(tool, args, PUBLIC));
  }

  set(tool: string, args: Record<string, unknown>, result: CallToolResult, partition: string): void {
    if (result.isError) return;
    const hints = cacheHintsOf(result);
    const ttlMs = hints ? Math.min(this.ttlMs, hints.ttlMs) : this.ttlMs;
    if (ttlMs <= 0) return;
    const key = keyOf(tool, args, hints?.scope === 'public' ? PUBLIC : partition);
    this.entries.delete(key);
    this.entries.set(key, { expiresAt: this.now() + ttlMs, result: structuredClone(result) });
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  private take(key: string): CallToolResult | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place as most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return structuredClone(entry.result);
  }
}

function keyOf(tool: string, args: Record<string, unknown>, partition: string): string {
  return `${partition}\u0000${tool}\u0000${canonicalJson(args)}`;
}
