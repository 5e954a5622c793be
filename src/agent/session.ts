// The agent loop, UI-free: a session keeps the conversation; run() takes a user message and yields
// the typed event stream while the model answers and calls tools (in parallel, bounded), until the
// model stops calling tools, the turn limit is reached, the run is cancelled or times out, or it fails.
import { AppError, toAppError } from '../errors.js';
import { toToolSpec } from '../model/tool-schema.js';
import type { ChatMessage, ChatModel, ContentPart, ToolCallRequest, ToolSpec } from '../model/types.js';
import type { ApprovalPort } from './approvals.js';
import type { AgentEvent, StopReason } from './events.js';
import { AsyncQueue } from './queue.js';
import { runToolCall, type ToolHost } from './tool-runner.js';
import { DEFAULT_BUDGET, type ResultBudget } from './tool-result.js';

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
  /** A model stream that sends nothing for this long is ended (default 120 s). */
  streamIdleMs?: number;
  /** Earlier messages to continue from (a resumed chat), without the system message. */
  history?: ChatMessage[];
  /** Called with every message added to the conversation (the chat's transcript file). */
  onMessage?: (message: ChatMessage) => void;
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

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export class AgentSession {
  readonly messages: ChatMessage[];
  readonly usage: Usage = { inputTokens: 0, outputTokens: 0 };
  private readonly warnedTools = new Set<string>();

  constructor(private readonly options: SessionOptions) {
    this.messages = [{ role: 'system', content: this.systemPrompt() }, ...(options.history ?? []).filter((m) => m.role !== 'system')];
  }

  private add(message: ChatMessage): void {
    this.messages.push(message);
    this.options.onMessage?.(message);
  }

  private systemPrompt(): string {
    const prompt = this.options.systemPrompt;
    return typeof prompt === 'function' ? prompt() : prompt;
  }

  /** Forgets the conversation (the chat's /clear); usage totals stay. */
  clear(): void {
    this.messages.splice(0, this.messages.length, { role: 'system', content: this.systemPrompt() });
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

  private async drive(input: TurnInput, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<Extract<AgentEvent, { type: 'done' }>> {
    if (typeof input === 'string' || Array.isArray(input)) this.add({ role: 'user', content: input });
    else if (input.messages.length === 0) throw new AppError('USAGE', 'nothing to send: the turn has no messages');
    else for (const message of input.messages) this.add(message);
    let text = '';
    for (let turn = 1; ; turn++) {
      if (turn > this.options.maxTurns) {
        return { type: 'done', reason: 'max_turns', text, error: new AppError('TIMEOUT', `stopped after ${this.options.maxTurns} turns (maxTurns) before the model finished`, { hint: 'raise the limit with --max-turns, or ask for less at once' }) };
      }
      emit({ type: 'turn_start', turn });
      this.messages[0] = { role: 'system', content: this.systemPrompt() };
      text = '';
      const calls: ToolCallRequest[] = [];
      // A watchdog per model request: silence for streamIdleMs, or an answer past MAX_ANSWER_CHARS, ends it.
      const watchdog = new AbortController();
      const idleMs = this.options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS;
      let timer = setTimeout(() => watchdog.abort(new AppError('MODEL', `the model sent nothing for ${idleMs / 1000}s, so its answer was abandoned`)), idleMs);
      try {
        const stream = this.options.model.stream({ messages: this.messages, tools: this.toolSpecs(emit), signal: AbortSignal.any([signal, watchdog.signal]) });
        for await (const event of stream) {
          clearTimeout(timer);
          timer = setTimeout(() => watchdog.abort(new AppError('MODEL', `the model went silent for ${idleMs / 1000}s mid-answer, so it was abandoned`)), idleMs);
          switch (event.type) {
            case 'text_delta':
              text += event.text;
              emit(event);
              if (text.length > MAX_ANSWER_CHARS) watchdog.abort(new AppError('MODEL', `the model's answer passed ${MAX_ANSWER_CHARS} characters and was cut off`));
              break;
            case 'tool_call':
              calls.push(event.call);
              break;
            case 'usage':
              this.usage.inputTokens += event.inputTokens;
              this.usage.outputTokens += event.outputTokens;
              emit(event);
              break;
            case 'finish':
              if (event.reason === 'length' && calls.length === 0) emit({ type: 'notice', message: 'the answer was cut off at the model\'s output token limit' });
              break;
          }
        }
      } catch (err) {
        if (watchdog.signal.aborted && !signal.aborted) return { type: 'done', reason: 'error', text, error: watchdog.signal.reason as AppError };
        return this.stopped(err, signal, text);
      } finally {
        clearTimeout(timer);
      }
      this.add(calls.length > 0 ? { role: 'assistant', content: text, toolCalls: calls } : { role: 'assistant', content: text });
      if (calls.length === 0) return { type: 'done', reason: 'completed', text };

      const outcomes = await mapLimit(calls, this.options.toolConcurrency ?? 4, (call) =>
        runToolCall(call, { host: this.options.host, approve: this.options.approve, budget: this.options.budget ?? DEFAULT_BUDGET, signal, emit }),
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

  /** The tools the model may call now; a tool whose schema cannot be sent is skipped with one notice. */
  private toolSpecs(emit: (e: AgentEvent) => void): ToolSpec[] {
    const specs: ToolSpec[] = [];
    for (const t of this.options.host.tools()) {
      const converted = toToolSpec(t.name, t.tool);
      if (converted.ok) {
        specs.push(converted.spec);
      } else if (!this.warnedTools.has(t.name)) {
        this.warnedTools.add(t.name);
        emit({ type: 'notice', message: `tool ${t.name} is not offered to the model: ${converted.reason}` });
      }
    }
    return specs;
  }
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
