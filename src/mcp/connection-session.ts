// How a connection opens one session (connection.ts): the hooks it hands openSession (the depth guard before the
// Client attaches, list_changed refreshes, the session's end routed to restarts) and what it keeps of the answer
// (server info, capabilities, era and where the era came from). The connection holds the state; this fills it in.
import type { Client } from '@modelcontextprotocol/client';
import type { Implementation, ServerCapabilities, Transport } from './types.js';
import type { ResolvedServer } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import type { ServerFeatures } from './features.js';
import type { PausableDeadline } from './deadline.js';
import { guardInboundDepth, type SkippedTool } from './depth-guard.js';
import { openSession, type OpenedSession, type OpenOptions, type TransportKind } from './open-session.js';
import type { Era, EraVerdict } from './era.js';
import { eraSettingIsAuto } from './connect-flow.js';
import type { PersonWait } from './client-requests.js';
import type { ServerState } from './server-state.js';

/** The connection as a session start sees it: what it records of the session (the error is redacted there). */
export interface SessionTarget {
  readonly name: string;
  readonly config: ResolvedServer;
  readonly features: ServerFeatures;
  readonly state: ServerState;
  error: string | undefined;
  transportKind: TransportKind | undefined;
  serverInfo: Implementation | undefined;
  capabilities: ServerCapabilities | undefined;
  protocolVersion: string | undefined;
  era: Era | undefined;
  eraSource: 'probed' | 'cached' | 'pinned' | undefined;
  instructions: string | undefined;
  refreshTools(): Promise<void>;
}

/** What the connection keeps to itself and lends its session start. */
export interface SessionParts {
  /** The connection's options, as openSession reads them. */
  readonly options: Pick<OpenOptions, 'env' | 'stderrLogPath' | 'clientInfo' | 'roots' | 'clientPorts'>;
  /** The new session's transport and client become the current ones. */
  attach(transport: Transport, client: Client): void;
  /** The current session's client. */
  client(): Client | undefined;
  /** Tools the depth guard left out of the tools/list being read. */
  skipTools(skipped: SkippedTool[]): void;
  /** A tools/list_changed arrived: the list is stale until it is read again. */
  toolsStale(): void;
  /** The current session ended (restarts.ts decides what follows). */
  sessionClosed(): void;
  onPerson: PersonWait;
  /** Opens the change subscription of a long-lived session (a no-op for one-shot commands). */
  listen(era: Era): void;
}

export async function startSession(
  target: SessionTarget,
  parts: SessionParts,
  signal: AbortSignal,
  deadline: PausableDeadline,
  cachedVerdict: EraVerdict | undefined,
): Promise<OpenedSession> {
  const opened = await openSession(
    target.config,
    {
      ...parts.options,
      entry: target.config,
      cachedVerdict,
      serverName: target.name,
      timeoutMs: target.config.connectTimeoutMs,
      logLevel: target.config.logLevel,
      onPerson: () => parts.onPerson(),
    },
    {
      pauseConnectTimeout: () => deadline.pause(),
      onTransport: (transport, client, kind) => {
        // Before the Client attaches: nothing nested too deep gets past this (src/mcp/depth-guard.ts).
        guardInboundDepth(transport, {
          onRefused: (reason) => void (target.error = reason),
          onSkippedTools: (skipped) => parts.skipTools(skipped),
        });
        parts.attach(transport, client);
        target.transportKind = kind;
        target.features.reset();
      },
      onToolsChanged: () => {
        if (target.state !== 'ready') return;
        parts.toolsStale();
        target.refreshTools().catch((err: unknown) => {
          target.error = `refreshing tools after list_changed failed: ${errorMessage(err)}`;
        });
      },
      // Garbage on stdout and the like: note it, keep going; the close hook deals with deaths.
      onListChanged: (kind) => {
        if (target.state === 'ready')
          target.features
            .handleListChanged(kind)
            .catch((err: unknown) => (target.error = `refreshing ${kind} after list_changed failed: ${errorMessage(err)}`));
      },
      onError: (err) => {
        target.error = errorMessage(err);
      },
      onClose: (client) => {
        // Only the current session's end counts (one dropped before a restart closes too).
        if (parts.client() === client) parts.sessionClosed();
      },
      onProtocolVersion: (version) => {
        target.protocolVersion = version;
      },
    },
    signal,
  );
  target.serverInfo = opened.serverInfo;
  target.capabilities = opened.capabilities;
  target.instructions = opened.instructions;
  target.era = opened.era;
  target.protocolVersion = opened.protocolVersion ?? target.protocolVersion;
  target.eraSource = opened.plan.fromCache ? 'cached' : opened.plan.probes && eraSettingIsAuto(target.config) ? 'probed' : 'pinned';
  parts.listen(opened.era);
  return opened;
}
