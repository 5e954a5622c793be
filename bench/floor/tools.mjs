// Floor for `mcpsh tools --json`: connect the config's stdio server(s), list tools, print JSON, close, exit.
// Usage: node bench/floor/tools.mjs --config mcp.config.json
import { closeAll, connectAll, option } from './common.mjs';

const servers = await connectAll(option('config'));
const lists = await Promise.all(servers.map(async ({ name, client }) => ({ name, tools: (await client.listTools()).tools })));
const tools = lists.flatMap(({ name, tools: list }) => list.map((tool) => ({ name: `${name}__${tool.name}`, server: name, tool })));
process.stdout.write(`${JSON.stringify(tools)}\n`);
await closeAll(servers);
