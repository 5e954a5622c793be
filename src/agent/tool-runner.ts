// Runs one tool call the model asked for: name mapped back to its server and tool, arguments parsed
// and validated, approval asked, the call made with the server's timeout and the session's signal.
// Every failure becomes a result the model can read and act on; nothing here throws.
import type { CallToolResult, Tool } from '../mcp/types.js';
import { AppError, errorMessage } from '../errors.js';
import type { CallOptions } from '../mcp/connection.js';
import type { QualifiedTool } from '../mcp/hub.js';
import { validateArgs } from '../mcp/validate-args.js';
import type { ContentPart, ToolCallRequest } from '../model/types.js';
import type { HookRunner } from '../hooks/runner.js';
import type { ApprovalPort } from './approvals.js';
import type { AgentEvent } from './events.js';
import { toModelContent, type ResultBudget } from './tool-result.js';

/** What the agent needs from the MCP side; the Hub implements it. */
export interface ToolHost {
  tools(): QualifiedTool[];
  resolve(name: string): QualifiedTool | undefined;
  callTool(server: string, tool: string, args: Record<string, unknown>, options?: CallOptions): Promise<CallToolResult>;
}

export interface ToolRunContext {
  host: ToolHost;
  approve: ApprovalPort;
  budget: ResultBudget;
  signal: AbortSignal;
  emit: (event: AgentEvent) => void;
  /** PreToolUse and PostToolUse hooks (src/hooks), when any are configured. */
  hooks?: HookRunner | undefined;
}

/** The tool message content for the model. */
export type ToolOutcome = ContentPart[];

export async function runToolCall(call: ToolCallRequest, ctx: ToolRunContext): Promise<ToolOutcome> {
  const resolved = ctx.host.resolve(call.name);
  const parsed = parseArguments(call.arguments);
  ctx.emit({
    type: 'tool_call',
    callId: call.id,
    name: call.name,
    server: resolved?.server ?? '',
    tool: resolved?.tool.name ?? call.name,
    args: parsed.ok ? parsed.value : call.arguments,
  });
  // A call's duration is the server's time, not the person's: the clock restarts once the approval is answered.
  let started = performance.now();
  const fail = (message: string): ToolOutcome => {
    ctx.emit({
      type: 'tool_result',
      callId: call.id,
      isError: true,
      content: [{ type: 'text', text: message }],
      durationMs: elapsed(started),
    });
    return [{ type: 'text', text: message }];
  };

  if (!resolved) {
    const known = ctx.host.tools().map((t) => t.name);
    return fail(`Error: there is no tool named "${call.name}". Available tools: ${known.join(', ') || '(none)'}.`);
  }
  if (!parsed.ok) {
    return fail(`Error: the arguments for ${call.name} are not valid JSON (${parsed.error}). Call the tool again with a JSON object.`);
  }
  const pending = currentTool(resolved, ctx.signal);
  // Awaited only when a list_changed is unread: the usual call is judged in the same turn it was asked for.
  const fresh = pending instanceof Promise ? await pending : pending;
  if (!fresh.ok)
    return fail(
      fresh.gone
        ? `${fresh.message} Available tools: ${
            ctx.host
              .tools()
              .map((t) => t.name)
              .join(', ') || '(none)'
          }.`
        : fresh.message,
    );
  const tool = fresh.tool;
  const problems = checkArguments(tool.tool, parsed.value);
  if (problems) return fail(`Error: invalid arguments for ${call.name}:\n${problems}\nFix them and call the tool again.`);
  const args = parsed.value as Record<string, unknown>;
  // Hooks first: a call a hook blocks is never put to the permission rules or a person.
  const hookCall = {
    callId: call.id,
    name: call.name,
    server: tool.server,
    tool: tool.tool.name,
    args,
    ...(tool.call ? { builtin: true as const } : {}),
  };
  const blocked = await ctx.hooks?.preToolUse(hookCall, ctx.emit, ctx.signal);
  if (blocked !== undefined) {
    ctx.emit({ type: 'tool_denied', callId: call.id, reason: `blocked by a PreToolUse hook: ${blocked}` });
    return [{ type: 'text', text: `A PreToolUse hook blocked this call: ${blocked}` }];
  }

  const decision = await ctx.approve(
    {
      callId: call.id,
      name: call.name,
      server: tool.server,
      tool: tool.tool.name,
      args,
      ...(tool.tool.annotations ? { annotations: tool.tool.annotations } : {}),
      ...(tool.call ? { builtin: true as const } : {}),
    },
    ctx.signal,
  );
  if (!decision.allow) {
    ctx.emit({ type: 'tool_denied', callId: call.id, reason: decision.reason });
    return [
      {
        type: 'text',
        text: `The user's permission rules did not allow this call: ${decision.reason}. Do not retry it; continue without it or explain what you would need.`,
      },
    ];
  }

  started = performance.now();
  try {
    const options: CallOptions = {
      signal: ctx.signal,
      onProgress: throttled((p) => ctx.emit({ type: 'tool_progress', callId: call.id, ...p })),
    };
    const result = await (tool.call ? tool.call(args, options) : ctx.host.callTool(tool.server, tool.tool.name, args, options));
    const converted = toModelContent(result, ctx.budget);
    ctx.emit({
      type: 'tool_result',
      callId: call.id,
      isError: result.isError === true,
      content: result.content ?? [],
      ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
      durationMs: elapsed(started),
      ...(converted.truncated ? { truncated: converted.truncated } : {}),
    });
    const feedback = await ctx.hooks?.postToolUse(hookCall, result, ctx.emit, ctx.signal);
    return feedback === undefined ? converted.content : [...converted.content, { type: 'text', text: `PostToolUse hook: ${feedback}` }];
  } catch (err) {
    if (err instanceof AppError && err.code === 'CANCELLED') return fail('The call was cancelled by the user.');
    return fail(`Error: ${errorMessage(err)}`);
  }
}

