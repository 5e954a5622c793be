// A Transport decorator between the HTTP transport and the McpServer: it checks each request's scopes
// before the server sees it, and writes one audit line per tools/call when its answer goes out. Sitting at the
// message level means calls the SDK rejects (bad arguments, unknown tools) are audited too, with the raw arguments' hash.
// It wraps both eras' transports (the 2025 session transport and the 2026-07-28 per-request one; see gated-server.ts).
import { performance } from 'node:perf_hooks';
import {
  ProtocolErrorCode,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
  type MessageExtraInfo,
  type RequestId,
  type Transport,
  type TransportSendOptions,
} from '@modelcontextprotocol/server';
import type { AuditLog, AuditOutcome } from '../../policy/audit-log.js';
import { RATE_LIMITED_CODE, rateLimitDescription, rateLimitedOf } from './rate.js';
import { RESOURCES_READ, allowsTool, toolScope } from './scopes.js';

/** Requests that reveal contact data outside the tools, so they need resources:read. */
const RESOURCE_METHODS = new Set(['resources/list', 'resources/read', 'resources/subscribe', 'completion/complete']);

interface PendingCall {
  client: string;
  tool: string;
  args: unknown;
  started: number;
}

export class PolicyGateTransport implements Transport {
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;

  private readonly pending = new Map<RequestId, PendingCall>();

  constructor(
    private readonly inner: Transport,
    private readonly audit: AuditLog,
    private readonly serverName = 'crm',
  ) {}

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  // The SDK talks to its transport through these optional members too; the gate must not hide them.
  // The SDK only asks whether it is `true`: unset reads as false, as it did through the inner transport.
  get hasPerRequestStream(): boolean {
    return this.inner.hasPerRequestStream === true;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.inner.setSupportedProtocolVersions?.(versions);
  }

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => this.receive(message, extra);
    this.inner.onerror = (error) => this.onerror?.(error);
    this.inner.onclose = () => {
      for (const id of [...this.pending.keys()]) this.finish(id, 'error', 'session closed');
      this.onclose?.();
    };
    await this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (isJSONRPCResultResponse(message)) {
      const isError = (message.result as { isError?: unknown }).isError === true;
      this.finish(message.id, isError ? 'error' : 'ok');
    } else if (isJSONRPCErrorResponse(message) && message.id !== undefined) {
      this.finish(message.id, 'error');
    }
    await this.inner.send(message, options);
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private receive(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (isJSONRPCRequest(message) && !this.admit(message, extra)) return;
    if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
      const requestId = (message.params as { requestId?: RequestId } | undefined)?.requestId;
      if (requestId !== undefined) this.finish(requestId, 'error', 'cancelled');
    }
    this.onmessage?.(message, extra);
  }

  /** False when the request was answered here (rate limited or permission denied) and must not reach the server. */
  private admit(request: JSONRPCRequest, extra?: MessageExtraInfo): boolean {
    const scopes = extra?.authInfo?.scopes ?? [];
    const client = extra?.authInfo?.clientId ?? 'anonymous';
    const limited = rateLimitedOf(extra?.authInfo);
    if (limited?.ids.has(request.id)) {
      this.refuseForRate(request, client, limited.retryAfterSeconds);
      return false;
    }
    if (request.method === 'tools/call') {
      const params = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
      const tool = typeof params.name === 'string' ? params.name : '';
      const call: PendingCall = { client, tool, args: params.arguments, started: performance.now() };
      if (allowsTool(scopes, tool)) {
        this.pending.set(request.id, call);
        return true;
      }
      const scope = toolScope(tool);
      this.record(call, 'denied', `missing scope ${scope}`);
      this.reply({
        jsonrpc: '2.0',
        id: request.id,
        result: {
          // A 2026-07-28 client refuses a result without its discriminator; the SDK adds it to the server's own results.
          ...(extra?.classification?.era === 'modern' ? { resultType: 'complete' } : {}),
          content: [
            {
              type: 'text',
              text: `Permission denied: the token for "${client}" lacks the scope "${scope}" (or "tool:*") needed to call ${tool}. Mint one with: mcpsh serve crm token --scopes ${scope}`,
            },
          ],
          isError: true,
        },
      });
      return false;
    }
    if (RESOURCE_METHODS.has(request.method) && !scopes.includes(RESOURCES_READ)) {
      this.reply({
        jsonrpc: '2.0',
        id: request.id,
        error: {
          code: ProtocolErrorCode.InvalidRequest,
          message: `Permission denied: the token for "${client}" lacks the scope "${RESOURCES_READ}" needed for ${request.method}`,
        },
      });
      return false;
    }
    return true;
  }

  /** A request of a batch past the client's budget (see rate.ts): its own JSON-RPC error, and its audit line if a call. */
  private refuseForRate(request: JSONRPCRequest, client: string, retryAfterSeconds: number): void {
    if (request.method === 'tools/call') {
      const params = (request.params ?? {}) as { name?: unknown; arguments?: unknown };
      const call: PendingCall = {
        client,
        tool: typeof params.name === 'string' ? params.name : '',
        args: params.arguments,
        started: performance.now(),
      };
      this.record(call, 'denied', 'rate limited');
    }
    this.reply({
      jsonrpc: '2.0',
      id: request.id,
      error: {
        code: RATE_LIMITED_CODE,
        message: `Rate limited: ${rateLimitDescription(client, retryAfterSeconds)}`,
        data: { error: 'rate_limited', retry_after: retryAfterSeconds },
      },
    });
  }

  /**
   * Answers a request the server never sees. Sent on a later microtask, as a request handler's answer would be: the
   * 2026-07-28 transport takes an error sent while it is still delivering the request for a protocol-level
   * rejection and answers it with HTTP 400, while a refusal here is an ordinary in-band answer (HTTP 200).
   */
  private reply(message: JSONRPCMessage): void {
    queueMicrotask(() => {
      this.inner.send(message).catch((err: unknown) => this.onerror?.(err instanceof Error ? err : new Error(String(err))));
    });
  }

  private finish(id: RequestId, outcome: AuditOutcome, reason?: string): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    this.record(call, outcome, reason);
  }

  private record(call: PendingCall, outcome: AuditOutcome, reason?: string): void {
    try {
      this.audit.record({
        client: call.client,
        server: this.serverName,
        tool: call.tool,
        args: call.args,
        outcome,
        durationMs: performance.now() - call.started,
        ...(reason === undefined ? {} : { reason }),
      });
    } catch (err) {
      this.onerror?.(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
