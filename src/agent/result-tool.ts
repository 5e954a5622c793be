// The built-in `mcpsh_read_result` tool: the model reads a big tool result that was kept whole
// (result-store.ts) page by page, through the same approvals, events and result budget as other tools.
import type { CallToolResult, Tool } from '../mcp/types.js';
import type { QualifiedTool } from '../mcp/hub.js';
import { formatBytes } from '../mcp/render-result.js';
import type { AgentEvent } from './events.js';
import { RESOURCE_TOOL_SERVER } from './resource-tool.js';
import { MAX_PAGE_BYTES, type ResultStore, type SavedResult } from './result-store.js';
import type { ResultBudget, ResultSpill } from './tool-result.js';
import type { ToolHost } from './tool-runner.js';

/** The name the model, permission rules and logs see (allowed by default: see src/policy/permissions.ts). */
export const RESULT_TOOL_NAME = 'mcpsh_read_result';

/**
 * `host` plus the read-result tool, offered once the session has kept a result (so a session that never
 * has one sends the same tools as before). Its definition never changes after that: prompt caches keep hitting.
 */
export function withResultTool(host: ToolHost, store: ResultStore, pageBytes: number): ToolHost {
  const tool: QualifiedTool = {
    name: RESULT_TOOL_NAME,
    server: RESOURCE_TOOL_SERVER,
    tool: definition(pageBytes),
    call: (args) => Promise.resolve(readPage(store, args, pageBytes)),
  };
  return {
    tools: () => (store.size > 0 ? [...host.tools(), tool] : host.tools()),
    resolve: (name) => (name === RESULT_TOOL_NAME && store.size > 0 ? tool : host.resolve(name)),
    callTool: (server, name, args, options) => host.callTool(server, name, args, options),
  };
}

function definition(pageBytes: number): Tool {
  return {
    name: 'read_result',
    description:
      'Read part of a tool result that was too long to give whole. Such a result ends its shortened text with a handle ' +
      `such as "r1" and the byte offset where the part left out starts. offset and length count bytes of the UTF-8 text; one page holds at most ${pageBytes} bytes ` +
      'and says where the next page starts.',
    inputSchema: {
      type: 'object',
      properties: {
        handle: { type: 'string', description: 'The handle of the kept result, e.g. "r1".' },
        offset: { type: 'integer', minimum: 0, description: 'Byte offset to start at (default 0).' },
        length: { type: 'integer', minimum: 1, maximum: pageBytes, description: `Bytes to read (default and most ${pageBytes}).` },
      },
      required: ['handle'],
      additionalProperties: false,
    },
    annotations: { title: 'Read a kept tool result', readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  };
}

function readPage(store: ResultStore, args: Record<string, unknown>, pageBytes: number): CallToolResult {
  const handle = typeof args.handle === 'string' ? args.handle : '';
  const kept = store.get(handle);
  if (!kept) {
    const known = [...Array(store.size).keys()].map((i) => `r${i + 1}`);
    return {
      isError: true,
      content: [{ type: 'text', text: `there is no kept result "${handle}" in this session (kept: ${known.join(', ') || 'none'}).` }],
    };
  }
  const offset = typeof args.offset === 'number' ? args.offset : 0;
  const length = typeof args.length === 'number' ? Math.min(args.length, pageBytes) : pageBytes;
  if (offset >= kept.bytes) {
    return { isError: true, content: [{ type: 'text', text: `offset ${offset} is past the end of ${handle} (${kept.bytes} bytes).` }] };
  }
  const page = store.read(handle, offset, length);
  const next = page.end < page.total ? `next offset ${page.end}` : 'this is the end';
  const header = `[${handle} (${kept.tool}, ${formatBytes(page.total)}): bytes ${page.start}–${page.end} of ${page.total}; ${next}]\n`;
  return { content: [{ type: 'text', text: `${header}${page.text}` }] };
}

/** Most bytes of a page when results given to the model hold at most `maxChars` characters (a page is never cut again). */
export function pageBytesFor(maxChars: number): number {
  return Math.max(1_000, Math.min(MAX_PAGE_BYTES, maxChars - 500));
}

/**
 * The budget and event sink for one tool call of a session that keeps big results: a result over the
 * budget goes to `store`, and right after its tool_result a notice says where it is, for the person.
 */
export function spillingCall(
  store: ResultStore,
  budget: ResultBudget,
  call: { id: string; name: string },
  emit: (event: AgentEvent) => void,
): { budget: ResultBudget; emit: (event: AgentEvent) => void } {
  let saved: SavedResult | undefined;
  const spill: ResultSpill = {
    pageBytes: pageBytesFor(budget.maxChars),
    save: (text) => {
      const result = store.save(text, call.name);
      saved = result;
      return result;
    },
  };
  return {
    budget: { ...budget, spill },
    emit: (event) => {
      emit(event);
      if (event.type !== 'tool_result' || event.callId !== call.id || !saved) return;
      emit({
        type: 'notice',
        message: `the full result of ${call.name} (${formatBytes(saved.bytes)}) is kept in ${saved.file} as ${saved.handle} until the session ends; the model got its start and end and reads the rest with ${RESULT_TOOL_NAME}`,
      });
    },
  };
}

/**
 * Reading back a result the model was already given is allowed by default: merged first into the rules, so
 * any deny or ask rule that names the tool (or `*`) still wins over it.
 */
export const RESULT_TOOL_RULES = { allow: [RESULT_TOOL_NAME] } as const;
