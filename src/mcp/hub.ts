// The hub: every configured server's connection, connected in parallel, and one namespaced view of
// all their tools (`<server>__<tool>`) that the model, the permission rules, logs and the UI share.
import type { CallToolResult, Root, Tool } from './types.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedServer } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import type { ClientPorts } from './client-requests.js';
import { ServerConnection, type CallOptions } from './connection.js';
import type { CompletionArgument, CompletionRef, ServerFeatures } from './features.js';
import { rootsFor, serverRoots, type RootsPlan } from './roots.js';
import { RateLimiter } from '../policy/rate-limits.js';
import { ToolNamer } from './naming.js';
import type { ToolListCache } from './tool-cache.js';
import { useModernDialect } from './schema-dialect.js';
import type { EraCache } from './era-cache.js';

export interface HubOptions {
  env: NodeJS.ProcessEnv;
  /** Directory for per-server stderr logs. */
  logDir: string;
  clientVersion: string;
  /** Remember tool lists on disk, so a run can start before slow servers are ready. */
  toolCache?: ToolListCache;
  /** The working directory: relative `roots` and setRoots paths are taken from it (default: process.cwd()). */
  cwd?: string;
  /** Extra root directories (the config's `roots`), offered to every server; false offers no roots at all. */
  roots?: readonly string[] | false;
  /** Project config files: a server defined in one is offered that directory by default (src/mcp/roots.ts). */
  projectFiles?: readonly string[];
  /** Elicitation and sampling (see client-requests.ts); also settable with setClientPorts before connecting. */
  clientPorts?: ClientPorts;
  /** Remembered era verdicts, beside the tool lists (a warm start sends no server/discover probe). */
  eraCache?: EraCache;
}

export interface QualifiedTool {
  /** The name the model and the rules see. */
  name: string;
  server: string;
  tool: Tool;
  /** Set for a tool mcpsh implements itself (the resource tool): called instead of a server's tools/call. */
  call?: (args: Record<string, unknown>, options: CallOptions) => Promise<CallToolResult>;
  /**
   * The same tool as its server lists it once that list is current (no list_changed still unread), for
   * judging a call on fresh annotations; undefined when the tool is gone. Throws when the list cannot be had.
   */
  current?: (signal: AbortSignal) => QualifiedTool | undefined | Promise<QualifiedTool | undefined>;
}

export class Hub {
  readonly connections: ServerConnection[];
  private namer: ToolNamer | undefined;
  private stopHealthChecks: (() => void) | undefined;
  private readonly changeListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(connection: ServerConnection) => void>();
  /** Set by setRoots: the same list for every server, replacing each one's own (serverRoots). */
  private rootOverride: Root[] | undefined;
  private readonly rootsPlan: RootsPlan | false;
  private ports: ClientPorts | undefined;

  constructor(
    servers: readonly ResolvedServer[],
    private readonly options: HubOptions,
  ) {
    const cwd = options.cwd ?? process.cwd();
    this.ports = options.clientPorts;
    this.rootsPlan =
      options.roots === false
        ? false
        : { extra: rootsFor(cwd, options.roots ?? []).map((r) => fileURLToPath(r.uri)), projectFiles: options.projectFiles ?? [] };
    const rateLimiter = servers.some((s) => s.rateLimit) ? new RateLimiter([...servers]) : undefined;
    this.connections = servers.map(
      (config) =>
        new ServerConnection(config, {
          ...(rateLimiter ? { rateLimiter } : {}),
          env: options.env,
          stderrLogPath: join(options.logDir, `${config.name}.log`),
          clientInfo: { name: 'mcpsh', version: options.clientVersion },
          // roots: false declares no roots capability, so a server keeps its own configured directories.
          ...(this.rootsPlan === false ? {} : { roots: () => this.rootsOf(config) }),
          clientPorts: () => this.ports,
          ...(options.eraCache ? { eraCache: options.eraCache } : {}),
        }),
    );
    for (const connection of this.connections) {
      // Only ever the "while starting" hint, even past the server's ttlMs (tool-cache.ts); never another auth context's private list.
      if (options.toolCache && connection.state === 'connecting') connection.cachedTools = rememberedTools(options.toolCache, connection);
      connection.onToolsChanged(() => {
        if (connection.state === 'ready')
          options.toolCache?.save(connection.config, connection.tools, connection.instructions, connection.toolListProvenance);
        this.namer = undefined;
        for (const listener of this.changeListeners) listener();
      });
      connection.onStateChange((state) => {
        if (state === 'ready')
          options.toolCache?.save(connection.config, connection.tools, connection.instructions, connection.toolListProvenance);
        this.namer = undefined;
        for (const listener of this.stateListeners) listener(connection);
      });
    }
  }

