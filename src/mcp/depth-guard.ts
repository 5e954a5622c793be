// The one depth check on everything a server sends, whatever the transport: a message nested deeper than
// MAX_JSON_DEPTH never reaches the SDK's handlers or mcpsh. An answer becomes an error answer for its
// request; a tool in a tools/list answer is left out on its own (the rest of the list stays usable);
// a request from the server gets an error reply; a notification is dropped. Each case is reported.
import type { JSONRPCMessage, Transport } from './types.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH, nestedTooDeep } from '../json-depth.js';
import { wrapInbound } from './inbound-hook.js';

export interface SkippedTool {
  tool: string;
  reason: string;
}

export interface DepthGuardHooks {
  /** A message was refused or dropped (for the connection's last error). */
  onRefused(reason: string): void;
  /** Tools left out of a tools/list answer because they were too deep. */
  onSkippedTools(skipped: SkippedTool[]): void;
}

/** What to do with one inbound message: pass it on (maybe trimmed), and/or answer the server. */
export interface Screened {
  deliver?: JSONRPCMessage;
  reply?: JSONRPCMessage;
  refused?: string;
  skipped?: SkippedTool[];
}

type Loose = Record<string, unknown>;

/** Decides about one message from a server; pure, so it can be tested without a transport. */
export function screenMessage(message: JSONRPCMessage, max: number = MAX_JSON_DEPTH): Screened {
  const m = message as Loose;
  const id = m.id as string | number | undefined;
  if (typeof m.method === 'string') {
    // Requests and notifications: their params (and _meta) are the payload.
    if (!exceedsJsonDepth(m.params, max)) return { deliver: message };
    const refused = `a ${m.method} ${id === undefined ? 'notification' : 'request'} from the server was ignored: it is ${nestedTooDeep(max)}`;
    if (id === undefined) return { refused };
    return {
      refused,
      reply: { jsonrpc: '2.0', id, error: { code: -32602, message: `the client refused the request: it is ${nestedTooDeep(max)}` } },
    };
  }
  if (m.error !== undefined) {
    if (!exceedsJsonDepth(m.error, max)) return { deliver: message };
    const text = `the server's error answer is ${nestedTooDeep(max)}`;
    return { refused: text, deliver: errorAnswer(id, text) };
  }
  if (!exceedsJsonDepth(m.result, max)) return { deliver: message };
  const result = m.result as Loose;
  if (Array.isArray(result.tools)) {
    // tools/list: each tool on its own; a tool sits two levels down (result.tools[i]).
    const kept: unknown[] = [];
    const skipped: SkippedTool[] = [];
    for (const tool of result.tools as unknown[]) {
      if (exceedsJsonDepth(tool, max - 2)) skipped.push({ tool: toolName(tool), reason: `its definition is ${nestedTooDeep(max)}` });
      else kept.push(tool);
    }
    const trimmed = { ...m, result: { ...result, tools: kept } } as Loose;
    if (!exceedsJsonDepth(trimmed.result, max)) return { deliver: trimmed as JSONRPCMessage, skipped };
  }
  const text = `the server's answer is ${nestedTooDeep(max)}; mcpsh refused it`;
  return { refused: text, deliver: errorAnswer(id, text) };
}

function errorAnswer(id: string | number | undefined, message: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id: id ?? 0, error: { code: -32603, message } };
}

function toolName(tool: unknown): string {
  const name = tool !== null && typeof tool === 'object' ? (tool as Loose).name : undefined;
  return typeof name === 'string' ? name.slice(0, 200) : '(unnamed)';
}

/**
 * Screens every message the transport hands on. The SDK Client sets `onmessage` when it connects, and a
 * debug tracer may already wrap that setter: ours chains to it, so both see what they should.
 */
export function guardInboundDepth(transport: Transport, hooks: DepthGuardHooks, max: number = MAX_JSON_DEPTH): void {
  wrapInbound(transport, (next) => (message, extra) => {
    const screened = screenMessage(message, max);
    if (screened.refused) hooks.onRefused(screened.refused);
    if (screened.skipped && screened.skipped.length > 0) hooks.onSkippedTools(screened.skipped);
    if (screened.reply) transport.send(screened.reply).catch(() => undefined);
    if (screened.deliver) next(screened.deliver, extra);
  });
}
