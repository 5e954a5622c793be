// Opening one MCP session: the transport for the entry (stdio, Streamable HTTP, SSE, or HTTP with SSE
// fallback), an SDK Client wired to the connection's hooks, and the initialize handshake.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type Implementation,
  type LoggingLevel,
  type Root,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { createRemoteAuth, type RemoteAuth } from '../auth/auth-fetch.js';
import { authPolicyFor } from '../auth/context.js';
import { SignInRequiredError } from '../auth/oauth-session.js';
import type { ResolvedRemoteServer, ResolvedServer } from '../config/schema.js';
import { debugLog } from '../debug-log.js';
import { clientRequestCapabilities, registerClientRequestHandlers, type ClientPorts } from './client-requests.js';
import type { ListKind } from './features.js';
import { appendServerLog } from './server-log.js';
import { createRemoteTransport, createStdioTransport, shouldFallBackToSse } from './transports.js';

export type TransportKind = 'stdio' | 'http' | 'sse';

export interface SessionHooks {
  /** The transport in use, as soon as it exists (so a failed start can still be diagnosed from it). */
  onTransport(transport: Transport, client: Client, kind: TransportKind): void;
  onToolsChanged(): void;
  onListChanged(kind: ListKind): void;
  onError(error: Error): void;
  onClose(client: Client): void;
  onProtocolVersion(version: string): void;
  /** Stops the connect timeout while a person signs in (OAuth); the returned function restarts it in full. */
  pauseConnectTimeout?(): () => void;
}

export interface OpenOptions {
  /** For the debug log. */
  serverName: string;
  env: NodeJS.ProcessEnv;
  stderrLogPath: string;
  clientInfo: Implementation;
  timeoutMs: number;
  /** What roots/list answers (the working directory and configured roots). */
  roots?: () => Root[];
  /** Sent as logging/setLevel after connecting, when the server offers logging. */
  logLevel?: LoggingLevel | undefined;
  /** Elicitation and sampling ports; each is declared as a capability only when present. */
  clientPorts?: () => ClientPorts | undefined;
}

export interface OpenedSession {
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  instructions: string | undefined;
}

/** Browser sign-ins one connect may start (a first one, then one step-up) before it gives up. */
const MAX_SIGN_INS_PER_CONNECT = 2;

export async function openSession(entry: ResolvedServer, options: OpenOptions, hooks: SessionHooks, signal: AbortSignal): Promise<OpenedSession> {
  if (entry.transport === 'stdio') return openWith(createStdioTransport(entry, options.env, options.stderrLogPath), 'stdio', options, hooks, signal);
  const policy = authPolicyFor(options.env);
  const remoteAuth = createRemoteAuth(entry, options.env, policy);
  for (let signIns = 0; ; signIns++) {
    try {
      return await openRemote(entry, remoteAuth, options, hooks, signal);
    } catch (err) {
      // Signing in inside the initialize request would race the connect timeout: do it here, with that
      // timeout paused (the browser step has its own bound, MCPSH_AUTH_TIMEOUT), then reconnect.
      if (!(err instanceof SignInRequiredError) || !policy.interactive || !remoteAuth.oauth || signIns >= MAX_SIGN_INS_PER_CONNECT || signal.aborted) throw err;
      const resume = hooks.pauseConnectTimeout?.();
      try {
        await remoteAuth.oauth.authorize(err.challenge, true, { ...policy, signal });
      } finally {
        resume?.();
      }
    }
  }
}

async function openRemote(entry: ResolvedRemoteServer, remoteAuth: RemoteAuth, options: OpenOptions, hooks: SessionHooks, signal: AbortSignal): Promise<OpenedSession> {
  remoteAuth.setPhase('connect');
  if (entry.transport === 'sse') return openWith(createRemoteTransport(entry, 'sse', remoteAuth), 'sse', options, hooks, signal, remoteAuth);
  const http = createRemoteTransport(entry, 'http', remoteAuth);
  try {
    return await openWith(http, 'http', options, hooks, signal, remoteAuth);
  } catch (err) {
    if (entry.transport !== 'auto' || !shouldFallBackToSse(err) || signal.aborted) throw err;
    await http.close().catch(() => undefined);
    return openWith(createRemoteTransport(entry, 'sse', remoteAuth), 'sse', options, hooks, signal, remoteAuth);
  }
}

async function openWith(transport: Transport, kind: TransportKind, options: OpenOptions, hooks: SessionHooks, signal: AbortSignal, remoteAuth?: RemoteAuth): Promise<OpenedSession> {
  // Exactly what mcpsh implements: roots, plus elicitation and sampling when a port serves them.
  const ports = options.clientPorts?.();
  const client = new Client(options.clientInfo, { capabilities: { roots: { listChanged: true }, ...clientRequestCapabilities(ports) } });
  registerClientRequestHandlers(client, options.serverName, ports);
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: options.roots?.() ?? [] }));
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    hooks.onToolsChanged();
    return Promise.resolve();
  });
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
    hooks.onListChanged('resources');
    return Promise.resolve();
  });
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
    hooks.onListChanged('prompts');
    return Promise.resolve();
  });
  client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
    appendServerLog(options.stderrLogPath, notification.params);
    return Promise.resolve();
  });
  client.onerror = (err) => hooks.onError(err);
  client.onclose = () => hooks.onClose(client);
  // The negotiated version is only handed to the transport; catch it on the way.
  const forward = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (version: string) => {
    hooks.onProtocolVersion(version);
    forward?.(version);
  };
  if (debugLog.enabled) traceTransport(transport, options.serverName);
  hooks.onTransport(transport, client, kind);
  await client.connect(transport, { signal, timeout: options.timeoutMs });
  remoteAuth?.setPhase('session');
  if (options.logLevel && client.getServerCapabilities()?.logging) {
    // A server that refuses the level still works; the refusal is noted as its last error.
    await client.setLoggingLevel(options.logLevel, { signal, timeout: options.timeoutMs }).catch((err: unknown) => hooks.onError(new Error(`logging/setLevel ${options.logLevel}: ${err instanceof Error ? err.message : String(err)}`)));
  }
  return { serverInfo: client.getServerVersion(), capabilities: client.getServerCapabilities(), instructions: client.getInstructions() };
}

/** Every message in and out, in summary, to the debug log (`--debug`). */
function traceTransport(transport: Transport, server: string): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    debugLog.mcp(server, 'send', message);
    return send(message, options);
  };
  // The Client sets onmessage after this; wrap it when it is set.
  let handler = transport.onmessage;
  Object.defineProperty(transport, 'onmessage', {
    configurable: true,
    get: () => handler,
    set: (next: Transport['onmessage']) => {
      handler = next
        ? (message, extra) => {
            debugLog.mcp(server, 'receive', message);
            next(message, extra);
          }
        : next;
    },
  });
}
