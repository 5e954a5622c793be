// Builds the stdio transport for a server entry (our own, process-tree aware; the remote ones are in
// remote-transport.ts, loaded only for remote entries), and turns transport failures into one-line reasons
// a person can act on.
import { ProtocolError, SdkHttpError, SseError } from '@modelcontextprotocol/client';
import type { ResolvedStdioServer } from '../config/schema.js';
import { AppError, errorMessage } from '../errors.js';
import type { Refusal } from './http-refusal.js';
import { ProcessStdioTransport } from './stdio-transport.js';
import { describeEraError, probeCause } from './era.js';

/** Parent variables a stdio server gets by default (like sudo's env_keep): enough to run, nothing secret. */
const SAFE_ENV_KEYS = [
  'HOME',
  'LOGNAME',
  'PATH',
  'SHELL',
  'TERM',
  'USER',
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TMPDIR',
  'TZ',
  'NODE_EXTRA_CA_CERTS',
];

export function serverEnv(entry: ResolvedStdioServer, parent: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  const keys = entry.inheritEnv ? Object.keys(parent) : SAFE_ENV_KEYS;
  for (const key of keys) {
    const value = parent[key];
    // Exported bash functions ("() { ...") are never passed on.
    if (value !== undefined && !value.startsWith('()')) env[key] = value;
  }
  return { ...env, ...entry.env };
}

export function createStdioTransport(
  entry: ResolvedStdioServer,
  parentEnv: NodeJS.ProcessEnv,
  stderrLogPath: string,
): ProcessStdioTransport {
  return new ProcessStdioTransport({
    command: entry.command,
    args: entry.args,
    env: serverEnv(entry, parentEnv),
    cwd: entry.cwd,
    stderrLogPath,
  });
}

/** The HTTP status behind a transport error, when there is one. */
export function httpStatusOf(err: unknown): number | undefined {
  if (err instanceof SdkHttpError) return err.status > 0 ? err.status : undefined;
  if (err instanceof SseError) return typeof err.code === 'number' && err.code > 0 ? err.code : undefined;
  const match = /\bHTTP (\d{3})\b|\((\d{3})\)|status(?: code)? (\d{3})/i.exec(errorMessage(err));
  const code = match?.[1] ?? match?.[2] ?? match?.[3];
  return code ? Number(code) : undefined;
}

/** One line on why connecting failed, with what to check; `refusal` is the server's last 401/403, if any. */
export function describeConnectError(thrown: unknown, where: string, eraSetting = 'auto', refusal?: Refusal): string {
  // What went wrong inside the era probe comes wrapped by the SDK.
  const err = probeCause(thrown);
  // Our own errors (sign-in needed, a failing headersHelper, OAuth refused) already say what to do.
  if (err instanceof AppError) return err.message;
  const era = describeEraError(err, where, eraSetting);
  if (era) return era;
  const status = httpStatusOf(err);
  const message = errorMessage(err);
  if (status === 401 || status === 403 || (status === undefined && refusal && /unauthori[sz]ed|forbidden|denied/i.test(message))) {
    return describeRefusal(where, status ?? refusal?.status ?? 401, refusal);
  }
  if (status !== undefined && status >= 500) return `${where} answered HTTP ${status} (server error)`;
  if (status === 404 || status === 405) return `${where} answered HTTP ${status}: is this the MCP endpoint (often .../mcp or .../sse)?`;
  if (/Unexpected content type|text\/html|is not valid JSON|Unexpected token/.test(message)) {
    return `${where} did not speak MCP (${message.slice(0, 120)})`;
  }
  const cause = (err as { cause?: { code?: string } } | undefined)?.cause;
  if (cause?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return `${where}: connection refused (is the server running?)`;
  if (cause?.code === 'ENOTFOUND' || /ENOTFOUND/.test(message)) return `${where}: host not found`;
  if (err instanceof ProtocolError) return message.replace(/^MCP error -?\d+: /, '');
  return message;
}

/**
 * A 401/403 in the server's own words; credentials are blamed only when some were sent. Without any, a 403
 * is the server's policy (e.g. "only allowed at localhost"), and a 401 means it wants credentials.
 */
function describeRefusal(where: string, status: number, refusal: Refusal | undefined): string {
  const said = refusal?.status === status && refusal.reason ? `: "${refusal.reason}"` : '';
  const credentials = refusal?.status === status ? refusal.credentials : undefined;
  if (status === 401) {
    if (credentials === false)
      return `${where} answered HTTP 401 Unauthorized${said}; no credentials were sent: add an Authorization header or a headersHelper to its config, or sign in with \`mcpsh auth login\``;
    return `${where} answered HTTP 401 Unauthorized${said}: check the Authorization header, headersHelper or sign-in (\`mcpsh auth login\`) for it`;
  }
  if (credentials === false)
    return `${where} answered HTTP 403 Forbidden${said} (no credentials were sent, so this is the server's own rule)`;
  if (credentials === true) return `${where} answered HTTP 403 Forbidden${said}: the credentials sent lack permission`;
  return `${where} answered HTTP 403 Forbidden${said}`;
}
