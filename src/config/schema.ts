// The config file's shape, in zod: the one source of truth for validation, types and the shipped JSON Schema.
// `mcpServers` is the same shape Claude Desktop, Claude Code (.mcp.json), Cursor and VS Code use.
import { z } from 'zod';
import { OAuthSchema } from './oauth-schema.js';
import { HooksSchema } from './hooks-schema.js';
import { TelemetrySchema } from './telemetry-schema.js';

export const DEFAULT_CONNECT_TIMEOUT_S = 30;
export const DEFAULT_CALL_TIMEOUT_S = 60;
export const DEFAULT_MAX_RESTARTS = 3;
export const DEFAULT_BREAKER_FAILURES = 5;
export const DEFAULT_BREAKER_COOLDOWN_S = 30;
export const DEFAULT_PING_INTERVAL_S = 60;
/** Longest a call may run in total, however often progress resets its callTimeout. */
export const DEFAULT_MAX_CALL_TIME_S = 600;
/** Longest one model response may stream, start to end (a stream that never ends is cut here). */
export const DEFAULT_MODEL_RESPONSE_TIMEOUT_S = 600;

/** Server names become tool-name prefixes (`<server>__<tool>`) and CLI arguments, so they stay plain. */
// Names from Claude Desktop files may hold spaces ("Brave Search"); tool names are sanitised separately.
// Slashes are refused because the name also names the server's log file.
export const SERVER_NAME_PATTERN = /^[^\s/\\]([^/\\]*[^\s/\\])?$/;
export const SERVER_NAME_RULE = 'server names must not contain "/" or "\\", nor start or end with a space';

const globList = z.array(z.string().min(1)).describe('Glob patterns matched against the tool name as the server names it.');

