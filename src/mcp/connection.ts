// One connection per configured server, behind mcpsh's own interface so the SDK stays swappable.
// connect() never throws: a server that cannot start is marked failed with a one-line reason.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Implementation,
  type ServerCapabilities,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import picomatch from 'picomatch';
import type { ResolvedServer } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import { ProcessStdioTransport } from './stdio-transport.js';
import { createRemoteTransport, createStdioTransport, describeConnectError, shouldFallBackToSse } from './transports.js';

export type ServerState = 'disabled' | 'connecting' | 'ready' | 'failed' | 'closed';
export type TransportKind = 'stdio' | 'http' | 'sse';

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the server's callTimeout. */
  timeoutMs?: number;
  onProgress?: (progress: { progress: number; total?: number; message?: string }) => void;
}

export interface ConnectionOptions {
  env: NodeJS.ProcessEnv;
  /** Where the server's stderr is appended (stdio servers). */
  stderrLogPath: string;
  clientInfo: Implementation;
}

const MAX_TOOL_PAGES = 1000;

export class ServerConnection {
  private stateValue: ServerState;
  /** Why the server is failed (one line), or the last error seen. */
  error: string | undefined;
  transportKind: TransportKind | undefined;
  connectMs: number | undefined;
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  protocolVersion: string | undefined;
  instructions: string | undefined;
  /** The server's tools after includeTools/excludeTools, all pages. */
  tools: Tool[] = [];

  private client: Client | undefined;
  private transport: Transport | undefined;
  private readonly toolsListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(state: ServerState) => void>();
  private readonly isAllowed: (toolName: string) => boolean;

  constructor(
    readonly config: ResolvedServer,
    private readonly options: ConnectionOptions,
  ) {
    this.stateValue = config.enabled ? 'connecting' : 'disabled';
    this.isAllowed = toolFilter(config.includeTools, config.excludeTools);
    if (config.configError) {
      this.state = 'failed';
      this.error = config.configError;
    }
  }

  get name(): string {
    return this.config.name;
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
    const started = performance.now();
    const timeout = AbortSignal.timeout(this.config.connectTimeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      await this.openSession(combined);
      await this.refreshTools(combined);
      if (this.state !== 'connecting') return; // closed or died meanwhile
      this.connectMs = Math.round(performance.now() - started);
      this.state = 'ready';
    } catch (err) {
      const reason = timeout.aborted
        ? `did not finish starting within ${this.config.connectTimeoutMs / 1000}s (connectTimeout)${this.stderrClue()}`
        : signal?.aborted
          ? 'cancelled'
          : this.failureReason(err);
      await this.fail(reason);
    }
  }

