// How a server that could not start (or died) is described in one line: an era refusal in its own words,
// a stdio server's exit status and most informative stderr line, or the transport's reason a person can act on
// (a 401/403 in the server's own words, src/mcp/http-refusal.ts).
import type { ResolvedServer } from '../config/schema.js';
import { describeEraError, probeCause } from './era.js';
import { ProcessStdioTransport } from './stdio-transport.js';
import { describeConnectError } from './transports.js';
import { refusalOf } from './http-refusal.js';
import type { Transport } from './types.js';

/** Why a connect failed, for `connection.error`. */
export function connectFailureReason(config: ResolvedServer, transport: Transport | undefined, err: unknown): string {
  const where = config.transport === 'stdio' ? config.command : config.url;
  // An era refusal explains the exit too (the SDK closes the transport when negotiation fails).
  const era = describeEraError(probeCause(err), where, config.protocolVersion ?? 'auto');
  if (era) return era;
  const exit = exitReason(transport);
  if (exit) return exit;
  return describeConnectError(err, where, config.protocolVersion, refusalOf(transport));
}

/** The connect took longer than connectTimeout (with what a stdio server last said). */
export function connectTimeoutReason(config: ResolvedServer, transport: Transport | undefined): string {
  const clue = transport instanceof ProcessStdioTransport ? transport.stderrClue() : '';
  return `did not finish starting within ${config.connectTimeoutMs / 1000}s (connectTimeout)${clue}`;
}

/** For a stdio server that died: its exit status and the last thing it said on stderr. */
export function exitReason(transport: Transport | undefined): string | undefined {
  return transport instanceof ProcessStdioTransport ? transport.describeExit() : undefined;
}
