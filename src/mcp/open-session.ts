// Opening one MCP session: the transport for the entry (stdio, Streamable HTTP, SSE, or HTTP with SSE
// fallback), an SDK Client wired to the connection's hooks, and the era (era.ts): the initialize handshake
// (legacy) or server/discover (modern), probed, pinned, or taken from a remembered verdict.
import { Client, LOG_LEVEL_META_KEY, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/client';
import type { DiscoverResult, Implementation, LoggingLevel, Root, ServerCapabilities, Transport } from './types.js';
import { closedDuringProbe, planEra, probeCause, type Era, type EraPlan, type EraVerdict } from './era.js';
import { createRemoteAuth, type RemoteAuth } from '../auth/auth-fetch.js';
import { authPolicyFor } from '../auth/context.js';
import { SignInRequiredError } from '../auth/oauth-session.js';
import type { ResolvedRemoteServer, ResolvedServer, ResolvedStdioServer } from '../config/schema.js';
import { debugLog } from '../debug-log.js';
import { clientRequestCapabilities, registerClientRequestHandlers, type ClientPorts, type PersonWait } from './client-requests.js';
import { authPartition } from './auth-partition.js';
import { bridgeMissingResultType } from './result-type.js';
import type { ListKind } from './features.js';
import { appendServerLog } from './server-log.js';
import { createRemoteTransport, createStdioTransport, shouldFallBackToSse } from './transports.js';
import { wrapInbound } from './inbound-hook.js';

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
  /** The server's config entry (its protocolVersion setting decides the era). */
  entry: ResolvedServer;
  env: NodeJS.ProcessEnv;
  stderrLogPath: string;
  clientInfo: Implementation;
  timeoutMs: number;
  /** What roots/list answers (src/mcp/roots.ts); unset: no roots capability is declared. */
  roots?: () => Root[];
  /** Sent as logging/setLevel after connecting, when the server offers logging. */
  logLevel?: LoggingLevel | undefined;
  /** Elicitation and sampling ports; each is declared as a capability only when present. */
  clientPorts?: () => ClientPorts | undefined;
  /** The era verdict remembered from an earlier run (protocolVersion "auto"): no probe when present. */
  cachedVerdict?: EraVerdict | undefined;
  /** While a person answers a server's question: stops the maxCallTime of the call it belongs to. */
  onPerson?: PersonWait;
}

export interface OpenedSession {
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  instructions: string | undefined;
  era: Era;
  protocolVersion: string | undefined;
  /** The server's server/discover answer (modern). */
  discover: DiscoverResult | undefined;
  /** How the era was chosen: this connect's verdict is worth remembering only when it probed. */
  plan: EraPlan;
}

/** Browser sign-ins one connect may start (a first one, then one step-up) before it gives up. */
const MAX_SIGN_INS_PER_CONNECT = 2;

export async function openSession(entry: ResolvedServer, options: OpenOptions, hooks: SessionHooks, signal: AbortSignal): Promise<OpenedSession> {
  if (entry.transport === 'stdio') return openStdio(entry, options, hooks, signal);
  const policy = authPolicyFor(options.env);
  const remoteAuth = createRemoteAuth(entry, options.env, policy);
  for (let signIns = 0; ; signIns++) {
    try {
      return await openRemote(entry, remoteAuth, options, hooks, signal);
    } catch (err) {
      // Signing in inside the initialize request would race the connect timeout: do it here, with that
      // timeout paused (the browser step has its own bound, MCPSH_AUTH_TIMEOUT), then reconnect.
      // A sign-in needed during the era probe comes out wrapped by the SDK.
      const cause = probeCause(err);
      if (!(cause instanceof SignInRequiredError) || !policy.interactive || !remoteAuth.oauth || signIns >= MAX_SIGN_INS_PER_CONNECT || signal.aborted) throw err;
      const resume = hooks.pauseConnectTimeout?.();
      try {
        await remoteAuth.oauth.authorize(cause.challenge, true, { ...policy, signal });
      } finally {
        resume?.();
      }
    }
  }
}

async function openStdio(entry: ResolvedStdioServer, options: OpenOptions, hooks: SessionHooks, signal: AbortSignal): Promise<OpenedSession> {
  const first = createStdioTransport(entry, options.env, options.stderrLogPath);
  try {
    return await openWith(first, 'stdio', options, hooks, signal);
  } catch (err) {
    // A server that exits on any request before initialize (rmcp style) spent its process on the probe: it is
    // legacy; start it once more and say so (the verdict is remembered, so this costs one spawn, once).
    const probed = options.cachedVerdict === undefined && planEra(entry, 'stdio', undefined).probes;
    if (!probed || signal.aborted || !(first.exit !== undefined || closedDuringProbe(err))) throw err;
    await first.close().catch(() => undefined);
    return openWith(createStdioTransport(entry, options.env, options.stderrLogPath), 'stdio', { ...options, cachedVerdict: { era: 'legacy', protocolVersion: undefined } }, hooks, signal, undefined, true);
  }
}

