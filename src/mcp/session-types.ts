// The shapes shared by the stdio and remote session openers (open-session.ts, remote-session.ts) and the
// wiring both use (session-wiring.ts): kept apart so those modules import each other's types without a cycle.
import type { Client } from '@modelcontextprotocol/client';
import type { DiscoverResult, Implementation, LoggingLevel, Root, ServerCapabilities, Transport } from './types.js';
import type { Era, EraPlan, EraVerdict } from './era.js';
import type { ResolvedServer } from '../config/schema.js';
import type { ClientPorts, PersonWait } from './client-requests.js';
import type { ListKind } from './features.js';

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
