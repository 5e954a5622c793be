// An on-disk copy of each server's tool list, keyed by a hash of the server's config, so `ask` can send
// its first model request before slow servers have finished starting. The live list always replaces it.
//
// The copy is only ever that "while starting" hint, never served as the server's current list: calls wait for
// the live list, and a tool gone from it is reported. A modern server's ttlMs/cacheScope (cache-hints.ts) are
// stored with it: past its TTL the copy is still offered as the hint (`current: false` says so), but a
// private list (and any list without hints) is only offered in the auth context it was fetched in.
import type { Tool } from './types.js';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedServer } from '../config/schema.js';
import { writeFileAtomicSync } from '../files/atomic.js';
import { clampTtl, servableIn, type CacheHints, type CacheScope } from './cache-hints.js';
import type { Era } from './era.js';

interface CachedList {
  version: 1;
  tools: Tool[];
  instructions?: string;
  savedAt: string;
  /** The server's hints on its tools/list (modern era only). */
  ttlMs?: number;
  cacheScope?: CacheScope;
  /** The auth context the list was fetched in (auth-partition.ts). */
  partition?: string;
  era?: Era;
}

/** What a load gives: the remembered list, and whether its TTL still holds. */
export interface LoadedList {
  tools: Tool[];
  instructions?: string;
  savedAt: string;
  era?: Era;
  /** False once the server's ttlMs has passed (then it is only the "while starting" hint); true without hints. */
  current: boolean;
}

/** How the list being saved was fetched. */
export interface ListProvenance {
  partition: string;
  hints?: CacheHints | undefined;
  era?: Era | undefined;
}

export class ToolListCache {
  /** Per file: what a load found there (all but savedAt), so a save of the same list writes nothing. */
  private readonly found = new Map<string, string>();

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The remembered list, unless it is private to another auth context (or absent, or unreadable). */
  load(config: ResolvedServer, partition: string): LoadedList | undefined {
    try {
      const file = this.fileFor(config);
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as CachedList;
      if (parsed.version !== 1 || !Array.isArray(parsed.tools)) return undefined;
      this.found.set(file, contentOf(parsed));
      if (!servableIn(parsed.cacheScope, parsed.partition, partition)) return undefined;
      const savedAt = Date.parse(parsed.savedAt);
      const current = parsed.ttlMs === undefined || this.now() - savedAt < clampTtl(parsed.ttlMs);
      return {
        tools: parsed.tools,
        ...(parsed.instructions ? { instructions: parsed.instructions } : {}),
        savedAt: parsed.savedAt,
        ...(parsed.era ? { era: parsed.era } : {}),
        current,
      };
    } catch {
      return undefined;
    }
  }

  save(config: ResolvedServer, tools: Tool[], instructions: string | undefined, provenance: ListProvenance): void {
    const { hints, partition, era } = provenance;
    const entry: CachedList = {
      version: 1,
      tools,
      ...(instructions ? { instructions } : {}),
      savedAt: new Date(this.now()).toISOString(),
      ...(hints ? { ttlMs: hints.ttlMs, cacheScope: hints.scope } : {}),
      partition,
      ...(era ? { era } : {}),
    };
    const file = this.fileFor(config);
    // The usual start: the server listed what was remembered. Without a TTL the age of the copy does not
    // matter, so nothing is written (one file write per server per run saved, docs/performance.md).
    const content = contentOf(entry);
    if (entry.ttlMs === undefined && this.found.get(file) === content) return;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // Whole-file replace: a reader never sees half a file, and two mcpsh runs at once only race on whose
      // (equally valid) list is newest, so no lock; no fsync either, a lost cache only costs speed.
      writeFileAtomicSync(file, JSON.stringify(entry), { mode: 0o600, durable: false });
      this.found.set(file, content);
    } catch {
      // A cache that cannot be written only costs speed.
    }
  }

  drop(config: ResolvedServer): void {
    this.save(config, [], undefined, { partition: '' });
  }

  private fileFor(config: ResolvedServer): string {
    return join(this.dir, `${config.name.replace(/[^A-Za-z0-9_.-]/g, '_')}-${configHash(config)}.json`);
  }
}

/** A remembered list without its date: equal for two saves of the same list. */
function contentOf(entry: CachedList): string {
  const { savedAt: _savedAt, ...rest } = entry;
  return JSON.stringify(rest);
}

/** What makes a server the same server: how it is started or reached, and which tools are exposed. */
export function configHash(config: ResolvedServer): string {
  const identity =
    config.transport === 'stdio'
      ? { command: config.command, args: config.args, env: config.env, cwd: config.cwd }
      : { url: config.url, headers: config.headers };
  return createHash('sha256')
    .update(JSON.stringify({ ...identity, include: config.includeTools, exclude: config.excludeTools }))
    .digest('hex')
    .slice(0, 16);
}
