// The way one tools/call of a connection goes: the rate limit, a wait while the server starts, the tool still
// listed, the gate (response cache, breaker, metrics), and on an expired HTTP session one new session and retry.
import type { Client } from '@modelcontextprotocol/client';
import type { ResolvedServer } from '../config/schema.js';
import { AppError } from '../errors.js';
import type { RateLimiter } from '../policy/rate-limits.js';
import type { CallClocks } from './call-clock.js';
import { callError } from './call-errors.js';
import type { CallGate } from './call-gate.js';
import type { StateWatch } from './server-state.js';
import type { Restarts } from './restarts.js';
import { CallAttemptError, sendToolCall, type CallOptions } from './tool-request.js';
import { describeConnectError } from './transports.js';
import type { CallToolResult, Tool } from './types.js';
import { waitWhileStarting } from './wait-state.js';
import { mcpTelemetry } from '../telemetry/hook.js';

/** The connection as its calls see it (its public face). */
export interface CallTarget extends StateWatch {
  readonly name: string;
  readonly config: ResolvedServer;
  readonly error: string | undefined;
  readonly tools: Tool[];
}

/** What the connection keeps to itself and lends its calls. */
export interface CallParts {
  gate: CallGate;
  restarts: Restarts;
  clocks: CallClocks;
  rateLimiter: RateLimiter | undefined;
  client(): Client;
}

export class CallPath {
  constructor(
    private readonly target: CallTarget,
    private readonly parts: CallParts,
  ) {}

  call(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    // Telemetry on: the call runs in an MCP client span whose trace context goes to the server in _meta.
    const telemetry = mcpTelemetry();
    if (telemetry === undefined) return this.run(tool, args, options);
    const { name: server, config } = this.target;
    const sessionId = (): string | undefined => this.parts.client().transport?.sessionId;
    return telemetry.toolCall(
      { server, tool, transport: config.transport, ...(config.transport !== 'stdio' ? { url: config.url } : {}), sessionId },
      (meta) => this.run(tool, args, { ...options, meta }),
    );
  }

  private async run(tool: string, args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult> {
    const c = this.target;
    const timeoutMs = options.timeoutMs ?? c.config.callTimeoutMs;
    await this.parts.rateLimiter?.acquire(c.name, tool, options.signal);
    await waitWhileStarting(c, Math.max(timeoutMs, c.config.connectTimeoutMs), options.signal);
    if (c.state === 'ready' && !c.tools.some((t) => t.name === tool)) {
      // Offered from a remembered list, or removed by list_changed: say so rather than send it.
      throw new AppError(
        'TOOL_ERROR',
        `${c.name} no longer has a tool named "${tool}" (its tool list changed); its tools now: ${c.tools.map((t) => t.name).join(', ') || '(none)'}`,
      );
    }
    return this.parts.gate.run(
      c.tools.find((t) => t.name === tool),
      args,
      () => this.once(tool, args, options, timeoutMs),
      (err) => (err instanceof AppError ? err : callError('other', err, { server: c.name, tool, timeoutMs })),
    );
  }

  private async once(
    tool: string,
    args: Record<string, unknown>,
    options: CallOptions,
    timeoutMs: number,
    retried = false,
  ): Promise<CallToolResult> {
    const c = this.target;
    const maxCallTimeMs = Math.max(c.config.maxCallTimeMs, timeoutMs);
    try {
      const toolDefinition = c.tools.find((t) => t.name === tool);
      return await sendToolCall(
        this.parts.client(),
        tool,
        args,
        { ...options, ...(toolDefinition ? { toolDefinition } : {}) },
        { timeoutMs, maxCallTimeMs, clocks: this.parts.clocks },
      );
    } catch (thrown) {
      if (!(thrown instanceof CallAttemptError)) throw thrown;
      const { kind, error: err } = thrown;
      const remote = c.config.transport !== 'stdio';
      if (remote && kind === 'session_expired' && !retried && c.state === 'ready') {
        // The server forgot our session (it restarted, or expired it): open a new one, retry once.
        await this.parts.restarts.reconnectNow();
        return this.once(tool, args, options, timeoutMs, true);
      }
      if (remote && (kind === 'connection_lost' || kind === 'session_expired'))
        this.parts.restarts.handleLoss(describeConnectError(err, c.config.url));
      throw callError(kind, err, {
        server: c.name,
        tool,
        timeoutMs,
        maxCallTimeMs,
        ...(c.error && c.state !== 'ready' ? { serverError: c.error } : {}),
      });
    }
  }
}
