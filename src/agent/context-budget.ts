// How full the model's context window is: the size of the next request estimated from the provider's own
// count of the last one (usage.prompt_tokens) plus what was added since, or from characters when none was
// reported. Decides when the conversation must be compacted (compaction.ts).
import { contextWindowFor, DEFAULT_COMPACT_AT } from '../model/context-windows.js';
import type { ChatMessage, ContentPart, ToolSpec } from '../model/types.js';

export interface ContextSettings {
  /** Tokens the model's context holds (`model.contextWindow`); unset: known from the model's name. */
  contextWindow?: number;
  /** Share of the window above which the conversation is compacted before a request (`model.compactAt`, default 0.8). */
  compactAt?: number;
}

/** A rough rate that errs on the large side for English and JSON (tokenizers give 3.5–4.5). */
export const CHARS_PER_TOKEN = 4;
/** What an image costs in tokens, whatever its base64 length (providers bill images by tiles). */
const IMAGE_TOKENS = 1_000;
/** Framing of each message (role, separators) that the text alone does not show. */
const MESSAGE_OVERHEAD_CHARS = 16;

export function contentChars(content: string | ContentPart[]): number {
  if (typeof content === 'string') return content.length;
  let n = 0;
  for (const part of content) n += part.type === 'text' ? part.text.length : IMAGE_TOKENS * CHARS_PER_TOKEN;
  return n;
}

// Messages are not changed once made (a compaction replaces them): each is measured once, not every request.
const messageSizes = new WeakMap<ChatMessage, number>();

export function messageChars(message: ChatMessage): number {
  let n = messageSizes.get(message);
  if (n === undefined) messageSizes.set(message, (n = measureMessage(message)));
  return n;
}

function measureMessage(message: ChatMessage): number {
  let n = MESSAGE_OVERHEAD_CHARS + contentChars(message.content);
  if (message.role === 'assistant')
    for (const c of message.toolCalls ?? []) n += c.name.length + c.arguments.length + c.id.length + MESSAGE_OVERHEAD_CHARS;
  if (message.role === 'tool') n += message.toolCallId.length;
  return n;
}

// Tool specs are shared and read-only (toToolSpec caches them per tool): each one's JSON is measured once, not
// every request.
const specSizes = new WeakMap<ToolSpec, number>();

/** JSON.stringify(tools).length, from each spec's measured size: the brackets, the commas, the specs. */
function toolsChars(tools: readonly ToolSpec[]): number {
  if (tools.length === 0) return 0;
  let n = tools.length + 1;
  for (const spec of tools) {
    let size = specSizes.get(spec);
    if (size === undefined) specSizes.set(spec, (size = JSON.stringify(spec).length));
    n += size;
  }
  return n;
}

/** The characters a request is made of: its messages and its tool definitions (as JSON). */
export function requestChars(messages: readonly ChatMessage[], tools: readonly ToolSpec[]): number {
  let n = 0;
  for (const m of messages) n += messageChars(m);
  return n + toolsChars(tools);
}

export class ContextBudget {
  /** The last request whose prompt tokens the provider reported, and its size in characters. */
  private last: { chars: number; tokens: number } | undefined;
  /** The size of the request in flight, matched with the usage its response reports. */
  private pending: number | undefined;
  /** Learnt from a request the model refused as too long: its window is smaller than that request. */
  private cap: { model: string; tokens: number } | undefined;

  constructor(private readonly settings: ContextSettings = {}) {}

  window(model: string): number {
    const window = contextWindowFor(model, this.settings.contextWindow);
    return this.cap?.model === model ? Math.min(window, this.cap.tokens) : window;
  }

  /** The model refused the request in flight as too long: from now on its window counts as smaller than that request. */
  overflowed(model: string): void {
    if (this.pending !== undefined) this.cap = { model, tokens: Math.max(1_000, Math.floor(this.estimate(this.pending) * 0.9)) };
    this.pending = undefined;
  }

  /** Tokens above which a request is compacted first. */
  limit(model: string): number {
    const share = this.settings.compactAt;
    const at = share !== undefined && share > 0 && share <= 1 ? share : DEFAULT_COMPACT_AT;
    return Math.floor(this.window(model) * at);
  }

  /** Tokens a request of `chars` characters will take, by the provider's last count when there is one. */
  estimate(chars: number): number {
    if (this.last === undefined) return Math.ceil(chars / CHARS_PER_TOKEN);
    return Math.max(0, Math.ceil(this.last.tokens + (chars - this.last.chars) / CHARS_PER_TOKEN));
  }

  /** A request of `chars` characters is about to go out. */
  sending(chars: number): void {
    this.pending = chars;
  }

  /** The provider counted `promptTokens` for the request in flight. */
  observe(promptTokens: number): void {
    if (this.pending !== undefined && promptTokens > 0) this.last = { chars: this.pending, tokens: promptTokens };
    this.pending = undefined;
  }

  /** The conversation was rewritten (compacted, cleared): the last count no longer describes it. */
  reset(): void {
    this.last = undefined;
    this.pending = undefined;
  }
}
