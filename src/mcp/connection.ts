// One connection per configured server, behind mcpsh's own interface so the SDK stays swappable.
// connect() never throws: a server that cannot start is marked failed with a one-line reason. A server
// that dies later is restarted (stdio) or reconnected (HTTP) with backoff, up to maxRestarts; calls
// wait for it (bounded), and a circuit breaker makes calls fail fast while a server keeps failing.
import type { Client } from '@modelcontextprotocol/client';
import type { CallToolResult, Implementation, Root, ServerCapabilities, Tool, Transport } from './types.js';
import type { ResolvedServer } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { redact } from '../policy/redact.js';
import { backoffMs, callError } from './call-errors.js';
import { CallGate } from './call-gate.js';
import { ServerFeatures, type CompletionArgument, type CompletionRef } from './features.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { ServerMetrics } from './metrics.js';
import type { RateLimiter } from '../policy/rate-limits.js';
import { toolFilter } from './tool-filter.js';
import { ProcessStdioTransport } from './stdio-transport.js';
import type { ClientPorts } from './client-requests.js';
import { PausableDeadline } from './deadline.js';
import { guardInboundDepth, type SkippedTool } from './depth-guard.js';
import { startSlotFor } from './start-slots.js';
import { openSession, type OpenedSession, type TransportKind } from './open-session.js';
import type { EraVerdict } from './era.js';
import { describeConnectError } from './transports.js';
import { CallAttemptError, sendToolCall, type CallOptions } from './tool-request.js';
import { waitWhileStarting } from './wait-state.js';
import { authPartition } from './auth-partition.js';
import { describeEraError, isStaleVerdictError, probeCause, type Era } from './era.js';
import type { EraCache } from './era-cache.js';
import { ChangeSubscription } from './change-subscription.js';
import { ToolListFreshness, waitUntilCurrent } from './tool-freshness.js';

export type ServerState = 'disabled' | 'connecting' | 'ready' | 'restarting' | 'failed' | 'closed';
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

const MAX_TOOL_PAGES = 1000;
/** A server that stayed up this long has its restart budget renewed. */
const STABLE_MS = 60_000;

export class ServerConnection {
  private stateValue: ServerState;
  /** Why the server is failed (one line), or the last error seen. */
  error: string | undefined;
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
  /** The tool list remembered from an earlier run, offered while the server is still starting. */
  cachedTools: Tool[] | undefined;
  /** Tools the server listed that mcpsh left out, with why (a definition nested too deep). */
  skippedTools: SkippedTool[] = [];
  private pendingSkipped: SkippedTool[] = [];
  private readonly gate: CallGate;
  /** Resources, prompts and completion (src/mcp/features.ts). */
  readonly features = new ServerFeatures({ name: () => this.name, capabilities: () => this.capabilities, requireClient: () => this.requireClient() });

