// What every server-using command does first: load the config, report its warnings, build the hub,
// and make sure the hub is closed (and every child ended) however the command ends.
import type { GlobalOptions } from '../cli.js';
import { loadConfig, noConfigError } from '../config/load.js';
import type { LoadedConfig } from '../config/types.js';
import { AppError } from '../errors.js';
import type { Io } from '../io.js';
import { registerCleanup } from '../lifecycle.js';
import type { ServerConnection } from '../mcp/connection.js';
import { Hub } from '../mcp/hub.js';
import { appPaths } from '../paths.js';
import { closestMatch } from '../suggest.js';
import { VERSION } from '../version.js';

export interface Host {
  loaded: LoadedConfig;
  hub: Hub;
  close(): Promise<void>;
}

export async function openHost(opts: GlobalOptions, io: Io): Promise<Host> {
  const loaded = await loadConfig({ cwd: io.cwd, env: io.env, ...(opts.config ? { configPath: opts.config } : {}) });
  for (const warning of loaded.warnings) io.stderr.write(`mcpsh: warning: ${warning}\n`);
  if (loaded.sources.length === 0) throw noConfigError(loaded);
  if (loaded.servers.length === 0) {
    throw new AppError('CONFIG', `no MCP servers are configured in ${loaded.sources.map((s) => s.path).join(', ')}`, {
      hint: 'run `mcpsh init` to write a starter mcp.config.json, or pass --config FILE (a claude_desktop_config.json or .mcp.json works as is)',
    });
  }
  const hub = new Hub(loaded.servers, { env: io.env, logDir: `${appPaths(io.env).state}/logs`, clientVersion: VERSION });
  const unregister = registerCleanup(() => hub.close());
  return {
    loaded,
    hub,
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
