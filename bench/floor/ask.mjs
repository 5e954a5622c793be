// Floor for `mcpsh ask`: connect the config's stdio server(s), list tools, then the tool-calling loop with the
// openai client (Chat Completions, streamed with usage, as mcpsh sends it) until the model answers; print it.
// Usage: node bench/floor/ask.mjs --config mcp.config.json --base-url URL --model NAME --prompt TEXT
import OpenAI from 'openai';
import { closeAll, connectAll, option } from './common.mjs';

const servers = await connectAll(option('config'));
const route = new Map();
const tools = [];
for (const { name, client } of servers) {
  for (const tool of (await client.listTools()).tools) {
    route.set(`${name}__${tool.name}`, { client, tool: tool.name });
    tools.push({
      type: 'function',
      function: { name: `${name}__${tool.name}`, description: tool.description ?? '', parameters: tool.inputSchema },
    });
  }
}

const openai = new OpenAI({ apiKey: 'bench', baseURL: option('base-url'), maxRetries: 0 });
const messages = [{ role: 'user', content: option('prompt') }];
let answer = '';
for (;;) {
  const stream = await openai.chat.completions.create({
    model: option('model'),
    messages,
    tools,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  const calls = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (delta === undefined) continue;
    if (delta.content) text += delta.content;
    for (const part of delta.tool_calls ?? []) {
      const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name += part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
    }
  }
  if (calls.length === 0) {
    answer = text;
    break;
  }
  messages.push({
    role: 'assistant',
    content: text || null,
    tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
  });
  for (const call of calls) {
    const target = route.get(call.name);
    const result = await target.client.callTool({ name: target.tool, arguments: JSON.parse(call.arguments || '{}') });
    const content = result.content.map((block) => (block.type === 'text' ? block.text : JSON.stringify(block))).join('\n');
    messages.push({ role: 'tool', tool_call_id: call.id, content });
  }
}
process.stdout.write(`${answer}\n`);
await closeAll(servers);
