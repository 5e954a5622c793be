// What every server-using command does first: load the config, report its warnings, build the hub,
// and make sure the hub is closed (and every child ended) however the command ends.
import { DEFAULT_CALLBACK_TIMEOUT_MS, setAuthPolicy } from '../auth/context.js';
import type { GlobalOptions } from '../options.js';
import { ADD_SERVERS_HINT, loadConfig, noConfigError, type InputOptions } from '../config/load.js';
import { projectTrustGate, recordTrust, untrustedError } from '../config/trust.js';
import type { LoadedConfig } from '../config/types.js';
import { AppError } from '../errors.js';
import type { Io } from '../io.js';
import { registerCleanup } from '../lifecycle.js';
import type { ServerConnection } from '../mcp/connection.js';
import { Hub } from '../mcp/hub.js';
import { ToolListCache } from '../mcp/tool-cache.js';
import { EraCache } from '../mcp/era-cache.js';
import { appPaths } from '../paths.js';
import { terminalSafe } from '../output/safe-text.js';
import { addSecrets, redact } from '../policy/redact.js';
import { closestMatch } from '../suggest.js';
import { VERSION } from '../version.js';

export interface Host {
  loaded: LoadedConfig;
  hub: Hub;
  /** The remembered tool lists (`tools --refresh` forgets them). */
  toolCache: ToolListCache;
  close(): Promise<void>;
}

export interface HostOptions {
  /**
   * The chat's trust prompt: called with an untrusted project config (see describeForTrust in
   * src/config/trust.ts); true records trust in it and loads it again. Without it, untrusted is an error.
   */
  confirmTrust?: (loaded: LoadedConfig) => Promise<boolean>;
  /**
   * Remote-server sign-in (docs/auth.md). `interactive` lets a server that needs OAuth open the browser
   * step (default: the command's --interactive-auth flag; the chat and `auth login` pass true). `notify`
   * receives "open this URL" messages (default: stderr; the chat shows them as notices).
   */
  auth?: { interactive?: boolean; noBrowser?: boolean; notify?: (message: string) => void };
  /**
   * The chat and `ask` work with the model alone: no config anywhere, or one without servers, opens a host
   * with zero servers instead of failing (commands that exist to use servers keep the error).
   */
  allowNoServers?: boolean;
  /** The chat's prompt for a config's `${input:id}` values (src/config/load.ts InputOptions). */
  askInputs?: InputOptions['askInputs'];
}

export async function openHost(opts: GlobalOptions, io: Io, hostOptions: HostOptions = {}): Promise<Host> {
  const load = (): Promise<LoadedConfig> => {
    const trustGate = projectTrustGate({ trust: opts.trust, configPath: opts.config }, io.env);
    return loadConfig({
      cwd: io.cwd,
      env: io.env,
      ...(opts.config ? { configPath: opts.config } : {}),
      ...(trustGate ? { trustGate } : {}),
      ...(hostOptions.askInputs ? { askInputs: hostOptions.askInputs } : {}),
    });
  };
  let loaded = await load();
  // From here on nothing mcpsh prints or logs may show these values (src/policy/redact.ts).
  addSecrets(loaded.secrets);
  if (loaded.untrusted && hostOptions.confirmTrust && (await hostOptions.confirmTrust(loaded))) {
    for (const file of loaded.untrusted.files) recordTrust(file, io.env, loaded.untrusted.sha256[file]);
    loaded = await load();
    addSecrets(loaded.secrets);
  }
  for (const warning of loaded.warnings) io.stderr.write(`mcpsh: warning: ${terminalSafe(redact(warning))}\n`);
  if (loaded.sources.length === 0 && !hostOptions.allowNoServers) throw noConfigError(loaded);
  if (loaded.untrusted) throw untrustedError(loaded.untrusted, io.env);
  if (loaded.servers.length === 0 && !hostOptions.allowNoServers) {
    throw new AppError('CONFIG', `no MCP servers are configured in ${loaded.sources.map((s) => s.path).join(', ')}`, {
      hint: ADD_SERVERS_HINT,
    });
  }
  setAuthPolicy(io.env, {
    interactive: hostOptions.auth?.interactive ?? opts.interactiveAuth === true,
    browser: loaded.config.browser,
    noBrowser: hostOptions.auth?.noBrowser ?? opts.browser === false,
    notify: hostOptions.auth?.notify ?? ((message) => io.stderr.write(`mcpsh: ${terminalSafe(redact(message))}\n`)),
    callbackTimeoutMs: callbackTimeoutMs(io.env),
    signal: io.signal,
  });
  const paths = appPaths(io.env);
  const toolCache = new ToolListCache(`${paths.cache}/tools`);
  const eraCache = new EraCache(`${paths.cache}/tools`);
  // Roots (src/mcp/roots.ts): per server, from the project config that defines it, never the working directory.
  const projectFiles = loaded.sources.filter((s) => s.scope === 'project').map((s) => s.path);
  const hub = new Hub(loaded.servers, {
    env: io.env,
    logDir: `${paths.state}/logs`,
    clientVersion: VERSION,
    toolCache,
    eraCache,
    cwd: io.cwd,
    roots: loaded.config.roots ?? [],
    projectFiles,
  });
  const unregister = registerCleanup(() => hub.close());
  return {
    loaded,
    hub,
    toolCache,
    close: async () => {
      unregister();
      await hub.close();
    },
  };
}

/** The connection for a server name, or a usage error that lists the names there are. */
export function requireServer(hub: Hub, name: string): ServerConnection {
  const connection = hub.get(name);
  if (connection) return connection;
  const names = hub.connections.map((c) => c.name);
  const close = closestMatch(name, names);
  throw new AppError('USAGE', `no server named "${name}" in the config${close ? ` (did you mean "${close}"?)` : ''}`, {
    hint: `configured servers: ${names.join(', ')}`,
  });
}

/** Connects one server (only it) and returns it ready, or a SERVER_UNAVAILABLE / USAGE error. */
/** (The others are not needed for one call or one read.) */
export async function connectOne(host: Host, server: string, io: Io): Promise<ServerConnection> {
  const connection = requireServer(host.hub, server);
  // The managed policy's verdict comes first: nothing in the user's or project's config can change it.
  if (connection.config.blocked !== undefined) {
    throw new AppError('SERVER_UNAVAILABLE', `server ${server} is ${connection.config.blocked}`, {
      hint: "the administrator's policy decides which servers may run; `mcpsh config` shows what it enforces",
    });
  }
  if (connection.state === 'disabled') {
    throw new AppError('USAGE', `server "${server}" is disabled in the config`, {
      hint: `set "enabled": true for it in ${connection.config.source}`,
    });
  }
  // A server whose entry cannot be resolved (an unset ${VAR}) never started: the fix is in the file, not a log.
  if (connection.config.configError !== undefined) {
    throw new AppError('CONFIG', `server ${server} is not usable: ${connection.config.configError}`, {
      hint: `fix its entry in ${connection.config.source}; \`mcpsh config\` shows every problem of the config`,
    });
  }
  await host.hub.connectAll({ signal: io.signal, only: [server] });
  if (connection.state !== 'ready') {
    throw new AppError('SERVER_UNAVAILABLE', `server ${server} could not start: ${connection.error ?? 'unknown reason'}`, {
      hint: "run `mcpsh doctor` for details; the server's stderr is in its log (see docs/configuration.md)",
    });
  }
  return connection;
}

/** How long a browser sign-in may take (MCPSH_AUTH_TIMEOUT seconds; default 5 minutes). */
function callbackTimeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.MCPSH_AUTH_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : DEFAULT_CALLBACK_TIMEOUT_MS;
}