async function openRemote(entry: ResolvedRemoteServer, remoteAuth: RemoteAuth, options: OpenOptions, hooks: SessionHooks, signal: AbortSignal): Promise<OpenedSession> {
  remoteAuth.setPhase('connect');
  if (entry.transport === 'sse') return openWith(createRemoteTransport(entry, 'sse', remoteAuth), 'sse', options, hooks, signal, remoteAuth);
  const http = createRemoteTransport(entry, 'http', remoteAuth);
  try {
    return await openWith(http, 'http', options, hooks, signal, remoteAuth);
  } catch (err) {
    if (entry.transport !== 'auto' || !shouldFallBackToSse(probeCause(err)) || signal.aborted) throw err;
    await http.close().catch(() => undefined);
    return openWith(createRemoteTransport(entry, 'sse', remoteAuth), 'sse', options, hooks, signal, remoteAuth);
  }
}

async function openWith(
  transport: Transport,
  kind: TransportKind,
  options: OpenOptions,
  hooks: SessionHooks,
  signal: AbortSignal,
  remoteAuth?: RemoteAuth,
  respawned = false,
): Promise<OpenedSession> {
  const entry = options.entry;
  const planned = planEra(entry, kind, options.cachedVerdict);
  // After a respawn the verdict is known (legacy) but was learnt by this connect: remember it.
  const plan = respawned ? { ...planned, probes: true, fromCache: false } : planned;
  // Exactly what mcpsh implements: roots, plus elicitation and sampling when a port serves them.
  const ports = options.clientPorts?.();
  const client = new Client(options.clientInfo, {
    // No roots option (config `roots: false`): no roots capability, so a server keeps its configured directories.
    capabilities: { ...(options.roots ? { roots: { listChanged: true } } : {}), ...clientRequestCapabilities(ports) },
    versionNegotiation: plan.negotiation,
    ...(plan.supportedProtocolVersions ? { supportedProtocolVersions: plan.supportedProtocolVersions } : {}),
    // The SDK's own response cache keeps "private" answers under this auth context (cache-hints.ts).
    cachePartition: authPartition(entry),
  });
  registerClientRequestHandlers(client, options.serverName, ports, options.onPerson);
  if (options.roots) {
    const roots = options.roots;
    client.setRequestHandler('roots/list', () => ({ roots: roots() }));
  }
  client.setNotificationHandler('notifications/tools/list_changed', () => hooks.onToolsChanged());
  client.setNotificationHandler('notifications/resources/list_changed', () => hooks.onListChanged('resources'));
  client.setNotificationHandler('notifications/prompts/list_changed', () => hooks.onListChanged('prompts'));
  client.setNotificationHandler('notifications/message', (notification) => appendServerLog(options.stderrLogPath, notification.params));
  client.onerror = (err) => hooks.onError(err);
  client.onclose = () => hooks.onClose(client);
  if (options.logLevel) sendLogLevelPerRequest(transport, options.logLevel);
  if (debugLog.enabled) traceTransport(transport, options.serverName);
  hooks.onTransport(transport, client, kind);
  // After the depth guard (which onTransport installs): a modern answer without resultType reads as complete.
  bridgeMissingResultType(transport);
  await client.connect(transport, { signal, timeout: options.timeoutMs, ...(plan.prior ? { prior: plan.prior } : {}) });
  remoteAuth?.setPhase('session');
  const era: Era = client.getProtocolEra() === 'modern' ? 'modern' : 'legacy';
  if (era === 'legacy' && options.logLevel && client.getServerCapabilities()?.logging) {
    // A server that refuses the level still works; the refusal is noted as its last error.
    await client.setLoggingLevel(options.logLevel, { signal, timeout: options.timeoutMs }).catch((err: unknown) => hooks.onError(new Error(`logging/setLevel ${options.logLevel}: ${err instanceof Error ? err.message : String(err)}`)));
  }
  const protocolVersion = client.getNegotiatedProtocolVersion();
  if (protocolVersion) hooks.onProtocolVersion(protocolVersion);
  return {
    serverInfo: client.getServerVersion(),
    capabilities: client.getServerCapabilities(),
    instructions: client.getInstructions(),
    era,
    protocolVersion,
    discover: client.getDiscoverResult(),
    plan,
  };
}

/**
 * The modern era has no logging/setLevel: the level rides in each request's _meta. Added to every request
 * that carries the modern envelope (legacy requests and the probe have none), so every verb is covered.
 */
function sendLogLevelPerRequest(transport: Transport, level: LoggingLevel): void {
  const send = transport.send.bind(transport);
  transport.send = (message, sendOptions) => {
    if ('method' in message && 'id' in message && message.params?._meta && PROTOCOL_VERSION_META_KEY in message.params._meta) {
      const withLevel = { ...message, params: { ...message.params, _meta: { ...message.params._meta, [LOG_LEVEL_META_KEY]: level } } };
      return send(withLevel, sendOptions);
    }
    return send(message, sendOptions);
  };
}

/** Every message in and out, in summary, to the debug log (`--debug`). */
function traceTransport(transport: Transport, server: string): void {
  const send = transport.send.bind(transport);
  transport.send = (message, options) => {
    debugLog.mcp(server, 'send', message);
    return send(message, options);
  };
  wrapInbound(transport, (next) => (message, extra) => {
    debugLog.mcp(server, 'receive', message);
    next(message, extra);
  });
}
