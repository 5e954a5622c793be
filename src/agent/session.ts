// The agent loop, UI-free: a session keeps the conversation; run() takes a user message and yields
// the typed event stream while the model answers and calls tools (in parallel, bounded), until the
// model stops calling tools, the turn limit is reached, the run is cancelled or times out, or it fails.
import { AppError, toAppError } from '../errors.js';
import type { ChatMessage, ChatModel, ContentPart, ReasoningItem, ToolCallRequest } from '../model/types.js';
import type { ApprovalPort } from './approvals.js';
import type { AgentEvent, StopReason } from './events.js';
import { AsyncQueue } from './queue.js';
import { runToolCall, type ToolHost } from './tool-runner.js';
import { DEFAULT_BUDGET, type ResultBudget } from './tool-result.js';
import { isContextTooLong } from './compaction.js';
import type { ContextSettings } from './context-budget.js';
import { ContextManager, type CompactOutcome } from './context-manager.js';
import type { ResultStore } from './result-store.js';
import { pageBytesFor, spillingCall, withResultTool } from './result-tool.js';
import { contextWindowFor } from '../model/context-windows.js';
import { ToolSelection } from './tool-search.js';
import type { ToolSearchSettings } from './tool-search-settings.js';
import type { HookRunner } from '../hooks/runner.js';
import { linkSignals } from '../linked-signal.js';

export interface SessionOptions {
  model: ChatModel;
  host: ToolHost;
  approve: ApprovalPort;
  /** A function is called before every model request, so servers that become ready later are described too. */
  systemPrompt: string | (() => string);
  maxTurns: number;
  /** Tool calls of one model turn that run at the same time (default 4). */
  toolConcurrency?: number;
  budget?: ResultBudget;
  /** Where results over the budget are kept whole for the model to read in pages (mcpsh_read_result); without it they are cut. */
  results?: ResultStore;
  /** The model's context window and when to compact (context-budget.ts). */
  context?: ContextSettings;
  /** Tool search and the description cut (src/agent/tool-search.ts); defaults: search past 128 tools or 10% of 128k tokens. */
  toolSearch?: Partial<ToolSearchSettings>;
  /** A model stream that sends nothing for this long is ended (default 120 s). */
  streamIdleMs?: number;
  /** Earlier messages to continue from (a resumed chat), without the system message. */
  history?: ChatMessage[];
  /** Called with every message added to the conversation (the chat's transcript file). */
  onMessage?: (message: ChatMessage) => void;
  /** Hooks from trusted configs (src/hooks/from-config.ts): SessionStart, UserPromptSubmit, Pre/PostToolUse, Stop. */
  hooks?: HookRunner | undefined;
}

/**
 * What starts a turn: the user's text (or content parts), or a list of messages (a server prompt's
 * user and assistant messages), added in order before the model answers.
 */
export type TurnInput = string | ContentPart[] | { messages: TurnMessage[] };
export type TurnMessage = Extract<ChatMessage, { role: 'user' | 'assistant' }>;

