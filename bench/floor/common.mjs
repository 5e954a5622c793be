// The floor's one shared helper: connect every stdio server of an mcp.config.json-style file with the
// MCP SDK client, nothing else (no validation, no caching, no retries). Used by tools.mjs, call.mjs, ask.mjs.
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

/** `--name value` from argv, or undefined. */
export function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

/** Connects every server of the config file in parallel: [{ name, client }]. */
export async function connectAll(configFile) {
  const { mcpServers } = JSON.parse(readFileSync(configFile, 'utf8'));
  return Promise.all(
    Object.entries(mcpServers).map(async ([name, entry]) => {
      const client = new Client({ name: 'bench-floor', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: entry.command, args: entry.args ?? [], stderr: 'ignore' }));
      return { name, client };
    }),
  );
}

export async function closeAll(servers) {
  await Promise.all(servers.map(({ client }) => client.close()));
}
