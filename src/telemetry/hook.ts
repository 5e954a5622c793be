// The MCP layer's one telemetry hook: a process-wide slot that is empty unless telemetry was started. The
// call path checks it once per tools/call; the HTTP transports' fetch checks it once per request. This
// file imports nothing of OpenTelemetry, so the MCP layer costs nothing more when telemetry is off.

/** What the MCP layer knows about one tools/call when it starts. */
export interface McpCallInfo {
  server: string;
  tool: string;
  /** The transport from the config ('auto' until an HTTP server's transport is known). */
  transport: string;
  /** The server's URL, for HTTP servers. */
  url?: string;
  /** The MCP session id, when the transport has one (read when the call ends). */
  sessionId(): string | undefined;
}

/** The `_meta` that carries the trace context of a call to the server (W3C traceparent/tracestate). */
export type TraceMeta = Record<string, string>;

export interface McpTelemetry {
  /** Runs one tools/call inside a client span; `send` gets the `_meta` to put on the request. */
  toolCall<T>(info: McpCallInfo, send: (meta: TraceMeta) => Promise<T>): Promise<T>;
}

let current: McpTelemetry | undefined;

/** Installs (or with undefined removes) the MCP telemetry; telemetry/start.ts does this. */
export function setMcpTelemetry(telemetry: McpTelemetry | undefined): void {
  current = telemetry;
}

/** The MCP telemetry when it is on. */
export function mcpTelemetry(): McpTelemetry | undefined {
  return current;
}

type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

const TRACEPARENT = /"traceparent":"(00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2})"/;
const TRACESTATE = /"tracestate":"([^"\\]{1,512})"/;

/**
 * A fetch for an HTTP transport that also sends a request's trace context as `traceparent` / `tracestate`
 * headers, taken from the `_meta` the call path put in the JSON-RPC body. Telemetry off: the same fetch.
 */
export function traceHeaders<F extends Fetch>(fetchFn: F): F {
  const traced = (input: string | URL, init?: RequestInit): Promise<Response> => {
    const body = init?.body;
    if (current === undefined || typeof body !== 'string') return fetchFn(input, init);
    const parent = TRACEPARENT.exec(body)?.[1];
    if (parent === undefined) return fetchFn(input, init);
    const headers = new Headers(init?.headers);
    headers.set('traceparent', parent);
    const state = TRACESTATE.exec(body)?.[1];
    if (state !== undefined) headers.set('tracestate', state);
    return fetchFn(input, { ...init, headers });
  };
  return traced as F;
}
