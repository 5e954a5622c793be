// Builds the SDK transport for a remote entry: Streamable HTTP or legacy SSE, with our fetch (credentials,
// 401/403 handling) underneath. Loaded only when a config has a remote server (see remote-session.ts).
import type { Transport } from './types.js';
import { SSEClientTransport, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { ResolvedRemoteServer } from '../config/schema.js';
import { hasAuthorization, type RemoteAuth } from '../auth/auth-fetch.js';
import { recordRefusals } from './http-refusal.js';
import { tolerateDiscoverReplies } from './discover-shim.js';
import { eraRefusal } from './era.js';
import { httpStatusOf } from './transports.js';
import { traceHeaders } from '../telemetry/hook.js';

export function createRemoteTransport(entry: ResolvedRemoteServer, kind: 'http' | 'sse', remoteAuth?: RemoteAuth): Transport {
  const url = new URL(entry.url);
  const requestInit: RequestInit = { headers: entry.headers };
  // The SDK sends requestInit's headers on the SSE stream's GET as well as on every POST; our fetch adds
  // the headersHelper's headers and the OAuth token, and handles 401/403 (src/auth/auth-fetch.ts).
  // A 401/403 that still comes back is remembered with the server's reason (src/mcp/http-refusal.ts).
  const credentials = (): boolean =>
    hasAuthorization(entry.headers) || entry.headersHelper !== undefined || remoteAuth?.oauth?.storedTokens() !== undefined;
  // With telemetry on, a tools/call's trace context also goes in traceparent/tracestate headers (src/telemetry/hook.ts).
  const recorder = recordRefusals(traceHeaders(remoteAuth?.fetch ?? ((input, init) => fetch(input, init))), credentials);
  const transport =
    kind === 'sse'
      ? new SSEClientTransport(url, { requestInit, fetch: recorder.fetch })
      : // Odd answers to the era probe become a plain "method not found" (src/mcp/discover-shim.ts).
        new StreamableHTTPClientTransport(url, { requestInit, fetch: tolerateDiscoverReplies(recorder.fetch) });
  recorder.attach(transport);
  return transport;
}

/** Whether a failed Streamable HTTP attempt should be retried as legacy SSE (spec: 4xx on the POST). */
export function shouldFallBackToSse(err: unknown): boolean {
  // A 4xx whose body refuses the protocol version is a modern-only server speaking, not a missing endpoint.
  if (eraRefusal(err)) return false;
  const status = httpStatusOf(err);
  return status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 403;
}
