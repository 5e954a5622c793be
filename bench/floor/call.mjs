// Floor for `mcpsh call --json SERVER TOOL ARGS`: connect one stdio server, call one tool, print the result JSON, close.
// Usage: node bench/floor/call.mjs --config mcp.config.json --server basic --tool echo --args '{"message":"hi"}'
import { closeAll, connectAll, option } from './common.mjs';

const servers = await connectAll(option('config'));
const server = servers.find((s) => s.name === option('server'));
if (server === undefined) throw new Error(`no server ${option('server')} in ${option('config')}`);
const result = await server.client.callTool({ name: option('tool'), arguments: JSON.parse(option('args') ?? '{}') });
process.stdout.write(`${JSON.stringify(result)}\n`);
await closeAll(servers);