  private client: Client | undefined;
  private transport: Transport | undefined;
  private readonly toolsListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ServerState) => void>();
  private readonly isAllowed: (toolName: string) => boolean;
  private restartAttempts = 0;
  private readySince = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private closing = false;
  /** Stale from a tools/list_changed until the list is read again (approvals wait on it). */
  private readonly freshness = new ToolListFreshness();
  /** Long-lived sessions only (chat, hub health checks): a modern server's change notifications need a listen stream. */
  private listening = false;
  private readonly subscription = new ChangeSubscription({ client: () => this.client, capabilities: () => this.capabilities, onError: (message) => void (this.error = message) });

  constructor(
    readonly config: ResolvedServer,
    private readonly options: ConnectionOptions,
  ) {
    this.stateValue = config.enabled ? 'connecting' : 'disabled';
    this.isAllowed = toolFilter(config.includeTools, config.excludeTools);
    this.gate = new CallGate(config.name, config);
    if (config.configError) {
      this.state = 'failed';
      this.error = config.configError;
    }
  }

  get name(): string {
    return this.config.name;
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

  /** Opens a session and lists tools within connectTimeout; returns why it failed, or undefined when ready. */
  private async establish(signal?: AbortSignal): Promise<string | undefined> {
    // stdio servers start a few at a time (start-slots.ts): the connectTimeout below starts with the spawn.
    const release = await startSlotFor(this.config.transport, this.options.env, signal).catch(() => undefined);
    if (!release || this.closing) {
      release?.();
      return this.closing ? 'closed' : 'cancelled';
    }
    const started = performance.now();
    const deadline = new PausableDeadline(this.config.connectTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
    try {
      const fromCache = await this.openAndList(combined, deadline, true);
      if (fromCache === 'stale') {
        // The remembered era was wrong (the server changed era): forget it and probe, once.
        this.options.eraCache?.drop(this.config);
        await this.dropTransport();
        await this.openAndList(combined, deadline, false);
      }
      if (this.closing) return 'closed';
      this.connectMs = Math.round(performance.now() - started);
      this.readySince = Date.now();
      // Errors from the way up (e.g. the 401 before an OAuth sign-in) are history now; metrics.lastError keeps the last one.
      this.error = undefined;
      this.state = 'ready';
      return undefined;
    } catch (err) {
      const reason = deadline.expired
        ? `did not finish starting within ${this.config.connectTimeoutMs / 1000}s (connectTimeout)${this.stderrClue()}`
        : signal?.aborted
          ? 'cancelled'
          : this.failureReason(err);
      await this.dropTransport();
      return reason;
    } finally {
      deadline.clear();
      release();
    }
  }

  /**
   * Opens a session and reads its tools. With `useCache`, a remembered era verdict is used; if the connect
   * then fails in a way a stale verdict explains, returns 'stale' (the caller re-probes once).
   */
  private async openAndList(signal: AbortSignal, deadline: PausableDeadline, useCache: boolean): Promise<'ok' | 'stale'> {
    const partition = authPartition(this.config);
    const cachedVerdict = useCache ? this.options.eraCache?.load(this.config, partition) : undefined;
    try {
      const opened = await this.startSession(signal, deadline, cachedVerdict);
      await this.refreshTools(signal);
      if (opened.plan.probes && eraSettingIsAuto(this.config)) {
        this.options.eraCache?.save(this.config, partition, { era: opened.era, protocolVersion: opened.protocolVersion, ...(opened.discover ? { discover: opened.discover } : {}) });
      }
      return 'ok';
    } catch (err) {
      // A remembered verdict may be stale; a fresh one may come from a probe that timed out on a server
      // still starting (a modern server then refuses initialize). Either way: probe again, once.
      const guessed = cachedVerdict !== undefined || (useCache && eraSettingIsAuto(this.config));
      if (guessed && !signal.aborted && !this.closing && isStaleVerdictError(err)) return 'stale';
      throw err;
    }
  }

  /**
   * The server died or the connection was lost while it was ready: start it again (or reconnect) after
   * a backoff, up to maxRestarts times (renewed once it has stayed up for a minute); then it stays failed.
   */
  private handleLoss(reason: string): void {
    if (this.closing || this.state !== 'ready') return;
    this.error = redact(reason);
    this.metrics.lastError = this.error;
    if (Date.now() - this.readySince > STABLE_MS) this.restartAttempts = 0;
    if (this.restartAttempts >= this.config.maxRestarts) {
      const gaveUp = this.config.maxRestarts > 0 ? ` (gave up after ${this.config.maxRestarts} restart${this.config.maxRestarts === 1 ? '' : 's'})` : '';
      void this.fail(`${reason}${gaveUp}`);
      return;
    }
    this.state = 'restarting';
    void this.dropTransport();
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const delay = backoffMs(this.restartAttempts);
    this.restartAttempts += 1;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.restart();
    }, delay);
    this.restartTimer.unref();
  }

  private async restart(): Promise<void> {
    if (this.closing || this.state !== 'restarting') return;
    const reason = await this.establish();
    if (reason === undefined) {
      this.metrics.restarts += 1;
      return;
    }
    if (this.closing) return;
    if (this.restartAttempts >= this.config.maxRestarts) await this.fail(`${reason} (gave up after ${this.restartAttempts} restart attempt${this.restartAttempts === 1 ? '' : 's'})`);
    else {
      this.error = reason;
      this.scheduleRestart();
    }
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
    const all: Tool[] = [];
    this.pendingSkipped = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, { signal });
      all.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    this.tools = all.filter((t) => this.isAllowed(t.name));
    this.skippedTools = this.pendingSkipped.filter((s) => this.isAllowed(s.tool));
    this.pendingSkipped = [];
    this.gate.clearCache();
    readDone();
    for (const listener of this.toolsListeners) listener();
  }

  /**
   * True once the tool list can be judged on: the server is up and no notifications/tools/list_changed is
   * still waiting for its tools/list (so approvals never read stale annotations); false if that takes longer
   * than the server's call or connect timeout, is aborted, or the server goes down.
   */
  /** True when the server is up and no list_changed is still unread. */
  get toolsCurrent(): boolean {
    return this.state === 'ready' && this.freshness.current;
  }

  whenToolsCurrent(signal?: AbortSignal): Promise<boolean> {
    return waitUntilCurrent(this, this.freshness, Math.max(this.config.callTimeoutMs, this.config.connectTimeoutMs), signal);
  }

  async callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    const timeoutMs = options.timeoutMs ?? this.config.callTimeoutMs;
    await this.options.rateLimiter?.acquire(this.name, tool, options.signal);
    await waitWhileStarting(this, Math.max(timeoutMs, this.config.connectTimeoutMs), options.signal);
    if (this.state === 'ready' && !this.tools.some((t) => t.name === tool)) {
      // Offered from a remembered list, or removed by list_changed: say so rather than send it.
      throw new AppError('TOOL_ERROR', `${this.name} no longer has a tool named "${tool}" (its tool list changed); its tools now: ${this.tools.map((t) => t.name).join(', ') || '(none)'}`);
    }
    return this.gate.run(
      this.tools.find((t) => t.name === tool),
      args,
      () => this.callOnce(tool, args, options, timeoutMs),
      (err) => (err instanceof AppError ? err : callError('other', err, { server: this.name, tool, timeoutMs })),
    );
  }

  private async callOnce(tool: string, args: Record<string, unknown>, options: CallOptions, timeoutMs: number, retried = false): Promise<CallToolResult> {
    const maxCallTimeMs = Math.max(this.config.maxCallTimeMs, timeoutMs);
    try {
      const toolDefinition = this.tools.find((t) => t.name === tool);
      return await sendToolCall(this.requireClient(), tool, args, { ...options, ...(toolDefinition ? { toolDefinition } : {}) }, { timeoutMs, maxCallTimeMs });
    } catch (thrown) {
      if (!(thrown instanceof CallAttemptError)) throw thrown;
      const { kind, error: err } = thrown;
      const remote = this.config.transport !== 'stdio';
      if (remote && kind === 'session_expired' && !retried && this.state === 'ready') {
        // The server forgot our session (it restarted, or expired it): open a new one, retry once.
        await this.reconnectNow();
        return this.callOnce(tool, args, options, timeoutMs, true);
      }
      if (remote && (kind === 'connection_lost' || kind === 'session_expired')) this.handleLoss(describeConnectError(err, this.config.url));
      throw callError(kind, err, { server: this.name, tool, timeoutMs, maxCallTimeMs, ...(this.error && this.state !== 'ready' ? { serverError: this.error } : {}) });
    }
  }

  /** A new session at once (for an expired one); the server is failed if it cannot be had. */
  private async reconnectNow(): Promise<void> {
    await this.dropTransport();
    this.state = 'restarting';
    const reason = await this.establish();
    if (reason !== undefined) {
      await this.fail(reason);
      throw new AppError('SERVER_UNAVAILABLE', `${this.name}: the session expired and a new one could not be opened: ${reason}`);
    }
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
  async checkHealth(): Promise<void> {
    if (this.state !== 'ready') return;
    try {
      await this.ping();
    } catch (err) {
      this.handleLoss(`did not answer a health ping: ${errorMessage(err)}`);
    }
  }

  /** Round-trip time of a ping, in milliseconds. */
  async ping(signal?: AbortSignal): Promise<number> {
    const client = this.requireClient();
    const started = performance.now();
    // The modern era has no ping: server/discover is the cheapest round trip there.
    if (this.era === 'modern') await client.discover({ signal, timeout: this.config.connectTimeoutMs });
    else await client.ping({ signal, timeout: this.config.connectTimeoutMs });
    return performance.now() - started;
  }

  /** completion/complete for a prompt argument or template variable (empty when the server has none). */
  complete(ref: CompletionRef, argument: CompletionArgument, signal?: AbortSignal): ReturnType<ServerFeatures['complete']> {
    return this.features.complete(ref, argument, signal);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
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

  private async startSession(signal: AbortSignal, deadline: PausableDeadline | undefined, cachedVerdict: EraVerdict | undefined): Promise<OpenedSession> {
    const opened = await openSession(
      this.config,
      { ...this.options, entry: this.config, cachedVerdict, serverName: this.name, timeoutMs: this.config.connectTimeoutMs, logLevel: this.config.logLevel },
      {
        pauseConnectTimeout: () => deadline?.pause() ?? (() => undefined),
        onTransport: (transport, client, kind) => {
          // Before the Client attaches: nothing nested too deep gets past this (src/mcp/depth-guard.ts).
          guardInboundDepth(transport, { onRefused: (reason) => void (this.error = reason), onSkippedTools: (skipped) => this.pendingSkipped.push(...skipped) });
          this.transport = transport;
          this.client = client;
          this.transportKind = kind;
          this.features.reset();
        },
        onToolsChanged: () => {
          if (this.state !== 'ready') return;
          this.freshness.announce();
          this.refreshTools().catch((err: unknown) => {
            this.error = `refreshing tools after list_changed failed: ${errorMessage(err)}`;
          });
        },
        // Garbage on stdout and the like: note it, keep going; the close hook deals with deaths.
        onListChanged: (kind) => {
          if (this.state === 'ready') this.features.handleListChanged(kind).catch((err: unknown) => (this.error = `refreshing ${kind} after list_changed failed: ${errorMessage(err)}`));
        },
        onError: (err) => {
          this.error = errorMessage(err);
        },
        onClose: (client) => {
          // While connecting, connect() itself reports the failure (with the exit status and stderr clue).
          if (this.client === client && this.state === 'ready') this.handleLoss(this.exitReason() ?? 'connection closed by the server');
        },
        onProtocolVersion: (version) => {
          this.protocolVersion = version;
        },
      },
      signal,
    );
    this.serverInfo = opened.serverInfo;
    this.capabilities = opened.capabilities;
    this.instructions = opened.instructions;
    this.era = opened.era;
    this.protocolVersion = opened.protocolVersion ?? this.protocolVersion;
    this.eraSource = opened.plan.fromCache ? 'cached' : opened.plan.probes && eraSettingIsAuto(this.config) ? 'probed' : 'pinned';
    if (this.listening) this.subscription.open(opened.era);
    return opened;
  }

  private async fail(reason: string): Promise<void> {
    this.state = 'failed';
    this.error = redact(reason);
    this.tools = [];
    await this.dropTransport();
  }

  private failureReason(err: unknown): string {
    const where = this.config.transport === 'stdio' ? this.config.command : this.config.url;
    // An era refusal explains the exit too (the SDK closes the transport when negotiation fails).
    const era = describeEraError(probeCause(err), where, this.config.protocolVersion ?? 'auto');
    if (era) return era;
    const exit = this.exitReason();
    if (exit) return exit;
    return describeConnectError(err, where, this.config.protocolVersion);
  }

  /** For a stdio server that died: its exit status and the last thing it said on stderr. */
  private exitReason(): string | undefined {
    return this.transport instanceof ProcessStdioTransport ? this.transport.describeExit() : undefined;
  }

  private stderrClue(): string {
    return this.transport instanceof ProcessStdioTransport ? this.transport.stderrClue() : '';
  }

  private requireClient(): Client {
    if (!this.client) {
      throw new AppError('SERVER_UNAVAILABLE', `server ${this.name} is not connected${this.error ? ` (${this.error})` : ''}`);
    }
    return this.client;
  }
}

function eraSettingIsAuto(config: ResolvedServer): boolean {
  return (config.protocolVersion ?? 'auto') === 'auto';
}
