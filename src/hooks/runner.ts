// The hooks of one agent session: which commands an event selects, the JSON they get on stdin (Claude Code's
// field names), running them at the same time, and what their answers add up to. Every decision and failure is
// reported as a `hook` event; a failing or hanging hook never stops the session.
import { randomUUID } from 'node:crypto';
import { DEFAULT_HOOK_TIMEOUT_S, HOOK_EVENTS, type HookEventName, type HookSet } from '../config/hooks-schema.js';
import type { AgentEvent } from '../agent/events.js';
import { compileMatcher, toolNames, type ToolMatcher } from './matcher.js';
import { runHookCommand } from './run-command.js';
import { verdictOf, type HookVerdict } from './verdict.js';

export interface HookContext {
  /** Where hook commands run, and $MCPSH_PROJECT_DIR / $CLAUDE_PROJECT_DIR. */
  projectDir: string;
  /** The environment commands get (plus the two variables above). */
  env: NodeJS.ProcessEnv;
  /** session_id (default: a new UUID). */
  sessionId?: string;
  /** transcript_path, when the conversation is saved to a file. */
  transcriptPath?: string;
}

/** One tool call as hooks see it. */
export interface HookToolCall {
  callId: string;
  /** The name the model called. */
  name: string;
  server: string;
  tool: string;
  args: Record<string, unknown>;
  /** A tool mcpsh implements (tool search, result pages, resources): matched by its own name only. */
  builtin?: true;
}

type Emit = (event: AgentEvent) => void;

interface Entry {
  command: string;
  timeoutS: number;
  matches: ToolMatcher;
}

/** What the selected hooks of one event said together. */
interface Combined {
  blocks: string[];
  contexts: string[];
}

/** Longest command shown in a `hook` event. */
const SHOWN_COMMAND_CHARS = 120;

export class HookRunner {
  readonly sessionId: string;
  private readonly entries = new Map<HookEventName, Entry[]>();

  constructor(
    sets: readonly HookSet[],
    private readonly context: HookContext,
  ) {
    this.sessionId = context.sessionId ?? randomUUID();
    for (const event of HOOK_EVENTS) {
      const list = sets.flatMap((set) =>
        (set.hooks[event] ?? []).flatMap((group) => {
          const matches = safeMatcher(group.matcher);
          return group.hooks.map((h) => ({ command: h.command, timeoutS: h.timeout ?? DEFAULT_HOOK_TIMEOUT_S, matches }));
        }),
      );
      if (list.length > 0) this.entries.set(event, list);
    }
  }

  /** Whether any hook is configured for `event`. */
  has(event: HookEventName): boolean {
    return this.entries.has(event);
  }

  /** SessionStart: what the hooks printed, as context for the system prompt. */
  async sessionStart(source: 'startup' | 'resume' | 'clear', emit: Emit, signal: AbortSignal): Promise<string | undefined> {
    const said = await this.run('SessionStart', { source }, emit, signal);
    return joined(said.contexts);
  }

  /** UserPromptSubmit: a block reason (the prompt is not sent), or context to send with it. */
  async userPromptSubmit(prompt: string, emit: Emit, signal: AbortSignal): Promise<{ blocked?: string; context?: string }> {
    const said = await this.run('UserPromptSubmit', { prompt }, emit, signal);
    const blocked = joined(said.blocks);
    const context = joined(said.contexts);
    return { ...(blocked !== undefined ? { blocked } : {}), ...(context !== undefined ? { context } : {}) };
  }

  /** PreToolUse: the reason the call must not run, if a hook blocks it. */
  async preToolUse(call: HookToolCall, emit: Emit, signal: AbortSignal): Promise<string | undefined> {
    const said = await this.run('PreToolUse', toolFields(call), emit, signal, call);
    return joined(said.blocks);
  }

  /** PostToolUse: what the model should be told along with the result (block reasons, added context). */
  async postToolUse(call: HookToolCall, response: unknown, emit: Emit, signal: AbortSignal): Promise<string | undefined> {
    const said = await this.run('PostToolUse', { ...toolFields(call), tool_response: response }, emit, signal, call);
    return joined([...said.blocks, ...said.contexts]);
  }

  /** Stop: the reason the model must go on, if a hook blocks the stop. `active`: a Stop hook already sent it back this run. */
  async stop(active: boolean, lastMessage: string, emit: Emit, signal: AbortSignal): Promise<string | undefined> {
    const said = await this.run('Stop', { stop_hook_active: active, last_assistant_message: lastMessage }, emit, signal);
    return joined(said.blocks);
  }

  private async run(
    event: HookEventName,
    fields: Record<string, unknown>,
    emit: Emit,
    signal: AbortSignal,
    call?: HookToolCall,
  ): Promise<Combined> {
    const combined: Combined = { blocks: [], contexts: [] };
    const names = call ? toolNames(call) : undefined;
    const selected = (this.entries.get(event) ?? []).filter((e) => names === undefined || e.matches(names));
    if (selected.length === 0) return combined;
    // The same command listed twice (a user and a project file both naming it) runs once.
    const unique = [...new Map(selected.map((e) => [e.command, e])).values()];
    const input = JSON.stringify({
      session_id: this.sessionId,
      ...(this.context.transcriptPath !== undefined ? { transcript_path: this.context.transcriptPath } : {}),
      cwd: this.context.projectDir,
      hook_event_name: event,
      ...fields,
    });
    const env = { ...this.context.env, MCPSH_PROJECT_DIR: this.context.projectDir, CLAUDE_PROJECT_DIR: this.context.projectDir };
    const verdicts = await Promise.all(
      unique.map(async (entry): Promise<[Entry, HookVerdict]> => {
        const run = await runHookCommand(entry.command, {
          input,
          cwd: this.context.projectDir,
          env,
          timeoutMs: entry.timeoutS * 1000,
          signal,
        });
        return [entry, verdictOf(event, run, entry.timeoutS)];
      }),
    );
    for (const [entry, verdict] of verdicts) {
      const report = (outcome: 'block' | 'allow' | 'error', reason: string): void =>
        emit({ type: 'hook', event, outcome, reason, command: shown(entry.command), ...(call ? { callId: call.callId } : {}) });
      if (verdict.error !== undefined) report('error', verdict.error);
      if (verdict.block !== undefined) {
        report('block', verdict.block);
        combined.blocks.push(verdict.block);
      }
      if (verdict.allow !== undefined) report('allow', verdict.allow);
      if (verdict.context !== undefined) combined.contexts.push(verdict.context);
      if (verdict.message !== undefined) emit({ type: 'notice', message: `${event} hook: ${verdict.message}` });
    }
    return combined;
  }
}

function toolFields(call: HookToolCall): Record<string, unknown> {
  return { tool_name: call.name, tool_input: call.args, tool_use_id: call.callId, server: call.server, tool: call.tool };
}

function joined(parts: string[]): string | undefined {
  return parts.length === 0 ? undefined : parts.join('\n\n');
}

function shown(command: string): string {
  const line = command.replace(/\s+/g, ' ').trim();
  return line.length > SHOWN_COMMAND_CHARS ? `${line.slice(0, SHOWN_COMMAND_CHARS - 1)}…` : line;
}

/** A matcher that does not compile (only possible for a set that skipped validation) matches nothing. */
function safeMatcher(matcher: string | undefined): ToolMatcher {
  try {
    return compileMatcher(matcher);
  } catch {
    return () => false;
  }
}
