// The parts of MCP beyond tools, per server: resources (and templates), prompts and completion. Lists are
// fetched lazily (every page), cached, and re-read when the server says they changed or (modern era) when the
// server's ttlMs for them has passed; a private list is only served in the auth context it was fetched in.
import type { Client } from '@modelcontextprotocol/client';
import type {
  CompleteResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
} from './types.js';
import { AppError, errorMessage } from '../errors.js';
import { cacheHintsOf, servableIn, type CacheHints } from './cache-hints.js';

const MAX_PAGES = 1000;

export type ListKind = 'resources' | 'prompts';

/** What `completion/complete` completes: a prompt's argument, or a resource template's variable. */
export type CompletionRef = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };

export interface CompletionArgument {
  name: string;
  value: string;
  /** Values already chosen for the other arguments (some servers narrow on them). */
  context?: Record<string, string>;
}

/** One page of a list, with the cache hints its result carried (modern era). */
export interface ListPage<T> {
  items: T[];
  nextCursor?: string | undefined;
  hints?: CacheHints | undefined;
}

/**
 * Every page of a paginated MCP list (`nextCursor`), bounded so a looping server cannot hang us; the first
 * page's cache hints speak for the whole list.
 */
export async function listWithHints<T>(
  fetch: (cursor: string | undefined) => Promise<ListPage<T>>,
): Promise<{ items: T[]; hints: CacheHints | undefined }> {
  const all: T[] = [];
  let hints: CacheHints | undefined;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetch(cursor);
    if (page === 0) hints = result.hints;
    all.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return { items: all, hints };
}

/** A list held in memory: until list_changed, or (with hints) until its TTL passes. */
interface HeldList<T> {
  items: T[];
  /** Absent without hints (legacy: kept until the server says it changed). */
  expiresAt?: number;
  hints?: CacheHints;
  partition: string;
}

/** The connection as features see it (read lazily: the session behind it changes on restarts). */
interface FeatureHost {
  name(): string;
  capabilities(): ServerCapabilities | undefined;
  requireClient(): Client;
  /** The auth context requests are made in (auth-partition.ts). */
  partition(): string;
  now?(): number;
}

export class ServerFeatures {
  private resourcesCache: HeldList<Resource> | undefined;
  private templatesCache: HeldList<ResourceTemplate> | undefined;
  private promptsCache: HeldList<Prompt> | undefined;
  private readonly listeners = new Set<(kind: ListKind) => void>();

  constructor(private readonly host: FeatureHost) {}

  /** Called after a list was re-read because the server said it changed. */
  onListChanged(listener: (kind: ListKind) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets everything cached (a new session may be a different server). */
  reset(): void {
    this.resourcesCache = undefined;
    this.templatesCache = undefined;
    this.promptsCache = undefined;
  }

  async resources(signal?: AbortSignal): Promise<Resource[]> {
    this.require('resources');
    const client = this.host.requireClient();
    this.resourcesCache = await this.held(this.resourcesCache, async (cursor) => {
      const r = await client.listResources(cursor === undefined ? {} : { cursor }, { ...withSignal(signal), cacheMode: 'refresh' });
      return { items: r.resources, nextCursor: r.nextCursor, hints: cacheHintsOf(r) };
    });
    return this.resourcesCache.items;
  }

  async resourceTemplates(signal?: AbortSignal): Promise<ResourceTemplate[]> {
    this.require('resources');
    const client = this.host.requireClient();
    this.templatesCache = await this.held(this.templatesCache, async (cursor) => {
      const r = await client.listResourceTemplates(cursor === undefined ? {} : { cursor }, { ...withSignal(signal), cacheMode: 'refresh' });
      return { items: r.resourceTemplates, nextCursor: r.nextCursor, hints: cacheHintsOf(r) };
    });
    return this.templatesCache.items;
  }

  /** The cache hints of the lists held now (for tests and `/stats`-like views). */
  heldHints(kind: 'resources' | 'templates' | 'prompts'): CacheHints | undefined {
    return (kind === 'resources' ? this.resourcesCache : kind === 'templates' ? this.templatesCache : this.promptsCache)?.hints;
  }

  async readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    this.require('resources');
    return this.request(
      `reading ${uri}`,
      () => this.host.requireClient().readResource({ uri }, withSignal(signal)),
      `list its resources with: mcpsh resources ${this.host.name()}`,
    );
  }

