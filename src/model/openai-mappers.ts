// Pure mappers between the model port and OpenAI Chat Completions: messages and tools out, stream
// chunks in (tool-call deltas reassembled by index). No I/O here; openai-model.ts does the talking.
import { randomUUID } from 'node:crypto';
import type {
  ChatCompletionChunk,
  ChatCompletionContentPart,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { exceedsJsonDepth, exceedsJsonTextDepth, nestedTooDeep } from '../json-depth.js';
import type { ChatMessage, ContentPart, FinishReason, ModelStreamEvent, ToolCallRequest, ToolSpec } from './types.js';

function imagePart(part: Extract<ContentPart, { type: 'image' }>): ChatCompletionContentPart {
  return { type: 'image_url', image_url: { url: `data:${part.mimeType};base64,${part.data}` } };
}

function userParts(parts: ContentPart[]): ChatCompletionContentPart[] {
  return parts.map((p) => (p.type === 'text' ? { type: 'text', text: p.text } : imagePart(p)));
}

/**
 * The conversation as Chat Completions messages. Tool messages take text only, so a tool result's
 * images travel in one user message placed right after the run of tool messages (the API wants every
 * tool answer directly after the assistant message that called them), and the tool text says so.
 */
export function toOpenAIMessages(messages: readonly ChatMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  let pendingImages: ChatCompletionContentPart[] = [];
  const flushImages = (): void => {
    if (pendingImages.length === 0) return;
    out.push({ role: 'user', content: pendingImages });
    pendingImages = [];
  };

  for (const m of messages) {
    if (m.role !== 'tool') flushImages();
    const { param, images } = converted(m);
    out.push(param);
    if (images) pendingImages.push(...images);
  }
  flushImages();
  return out;
}

interface Converted {
  param: ChatCompletionMessageParam;
  /** A tool result's images, for the user message after the results (tool messages carry text only). */
  images?: ChatCompletionContentPart[];
}

// Messages are not changed once made, and every request sends the whole conversation again: each message is
// converted once, not once per turn (the openai client only serializes what it is given).
const conversions = new WeakMap<ChatMessage, Converted>();

function converted(m: ChatMessage): Converted {
  let c = conversions.get(m);
  if (c === undefined) conversions.set(m, (c = convert(m)));
  return c;
}

function convert(m: ChatMessage): Converted {
  switch (m.role) {
    case 'system':
      return { param: { role: 'system', content: m.content } };
    case 'user':
      return { param: { role: 'user', content: typeof m.content === 'string' ? m.content : userParts(m.content) } };
    case 'assistant':
      if (m.toolCalls && m.toolCalls.length > 0) {
        return {
          param: {
            role: 'assistant',
            // Several servers reject "" next to tool calls; null is what OpenAI itself sends back.
            content: m.content === '' ? null : m.content,
            tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
          },
        };
      }
      return { param: { role: 'assistant', content: m.content } };
    case 'tool': {
      if (typeof m.content === 'string') return { param: { role: 'tool', tool_call_id: m.toolCallId, content: m.content } };
      const texts: string[] = [];
      const images = m.content.filter((p): p is Extract<ContentPart, { type: 'image' }> => p.type === 'image');
      for (const p of m.content) if (p.type === 'text') texts.push(p.text);
      if (images.length === 0) return { param: { role: 'tool', tool_call_id: m.toolCallId, content: texts.join('\n') } };
      const what = images.length === 1 ? `1 image (${images[0]?.mimeType ?? 'image'})` : `${images.length} images`;
      texts.push(`[this result also returned ${what}; attached in the next user message]`);
      return {
        param: { role: 'tool', tool_call_id: m.toolCallId, content: texts.join('\n') },
        images: [
          { type: 'text', text: `Image${images.length === 1 ? '' : 's'} returned by tool call ${m.toolCallId}:` },
          ...images.map(imagePart),
        ],
      };
    }
  }
}

/** A function tool. Non-strict: `strict` is left out, since several OpenAI-compatible servers reject the field. */
export function toOpenAITool(spec: ToolSpec): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: {
      name: spec.name,
      ...(spec.description === undefined ? {} : { description: spec.description }),
      parameters: spec.parameters,
    },
  };
}

const FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  length: 'length',
  content_filter: 'content_filter',
};

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/** What one streamed response has delivered so far. */
export interface StreamState {
  calls: PartialCall[];
  /** Position in `calls` of the call currently at each delta index. */
  byIndex: Map<number, number>;
  finishReason: string | undefined;
  callsEmitted: boolean;
  chunks: number;
  makeId: () => string;
}

export function createStreamState(makeId: () => string = () => `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`): StreamState {
  return { calls: [], byIndex: new Map(), finishReason: undefined, callsEmitted: false, chunks: 0, makeId };
}

/** The events one chunk yields: text at once, tool calls when the response says it is finished. */
export function applyChunk(state: StreamState, chunk: ChatCompletionChunk): ModelStreamEvent[] {
  state.chunks++;
  const events: ModelStreamEvent[] = [];
  for (const choice of chunk.choices ?? []) {
    if (choice.index !== undefined && choice.index !== 0) continue; // n = 1: other choices are never asked for
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content !== '') events.push({ type: 'text_delta', text: delta.content });
    if (typeof delta.refusal === 'string' && delta.refusal !== '') events.push({ type: 'text_delta', text: delta.refusal });
    for (const d of delta.tool_calls ?? []) addToolDelta(state, d);
    if (choice.finish_reason) {
      state.finishReason = choice.finish_reason;
      events.push(...takeCalls(state));
    }
  }
  if (chunk.usage)
    events.push({ type: 'usage', inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 });
  return events;
}

/** The events at the end of the stream: calls not yet emitted (servers that omit finish_reason), then finish. */
export function endStream(state: StreamState): ModelStreamEvent[] {
  const events = takeCalls(state);
  const emitted = state.calls.length > 0;
  let reason: FinishReason = state.finishReason === undefined ? (emitted ? 'tool_calls' : 'stop') : (FINISH[state.finishReason] ?? 'other');
  // Some local servers say "stop" after tool calls; the calls are what the caller must act on.
  if (emitted && reason === 'stop') reason = 'tool_calls';
  events.push({ type: 'finish', reason });
  return events;
}

type ToolDelta = ChatCompletionChunk.Choice.Delta.ToolCall;

function addToolDelta(state: StreamState, d: ToolDelta): void {
  const index = typeof d.index === 'number' ? d.index : state.calls.length;
  const id = typeof d.id === 'string' && d.id !== '' ? d.id : undefined;
  let at = state.byIndex.get(index);
  let call = at === undefined ? undefined : state.calls[at];
  // A new id at a known index is a new call: some servers send every call with index 0.
  if (call === undefined || (id !== undefined && call.id !== '' && call.id !== id)) {
    call = { id: '', name: '', arguments: '' };
    at = state.calls.push(call) - 1;
    state.byIndex.set(index, at);
  }
  if (id !== undefined && call.id === '') call.id = id;
  const fn = d.function;
  if (fn?.name) {
    // Names arrive whole in the first delta; a repeat of the whole name is not a fragment.
    if (call.name === '') call.name = fn.name;
    else if (fn.name !== call.name) call.name += fn.name;
  }
  const args: unknown = fn?.arguments;
  if (typeof args === 'string') call.arguments += args;
  // Some servers send the arguments as an object; one nested too deep could not even be turned into text.
  else if (args !== undefined && args !== null) call.arguments += exceedsJsonDepth(args) ? TOO_DEEP_ARGUMENTS : JSON.stringify(args);
}

/**
 * What stands in for arguments nested deeper than MAX_JSON_DEPTH: not an object, so the agent answers the
 * call with an error result the model sees (beside this text in its own call), and the run goes on.
 */
export const TOO_DEEP_ARGUMENTS = JSON.stringify(
  `mcpsh refused these arguments: they were ${nestedTooDeep()}. Send a flatter JSON object.`,
);

function takeCalls(state: StreamState): ModelStreamEvent[] {
  if (state.callsEmitted || state.calls.length === 0) return [];
  state.callsEmitted = true;
  return state.calls.map((c): ModelStreamEvent => ({ type: 'tool_call', call: finishCall(c, state) }));
}

function finishCall(c: PartialCall, state: StreamState): ToolCallRequest {
  // No-argument calls arrive as "" from many models; "{}" is what they mean.
  const args = c.arguments.trim() === '' ? '{}' : exceedsJsonTextDepth(c.arguments) ? TOO_DEEP_ARGUMENTS : c.arguments;
  return { id: c.id === '' ? state.makeId() : c.id, name: c.name, arguments: args };
}