/**
 * The tool as its server lists it now: a notifications/tools/list_changed may have changed its annotations or
 * schema since the model saw it, and a call is judged (validated, approved) only on the current list.
 */
type Current = { ok: true; tool: QualifiedTool } | { ok: false; message: string; gone?: true };

function currentTool(resolved: QualifiedTool, signal: AbortSignal): Current | Promise<Current> {
  if (!resolved.current) return { ok: true, tool: resolved };
  const found = (tool: QualifiedTool | undefined): Current => {
    if (signal.aborted) return { ok: false, message: 'The call was cancelled by the user.' };
    if (tool) return { ok: true, tool };
    return {
      ok: false,
      gone: true,
      message: `Error: ${resolved.server} no longer offers the tool "${resolved.tool.name}" (its tool list changed); the call was not made.`,
    };
  };
  const failed = (err: unknown): Current =>
    signal.aborted
      ? { ok: false, message: 'The call was cancelled by the user.' }
      : { ok: false, message: `Error: ${errorMessage(err)}; the call was not made.` };
  try {
    const tool = resolved.current(signal);
    return tool instanceof Promise ? tool.then(found, failed) : found(tool);
  } catch (err) {
    return failed(err);
  }
}

function parseArguments(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  // Models send "" for a call without arguments.
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'expected a JSON object' };
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: errorMessage(err) };
  }
}

function checkArguments(tool: Tool, args: unknown): string | undefined {
  const check = validateArgs(tool.inputSchema, args);
  return check.ok ? undefined : check.problems.map((p) => `- ${p}`).join('\n');
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** A server flooding progress notifications must not flood the UI: at most one every 100 ms, plus the last. */
function throttled(
  emit: (p: { progress: number; total?: number; message?: string }) => void,
): (p: { progress: number; total?: number; message?: string }) => void {
  let last = 0;
  return (p) => {
    const now = performance.now();
    if (now - last < 100 && p.progress !== p.total) return;
    last = now;
    emit(p);
  };
}
