// The built-in `mcpsh_search_tools` tool as the model sees it, and the compact text of its results.
// Like `mcpsh_read_resource`, it is a QualifiedTool with its own `call`, so it takes the same path as
// server tools (argument validation, approvals, events, audit); permission rules name it as is.
import type { Tool } from '../mcp/types.js';
import { RESOURCE_TOOL_SERVER } from './resource-tool.js';

/** The name the model, permission rules and logs see; never a `<server>__<tool>` name (see resource-tool.ts). */
export const TOOL_SEARCH_NAME = 'mcpsh_search_tools';
export const TOOL_SEARCH_SERVER = RESOURCE_TOOL_SERVER;
/**
 * Searching only reads mcpsh's own index, so it is allowed unless a rule says otherwise: this rule comes
 * first in the merged rules, and any deny or ask rule that names the tool (or `*`) still wins over it.
 */
export const TOOL_SEARCH_RULES = { allow: [TOOL_SEARCH_NAME] } as const;
/** Most tools one search returns, whatever limit the model asks for. */
export const MAX_SEARCH_LIMIT = 20;
const SUMMARY_CHARS = 160;

/** The tool definition; its description names where the deferred tools come from. */
export function searchToolDefinition(deferred: ReadonlyMap<string, number>, defaultLimit: number): Tool {
  const total = [...deferred.values()].reduce((a, b) => a + b, 0);
  const from = [...deferred].map(([server, n]) => `${server} (${n})`).join(', ');
  return {
    name: 'search_tools',
    description:
      `Find tools by keywords. ${total} more tools are available but not loaded${from ? `, from: ${from}` : ''}. ` +
      'Search with a few words about the task (what it acts on and does, e.g. "create calendar event"); the tools found ' +
      'are added to your tools, with their full parameters, from your next step on, and you call them directly. ' +
      'Search again with other words if none fits.',
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Keywords: what the tool should do, or part of its name.' },
        limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, description: `How many tools to load (default ${defaultLimit}).` },
      },
      required: ['query'],
      additionalProperties: false,
    },
    annotations: { title: 'Search the available tools', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  };
}

export interface ResultLine {
  name: string;
  description: string | undefined;
  state: 'loaded' | 'available' | 'unusable';
}

/** The tool result: one line per tool, name and the first sentence of its description. */
export function searchResultText(
  query: string,
  lines: readonly ResultLine[],
  evicted: readonly string[],
  deferred: ReadonlyMap<string, number>,
): string {
  if (lines.length === 0) {
    const from = [...deferred].map(([server, n]) => `${server} (${n})`).join(', ');
    return `No tool matches "${query}". Try other words${from ? `; the tools not loaded come from: ${from}` : ''}.`;
  }
  const out = [`Tools for "${query}" (call them directly; newly loaded ones are in your tool list from your next step on):`];
  for (const line of lines) {
    const note =
      line.state === 'available'
        ? ' [already available]'
        : line.state === 'unusable'
          ? ' [cannot be offered: its schema is not usable]'
          : '';
    out.push(`- ${line.name}${note}: ${summary(line.description)}`);
  }
  if (evicted.length > 0) out.push(`Unloaded to make room (search again to use them): ${evicted.join(', ')}.`);
  return out.join('\n');
}

/** The first sentence or line of a description, on one line, bounded. */
export function summary(description: string | undefined): string {
  const text = (description ?? '').replace(/\s+/g, ' ').trim();
  if (text === '') return '(no description)';
  const end = text.search(/[.!?](\s|$)/);
  const first = end >= 0 ? text.slice(0, end + 1) : text;
  return first.length <= SUMMARY_CHARS ? first : `${first.slice(0, SUMMARY_CHARS - 1)}…`;
}
