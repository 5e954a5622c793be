// The hub: every configured server's connection, connected in parallel, and one namespaced view of
// all their tools (`<server>__<tool>`) that the model, the permission rules, logs and the UI share.
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { join } from 'node:path';
import type { ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import { ServerConnection, type CallOptions } from './connection.js';
import { ToolNamer } from './naming.js';

export interface HubOptions {
  env: NodeJS.ProcessEnv;
  /** Directory for per-server stderr logs. */
  logDir: string;
  clientVersion: string;
}

export interface QualifiedTool {
  /** The name the model and the rules see. */
  name: string;
  server: string;
  tool: Tool;
}

export class Hub {
  readonly connections: ServerConnection[];
  private namer: ToolNamer | undefined;
  private stopHealthChecks: (() => void) | undefined;
  private readonly changeListeners = new Set<() => void>();
  private readonly stateListeners = new Set<(connection: ServerConnection) => void>();

  constructor(servers: readonly ResolvedServer[], options: HubOptions) {
    this.connections = servers.map(
      (config) =>
        new ServerConnection(config, {
          env: options.env,
          stderrLogPath: join(options.logDir, `${config.name}.log`),
          clientInfo: { name: 'mcpsh', version: options.clientVersion },
        }),
    );
    for (const connection of this.connections) {
      connection.onToolsChanged(() => {
        this.namer = undefined;
        for (const listener of this.changeListeners) listener();
      });
      connection.onStateChange(() => {
        this.namer = undefined;
        for (const listener of this.stateListeners) listener(connection);
      });
    }
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
      throw new AppError('SERVER_UNAVAILABLE', `required server ${firstRequiredFailure.name} could not start: ${firstRequiredFailure.error ?? 'unknown reason'}`, {
        hint: 'run `mcpsh doctor` for details, or set "required": false for it in the config',
      });
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
    return this.readyConnections().flatMap((c) =>
      c.tools.map((tool) => ({ name: namer.nameOf({ server: c.name, tool: tool.name }), server: c.name, tool })),
    );
  }

  /** The tool behind a namespaced name. */
  resolve(name: string): QualifiedTool | undefined {
    const ref = this.currentNamer().resolve(name);
    if (!ref) return undefined;
    const tool = this.get(ref.server)?.tools.find((t) => t.name === ref.tool);
    return tool ? { name, server: ref.server, tool } : undefined;
  }

  /** Calls a tool of a connected server (see ServerConnection.callTool for errors). */
  async callTool(server: string, tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    const connection = this.get(server);
    if (!connection) throw new AppError('SERVER_UNAVAILABLE', `no server named ${server}`);
    return connection.callTool(tool, args, options);
  }

  nameOf(server: string, tool: string): string {
    return this.currentNamer().nameOf({ server, tool });
  }

  /** Pings each ready server every pingInterval (for long chat sessions); returns a function that stops it. */
  startHealthChecks(): () => void {
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

  async close(): Promise<void> {
    this.stopHealthChecks?.();
    await Promise.all(this.connections.map((c) => c.close()));
  }

  private readyConnections(): ServerConnection[] {
    return this.connections.filter((c) => c.state === 'ready');
  }

  private currentNamer(): ToolNamer {
    this.namer ??= new ToolNamer(this.readyConnections().flatMap((c) => c.tools.map((t) => ({ server: c.name, tool: t.name }))));
    return this.namer;
  }
}
