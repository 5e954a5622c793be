// Compaction: when the conversation nears the model's context window, the older messages are summarised by
// the model (one request without tools) and replaced by that summary; the recent messages, the request the
// model is working on and the handles of kept results stay. Only the in-memory conversation shrinks: the
// transcript file keeps every message as it was added.
import { ModelError } from '../model/errors.js';
import type { ChatMessage, ChatModel, ContentPart } from '../model/types.js';
import { CHARS_PER_TOKEN, messageChars } from './context-budget.js';

/** The first line of a summary message: later compactions recognise (and re-summarise) it. */
export const SUMMARY_MARK = '[Summary of the earlier conversation, written by mcpsh when it was compacted to fit the context window]';

const SUMMARY_SYSTEM = [
  'You compact a conversation between a user and an AI assistant that uses tools, so that the assistant can go on',
  'with less context. Write a concise summary that keeps: what the user asked for and still wants, decisions and',
  'conclusions, facts found with tools (names, ids, numbers, paths, URLs), what has been done and what remains, and',
  'any handles of kept tool results (such as "r1") with what they hold. Leave out small talk and raw tool output.',
  'Write in the language of the conversation. Answer with the summary only.',
].join(' ');

/** Each tool result and argument text is clipped to this in what the summariser reads. */
const CLIP_TOOL_CHARS = 2_000;
const CLIP_ARGS_CHARS = 500;

export interface CompactRequest {
  model: ChatModel;
  /** The whole conversation, the system message first. */
  messages: readonly ChatMessage[];
  /** The model's context window, in tokens. */
  window: number;
  /** Extra instructions for the summary (`/compact …`). */
  instructions?: string;
  /** Tokens of recent messages kept as they are (default 30 % of the window); at least the last message is. */
  keepTokens?: number;
  signal: AbortSignal;
  onUsage?: (inputTokens: number, outputTokens: number) => void;
}

export interface Compacted {
  messages: ChatMessage[];
  /** Messages replaced by the summary. */
  summarised: number;
  /** Messages kept as they were (the system message not counted). */
  kept: number;
}

/** Whether a model error says the request did not fit the context window. */
export function isContextTooLong(err: unknown): boolean {
  return err instanceof ModelError && err.kind === 'context_length';
}

/**
 * The conversation with its older part replaced by a summary, or undefined when there is nothing older
 * to summarise. Throws when the summary request fails (the caller decides what that means).
 */
export async function compactMessages(req: CompactRequest): Promise<Compacted | undefined> {
  const [system, ...body] = req.messages;
  if (!system) return undefined;
  const keepFrom = keepBoundary(body, req.keepTokens ?? Math.floor(req.window * 0.3));
  const older = body.slice(0, keepFrom);
  // The request the model is working on stays word for word, after the summary.
  const taskIndex = findLastIndex(body, (m) => m.role === 'user' && !isSummary(m));
  const pinned = taskIndex >= 0 && taskIndex < keepFrom ? body[taskIndex] : undefined;
  const toSummarise = older.filter((m) => m !== pinned);
  if (!toSummarise.some((m) => !isSummary(m))) return undefined;

  const maxInput = Math.max(8_000, Math.floor(req.window * 0.5 * CHARS_PER_TOKEN));
  const rendered = fitMiddle(render(toSummarise), maxInput);
  const lines = ['Summarise this conversation so far.'];
  if (pinned)
    lines.push(
      "The user's current request is kept word for word after your summary; do not repeat it, but say how far the work on it has come.",
    );
  if (req.instructions) lines.push(`Also follow these instructions from the user for the summary: ${req.instructions}`);
  lines.push('', '<conversation>', rendered, '</conversation>');
  const maxTokens = Math.min(4_096, Math.max(256, Math.floor(req.window * 0.1)));
  const summary = (await summarise(req, lines.join('\n'), maxTokens)).trim();
  if (summary === '') throw new Error('the model answered the summary request with nothing');

  const handles = keptHandles(toSummarise);
  const note = handles.length > 0 ? `\n\nKept tool results still readable with mcpsh_read_result: ${handles.join(', ')}.` : '';
  const summaryMessage: ChatMessage = { role: 'user', content: `${SUMMARY_MARK}\n${summary}${note}` };
  const recent = body.slice(keepFrom);
  return {
    messages: [system, summaryMessage, ...(pinned ? [pinned] : []), ...recent],
    summarised: toSummarise.length,
    kept: recent.length + (pinned ? 1 : 0),
  };
}

