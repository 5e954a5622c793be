// The CRM's HTTP front door on node:http: bearer-token check, per-client rate limit and body limits for every
// request, then the protocol era decides who serves it. 2025-era traffic goes to the table of Streamable HTTP
// sessions (each its own McpServer over the shared store), bound to the client that made it; 2026-07-28 traffic
// (stateless, one message per POST) goes to the SDK's handler, which builds a server per request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  WebStandardStreamableHTTPServerTransport,
  createMcpHandler,
  isInitializeRequest,
  isJSONRPCRequest,
  isLegacyRequest,
  type AuthInfo,
  type McpHttpHandler,
  type McpServer,
} from '@modelcontextprotocol/server';
import { errorMessage } from '../../errors.js';
import type { AuditLog } from '../../policy/audit-log.js';
import type { KeyedTokenBuckets } from '../../policy/token-bucket.js';
import { verifyCrmToken, type VerifyResult } from './auth.js';
import { abortOnClientGone, sendWebResponse, toWebRequest } from './node-fetch.js';
import { MAX_BATCH_MESSAGES, chargeRequests, rateLimitDescription, withRateLimited } from './rate.js';

export const MCP_PATH = '/mcp';
export const REALM = 'mcpsh-crm';
const MAX_BODY_BYTES = 1024 * 1024;

export interface CrmHttpDeps {
  key: Uint8Array;
  limiter: KeyedTokenBuckets;
  audit: AuditLog;
  /** A fresh server whose connections pass the policy gate (see gated-server.ts). */
  createServer: () => McpServer;
  maxSessions: number;
  log: (line: string) => void;
}

interface Session {
  subject: string;
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
}

export class CrmHttpHandler {
  private readonly sessions = new Map<string, Session>();
  /** Serves 2026-07-28 requests only: 2025-era ones never reach it (they are routed to the sessions first). */
  private readonly modern: McpHttpHandler;

