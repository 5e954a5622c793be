// Opening one MCP session: the transport for the entry (our stdio transport here; Streamable HTTP, SSE, or
// HTTP with SSE fallback in remote-session.ts, loaded only for remote entries), and the client wired and
// connected by session-wiring.ts in the era (era.ts): probed, pinned, or taken from a remembered verdict.
import type { ResolvedServer, ResolvedStdioServer } from '../config/schema.js';
import { closedDuringProbe, planEra } from './era.js';
import { openWith } from './session-wiring.js';
import type { OpenedSession, OpenOptions, SessionHooks } from './session-types.js';
import { createStdioTransport } from './transports.js';

export type { OpenedSession, OpenOptions, SessionHooks, TransportKind } from './session-types.js';

export async function openSession(
  entry: ResolvedServer,
  options: OpenOptions,
  hooks: SessionHooks,
  signal: AbortSignal,
): Promise<OpenedSession> {
  if (entry.transport === 'stdio') return openStdio(entry, options, hooks, signal);
  // Remote servers need the HTTP transports and the OAuth machinery: loaded only when a config has one.
  const { openRemoteSession } = await import('./remote-session.js');
  return openRemoteSession(entry, options, hooks, signal);
}

async function openStdio(
  entry: ResolvedStdioServer,
  options: OpenOptions,
  hooks: SessionHooks,
  signal: AbortSignal,
): Promise<OpenedSession> {
  const first = createStdioTransport(entry, options.env, options.stderrLogPath);
  try {
    return await openWith(first, 'stdio', options, hooks, signal);
  } catch (err) {
    // A server that exits on any request before initialize (rmcp style) spent its process on the probe: it is
    // legacy; start it once more and say so (the verdict is remembered, so this costs one spawn, once).
    const probed = options.cachedVerdict === undefined && planEra(entry, 'stdio', undefined).probes;
    if (!probed || signal.aborted || !(first.exit !== undefined || closedDuringProbe(err))) throw err;
    await first.close().catch(() => undefined);
    return openWith(
      createStdioTransport(entry, options.env, options.stderrLogPath),
      'stdio',
      { ...options, cachedVerdict: { era: 'legacy', protocolVersion: undefined } },
      hooks,
      signal,
      undefined,
      true,
    );
  }
}
