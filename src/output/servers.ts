// The JSON shape of a server's status, shared by `servers --json`, `doctor --json` and later `ask --output json`.
import type { ServerConnection } from '../mcp/connection.js';
import type { MetricsSnapshot } from '../mcp/metrics.js';

export interface ServerStatusJson {
  name: string;
  transport: string;
  state: string;
  tools: number;
  connectMs: number | null;
  error: string | null;
  serverInfo: { name: string; version: string } | null;
  protocolVersion: string | null;
  /** modern (2026-07-28: server/discover, no handshake) or legacy (the initialize handshake); null before connecting. */
  era: 'modern' | 'legacy' | null;
  /** How the era was settled: probed on this connect, remembered from an earlier one, or pinned by protocolVersion. */
  eraSource: 'probed' | 'cached' | 'pinned' | null;
  source: string;
  /** Calls made through this process, their errors and latency, restarts and response-cache use. */
  metrics: MetricsSnapshot;
}

export function serverStatusJson(c: ServerConnection): ServerStatusJson {
  return {
    name: c.name,
    transport: transportLabel(c),
    state: serverState(c),
    tools: c.tools.length,
    connectMs: c.connectMs ?? null,
    error: c.config.blocked ?? (c.state === 'failed' ? (c.error ?? 'failed') : null),
    serverInfo: c.serverInfo ? { name: c.serverInfo.name, version: c.serverInfo.version } : null,
    protocolVersion: c.protocolVersion ?? null,
    era: c.era ?? null,
    eraSource: c.eraSource ?? null,
    source: c.config.source,
    metrics: c.metrics.snapshot(),
  };
}

/** The state reports show: `blocked` for a server the managed policy blocks (never started), else the connection's. */
export function serverState(c: Pick<ServerConnection, 'state' | 'config'>): string {
  return c.config.blocked !== undefined ? 'blocked' : c.state;
}

/** The transport in use, or the configured one before connecting (`http?` = Streamable HTTP with SSE fallback). */
export function transportLabel(c: ServerConnection): string {
  if (c.transportKind) return c.transportKind;
  return c.config.transport === 'auto' ? 'http?' : c.config.transport;
}

/** `modern 2026-07-28` / `legacy 2025-11-25`, or '-' before a session exists. */
export function protocolLabel(c: { era?: string | null | undefined; protocolVersion?: string | null | undefined }): string {
  if (!c.era) return '-';
  return c.protocolVersion ? `${c.era} ${c.protocolVersion}` : c.era;
}
