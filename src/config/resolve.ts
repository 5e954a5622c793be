// From a validated server entry to the ResolvedServer everything else uses: transport decided,
// defaults applied, seconds turned into milliseconds, cwd made absolute.
import path from 'node:path';
import {
  DEFAULT_BREAKER_COOLDOWN_S,
  DEFAULT_BREAKER_FAILURES,
  DEFAULT_CALL_TIMEOUT_S,
  DEFAULT_CONNECT_TIMEOUT_S,
  DEFAULT_MAX_CALL_TIME_S,
  DEFAULT_MAX_RESTARTS,
  DEFAULT_PING_INTERVAL_S,
  REMOTE_TYPE_ALIASES,
  type RateLimitSpec,
  type RemoteServerEntry,
  type ResolvedServer,
  type ServerEntry,
} from './schema.js';
import type { ServerDraft } from './validate.js';

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const stringMap = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null
    ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

export interface ResolveContext {
  /** The file that defined the entry. */
  source: string;
  /** The process working directory: the default cwd of stdio servers. */
  cwd: string;
  /** Unresolved ${VAR} messages for this server. */
  problems: string[] | undefined;
}

export function resolveServer(draft: ServerDraft, ctx: ResolveContext): ResolvedServer {
  const e = draft.entry;
  // The entry has passed the zod schema; the typed view is for the nested issue-6 settings.
  const typed = draft.entry as ServerEntry;
  const enabled = !(e.enabled === false || e.disabled === true);
  const callTimeoutMs = Math.round(num(e.callTimeout, DEFAULT_CALL_TIMEOUT_S) * 1000);
  const common = {
    name: draft.name,
    enabled,
    required: e.required === true,
    connectTimeoutMs: Math.round(num(e.connectTimeout, DEFAULT_CONNECT_TIMEOUT_S) * 1000),
    callTimeoutMs,
    maxCallTimeMs: Math.max(callTimeoutMs, Math.round(num(e.maxCallTime, DEFAULT_MAX_CALL_TIME_S) * 1000)),
    includeTools: strings(e.includeTools),
    excludeTools: strings(e.excludeTools),
    source: ctx.source,
    maxRestarts: num(e.maxRestarts, DEFAULT_MAX_RESTARTS),
    breaker: {
      failures: num(typed.circuitBreaker?.failures, DEFAULT_BREAKER_FAILURES),
      cooldownMs: Math.round(num(typed.circuitBreaker?.cooldownSeconds, DEFAULT_BREAKER_COOLDOWN_S) * 1000),
    },
    pingIntervalMs: Math.round(num(e.pingInterval, DEFAULT_PING_INTERVAL_S) * 1000),
    ...(typed.cache ? { cache: { ttlMs: Math.round(typed.cache.ttlSeconds * 1000), tools: strings(typed.cache.tools) } } : {}),
    ...(typed.rateLimit ? { rateLimit: resolveRateLimit(typed.rateLimit) } : {}),
    ...(typed.logLevel ? { logLevel: typed.logLevel } : {}),
    ...(typed.protocolVersion ? { protocolVersion: typed.protocolVersion } : {}),
    // A disabled server is never started, so a variable it lacks is no one's problem yet.
    ...(ctx.problems && ctx.problems.length > 0 && enabled ? { configError: ctx.problems.join('; ') } : {}),
  };
  if (draft.kind === 'stdio') {
    const cwd = typeof e.cwd === 'string' ? path.resolve(path.dirname(ctx.source), e.cwd) : ctx.cwd;
    return {
      ...common,
      transport: 'stdio',
      command: str(e.command),
      args: strings(e.args),
      env: stringMap(e.env),
      inheritEnv: e.inheritEnv === true,
      cwd,
    };
  }
  const type = str(e.type);
  const transport = Object.hasOwn(REMOTE_TYPE_ALIASES, type) ? REMOTE_TYPE_ALIASES[type as keyof typeof REMOTE_TYPE_ALIASES] : 'auto';
  const remote = typed as RemoteServerEntry;
  const oauth = remote.oauth;
  return {
    ...common,
    transport,
    url: str(e.url),
    headers: stringMap(e.headers),
    ...(remote.headersHelper ? { headersHelper: remote.headersHelper } : {}),
    oauth:
      oauth === false
        ? false
        : {
            ...(oauth?.clientId ? { clientId: oauth.clientId } : {}),
            ...(oauth?.clientSecret ? { clientSecret: oauth.clientSecret } : {}),
            ...(oauth?.clientMetadataUrl ? { clientMetadataUrl: oauth.clientMetadataUrl } : {}),
            ...(oauth?.scopes ? { scopes: oauth.scopes } : {}),
            redirectPort: oauth?.redirectPort ?? 0,
            grantType: oauth?.grantType ?? 'authorization_code',
            ...(oauth?.privateKey ? { privateKey: oauth.privateKey } : {}),
            ...(oauth?.signingAlgorithm ? { signingAlgorithm: oauth.signingAlgorithm } : {}),
            ...(oauth?.assertion ? { assertion: oauth.assertion } : {}),
            ...(oauth?.assertionFile ? { assertionFile: oauth.assertionFile } : {}),
            ...(oauth?.assertionCommand ? { assertionCommand: oauth.assertionCommand } : {}),
            ...(oauth?.idp ? { idp: { ...oauth.idp } } : {}),
            ...(oauth?.dpop !== undefined ? { dpop: oauth.dpop } : {}),
          },
  };
}

function spec(limit: { perMinute: number; burst?: number | undefined }): RateLimitSpec {
  return { perMinute: limit.perMinute, burst: limit.burst ?? Math.max(1, Math.floor(limit.perMinute / 6)) };
}

function resolveRateLimit(limit: NonNullable<ServerEntry['rateLimit']>): RateLimitSpec & { tools: Record<string, RateLimitSpec> } {
  const tools = Object.fromEntries(Object.entries(limit.tools ?? {}).map(([glob, l]) => [glob, spec(l)]));
  return { ...spec(limit), tools };
}