  async prompts(signal?: AbortSignal): Promise<Prompt[]> {
    this.require('prompts');
    const client = this.host.requireClient();
    this.promptsCache = await this.held(this.promptsCache, async (cursor) => {
      const r = await client.listPrompts(cursor === undefined ? {} : { cursor }, { ...withSignal(signal), cacheMode: 'refresh' });
      return { items: r.prompts, nextCursor: r.nextCursor, hints: cacheHintsOf(r) };
    });
    return this.promptsCache.items;
  }

  async getPrompt(name: string, args: Record<string, string>, signal?: AbortSignal): Promise<GetPromptResult> {
    this.require('prompts');
    return this.request(
      `getting prompt ${name}`,
      () => this.host.requireClient().getPrompt({ name, arguments: args }, withSignal(signal)),
      `list its prompts with: mcpsh prompts ${this.host.name()}`,
    );
  }

  /** Suggested values for one argument; an empty list when the server does not offer completion. */
  async complete(ref: CompletionRef, argument: CompletionArgument, signal?: AbortSignal): Promise<CompleteResult['completion']> {
    if (!this.host.capabilities()?.completions) return { values: [] };
    const result = await this.request(
      `completing ${argument.name}`,
      () =>
        this.host.requireClient().complete(
          {
            ref,
            argument: { name: argument.name, value: argument.value },
            ...(argument.context ? { context: { arguments: argument.context } } : {}),
          },
          withSignal(signal),
        ),
      '',
    );
    return result.completion;
  }

  /** notifications/roots/list_changed: the roots offered changed (the server asks roots/list again). */
  async notifyRootsChanged(): Promise<void> {
    const client = this.host.requireClient();
    // Legacy only: a modern server asks for roots again in its next input_required round.
    if (client.getProtocolEra() === 'modern') return;
    await client.sendRootsListChanged();
  }

  /** A list_changed notification: re-read that list if it had been read, then tell the listeners. */
  async handleListChanged(kind: ListKind): Promise<void> {
    if (kind === 'resources') {
      const had = this.resourcesCache !== undefined;
      const hadTemplates = this.templatesCache !== undefined;
      this.resourcesCache = undefined;
      this.templatesCache = undefined;
      if (had) await this.resources();
      if (hadTemplates) await this.resourceTemplates();
    } else {
      const had = this.promptsCache !== undefined;
      this.promptsCache = undefined;
      if (had) await this.prompts();
    }
    for (const listener of this.listeners) listener(kind);
  }

  /**
   * The held list while it may still be served here: not past its TTL, and public or fetched in this auth
   * context; otherwise every page is read again. (mcpsh decides, so the SDK's own cache is bypassed: 'refresh'.)
   */
  private async held<T>(list: HeldList<T> | undefined, fetch: (cursor: string | undefined) => Promise<ListPage<T>>): Promise<HeldList<T>> {
    const partition = this.host.partition();
    const now = this.host.now?.() ?? Date.now();
    if (list && (list.expiresAt === undefined || now < list.expiresAt) && servableIn(list.hints?.scope, list.partition, partition))
      return list;
    const { items, hints } = await listWithHints(fetch);
    return { items, partition, ...(hints ? { hints, expiresAt: now + hints.ttlMs } : {}) };
  }

  private require(capability: 'resources' | 'prompts'): void {
    this.host.requireClient();
    if (!this.host.capabilities()?.[capability]) {
      throw new AppError(
        'TOOL_ERROR',
        `server ${this.host.name()} does not offer ${capability} (it did not declare the ${capability} capability)`,
        {
          hint: `servers that do are listed by: mcpsh ${capability}`,
        },
      );
    }
  }

  /** Protocol errors (unknown URI or prompt, bad arguments) become TOOL_ERROR with the server's words. */
  private async request<T>(what: string, send: () => Promise<T>, hint: string): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof AppError) throw err;
      // The SDK prefixes "MCP error <code>: " and a server built on it may have done so already.
      const message = errorMessage(err).replace(/^(MCP error -?\d+: )+/, (prefix) => prefix.slice(0, prefix.indexOf(': ') + 2));
      throw new AppError('TOOL_ERROR', `${this.host.name()}: ${what} failed: ${message}`, { cause: err, ...(hint ? { hint } : {}) });
    }
  }
}

/** Request options with the signal only when there is one (the SDK's options leave it out rather than undefined). */
function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}
