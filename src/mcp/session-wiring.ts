// One SDK Client on one transport, wired to the connection's hooks, connected in the planned era (era.ts):
// the initialize handshake (legacy) or server/discover (modern). Shared by the stdio and remote openers.
import { Client, LOG_LEVEL_META_KEY, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/client';
import type { LoggingLevel, Transport } from './types.js';
import { planEra, type Era } from './era.js';
import type { RemoteAuth } from '../auth/auth-fetch.js';
import { debugLog } from '../debug-log.js';
import { clientRequestCapabilities, registerClientRequestHandlers } from './client-requests.js';
import { authPartition } from './auth-partition.js';
import { bridgeMissingResultType } from './result-type.js';
import { appendServerLog } from './server-log.js';
import { wrapInbound } from './inbound-hook.js';
import type { OpenedSession, OpenOptions, SessionHooks, TransportKind } from './session-types.js';

export async function openWith(
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
    await client
      .setLoggingLevel(options.logLevel, { signal, timeout: options.timeoutMs })
      .catch((err: unknown) =>
        hooks.onError(new Error(`logging/setLevel ${options.logLevel}: ${err instanceof Error ? err.message : String(err)}`)),
      );
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