/**
 * Where the kept recent part starts: as many messages from the end as fit in `keepTokens`, always the
 * last one at least, and never a tool result without the assistant message that called it.
 */
function keepBoundary(body: readonly ChatMessage[], keepTokens: number): number {
  let tokens = 0;
  let boundary = body.length;
  for (let i = body.length - 1; i >= 0; i--) {
    const m = body[i] as ChatMessage;
    tokens += messageChars(m) / CHARS_PER_TOKEN;
    if (m.role === 'tool') continue;
    if (tokens > keepTokens && boundary < body.length) break;
    boundary = i;
    if (tokens > keepTokens) break;
  }
  return boundary;
}

async function summarise(req: CompactRequest, prompt: string, maxTokens: number): Promise<string> {
  let text = '';
  const stream = req.model.stream({
    messages: [
      { role: 'system', content: SUMMARY_SYSTEM },
      { role: 'user', content: prompt },
    ],
    tools: [],
    signal: req.signal,
    maxTokens,
  });
  for await (const event of stream) {
    if (event.type === 'text_delta') text += event.text;
    else if (event.type === 'usage') req.onUsage?.(event.inputTokens, event.outputTokens);
  }
  return text;
}

/** The conversation as plain text for the summariser, tool output clipped. */
function render(messages: readonly ChatMessage[]): string {
  const names = new Map<string, string>();
  const out: string[] = [];
  for (const m of messages) {
    switch (m.role) {
      case 'system':
        break;
      case 'user':
        out.push(
          isSummary(m) ? `[earlier summary]\n${textOf(m.content).slice(SUMMARY_MARK.length).trim()}` : `[user]\n${textOf(m.content)}`,
        );
        break;
      case 'assistant': {
        const calls = (m.toolCalls ?? []).map((c) => {
          names.set(c.id, c.name);
          return `→ called ${c.name} ${clip(c.arguments, CLIP_ARGS_CHARS)}`;
        });
        out.push(['[assistant]', m.content, ...calls].filter((s) => s !== '').join('\n'));
        break;
      }
      case 'tool':
        out.push(`[result of ${names.get(m.toolCallId) ?? 'a tool call'}]\n${clip(textOf(m.content), CLIP_TOOL_CHARS)}`);
        break;
    }
  }
  return out.join('\n\n');
}

function textOf(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content;
  return content.map((p) => (p.type === 'text' ? p.text : `[image ${p.mimeType}]`)).join('\n');
}

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  return `${text.slice(0, head)} […${text.length - max} characters…] ${text.slice(text.length - (max - head))}`;
}

/** Head and tail of a text too long for one summary request. */
function fitMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.25);
  return `${text.slice(0, head)}\n\n[… ${text.length - max} characters of the conversation left out …]\n\n${text.slice(text.length - (max - head))}`;
}

function isSummary(m: ChatMessage): boolean {
  return m.role === 'user' && typeof m.content === 'string' && m.content.startsWith(SUMMARY_MARK);
}

/** Handles of kept results named in the summarised messages, so they stay reachable after compaction. */
function keptHandles(messages: readonly ChatMessage[]): string[] {
  const found = new Set<string>();
  for (const m of messages) {
    if (m.role !== 'tool' && !isSummary(m)) continue;
    const text = textOf(m.content);
    // The spill notice (tool-result.ts), a page header (result-tool.ts), an earlier summary's list.
    for (const match of text.matchAll(/handle "(r[1-9][0-9]*)"|^\[(r[1-9][0-9]*) \(/gm)) found.add((match[1] ?? match[2]) as string);
    const listed = /mcpsh_read_result: ((?:r[1-9][0-9]*(?:, )?)+)\.$/m.exec(text);
    for (const h of listed?.[1]?.split(', ') ?? []) found.add(h);
  }
  return [...found].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as T)) return i;
  return -1;
}