  /** Ports for server requests; sessions opened from now on declare and serve them. */
  setClientPorts(ports: ClientPorts | undefined): void {
    this.ports = ports;
  }

  get(name: string): ServerConnection | undefined {
    return this.connections.find((c) => c.name === name);
  }

  /**
   * Connects the enabled servers (or just `only`) in parallel; resolves when each is ready or failed.
   * With `failFastOnRequired`, the first `required` server that fails stops the others and throws.
   */
  async connectAll(options: { signal?: AbortSignal; only?: readonly string[]; failFastOnRequired?: boolean } = {}): Promise<void> {
    const wanted = this.connections.filter((c) => !options.only || options.only.includes(c.name));
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let firstRequiredFailure: ServerConnection | undefined;
    await Promise.all(
      wanted.map(async (c) => {
        await c.connect(signal);
        if (options.failFastOnRequired && c.config.required && c.state === 'failed' && !firstRequiredFailure) {
          firstRequiredFailure = c;
          stop.abort();
        }
      }),
    );
    this.namer = undefined;
    if (firstRequiredFailure) {
      throw new AppError(
        'SERVER_UNAVAILABLE',
        `required server ${firstRequiredFailure.name} could not start: ${firstRequiredFailure.error ?? 'unknown reason'}`,
        {
          hint: 'run `mcpsh doctor` for details, or set "required": false for it in the config',
        },
      );
    }
  }

