// The session's side of the context window: measures each request before it goes out, compacts the
// conversation in place when it would pass `compactAt` of the window (or on request, or after the model
// said it was too long), and tells the user with a notice each time.
import { errorMessage } from '../errors.js';
import type { ChatMessage, ChatModel, ToolSpec } from '../model/types.js';
import { compactMessages } from './compaction.js';
import { ContextBudget, requestChars, type ContextSettings } from './context-budget.js';
import type { AgentEvent } from './events.js';

export interface CompactOutcome {
  compacted: boolean;
  /** What happened, for the person (also emitted as a notice). */
  message: string;
}

export class ContextManager {
  private readonly budget: ContextBudget;

  constructor(
    private readonly model: ChatModel,
    settings: ContextSettings,
    private readonly onUsage: (inputTokens: number, outputTokens: number, emit: (e: AgentEvent) => void) => void,
  ) {
    this.budget = new ContextBudget(settings);
  }

  /** Before a model request: compacts `messages` (in place) when the request would pass the limit. */
  async beforeRequest(
    messages: ChatMessage[],
    tools: readonly ToolSpec[],
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
  ): Promise<void> {
    const chars = requestChars(messages, tools);
    const estimate = this.budget.estimate(chars);
    if (estimate > this.budget.limit(this.model.name)) {
      const window = this.budget.window(this.model.name);
      await this.compact(messages, signal, emit, {
        why: `the conversation (about ${estimate} tokens) neared the model's context window of ${window}`,
      });
      // Measured again only when compaction (rare) may have changed the conversation.
      this.budget.sending(requestChars(messages, tools));
      return;
    }
    this.budget.sending(chars);
  }

  /** The provider's count of prompt tokens for the request in flight. */
  observe(promptTokens: number): void {
    this.budget.observe(promptTokens);
  }

  /** The model refused the last request as too long for its window: compact to fit the smaller window that implies. */
  afterTooLong(messages: ChatMessage[], signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<CompactOutcome> {
    this.budget.overflowed(this.model.name);
    return this.compact(messages, signal, emit, { why: 'the model said the conversation is too long for its context window' });
  }

  /** The conversation was replaced (/clear): the last count no longer describes it. */
  reset(): void {
    this.budget.reset();
  }

  /** Summarises the older part of `messages` in place; never throws (but a cancelled run stays cancelled). */
  async compact(
    messages: ChatMessage[],
    signal: AbortSignal,
    emit: (e: AgentEvent) => void,
    opts: { why: string; instructions?: string; keepTokens?: number },
  ): Promise<CompactOutcome> {
    const before = requestChars(messages, []);
    try {
      const result = await compactMessages({
        model: this.model,
        messages,
        window: this.budget.window(this.model.name),
        ...(opts.instructions ? { instructions: opts.instructions } : {}),
        ...(opts.keepTokens !== undefined ? { keepTokens: opts.keepTokens } : {}),
        signal,
        onUsage: (input, output) => this.onUsage(input, output, emit),
      });
      if (!result) return { compacted: false, message: 'nothing to compact: the conversation holds only recent messages' };
      messages.splice(1, messages.length - 1, ...result.messages.slice(1));
      this.budget.reset();
      const after = requestChars(messages, []);
      const message =
        `compacted the conversation: ${opts.why}, so ${result.summarised} older message${result.summarised === 1 ? ' was' : 's were'} summarised by the model ` +
        `and ${result.kept} recent kept (${Math.round(before / 1000)}k → ${Math.round(after / 1000)}k characters)`;
      emit({ type: 'notice', message });
      return { compacted: true, message };
    } catch (err) {
      if (signal.aborted) return { compacted: false, message: 'compaction cancelled' };
      const message = `could not compact the conversation (${opts.why}): ${errorMessage(err)}`;
      emit({ type: 'notice', message });
      return { compacted: false, message };
    }
  }
}