/** Fields every server entry may carry, whatever its transport. */
const common = {
  enabled: z.boolean().optional().describe('Set to false to keep the entry but not start it (default true).'),
  disabled: z.boolean().optional().describe('Accepted for compatibility with Cline/Cursor files: disabled: true is enabled: false.'),
  required: z.boolean().optional().describe('When true, `ask` and `call` fail fast if this server cannot start (default false).'),
  connectTimeout: z
    .number()
    .positive()
    .max(3600)
    .optional()
    .describe(`Seconds to wait for the server to start and answer initialize (default ${DEFAULT_CONNECT_TIMEOUT_S}).`),
  callTimeout: z
    .number()
    .positive()
    .max(86_400)
    .optional()
    .describe(
      `Seconds a tool call may go without an answer or a progress notification (default ${DEFAULT_CALL_TIMEOUT_S}); progress resets it.`,
    ),
  maxCallTime: z
    .number()
    .positive()
    .max(86_400)
    .optional()
    .describe(
      `Seconds a tool call may take in total, however much progress it reports (default ${DEFAULT_MAX_CALL_TIME_S}, and never less than callTimeout).`,
    ),
  includeTools: globList.optional().describe('Only expose tools whose names match one of these globs.'),
  excludeTools: globList.optional().describe('Never expose tools whose names match one of these globs (wins over includeTools).'),
  alwaysLoad: z
    .union([z.boolean(), globList])
    .optional()
    .describe(
      'With tool search on (see toolSearch): true offers every tool of this server to the model on every request; a list of globs (tool names as the server names them) offers those. Others are found with mcpsh_search_tools.',
    ),
  description: z.string().optional().describe('A note for people; not sent anywhere.'),
  cache: z
    .strictObject({
      ttlSeconds: z.number().positive().max(86_400).describe('How long a cached result stays fresh.'),
      tools: globList
        .optional()
        .describe('Tools to cache even without readOnlyHint + idempotentHint (use only for tools that really are).'),
    })
    .optional()
    .describe('Opt-in response cache: results of read-only, idempotent tools (or those listed) are reused for ttlSeconds.'),
  rateLimit: z
    .strictObject({
      perMinute: z.number().positive().describe('Calls per minute to this server, sustained.'),
      burst: z
        .number()
        .int()
        .positive()
        .optional()
        .describe('Calls allowed at once before the rate applies (default: perMinute / 6, at least 1).'),
      tools: z
        .record(z.string(), z.strictObject({ perMinute: z.number().positive(), burst: z.number().int().positive().optional() }))
        .optional()
        .describe('Per-tool limits, keyed by tool-name glob, on top of the server limit.'),
    })
    .optional()
    .describe('Token-bucket rate limit for calls to this server (and per tool).'),
  maxRestarts: z
    .number()
    .int()
    .min(0)
    .max(100)
    .optional()
    .describe('How often a server that died is started again (stdio) or reconnected (HTTP) before it stays failed (default 3).'),
  circuitBreaker: z
    .strictObject({
      failures: z.number().int().positive().describe('Consecutive failed calls that open the breaker (default 5).'),
      cooldownSeconds: z.number().positive().describe('How long calls fail fast before one trial call is let through (default 30).'),
    })
    .partial()
    .optional()
    .describe('After `failures` consecutive failed calls, calls fail fast for `cooldownSeconds`, then one trial call.'),
  pingInterval: z
    .number()
    .min(0)
    .max(86_400)
    .optional()
    .describe('Seconds between health pings in long chat sessions (default 60; 0 turns them off).'),
  protocolVersion: z
    .union([z.enum(['auto', 'modern', 'legacy']), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a dated MCP revision such as "2025-11-25"')])
    .optional()
    .describe(
      'MCP protocol era: "auto" (default: probe once with server/discover, remember the answer), "modern" (2026-07-28 only), "legacy" (the initialize handshake of 2025-11-25 and earlier), or a dated revision to pin exactly. SSE servers are always legacy.',
    ),
  logLevel: z
    .enum(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'])
    .optional()
    .describe(
      "Sent as MCP logging/setLevel after connecting (when the server offers logging); its log messages go to the server's log file.",
    ),
};

export const StdioServerSchema = z.strictObject({
  type: z.literal('stdio').optional().describe('Optional; a server with `command` is a stdio server.'),
  command: z.string().min(1).describe('The program to start, found on PATH or given as a path.'),
  args: z.array(z.string()).optional().describe('Arguments passed to the command.'),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe('Environment variables for the server, over a minimal safe default environment.'),
  inheritEnv: z
    .boolean()
    .optional()
    .describe('Pass the whole parent environment to the server instead of the minimal default (default false).'),
  cwd: z.string().optional().describe('Working directory, relative to the config file that names it.'),
  ...common,
});

/** Transport names other clients write; all normalised to `http` or `sse`. */
export const REMOTE_TYPE_ALIASES = {
  http: 'http',
  'streamable-http': 'http',
  streamableHttp: 'http',
  streamable_http: 'http',
  sse: 'sse',
} as const;

export const RemoteServerSchema = z.strictObject({
  type: z
    .enum(Object.keys(REMOTE_TYPE_ALIASES) as [keyof typeof REMOTE_TYPE_ALIASES, ...(keyof typeof REMOTE_TYPE_ALIASES)[]])
    .optional()
    .describe('`http` (Streamable HTTP) or `sse` (legacy HTTP+SSE). Omitted: try Streamable HTTP, fall back to SSE on a 4xx.'),
  url: z.url({ protocol: /^https?$/ }).describe('The server endpoint, e.g. http://127.0.0.1:3333/mcp.'),
  headers: z.record(z.string(), z.string()).optional().describe('HTTP headers sent with every request, e.g. Authorization.'),
  headersHelper: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A shell command whose standard output is a JSON object of HTTP headers (e.g. {"Authorization": "Bearer …"}), run in the directory of the config file that defines the server, before connecting and again after a 401; for short-lived tokens. Its headers win over `headers`.',
    ),
  oauth: z
    .union([z.literal(false), OAuthSchema])
    .optional()
    .describe(
      'OAuth 2.1 settings for a server that answers 401 (MCP authorization). Omitted: discovered automatically. false: never try OAuth.',
    ),
  ...common,
});

export const ServerEntrySchema = z.union([StdioServerSchema, RemoteServerSchema]);

export const ModelSchema = z
  .looseObject({
    name: z.string().optional().describe('Model name, e.g. gpt-4.1-mini.'),
    baseURL: z.string().optional().describe('An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio, ...).'),
    api: z
      .enum(['responses', 'chat'])
      .optional()
      .describe(
        'The wire API: "responses" (OpenAI\'s Responses API, carries reasoning across tool turns) or "chat" (Chat Completions). Default: responses for api.openai.com, chat for every other endpoint.',
      ),
    apiKey: z.string().optional().describe('API key; use ${OPENAI_API_KEY} rather than writing it here.'),
    temperature: z.number().min(0).max(2).optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    headers: z.record(z.string(), z.string()).optional().describe('Extra headers sent to the model endpoint.'),
    images: z
      .boolean()
      .optional()
      .describe('Whether images from tool results are sent to the model (default true); false for text-only models.'),
    maxToolDescription: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        'Longest tool description sent to the model, in characters (default 1024); longer ones are cut, announced once per run. 0 sends them whole.',
      ),
    query: z
      .record(z.string(), z.string())
      .optional()
      .describe("Extra query parameters on every model request (e.g. Azure's api-version)."),
    responseTimeout: z
      .number()
      .positive()
      .max(86_400)
      .optional()
      .describe(`Seconds one model response may take in total, however steadily it streams (default ${DEFAULT_MODEL_RESPONSE_TIMEOUT_S}).`),
    contextWindow: z
      .number()
      .int()
      .min(1_000)
      .optional()
      .describe(
        "Tokens the model's context window holds (default: known for well-known models, else 32000); the conversation is compacted before it overflows.",
      ),
    compactAt: z
      .number()
      .gt(0)
      .max(1)
      .optional()
      .describe('Share of the context window at which older turns are summarised to make room (default 0.8).'),
  })
  .describe('The language model used by the chat and `ask`.');

export const AgentSchema = z.looseObject({
  instructions: z.string().optional(),
  servers: z.array(z.string()).optional(),
  model: z.string().optional(),
  description: z.string().optional(),
});

export const PermissionsSchema = z.looseObject({
  allow: z.array(z.string()).optional(),
  ask: z.array(z.string()).optional(),
  deny: z.array(z.string()).optional(),
  autoAllowReadOnly: z
    .boolean()
    .optional()
    .describe('Allow tools that a server marks readOnlyHint and that no rule names (a hint from the server, so off by default).'),
  sampling: z
    .array(z.string())
    .optional()
    .describe('Servers whose MCP sampling requests `ask` lets the configured model answer, without a person to approve (default: none).'),
  elicitation: z
    .enum(['decline', 'defaults'])
    .optional()
    .describe(
      "How `ask` and `call` answer a server's request for user input (MCP elicitation): decline (default), or defaults: accept a form with the schema's default values when every required field has one.",
    ),
});

/** Top-level keys mcpsh knows. Others are tolerated (Claude Desktop files carry their own) but warned about. */
export const ConfigSchema = z.looseObject({
  $schema: z.string().optional(),
  model: ModelSchema.optional(),
  mcpServers: z
    .record(z.string().regex(SERVER_NAME_PATTERN, SERVER_NAME_RULE), ServerEntrySchema)
    .optional()
    .describe('MCP servers by name, in the shape Claude Desktop, Claude Code, Cursor and VS Code use.'),
  agents: z.record(z.string(), AgentSchema).optional(),
  permissions: PermissionsSchema.optional(),
  hooks: HooksSchema.optional(),
  telemetry: TelemetrySchema.optional(),
  auditLog: z
    .union([z.boolean(), z.string().min(1)])
    .optional()
    .describe('Write an audit log of tool calls (JSONL): true for the default file in the state dir, or a path.'),
  maxTurns: z
    .number()
    .int()
    .positive()
    .max(1000)
    .optional()
    .describe('Most model turns in one run of the chat or `ask` (default 20); --max-turns overrides it.'),
  roots: z
    .union([z.array(z.string().min(1)), z.literal(false)])
    .optional()
    .describe(
      'Extra directories offered to every server as MCP roots, besides its default (the directories its command line names, else the project directory); relative to the file that names them. false: offer no roots.',
    ),
  resourceTool: z.boolean().optional().describe('Give the model a tool that reads MCP resources of the servers in use (default false).'),
  toolSearch: z
    .strictObject({
      enabled: z
        .union([z.literal('auto'), z.boolean()])
        .optional()
        .describe(
          '"auto" (default): search when the tools pass maxTools or maxShare; true: always; false: never (the first maxTools tools are offered).',
        ),
      maxTools: z
        .number()
        .int()
        .min(2)
        .max(128)
        .optional()
        .describe('Most tools offered in one model request (default 128, the most OpenAI accepts).'),
      maxShare: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .describe("Share of the model's context window the tool definitions may take before search is used (default 0.1)."),
      defaultLimit: z
        .number()
        .int()
        .min(1)
        .max(50)
        .optional()
        .describe('Tools one search loads when the model gives no limit (default 5).'),
    })
    .optional()
    .describe('Tool search: past the budget, the model gets mcpsh_search_tools and the tools it finds, instead of every tool.'),
  inputs: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        type: z.string().optional(),
        description: z.string().optional(),
        password: z.boolean().optional(),
      }),
    )
    .optional()
    .describe(
      "VS Code's inputs: values that ${input:id} references take, asked when the chat starts (hidden when password is true) or read from MCPSH_INPUT_<ID> (the id upper-cased, other characters as _).",
    ),
  browser: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Command that opens the OAuth sign-in URL, like $BROWSER. It is split into words as a POSIX shell would quote them, with no expansion and no shell; the URL is one argument, in place of %s or appended last. Default: the system opener, or the URL is printed when there is no display.',
    ),
});

export const KNOWN_TOP_LEVEL_KEYS = new Set([
  '$schema',
  'model',
  'mcpServers',
  'agents',
  'permissions',
  'maxTurns',
  'auditLog',
  'roots',
  'resourceTool',
  'browser',
  'toolSearch',
  'inputs',
  'hooks',
  'telemetry',
]);

export type RemoteServerEntry = z.infer<typeof RemoteServerSchema>;
export type ServerEntry = z.infer<typeof ServerEntrySchema>;
export type RawConfig = z.infer<typeof ConfigSchema>;

export type { RateLimitSpec, ResolvedOAuth, ResolvedRemoteServer, ResolvedServer, ResolvedStdioServer } from './resolved-server.js';