  /** Re-reads every page of tools/list (also called on notifications/tools/list_changed). */
  async refreshTools(signal?: AbortSignal): Promise<void> {
    const client = this.requireClient();
    if (!this.capabilities?.tools) {
      this.tools = [];
      return;
    }
    const all: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, { signal });
      all.push(...result.tools);
      cursor = result.nextCursor;
      if (!cursor) break;
    }
    this.tools = all.filter((t) => this.isAllowed(t.name));
    for (const listener of this.toolsListeners) listener();
  }

  async callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    const client = this.requireClient();
    try {
      const result = await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: options.signal,
        timeout: options.timeoutMs ?? this.config.callTimeoutMs,
        resetTimeoutOnProgress: true,
        ...(options.onProgress ? { onprogress: options.onProgress } : {}),
      });
      return result as CallToolResult;
    } catch (err) {
      if (options.signal?.aborted) throw new AppError('CANCELLED', `call to ${this.name} › ${tool} was cancelled`, { cause: err });
      const message = errorMessage(err).replace(/^MCP error -?\d+: /, '');
      if (/Request timed out/i.test(message)) {
        const seconds = (options.timeoutMs ?? this.config.callTimeoutMs) / 1000;
        throw new AppError('TIMEOUT', `${this.name} › ${tool} did not answer within ${seconds}s`, {
          hint: 'raise callTimeout for this server in the config, or pass --timeout',
          cause: err,
        });
      }
      if (this.state === 'failed') {
        throw new AppError('SERVER_UNAVAILABLE', `${this.name} stopped during the call to ${tool}: ${this.error ?? message}`, { cause: err });
      }
      throw new AppError('TOOL_ERROR', `${this.name} › ${tool} failed: ${message}`, { cause: err });
    }
  }

  /** Round-trip time of a ping, in milliseconds. */
  async ping(signal?: AbortSignal): Promise<number> {
    const client = this.requireClient();
    const started = performance.now();
    await client.ping({ signal, timeout: this.config.connectTimeoutMs });
    return performance.now() - started;
  }

  async close(): Promise<void> {
    const wasLive = this.state === 'ready' || this.state === 'connecting';
    if (this.state !== 'disabled' && this.state !== 'failed') this.state = 'closed';
    const transport = this.transport;
    this.transport = undefined;
    this.client = undefined;
    if (!transport) return;
    if (wasLive && 'terminateSession' in transport && typeof transport.terminateSession === 'function') {
      // Streamable HTTP: end the server-side session (DELETE); a server that does not support it is fine.
      await (transport.terminateSession as () => Promise<void>).call(transport).catch(() => undefined);
    }
    await transport.close().catch(() => undefined);
  }

  private async openSession(signal: AbortSignal): Promise<void> {
    const entry = this.config;
    if (entry.transport === 'stdio') {
      await this.openWith(createStdioTransport(entry, this.options.env, this.options.stderrLogPath), 'stdio', signal);
      return;
    }
    if (entry.transport === 'sse') {
      await this.openWith(createRemoteTransport(entry, 'sse'), 'sse', signal);
      return;
    }
    try {
      await this.openWith(createRemoteTransport(entry, 'http'), 'http', signal);
    } catch (err) {
      if (entry.transport !== 'auto' || !shouldFallBackToSse(err) || signal.aborted) throw err;
      await this.openWith(createRemoteTransport(entry, 'sse'), 'sse', signal);
    }
  }

  private async openWith(transport: Transport, kind: TransportKind, signal: AbortSignal): Promise<void> {
    const client = new Client(this.options.clientInfo, { capabilities: {} });
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      if (this.state !== 'ready') return;
      await this.refreshTools().catch((err: unknown) => {
        this.error = `refreshing tools after list_changed failed: ${errorMessage(err)}`;
      });
    });
    client.onerror = (err) => {
      // Garbage on stdout and the like: note it, keep going; the close handler deals with deaths.
      this.error = errorMessage(err);
    };
    client.onclose = () => {
      if (this.client !== client) return;
      // While connecting, connect() itself reports the failure (with the exit status and stderr clue).
      if (this.state === 'ready') void this.fail(this.exitReason() ?? 'connection closed by the server');
    };
    // The negotiated version is only handed to the transport; catch it on the way.
    const forward = transport.setProtocolVersion?.bind(transport);
    transport.setProtocolVersion = (version: string) => {
      this.protocolVersion = version;
      forward?.(version);
    };
    this.transport = transport;
    this.client = client;
    this.transportKind = kind;
    try {
      await client.connect(transport, { signal, timeout: this.config.connectTimeoutMs });
    } catch (err) {
      await transport.close().catch(() => undefined);
      throw err;
    }
    this.serverInfo = client.getServerVersion();
    this.capabilities = client.getServerCapabilities();
    this.instructions = client.getInstructions();
  }

  private async fail(reason: string): Promise<void> {
    this.state = 'failed';
    this.error = reason;
    this.tools = [];
    const transport = this.transport;
    this.transport = undefined;
    this.client = undefined;
    await transport?.close().catch(() => undefined);
  }

  private failureReason(err: unknown): string {
    const exit = this.exitReason();
    if (exit) return exit;
    const where = this.config.transport === 'stdio' ? this.config.command : this.config.url;
    return describeConnectError(err, where);
  }

  /** For a stdio server that died: its exit status and the last thing it said on stderr. */
  private exitReason(): string | undefined {
    const transport = this.transport;
    if (!(transport instanceof ProcessStdioTransport) || !transport.exit) return undefined;
    const { code, signal } = transport.exit;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return `server process ${how}${this.stderrClue()}`;
  }

  private stderrClue(): string {
    const transport = this.transport;
    if (!(transport instanceof ProcessStdioTransport)) return '';
    const last = transport.recentStderr.at(-1);
    return last ? `: ${last}` : '';
  }

  private requireClient(): Client {
    if (!this.client) {
      throw new AppError('SERVER_UNAVAILABLE', `server ${this.name} is not connected${this.error ? ` (${this.error})` : ''}`);
    }
    return this.client;
  }
}

export function toolFilter(include: readonly string[], exclude: readonly string[]): (name: string) => boolean {
  const inc = include.length > 0 ? picomatch(include as string[]) : () => true;
  const exc = exclude.length > 0 ? picomatch(exclude as string[]) : () => false;
  return (name) => inc(name) && !exc(name);
}
