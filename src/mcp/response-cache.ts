// The opt-in response cache of one server: results of tools that say they are read-only and
// idempotent (or that the config lists) are reused for a TTL. Bounded (least recently used goes first).
import type { CallToolResult, Tool } from './types.js';
import picomatch from 'picomatch';
import { canonicalJson } from '../policy/audit-log.js';

const MAX_ENTRIES = 256;

export class ResponseCache {
  private readonly entries = new Map<string, { at: number; result: CallToolResult }>();
  private readonly listed: (name: string) => boolean;

  constructor(
    private readonly ttlMs: number,
    tools: readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    this.listed = tools.length > 0 ? picomatch([...tools]) : () => false;
  }

  /** Only tools whose results may be reused: annotated read-only + idempotent, or listed in the config. */
  cacheable(tool: Tool): boolean {
    const a = tool.annotations;
    return (a?.readOnlyHint === true && a.idempotentHint === true) || this.listed(tool.name);
  }

  get(tool: string, args: Record<string, unknown>): CallToolResult | undefined {
    const key = keyOf(tool, args);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh its place as most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return structuredClone(entry.result);
  }

  set(tool: string, args: Record<string, unknown>, result: CallToolResult): void {
    if (result.isError) return;
    const key = keyOf(tool, args);
    this.entries.delete(key);
    this.entries.set(key, { at: this.now(), result: structuredClone(result) });
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

function keyOf(tool: string, args: Record<string, unknown>): string {
  return `${tool}\u0000${canonicalJson(args)}`;
}