  /** Called whenever a server's state changes (the chat's status line listens). */
  onStateChange(listener: (connection: ServerConnection) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  onToolsChanged(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Every tool of every ready server, under its namespaced name, in config then server order. */
  tools(): QualifiedTool[] {
    const namer = this.currentNamer();
    return this.connections.flatMap((c) =>
      c.usableTools().map((tool) => ({ name: namer.nameOf({ server: c.name, tool: tool.name }), server: c.name, tool })),
    );
  }

  /** The tool behind a namespaced name. */
  resolve(name: string): QualifiedTool | undefined {
    const ref = this.currentNamer().resolve(name);
    if (!ref) return undefined;
    const tool = this.get(ref.server)
      ?.usableTools()
      .find((t) => t.name === ref.tool);
    return tool ? { name, server: ref.server, tool, current: (signal) => this.currentTool(ref.server, ref.tool, signal) } : undefined;
  }

  /** See QualifiedTool.current: found again by its real server and tool, since names can change with the list. */
  // Synchronous while the list is current (the usual case), so judging a call adds no turn of the event loop.
  private currentTool(server: string, tool: string, signal: AbortSignal): QualifiedTool | undefined | Promise<QualifiedTool | undefined> {
    const connection = this.get(server);
    if (!connection) return undefined;
    const lookup = (): QualifiedTool | undefined => {
      const found = connection.usableTools().find((t) => t.name === tool);
      return found ? { name: this.nameOf(server, tool), server, tool: found } : undefined;
    };
    if (connection.toolsCurrent) return lookup();
    return connection.whenToolsCurrent(signal).then((current) => {
      if (!current) {
        throw new AppError(
          'SERVER_UNAVAILABLE',
          `the tool list of ${server} changed or is being reloaded, and its current list could not be read (${connection.error ?? connection.state})`,
        );
      }
      return lookup();
    });
  }

  /** Calls a tool of a connected server (see ServerConnection.callTool for errors). */
  async callTool(server: string, tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    const connection = this.get(server);
    if (!connection) throw new AppError('SERVER_UNAVAILABLE', `no server named ${server}`);
    return connection.callTool(tool, args, options);
  }

  /** completion/complete on one server (see ServerFeatures.complete). */
  async complete(
    server: string,
    ref: CompletionRef,
    argument: CompletionArgument,
    signal?: AbortSignal,
  ): ReturnType<ServerFeatures['complete']> {
    const connection = this.get(server);
    if (!connection) throw new AppError('SERVER_UNAVAILABLE', `no server named ${server}`);
    return connection.complete(ref, argument, signal);
  }

  /** The roots offered to one server now (none when roots are off or the server is unknown). */
  roots(server: string): Root[] {
    const connection = this.get(server);
    return connection ? this.rootsOf(connection.config) : [];
  }

  private rootsOf(config: ResolvedServer): Root[] {
    if (this.rootsPlan === false) return [];
    return this.rootOverride ?? serverRoots(config, this.rootsPlan);
  }

  /**
   * Replaces the roots offered (directories, relative to the working directory) and tells every ready
   * server with notifications/roots/list_changed; servers not ready get the new list when they ask.
   */
  async setRoots(paths: readonly string[]): Promise<void> {
    this.rootOverride = rootsFor(this.options.cwd ?? process.cwd(), paths);
    await Promise.all(
      this.connections.filter((c) => c.state === 'ready').map((c) => c.features.notifyRootsChanged().catch(() => undefined)),
    );
  }

  nameOf(server: string, tool: string): string {
    return this.currentNamer().nameOf({ server, tool });
  }

  /**
   * Re-reads the tool list of every ready server now (the chat's /reload), and forgets the remembered
   * lists of the others; returns how many tools each ready server has.
   */
  async refreshAll(): Promise<Array<{ server: string; tools: number; error?: string }>> {
    return Promise.all(
      this.connections.map(async (c) => {
        if (c.state !== 'ready') {
          this.options.toolCache?.drop(c.config);
          c.cachedTools = undefined;
          return { server: c.name, tools: 0, error: c.error ?? c.state };
        }
        try {
          await c.refreshTools();
          return { server: c.name, tools: c.tools.length };
        } catch (err) {
          return { server: c.name, tools: c.tools.length, error: errorMessage(err) };
        }
      }),
    );
  }

  /** Pings each ready server every pingInterval (for long chat sessions); returns a function that stops it. */
  startHealthChecks(): () => void {
    // A long-lived session: modern servers' list changes need a subscriptions/listen stream.
    for (const c of this.connections) c.listenForChanges();
    const timers = this.connections
      .filter((c) => c.config.pingIntervalMs > 0)
      .map((c) => {
        const timer = setInterval(() => void c.checkHealth(), c.config.pingIntervalMs);
        timer.unref();
        return timer;
      });
    const stop = (): void => timers.forEach((t) => clearInterval(t));
    this.stopHealthChecks = stop;
    return stop;
  }

  /**
   * Resolves once every server in `only` is usable or settled: ready, failed, or still starting but with a
   * remembered tool list (its calls then wait for it). What `ask` waits for before the first model request.
   */
  async whenUsable(only: readonly string[], signal?: AbortSignal): Promise<void> {
    const pending = (): ServerConnection[] =>
      this.connections.filter(
        (c) => only.includes(c.name) && (c.state === 'connecting' || c.state === 'restarting') && c.usableTools().length === 0,
      );
    while (pending().length > 0 && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const off = this.onStateChange(() => {
          off();
          resolve();
        });
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  async close(): Promise<void> {
    this.stopHealthChecks?.();
    await Promise.all(this.connections.map((c) => c.close()));
  }

  private currentNamer(): ToolNamer {
    this.namer ??= new ToolNamer(this.connections.flatMap((c) => c.usableTools().map((t) => ({ server: c.name, tool: t.name }))));
    return this.namer;
  }
}

/** The remembered list of a server, its schemas read in the dialect of the era it was listed in. */
function rememberedTools(cache: ToolListCache, connection: ServerConnection): Tool[] | undefined {
  const loaded = cache.load(connection.config, connection.partition);
  if (loaded?.era === 'modern') for (const t of loaded.tools) useModernDialect(t.inputSchema);
  return loaded?.tools;
}
