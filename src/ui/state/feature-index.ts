// The prompts and resources of the chat's servers, held so Tab completion, hints and /help can answer at
// once (no request per key). Loaded when a server becomes ready, re-read when it says a list changed.
import type { Prompt, Resource, ResourceTemplate } from '../../mcp/types.js';
import type { ListKind } from '../../mcp/features.js';
import type { ServerConnection } from '../../mcp/connection.js';
import type { Hub } from '../../mcp/hub.js';

export interface ServerResources {
  items: Resource[];
  templates: ResourceTemplate[];
}

export class FeatureIndex {
  private readonly prompts = new Map<string, Prompt[]>();
  private readonly resources = new Map<string, ServerResources>();
  private readonly watched = new Map<string, () => void>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly hub: Hub,
    /** The servers the chat uses now (the agent profile's). */
    private readonly servers: () => readonly string[],
  ) {}

  /** A server changed state: a ready one is (re)loaded, and its list_changed notifications followed. */
  track(c: ServerConnection): void {
    if (c.state !== 'ready' || !this.servers().includes(c.name)) return;
    if (!this.watched.has(c.name))
      this.watched.set(
        c.name,
        c.features.onListChanged((kind) => void this.load(c, kind)),
      );
    void this.load(c, 'prompts');
    void this.load(c, 'resources');
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    for (const off of this.watched.values()) off();
    this.watched.clear();
    this.listeners.clear();
  }

  /** Every prompt of the profile's ready servers, as `server` and prompt. */
  allPrompts(): Array<{ server: string; prompt: Prompt }> {
    return this.readyServers().flatMap((server) => (this.prompts.get(server) ?? []).map((prompt) => ({ server, prompt })));
  }

  promptsOf(server: string): readonly Prompt[] {
    return this.prompts.get(server) ?? [];
  }

  resourcesOf(server: string): ServerResources {
    return this.resources.get(server) ?? { items: [], templates: [] };
  }

  /** The listed URIs of a server's resources. */
  uris(server: string): string[] {
    return this.resourcesOf(server).items.map((r) => r.uri);
  }

  /** The profile's ready servers that offer resources. */
  resourceServers(): string[] {
    return this.readyServers().filter((name) => this.hub.get(name)?.capabilities?.resources !== undefined);
  }

  /** Loads what has not been loaded yet (completion before the background load finished). */
  async ensure(server: string): Promise<void> {
    const c = this.hub.get(server);
    if (c?.state !== 'ready') return;
    await Promise.all([
      this.prompts.has(server) ? undefined : this.load(c, 'prompts'),
      this.resources.has(server) ? undefined : this.load(c, 'resources'),
    ]);
  }

  private readyServers(): string[] {
    return this.servers().filter((name) => this.hub.get(name)?.state === 'ready');
  }

  /** The features layer caches and pages; a server without the capability (or failing) lists nothing. */
  private async load(c: ServerConnection, kind: ListKind): Promise<void> {
    try {
      if (kind === 'prompts') {
        this.prompts.set(c.name, c.capabilities?.prompts ? await c.features.prompts() : []);
      } else if (c.capabilities?.resources) {
        const [items, templates] = await Promise.all([c.features.resources(), c.features.resourceTemplates().catch(() => [])]);
        this.resources.set(c.name, { items, templates });
      } else {
        this.resources.set(c.name, { items: [], templates: [] });
      }
    } catch {
      if (kind === 'prompts') this.prompts.set(c.name, []);
      else this.resources.set(c.name, { items: [], templates: [] });
    }
    for (const listener of this.listeners) listener();
  }
}
