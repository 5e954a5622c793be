// The built-in read-resource tool (config `resourceTool: true`): the model reads MCP resources of the
// servers in use through one tool, with the same approvals, result budget and events as server tools.
import type { CallToolResult, ReadResourceResult, Tool } from '../mcp/types.js';
import { AppError } from '../errors.js';
import type { CallOptions, ServerConnection } from '../mcp/connection.js';
import type { QualifiedTool } from '../mcp/hub.js';
import { waitWhileStarting } from '../mcp/wait-state.js';
import type { ToolHost } from './tool-runner.js';

/**
 * The name the model, permission rules and logs see. Never a `<server>__<tool>` name: those always hold
 * `__`, or, when shortened, end in `_` and hex digits.
 */
export const RESOURCE_TOOL_NAME = 'mcpsh_read_resource';
/** What tool events, the audit log and the UI show as its server. */
export const RESOURCE_TOOL_SERVER = 'mcpsh';

/** Where connections are found by name (the Hub). */
export interface ConnectionSource {
  get(name: string): ServerConnection | undefined;
}

/**
 * `host` plus the resource tool, offered while at least one of `servers()` is up and offers resources, or
 * is still starting (`ask` sends its first request before slow servers are ready, as it does for their
 * cached tools); its description names those servers, and it reads from no other.
 */
export function withResourceTool(host: ToolHost, hub: ConnectionSource, servers: () => readonly string[]): ToolHost {
  const current = (): QualifiedTool | undefined => {
    const offering = servers().filter((name) => offersResources(hub.get(name)));
    const starting = servers().filter((name) => hub.get(name)?.state === 'connecting');
    if (offering.length === 0 && starting.length === 0) return undefined;
    return {
      name: RESOURCE_TOOL_NAME,
      server: RESOURCE_TOOL_SERVER,
      tool: toolFor(offering, starting),
      call: (args, options) => read(hub, [...offering, ...starting], args, options),
    };
  };
  return {
    tools: () => {
      const tool = current();
      return tool ? [...host.tools(), tool] : host.tools();
    },
    resolve: (name) => (name === RESOURCE_TOOL_NAME ? current() : host.resolve(name)),
    callTool: (server, tool, args, options) => host.callTool(server, tool, args, options),
  };
}

function offersResources(c: ServerConnection | undefined): boolean {
  return c !== undefined && (c.state === 'ready' || c.state === 'restarting') && c.capabilities?.resources !== undefined;
}

function toolFor(offering: readonly string[], starting: readonly string[]): Tool {
  const servers = [...offering, ...starting];
  const known = offering.length > 0 ? ` Servers with resources: ${offering.join(', ')}.` : '';
  const pending = starting.length > 0 ? ` Still starting (they may have resources): ${starting.join(', ')}.` : '';
  return {
    name: 'read_resource',
    description:
      `Read a resource (a file, document or record that an MCP server exposes by URI).${known}${pending} ` +
      'Leave out uri to list the resources and URI templates the server offers.',
    inputSchema: {
      type: 'object',
      properties: {
        server: { type: 'string', enum: [...servers], description: 'The server that offers the resource.' },
        uri: { type: 'string', description: 'The resource URI: from the list, from a resource link, or a URI template filled in.' },
      },
      required: ['server'],
      additionalProperties: false,
    },
    annotations: { title: 'Read an MCP resource', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  };
}

async function read(
  hub: ConnectionSource,
  servers: readonly string[],
  args: Record<string, unknown>,
  options: CallOptions,
): Promise<CallToolResult> {
  const server = typeof args.server === 'string' ? args.server : '';
  const uri = typeof args.uri === 'string' && args.uri !== '' ? args.uri : undefined;
  const connection = servers.includes(server) ? hub.get(server) : undefined;
  if (!connection) {
    return {
      isError: true,
      content: [
        { type: 'text', text: `"${server}" is not one of the servers in use (${servers.join(', ')}); only their resources can be read.` },
      ],
    };
  }
  await waitWhileStarting(connection, connection.config.connectTimeoutMs, options.signal);
  if (!offersResources(connection)) {
    const why =
      connection.state === 'ready'
        ? 'offers no resources'
        : `is not available (${connection.state}${connection.error ? `: ${connection.error}` : ''})`;
    return { isError: true, content: [{ type: 'text', text: `server ${server} ${why}; nothing to read there.` }] };
  }
  const timeoutMs = connection.config.callTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    if (uri === undefined) return { content: [{ type: 'text', text: await listing(connection, signal) }] };
    const result = await connection.features.readResource(uri, signal);
    return { content: result.contents.map(toBlock) };
  } catch (err) {
    if (options.signal?.aborted) throw new AppError('CANCELLED', `reading a resource of ${server} was cancelled`, { cause: err });
    if (timeout.aborted)
      throw new AppError(
        'TIMEOUT',
        `${server} did not answer within ${timeoutMs / 1000}s (callTimeout) reading ${uri ?? 'its resource list'}`,
        { cause: err },
      );
    throw err;
  }
}

/** The server's resources and templates, one per line, for the model to choose from. */
async function listing(c: ServerConnection, signal: AbortSignal): Promise<string> {
  const resources = await c.features.resources(signal);
  const templates = await c.features.resourceTemplates(signal).catch(() => []);
  const lines = [`Resources of ${c.name} (${resources.length}):`];
  for (const r of resources)
    lines.push(`- ${r.uri} — ${r.name}${r.mimeType ? ` (${r.mimeType})` : ''}${r.description ? `: ${r.description}` : ''}`);
  if (templates.length > 0) {
    lines.push(`URI templates of ${c.name} (${templates.length}):`);
    for (const t of templates) lines.push(`- ${t.uriTemplate} — ${t.name}${t.description ? `: ${t.description}` : ''}`);
  }
  return lines.join('\n');
}

/** An image blob is passed on as an image (the budget decides whether the model gets it); the rest as a resource. */
function toBlock(item: ReadResourceResult['contents'][number]): CallToolResult['content'][number] {
  if ('blob' in item && typeof item.blob === 'string' && item.mimeType?.startsWith('image/'))
    return { type: 'image', data: item.blob, mimeType: item.mimeType };
  return { type: 'resource', resource: item };
}
