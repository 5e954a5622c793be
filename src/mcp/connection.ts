// One connection per configured server, behind mcpsh's own interface so the SDK stays swappable: it holds the
// server's state and session and delegates. connect() never throws: a server that cannot start is marked failed
// with a one-line reason. A server that dies later is restarted (stdio) or reconnected (HTTP) with backoff, up to
// maxRestarts (restarts.ts); calls wait for it (bounded) and go through a circuit breaker (call-path.ts). Each
// session is opened, and its hooks wired, in connection-session.ts.
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult, Implementation, Root, ServerCapabilities, Tool, Transport } from './types.js';
import type { ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import { redact } from '../policy/redact.js';
import { CallGate } from './call-gate.js';
import { listWithHints, ServerFeatures, type CompletionArgument, type CompletionRef } from './features.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { ServerMetrics } from './metrics.js';
import type { RateLimiter } from '../policy/rate-limits.js';
import { toolFilter } from './tool-filter.js';
import { ProcessStdioTransport } from './stdio-transport.js';
import type { ClientPorts } from './client-requests.js';
import type { SkippedTool } from './depth-guard.js';
import type { TransportKind } from './open-session.js';
import type { Era } from './era.js';
import type { CallOptions } from './tool-request.js';
import { authPartition } from './auth-partition.js';
import type { EraCache } from './era-cache.js';
import { ChangeSubscription } from './change-subscription.js';
import { ToolListFreshness, waitUntilCurrent } from './tool-freshness.js';
import { Restarts } from './restarts.js';
import { connectOnce, type ConnectHost } from './connect-flow.js';
import { startSession, type SessionParts } from './connection-session.js';
import { cacheHintsOf, type CacheHints } from './cache-hints.js';
import type { ListProvenance } from './tool-cache.js';
import { CallClocks } from './call-clock.js';
import { CallPath } from './call-path.js';
import { useModernDialect } from './schema-dialect.js';
import type { ServerState } from './server-state.js';

export type { ServerState } from './server-state.js';
export type { TransportKind } from './open-session.js';
export type { CallOptions } from './tool-request.js';

export interface ConnectionOptions {
  env: NodeJS.ProcessEnv;
  /** Token buckets from the config's rateLimit settings, shared by every caller of this server. */
  rateLimiter?: RateLimiter;
  /** Where the server's stderr is appended (stdio servers). */
  stderrLogPath: string;
  clientInfo: Implementation;
  roots?: () => Root[]; // what roots/list answers
  clientPorts?: () => ClientPorts | undefined; // elicitation and sampling, read at each (re)connect
  /** Remembered era verdicts (protocolVersion "auto"): a warm start sends no probe. */
  eraCache?: EraCache;
}

export class ServerConnection {
  private stateValue: ServerState;
  private errorValue: string | undefined;
  transportKind: TransportKind | undefined;
  connectMs: number | undefined;
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  protocolVersion: string | undefined;
  /** The protocol era of the current session: modern (2026-07-28) or legacy (initialize handshake). */
  era: Era | undefined;
  /** How the era was settled on the last connect: probed now, remembered, or pinned by the config. */
  eraSource: 'probed' | 'cached' | 'pinned' | undefined;
  instructions: string | undefined;
  /** The server's tools after includeTools/excludeTools, all pages. */
  tools: Tool[] = [];
  /** The cache hints of the last tools/list (modern era; undefined for a legacy server). */
  toolsHints: CacheHints | undefined;
  /** The tool list remembered from an earlier run, offered while the server is still starting. */
  cachedTools: Tool[] | undefined;
  /** Tools the server listed that mcpsh left out, with why (a definition nested too deep). */
  skippedTools: SkippedTool[] = [];
  private pendingSkipped: SkippedTool[] = [];
  private readonly gate: CallGate;
  /** Resources, prompts and completion (src/mcp/features.ts). */
  readonly features = new ServerFeatures({
    name: () => this.name,
    capabilities: () => this.capabilities,
    requireClient: () => this.requireClient(),
    partition: () => this.partition,
  });

  private client: Client | undefined;
  private transport: Transport | undefined;
  private readonly toolsListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ServerState) => void>();
  private readonly isAllowed: (toolName: string) => boolean;
  private readonly restarts: Restarts;
  private readonly connectHost: ConnectHost;
  private readonly calls: CallPath;
  /** The auth context this server is reached in (auth-partition.ts): private cached answers stay in it. */
  readonly partition: string;
  /** maxCallTime of the calls in flight, paused while a person answers the server (call-clock.ts). */
  private readonly clocks = new CallClocks();
  private closing = false;
  /** Aborted by close(): ends a connect that is still under way. */
  private readonly lifetime = new AbortController();
  /** Stale from a tools/list_changed until the list is read again (approvals wait on it). */
  private readonly freshness = new ToolListFreshness();
  /** Long-lived sessions only (chat, hub health checks): a modern server's change notifications need a listen stream. */
  private listening = false;
  private readonly subscription = new ChangeSubscription({
    client: () => this.client,
    capabilities: () => this.capabilities,
    onError: (message) => void (this.error = message),
  });

  constructor(
    readonly config: ResolvedServer,
    private readonly options: ConnectionOptions,
  ) {
    this.stateValue = config.enabled ? 'connecting' : 'disabled';
    this.isAllowed = toolFilter(config.includeTools, config.excludeTools);
    this.gate = new CallGate(config.name, config, () => this.partition);
    this.partition = authPartition(config);
    const sessionParts: SessionParts = {
      options,
      attach: (transport, client) => {
        this.transport = transport;
        this.client = client;
      },
      client: () => this.client,
      skipTools: (skipped) => this.pendingSkipped.push(...skipped),
      toolsStale: () => this.freshness.announce(),
      sessionClosed: () => this.restarts.sessionClosed(this.transport),
      onPerson: () => this.clocks.pauseForPerson(),
      listen: (era) => {
        if (this.listening) this.subscription.open(era);
      },
    };
    this.connectHost = {
      config,
      env: options.env,
      eraCache: options.eraCache,
      partition: this.partition,
      lifetime: this.lifetime.signal,
      isClosing: () => this.closing,
      transport: () => this.transport,
      startSession: (signal, deadline, verdict) => startSession(this, sessionParts, signal, deadline, verdict),
      refreshTools: (signal) => this.refreshTools(signal),
      dropTransport: () => this.dropTransport(),
    };
    this.restarts = new Restarts(this, {
      isClosing: () => this.closing,
      establish: () => this.establish(),
      fail: (reason) => this.fail(reason),
      dropTransport: () => this.dropTransport(),
    });
    this.calls = new CallPath(this, {
      gate: this.gate,
      restarts: this.restarts,
      clocks: this.clocks,
      rateLimiter: options.rateLimiter,
      client: () => this.requireClient(),
    });
    if (config.configError) {
      this.state = 'failed';
      this.error = config.configError;
    }
  }

  get name(): string {
    return this.config.name;
  }

  /** Why the server is failed (one line), or the last error seen. */
  get error(): string | undefined {
    return this.errorValue;
  }

  /** Every error the connection records passes here, so each is redacted the same way (a server's words may hold a secret). */
  set error(message: string | undefined) {
    this.errorValue = message === undefined ? undefined : redact(message);
  }

  /** How the current tool list was fetched, for the on-disk cache (tool-cache.ts). */
  get toolListProvenance(): ListProvenance {
    return { partition: this.partition, hints: this.toolsHints, era: this.era };
  }

  get metrics(): ServerMetrics {
    return this.gate.metrics;
  }

  get breaker(): CircuitBreaker {
    return this.gate.breaker;
  }

  get state(): ServerState {
    return this.stateValue;
  }

  set state(next: ServerState) {
    if (next === this.stateValue) return;
    this.stateValue = next;
    for (const listener of this.stateListeners) listener(next);
  }

  /** Called on every state change (connecting → ready/failed, ready → failed when it dies, → closed). */
  onStateChange(listener: (state: ServerState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Where the server's stderr (stdio) and its log notifications are appended. */
  get logPath(): string {
    return this.options.stderrLogPath;
  }

  /** The pid of a stdio server's process (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.transport instanceof ProcessStdioTransport ? this.transport.pid : undefined;
  }

  onToolsChanged(listener: () => void): () => void {
    this.toolsListeners.add(listener);
    return () => this.toolsListeners.delete(listener);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.state !== 'connecting') return;
    const reason = await this.establish(signal);
    if (reason !== undefined && this.state === 'connecting') await this.fail(reason);
  }

  /** Opens a session and lists tools within connectTimeout (connect-flow.ts); returns why it failed, or undefined when ready. */
  private async establish(signal?: AbortSignal): Promise<string | undefined> {
    const outcome = await connectOnce(this.connectHost, signal);
    if (!outcome.ok) return outcome.reason;
    this.connectMs = outcome.ms;
    this.restarts.markReady();
    // Errors from the way up (e.g. the 401 before an OAuth sign-in) are history now; metrics.lastError keeps the last one.
    this.error = undefined;
    this.state = 'ready';
    return undefined;
  }

  /** Re-reads every page of tools/list (also called on notifications/tools/list_changed). */
  async refreshTools(signal?: AbortSignal): Promise<void> {
    const client = this.requireClient();
    const readDone = this.freshness.beginRead();
    if (!this.capabilities?.tools) {
      this.tools = [];
      readDone();
      return;
    }
    this.pendingSkipped = [];
    // mcpsh keeps its own copy (and the server's ttlMs/cacheScope with it): always the server's answer, not the SDK's cache.
    const { items, hints } = await listWithHints(async (cursor) => {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, {
        ...(signal ? { signal } : {}),
        cacheMode: 'refresh',
      });
      return { items: result.tools, nextCursor: result.nextCursor, hints: cacheHintsOf(result) };
    });
    this.tools = items.filter((t) => this.isAllowed(t.name));
    this.toolsHints = hints;
    // 2020-12 is the default dialect of a modern server's schemas (one without $schema is checked as 2020-12).
    if (this.era === 'modern') for (const t of this.tools) useModernDialect(t.inputSchema);
    this.skippedTools = this.pendingSkipped.filter((s) => this.isAllowed(s.tool));
    this.pendingSkipped = [];
    this.gate.clearCache();
    readDone();
    for (const listener of this.toolsListeners) listener();
  }

  /** True when the server is up and no list_changed is still unread. */
  get toolsCurrent(): boolean {
    return this.state === 'ready' && this.freshness.current;
  }

  /**
   * True once the tool list can be judged on: the server is up and no notifications/tools/list_changed is
   * still waiting for its tools/list (so approvals never read stale annotations); false if that takes longer
   * than the server's call or connect timeout, is aborted, or the server goes down.
   */
  whenToolsCurrent(signal?: AbortSignal): Promise<boolean> {
    return waitUntilCurrent(this, this.freshness, Math.max(this.config.callTimeoutMs, this.config.connectTimeoutMs), signal);
  }

  /** One tools/call (call-path.ts): waits for a starting server, goes through the gate, retries an expired session once. */
  callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    return this.calls.call(tool, args, options);
  }

  /** The tools a model may be offered now: the live list, or the remembered one while starting. */
  usableTools(): Tool[] {
    switch (this.state) {
      case 'ready':
      case 'restarting': // calls wait for the restart
        return this.tools;
      case 'connecting':
        return this.cachedTools ?? [];
      default:
        return [];
    }
  }

  /**
   * For long-lived sessions: keep a subscriptions/listen stream open to a modern server (legacy servers send
   * list changes unasked), now and after every reconnect, until close(). One-shot commands never open one.
   */
  listenForChanges(): void {
    this.listening = true;
    if (this.state === 'ready' && this.era) this.subscription.open(this.era);
  }

  /** A health ping for long sessions: a server that does not answer is treated as lost (and restarted). */
  checkHealth(): Promise<void> {
    return this.restarts.checkHealth(() => this.ping());
  }

  /** Round-trip time of a ping, in milliseconds. */
  async ping(signal?: AbortSignal): Promise<number> {
    const client = this.requireClient();
    const started = performance.now();
    // The modern era has no ping: server/discover is the cheapest round trip there.
    const options = { ...(signal ? { signal } : {}), timeout: this.config.connectTimeoutMs };
    if (this.era === 'modern') await client.discover(options);
    else await client.ping(options);
    return performance.now() - started;
  }

  /** completion/complete for a prompt argument or template variable (empty when the server has none). */
  complete(ref: CompletionRef, argument: CompletionArgument, signal?: AbortSignal): ReturnType<ServerFeatures['complete']> {
    return this.features.complete(ref, argument, signal);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.lifetime.abort();
    this.restarts.cancel();
    const wasLive = this.state === 'ready' || this.state === 'connecting' || this.state === 'restarting';
    if (this.state !== 'disabled' && this.state !== 'failed') this.state = 'closed';
    const transport = this.transport;
    if (wasLive && transport && 'terminateSession' in transport && typeof transport.terminateSession === 'function') {
      // Streamable HTTP: end the server-side session (DELETE); a server that does not support it is fine.
      await (transport.terminateSession as () => Promise<void>).call(transport).catch(() => undefined);
    }
    await this.dropTransport();
  }

  /** Closes the current transport without changing state (before a restart or after a failed attempt). */
  private async dropTransport(): Promise<void> {
    const transport = this.transport;
    this.transport = undefined;
    this.client = undefined;
    await this.subscription.close();
    await transport?.close().catch(() => undefined);
  }

  private async fail(reason: string): Promise<void> {
    // The reason first: state listeners (the chat's notice) read it when the state changes.
    this.error = reason;
    this.state = 'failed';
    this.tools = [];
    await this.dropTransport();
  }

  private requireClient(): Client {
    if (!this.client) {
      throw new AppError('SERVER_UNAVAILABLE', `server ${this.name} is not connected${this.error ? ` (${this.error})` : ''}`);
    }
    return this.client;
  }
}