/** Model turns in one run when neither the flag nor the config says (the chat and `ask`). */
export const DEFAULT_MAX_TURNS = 20;
const DEFAULT_STREAM_IDLE_MS = 120_000;
/** A model answer longer than this is cut off: a stream that never ends cannot fill memory. */
const MAX_ANSWER_CHARS = 1_000_000;
/** Times one run goes on because a Stop hook blocked the stop: a hook that always blocks cannot loop forever. */
export const MAX_STOP_HOOK_ROUNDS = 3;

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export class AgentSession {
  readonly messages: ChatMessage[];
  readonly usage: Usage = { inputTokens: 0, outputTokens: 0 };
  /** Which tools each request carries (tool search); its host is what tool calls resolve through. */
  readonly tools: ToolSelection;

  private readonly context: ContextManager;
  /** SessionStart hooks run before the first run; /clear starts the session again. */
  private startedAs: 'startup' | 'resume' | 'clear' | undefined;
  private hookContext: string | undefined;

  constructor(private readonly options: SessionOptions) {
    const results = options.results;
    const host = results ? withResultTool(options.host, results, pageBytesFor((options.budget ?? DEFAULT_BUDGET).maxChars)) : options.host;
    // The model's window sizes the tool budget unless the settings name one (model.contextWindow).
    this.tools = new ToolSelection(host, { contextWindow: contextWindowFor(options.model.name), ...options.toolSearch });
    this.context = new ContextManager(options.model, options.context ?? {}, (inputTokens, outputTokens, emit) => {
      this.usage.inputTokens += inputTokens;
      this.usage.outputTokens += outputTokens;
      emit({ type: 'usage', inputTokens, outputTokens });
    });
    this.messages = [{ role: 'system', content: this.systemPrompt() }, ...(options.history ?? []).filter((m) => m.role !== 'system')];
    this.startedAs = options.history && options.history.length > 0 ? 'resume' : 'startup';
  }

  private add(message: ChatMessage): void {
    this.messages.push(message);
    this.options.onMessage?.(message);
  }

  private systemPrompt(): string {
    const prompt = typeof this.options.systemPrompt === 'function' ? this.options.systemPrompt() : this.options.systemPrompt;
    return this.hookContext === undefined ? prompt : `${prompt}\n\nContext from the SessionStart hooks:\n${this.hookContext}`;
  }

  /** Forgets the conversation (the chat's /clear); usage totals stay. */
  clear(): void {
    this.startedAs = 'clear';
    this.hookContext = undefined;
    this.messages.splice(0, this.messages.length, { role: 'system', content: this.systemPrompt() });
    this.tools.reset();
    this.context.reset();
  }

  /** Summarises the older conversation now (the chat's /compact), with optional instructions for the summary. */
  compact(instructions: string | undefined, signal: AbortSignal, emit: (e: AgentEvent) => void = () => undefined): Promise<CompactOutcome> {
    // Asked for, so more goes: only the last exchange or so (1,000 tokens) stays as it was.
    return this.context.compact(this.messages, signal, emit, {
      why: 'asked for with /compact',
      keepTokens: 1_000,
      ...(instructions ? { instructions } : {}),
    });
  }

  /** Runs one user message (or a prompt's messages) to its end. Abort `signal` to cancel; a TimeoutError reason reports `timeout`. */
  async *run(input: TurnInput, signal: AbortSignal): AsyncGenerator<AgentEvent> {
    const queue = new AsyncQueue<AgentEvent>();
    const driver = this.drive(input, signal, (event) => queue.push(event)).then(
      (done) => queue.push(done),
      (err: unknown) => queue.push({ type: 'done', reason: 'error', text: '', error: toAppError(err) }),
    );
    void driver.finally(() => queue.close());
    for await (const event of queue) yield event;
    await driver;
  }

  private async drive(
    input: TurnInput,
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
  ): Promise<Extract<AgentEvent, { type: 'done' }>> {
    const hooks = this.options.hooks;
    if (hooks && this.startedAs !== undefined) this.hookContext = await hooks.sessionStart(this.startedAs, emit, signal);
    this.startedAs = undefined;
    const submitted = hooks ? await hooks.userPromptSubmit(promptText(input), emit, signal) : {};
    if (submitted.blocked !== undefined) {
      const error = new AppError('DENIED', `a UserPromptSubmit hook blocked the prompt: ${submitted.blocked}`, {
        hint: 'the prompt was not sent; change it, or the hook (hooks.UserPromptSubmit in the config)',
      });
      return { type: 'done', reason: 'error', text: '', error };
    }
    if (typeof input === 'string' || Array.isArray(input)) this.add({ role: 'user', content: input });
    else if (input.messages.length === 0) throw new AppError('USAGE', 'nothing to send: the turn has no messages');
    else for (const message of input.messages) this.add(message);
    if (submitted.context !== undefined)
      this.add({ role: 'user', content: `Context from the UserPromptSubmit hooks:\n${submitted.context}` });
    let text = '';
    let retried = false;
    let stopRounds = 0;
    for (let turn = 1; ; turn++) {
      if (turn > this.options.maxTurns) {
        return {
          type: 'done',
          reason: 'max_turns',
          text,
          error: new AppError('TIMEOUT', `stopped after ${this.options.maxTurns} turns (maxTurns) before the model finished`, {
            hint: 'raise the limit with --max-turns, or ask for less at once',
          }),
        };
      }
      emit({ type: 'turn_start', turn });
      this.messages[0] = { role: 'system', content: this.systemPrompt() };
      text = '';
      const calls: ToolCallRequest[] = [];
      // Reasoning items (the Responses API) ride on this turn's assistant message, to be sent back with it.
      const reasoning: ReasoningItem[] = [];
      const tools = this.tools.specs(emit);
      await this.context.beforeRequest(this.messages, tools, signal, emit);
      // A watchdog per model request: silence for streamIdleMs, or an answer past MAX_ANSWER_CHARS, ends it.
      const watchdog = new AbortController();
      const idleMs = this.options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS;
      let timer = setTimeout(
        () => watchdog.abort(new AppError('MODEL', `the model sent nothing for ${idleMs / 1000}s, so its answer was abandoned`)),
        idleMs,
      );
      const linked = linkSignals(signal, watchdog.signal);
      try {
        const stream = this.options.model.stream({ messages: this.messages, tools, signal: linked.signal });
        for await (const event of stream) {
          clearTimeout(timer);
          timer = setTimeout(
            () => watchdog.abort(new AppError('MODEL', `the model went silent for ${idleMs / 1000}s mid-answer, so it was abandoned`)),
            idleMs,
          );
          switch (event.type) {
            case 'text_delta':
              text += event.text;
              emit(event);
              if (text.length > MAX_ANSWER_CHARS)
                watchdog.abort(new AppError('MODEL', `the model's answer passed ${MAX_ANSWER_CHARS} characters and was cut off`));
              break;
            case 'tool_call':
              calls.push(event.call);
              break;
            case 'reasoning':
              reasoning.push(event.item);
              break;
            case 'usage':
              this.context.observe(event.inputTokens);
              this.usage.inputTokens += event.inputTokens;
              this.usage.outputTokens += event.outputTokens;
              emit(event);
              break;
            case 'finish':
              if (event.reason === 'length' && calls.length === 0)
                emit({ type: 'notice', message: "the answer was cut off at the model's output token limit" });
              break;
          }
        }
      } catch (err) {
        if (watchdog.signal.aborted && !signal.aborted)
          return { type: 'done', reason: 'error', text, error: watchdog.signal.reason as AppError };
        // "Too long for the context window": one compaction and the same request again, not a failed run.
        if (!retried && isContextTooLong(err) && text === '' && calls.length === 0 && !signal.aborted) {
          retried = true;
          const outcome = await this.context.afterTooLong(this.messages, signal, emit);
          if (outcome.compacted) {
            turn--;
            continue;
          }
        }
        return this.stopped(err, signal, text);
      } finally {
        clearTimeout(timer);
        linked.dispose();
      }
      retried = false;
      this.add({
        role: 'assistant',
        content: text,
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
        ...(reasoning.length > 0 ? { reasoning } : {}),
      });
      if (calls.length === 0) {
        const goOn = hooks?.has('Stop') ? await hooks.stop(stopRounds > 0, text, emit, signal) : undefined;
        if (goOn === undefined || signal.aborted) return { type: 'done', reason: 'completed', text };
        if (stopRounds >= MAX_STOP_HOOK_ROUNDS) {
          emit({
            type: 'notice',
            message: `the Stop hooks asked the model to go on ${MAX_STOP_HOOK_ROUNDS} times already in this run; it stops here`,
          });
          return { type: 'done', reason: 'completed', text };
        }
        stopRounds++;
        this.add({ role: 'user', content: `A Stop hook asked you not to stop yet: ${goOn}` });
        continue;
      }

      const budget = this.options.budget ?? DEFAULT_BUDGET;
      const results = this.options.results;
      const outcomes = await mapLimit(calls, this.options.toolConcurrency ?? 4, (call) =>
        runToolCall(call, {
          host: this.tools.host,
          approve: this.options.approve,
          signal,
          hooks,
          ...(results ? spillingCall(results, budget, call, emit) : { budget, emit }),
        }),
      );
      calls.forEach((call, i) => this.add({ role: 'tool', toolCallId: call.id, content: outcomes[i] ?? [] }));
      if (signal.aborted) return this.stopped(signal.reason, signal, text);
    }
  }

  private stopped(err: unknown, signal: AbortSignal, text: string): Extract<AgentEvent, { type: 'done' }> {
    if (signal.aborted) {
      const timedOut = isTimeout(signal.reason);
      const reason: StopReason = timedOut ? 'timeout' : 'cancelled';
      const error = timedOut
        ? new AppError('TIMEOUT', 'the run took longer than its --timeout', { hint: 'raise --timeout, or ask for less at once' })
        : new AppError('CANCELLED', 'cancelled');
      return { type: 'done', reason, text, error };
    }
    const error = toAppError(err, 'MODEL');
    return { type: 'done', reason: error.code === 'CANCELLED' ? 'cancelled' : 'error', text, error };
  }
}

/** The text of what starts a turn, as UserPromptSubmit hooks get it (`prompt`). */
function promptText(input: TurnInput): string {
  const texts = (content: string | ContentPart[]): string[] =>
    typeof content === 'string' ? [content] : content.flatMap((p) => (p.type === 'text' ? [p.text] : []));
  if (typeof input === 'string' || Array.isArray(input)) return texts(input).join('\n');
  return input.messages.flatMap((m) => (m.role === 'user' ? texts(m.content) : [])).join('\n');
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

/** Maps with at most `limit` promises in flight; results keep the input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