  constructor(private readonly deps: CrmHttpDeps) {
    this.modern = createMcpHandler(() => deps.createServer(), {
      legacy: 'reject',
      maxRequestBodySize: MAX_BODY_BYTES,
      // Open subscriptions/listen streams are bounded like 2025-era sessions.
      maxSubscriptions: deps.maxSessions,
      onerror: (err) => deps.log(`crm: ${errorMessage(err)}`),
    });
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The node:http request listener; never rejects. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    this.handle(req, res).catch((err: unknown) => {
      this.deps.log(`crm: request failed: ${errorMessage(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'internal error; see the server log' });
      else res.end();
    });
  };

  async closeAll(): Promise<void> {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled([...sessions.map((s) => s.server.close()), this.modern.close()]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path !== MCP_PATH) {
      sendJson(res, 404, { error: 'not_found', error_description: `nothing at ${path}; the MCP endpoint is ${MCP_PATH}` });
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') {
      res.setHeader('Allow', 'GET, POST, DELETE');
      sendJson(res, 405, { error: 'method_not_allowed', error_description: `${method} is not supported on ${MCP_PATH}` });
      return;
    }

    let auth = await this.authenticate(req, res);
    if (!auth) return;

    let body: unknown;
    if (method === 'POST') {
      const read = await readJsonBody(req);
      if (!read.ok) {
        if (read.status === 413) res.setHeader('Connection', 'close');
        sendJson(res, read.status, { jsonrpc: '2.0', id: null, error: { code: read.code, message: read.message } });
        return;
      }
      body = read.value;
      if (Array.isArray(body) && body.length > MAX_BATCH_MESSAGES) {
        sendJson(res, 400, {
          jsonrpc: '2.0',
          id: null,
          error: {
            code: -32600,
            message: `Invalid Request: a batch of ${body.length} messages is over the limit of ${MAX_BATCH_MESSAGES} per POST; send fewer at a time`,
          },
        });
        return;
      }
      const charged = this.chargeRate(auth, body, res);
      if (!charged) return;
      auth = charged;
    }

    const request = toWebRequest(req, `${url.pathname}${url.search}`, abortOnClientGone(res));
    // The SDK's own classifier: a request that carries the 2026-07-28 `_meta` envelope is modern, anything else legacy.
    if (!(await isLegacyRequest(request, body))) {
      await sendWebResponse(res, await this.modern.fetch(request, { authInfo: auth, parsedBody: body }));
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.sessions.get(sessionId);
      // Another client's session id is treated as unknown, so ids cannot be probed or borrowed.
      if (!session || session.subject !== auth.clientId) {
        sendJson(res, 404, {
          jsonrpc: '2.0',
          id: null,
          error: { code: -32001, message: 'Session not found; start a new one with initialize' },
        });
        return;
      }
      await sendWebResponse(res, await session.transport.handleRequest(request, { authInfo: auth, parsedBody: body }));
      return;
    }
    if (method === 'POST' && messagesOf(body).some((m) => isInitializeRequest(m))) {
      await this.startSession(auth, request, res, body);
      return;
    }
    sendJson(res, 400, {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32000, message: 'Bad Request: no Mcp-Session-Id header; send initialize first' },
    });
  }

  private async authenticate(req: IncomingMessage, res: ServerResponse): Promise<AuthInfo | null> {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    const verified: VerifyResult = match?.[1]
      ? await verifyCrmToken(this.deps.key, match[1])
      : {
          ok: false,
          description:
            header === undefined
              ? 'no Authorization header; send Authorization: Bearer <token> (mint one with: mcpsh serve crm token)'
              : 'the Authorization header does not use the Bearer scheme',
        };
    if (!verified.ok) {
      // Same challenge with or without a token, as the SDK's own bearer middleware does, so clients need one code path.
      res.setHeader(
        'WWW-Authenticate',
        `Bearer realm="${REALM}", error="invalid_token", error_description="${quoteSafe(verified.description)}"`,
      );
      sendJson(res, 401, { error: 'invalid_token', error_description: verified.description });
      return null;
    }
    return verified.auth;
  }

  /**
   * One token per JSON-RPC request, every request of a batch included (rate.ts). A POST whose first request
   * finds no token is refused whole with 429, as a single call is; in a batch that runs out partway, the AuthInfo
   * returned names the requests past the budget and the gate answers each with a JSON-RPC error. Notifications
   * and responses (initialized, cancelled) and DELETE pass free: refusing them would only stop a client from tidying up.
   */
  private chargeRate(auth: AuthInfo, body: unknown, res: ServerResponse): AuthInfo | null {
    const messages = messagesOf(body);
    const charge = chargeRequests(this.deps.limiter, auth.clientId, messages);
    if (charge.over.length === 0) return auth;
    if (charge.admitted > 0) return withRateLimited(auth, { ids: new Set(charge.over), retryAfterSeconds: charge.retryAfterSeconds });
    const retryAfter = charge.retryAfterSeconds;
    for (const m of messages) {
      if (isJSONRPCRequest(m) && m.method === 'tools/call') {
        const params = (m.params ?? {}) as { name?: unknown; arguments?: unknown };
        this.deps.audit.record({
          client: auth.clientId,
          server: 'crm',
          tool: typeof params.name === 'string' ? params.name : '',
          args: params.arguments,
          outcome: 'denied',
          durationMs: 0,
          reason: 'rate limited',
        });
      }
    }
    res.setHeader('Retry-After', String(retryAfter));
    sendJson(res, 429, {
      error: 'rate_limited',
      error_description: rateLimitDescription(auth.clientId, retryAfter),
      retry_after: retryAfter,
    });
    return null;
  }

  private async startSession(auth: AuthInfo, request: Request, res: ServerResponse, body: unknown): Promise<void> {
    if (this.sessions.size >= this.deps.maxSessions) {
      res.setHeader('Retry-After', '5');
      sendJson(res, 503, {
        jsonrpc: '2.0',
        id: null,
        error: { code: -32000, message: `too many open sessions (${this.deps.maxSessions}); close one with DELETE` },
      });
      return;
    }
    const subject = auth.clientId;
    const server = this.deps.createServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { subject, transport, server });
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    await server.connect(transport);
    // Connecting set the transport's onclose (to the gate's); chain ours after so a session that ends any way leaves the table.
    const closed = transport.onclose;
    transport.onclose = () => {
      if (transport.sessionId) this.sessions.delete(transport.sessionId);
      closed?.();
    };
    await sendWebResponse(res, await transport.handleRequest(request, { authInfo: auth, parsedBody: body }));
  }
}

function messagesOf(body: unknown): unknown[] {
  return Array.isArray(body) ? body : body === undefined ? [] : [body];
}

/** RFC 6750 §3: error_description allows printable ASCII except '"' and '\\'. */
function quoteSafe(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?');
}

type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; code: number; message: string };

function readJsonBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      // Stop reading but leave the socket alone, so the 413 still reaches the client (it is sent with Connection: close).
      req.off('data', onData).off('end', onEnd).off('error', fail).pause();
      done({ ok: false, status: 413, code: -32000, message: `request body over ${MAX_BODY_BYTES} bytes` });
    };
    const onEnd = (): void => {
      try {
        done({ ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown });
      } catch {
        done({ ok: false, status: 400, code: -32700, message: 'Parse error: the body is not valid JSON' });
      }
    };
    req.on('data', onData).on('end', onEnd).on('error', fail);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
}
