// The agent event stream: what a session reports while it works. The chat UI, the `ask` printers and
// the tests all consume it with one exhaustive switch. The shape is documented in docs/scripting.md.
import type { CallToolResult } from '../mcp/types.js';
import type { AppError } from '../errors.js';
import type { HookEventName } from '../config/hooks-schema.js';

export type ToolContent = CallToolResult['content'][number];

export type StopReason = 'completed' | 'max_turns' | 'cancelled' | 'timeout' | 'error';

export type AgentEvent =
  | { type: 'turn_start'; turn: number }
  | { type: 'text_delta'; text: string }
  | { type: 'tool_call'; callId: string; name: string; server: string; tool: string; args: unknown }
  | { type: 'tool_progress'; callId: string; progress: number; total?: number; message?: string }
  | {
      type: 'tool_result';
      callId: string;
      isError: boolean;
      content: ToolContent[];
      structuredContent?: Record<string, unknown>;
      durationMs: number;
      /** Set when the result given to the model was cut to fit the size budget. */
      truncated?: { originalChars: number; keptChars: number };
    }
  | { type: 'tool_denied'; callId: string; reason: string }
  /**
   * A `mcpsh_search_tools` call: its query, the tools it matched (best first), those it loaded for the next
   * requests, and loaded tools it unloaded to stay within the tool budget.
   */
  | { type: 'tool_search'; query: string; matches: string[]; loaded: string[]; evicted: string[] }
  /**
   * A hook's decision or failure (src/hooks): `block` (the reason went to the model, or stopped the prompt),
   * `allow` (recorded; permission rules still decide), `error` (the hook failed; the run went on). callId: for one tool call.
   */
  | { type: 'hook'; event: HookEventName; outcome: 'block' | 'allow' | 'error'; reason: string; command: string; callId?: string }
  /** Something the user should know that is not an error of the run (a skipped tool, a server not ready). */
  | { type: 'notice'; message: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'done'; reason: StopReason; text: string; error?: AppError };

/** Compile-time check that a switch over AgentEvent handled every case. */
export function assertNever(value: never): never {
  throw new Error(`unhandled agent event: ${JSON.stringify(value)}`);
}
