// Server entries after loading (src/config/resolve.ts): transport decided, defaults applied, relative paths resolved.
// Plain types with no zod; the raw config shape they are resolved from is in ./schema.ts.

/** A server entry after loading: transport decided, defaults applied, relative paths resolved. */
interface ResolvedCommon {
  name: string;
  enabled: boolean;
  required: boolean;
  connectTimeoutMs: number;
  callTimeoutMs: number;
  /** Total time a call may take, progress or not (>= callTimeoutMs). */
  maxCallTimeMs: number;
  includeTools: string[];
  excludeTools: string[];
  /** Which config file defined this server. */
  source: string;
  /** Set when the entry cannot be used (e.g. an unset ${VAR}); the server is reported failed with this reason. */
  configError?: string;
  /** Set when the managed policy blocks the server (src/config/managed-match.ts): the reason; it is never started. */
  blocked?: string;
  cache?: { ttlMs: number; tools: string[] };
  rateLimit?: RateLimitSpec & { tools: Record<string, RateLimitSpec> };
  maxRestarts: number;
  breaker: { failures: number; cooldownMs: number };
  pingIntervalMs: number;
  /** MCP logging level requested with logging/setLevel. */
  logLevel?: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical' | 'alert' | 'emergency';
  /** The protocol era setting (src/mcp/era.ts); absent means "auto". */
  protocolVersion?: string;
}

export interface RateLimitSpec {
  perMinute: number;
  burst: number;
}

export interface ResolvedStdioServer extends ResolvedCommon {
  transport: 'stdio';
  command: string;
  args: string[];
  env: Record<string, string>;
  inheritEnv: boolean;
  cwd: string;
}

export interface ResolvedRemoteServer extends ResolvedCommon {
  /** `auto` tries Streamable HTTP first and falls back to SSE on a 4xx. */
  transport: 'http' | 'sse' | 'auto';
  url: string;
  headers: Record<string, string>;
  /** Shell command printing a JSON object of headers. */
  headersHelper?: string;
  /** false: never try OAuth; otherwise the (possibly empty) settings. */
  oauth: false | ResolvedOAuth;
}

export interface ResolvedOAuth {
  clientId?: string;
  clientSecret?: string;
  clientMetadataUrl?: string;
  scopes?: string[];
  redirectPort: number;
  /** Unset means authorization_code. */
  grantType?: 'authorization_code' | 'client_credentials' | 'jwt-bearer' | 'enterprise';
  privateKey?: string;
  signingAlgorithm?: string;
  assertion?: string;
  assertionFile?: string;
  assertionCommand?: string;
  idp?: {
    issuer: string;
    tokenEndpoint?: string | undefined;
    clientId: string;
    clientSecret?: string | undefined;
    idToken?: string | undefined;
    idTokenFile?: string | undefined;
    idTokenCommand?: string | undefined;
  };
  /** Unset: when the authorization server advertises DPoP. */
  dpop?: boolean;
}

export type ResolvedServer = ResolvedStdioServer | ResolvedRemoteServer;
