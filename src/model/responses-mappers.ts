// Pure mappers between the model port and the OpenAI Responses API: the conversation as input items
// (reasoning items carried back), tools, and stream events in. No I/O here; responses-model.ts talks.
import { randomUUID } from 'node:crypto';
import { APIError } from 'openai';
import type {
  FunctionTool,
  ResponseCreateParamsStreaming,
  ResponseFunctionCallOutputItem,
  ResponseInputContent,
  ResponseInputItem,
  ResponseStreamEvent,
} from 'openai/resources/responses/responses';
import { exceedsJsonTextDepth } from '../json-depth.js';
import { TOO_DEEP_ARGUMENTS } from './openai-mappers.js';
import type {
  ChatMessage,
  ContentPart,
  FinishReason,
  ModelRequest,
  ModelSettings,
  ModelStreamEvent,
  ReasoningItem,
  ToolCallRequest,
  ToolSpec,
} from './types.js';

export const ENCRYPTED_REASONING = 'reasoning.encrypted_content';
/** OpenAI refuses max_output_tokens below 16. */
const MIN_OUTPUT_TOKENS = 16;
/** Reasoning kept from one response (encrypted items are a few KB each): an endpoint cannot grow every later request without end. */
export const MAX_REASONING_CHARS = 256 * 1024;

/**
 * Whether a model name is one of OpenAI's reasoning models, which return encrypted reasoning when asked:
 * the others refuse `include: ["reasoning.encrypted_content"]` with a 400 ("Encrypted content is not
 * supported with this model"). A wrong guess costs one refused request (responses-model.ts then stops asking).
 */
export function isReasoningModelName(name: string): boolean {
  const base = name.toLowerCase().replace(/^.*\//, '');
  if (/-chat(-|$)/.test(base)) return false; // gpt-5-chat-latest answers without reasoning
  return /^(o[1-9]|gpt-([5-9]|[1-9]\d)|codex)/.test(base) || base.includes('codex');
}

export interface ResponsesOptions {
  /** Ask for encrypted reasoning items (reasoning models only, see isReasoningModelName). */
  includeReasoning: boolean;
  /** This model's ReasoningItem.source: reasoning from any other model or endpoint is not sent. */
  source: string;
}

/** The request body for one streamed turn. Stateless (`store: false`): the whole conversation goes each time. */
export function responsesParams(
  settings: ModelSettings,
  request: Pick<ModelRequest, 'messages' | 'tools' | 'maxTokens'>,
  options: ResponsesOptions,
): ResponseCreateParamsStreaming {
  const params: ResponseCreateParamsStreaming = {
    model: settings.name,
    input: toResponsesInput(request.messages, options.source),
    stream: true,
    store: false,
  };
  if (options.includeReasoning) params.include = [ENCRYPTED_REASONING];
  if (request.tools.length > 0) params.tools = request.tools.map(toResponsesTool);
  if (settings.temperature !== undefined) params.temperature = settings.temperature;
  const limits = [settings.maxOutputTokens, request.maxTokens].filter((n): n is number => n !== undefined && Number.isFinite(n) && n > 0);
  if (limits.length > 0) params.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, Math.floor(Math.min(...limits)));
  return params;
}

/** A function tool. Non-strict: MCP input schemas rarely meet strict mode's rules (every property required, no extras). */
export function toResponsesTool(spec: ToolSpec): FunctionTool {
  return {
    type: 'function',
    name: spec.name,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    parameters: spec.parameters,
    strict: false,
  };
}

function inputParts(parts: ContentPart[]): ResponseInputContent[] {
  return parts.map((p) =>
    p.type === 'text'
      ? { type: 'input_text', text: p.text }
      : { type: 'input_image', image_url: `data:${p.mimeType};base64,${p.data}`, detail: 'auto' },
  );
}

/**
 * The conversation as input items. An assistant message becomes its reasoning items (only those this
 * model made, only after the latest user message), its text, then its function calls; a tool message becomes a function_call_output, whose
 * output may hold images (the Responses API takes them there, unlike Chat Completions' tool messages).
 */
export function toResponsesInput(messages: readonly ChatMessage[], source: string): ResponseInputItem[] {
  const out: ResponseInputItem[] = [];
  // Reasoning matters within the tool turns that answer the latest user message: OpenAI drops older
  // reasoning from the model's context anyway, so sending it would only grow every request.
  const current = messages.findLastIndex((m) => m.role === 'user');
  for (const [i, m] of messages.entries()) {
    switch (m.role) {
      case 'system':
        out.push({ role: 'system', content: m.content });
        break;
      case 'user':
        out.push({ role: 'user', content: typeof m.content === 'string' ? m.content : inputParts(m.content) });
        break;
      case 'assistant':
        // The opaque item goes back as it came (encrypted content must be unmodified); its shape was checked when kept.
        // A reasoning item must be followed by what it led to: one with neither text nor calls is not sent.
        if (i > current && (m.content !== '' || (m.toolCalls?.length ?? 0) > 0))
          for (const r of m.reasoning ?? []) if (r.source === source) out.push(r.item as unknown as ResponseInputItem);
        if (m.content !== '') out.push({ role: 'assistant', content: m.content });
        for (const c of m.toolCalls ?? []) out.push({ type: 'function_call', call_id: c.id, name: c.name, arguments: c.arguments });
        break;
      case 'tool':
        out.push({
          type: 'function_call_output',
          call_id: m.toolCallId,
          output: typeof m.content === 'string' ? m.content : toolOutput(m.content),
        });
        break;
    }
  }
  return out;
}

function toolOutput(parts: ContentPart[]): string | ResponseFunctionCallOutputItem[] {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return parts.map((p): ResponseFunctionCallOutputItem =>
    p.type === 'text'
      ? { type: 'input_text', text: p.text }
      : { type: 'input_image', image_url: `data:${p.mimeType};base64,${p.data}`, detail: 'auto' },
  );
}

interface PartialCall {
  callId: string;
  name: string;
  arguments: string;
  emitted: boolean;
}

/** What one streamed response has delivered so far. */
export interface ResponsesStreamState {
  source: string;
  events: number;
  /** Calls by output item id, and the same calls by output index (for events that carry only one of them). */
  byItem: Map<string, PartialCall>;
  byIndex: Map<number, PartialCall>;
  calls: PartialCall[];
  terminal: 'completed' | 'incomplete' | undefined;
  incompleteReason: string | undefined;
  reasoningChars: number;
  makeId: () => string;
}

export function createResponsesState(
  source: string,
  makeId: () => string = () => `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
): ResponsesStreamState {
  return {
    source,
    events: 0,
    byItem: new Map(),
    byIndex: new Map(),
    calls: [],
    terminal: undefined,
    incompleteReason: undefined,
    reasoningChars: 0,
    makeId,
  };
}

type Loose = Record<string, unknown>;

function isObject(value: unknown): value is Loose {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The events one stream event yields: text at once, a tool call when its item is done. */
export function applyResponsesEvent(state: ResponsesStreamState, event: ResponseStreamEvent): ModelStreamEvent[] {
  state.events++;
  // Endpoints are outside input: read fields defensively rather than trusting the declared types.
  const e = event as unknown as Loose;
  switch (e.type) {
    case 'response.output_text.delta':
    case 'response.refusal.delta': {
      const delta = str(e.delta);
      return delta ? [{ type: 'text_delta', text: delta }] : [];
    }
    case 'response.output_item.added':
      if (isObject(e.item) && e.item.type === 'function_call') callFor(state, e.item, e.output_index);
      return [];
    case 'response.function_call_arguments.delta': {
      const call = findCall(state, e);
      const delta = str(e.delta);
      if (call && delta !== undefined && !call.emitted) call.arguments += delta;
      return [];
    }
    case 'response.function_call_arguments.done': {
      const call = findCall(state, e);
      const whole = str(e.arguments);
      if (call && whole !== undefined && !call.emitted) call.arguments = whole;
      return [];
    }
    case 'response.output_item.done':
      return isObject(e.item) ? itemDone(state, e.item, e.output_index) : [];
    case 'response.completed':
    case 'response.incomplete': {
      state.terminal = e.type === 'response.completed' ? 'completed' : 'incomplete';
      const response = isObject(e.response) ? e.response : {};
      if (isObject(response.incomplete_details)) state.incompleteReason = str(response.incomplete_details.reason);
      return usageOf(response.usage);
    }
    case 'response.failed': {
      const response = isObject(e.response) ? e.response : {};
      throw streamError(isObject(response.error) ? response.error : { message: 'the response failed without saying why' });
    }
    case 'error':
      throw streamError(e);
    default:
      return [];
  }
}

/** The events at the end of the stream: calls whose item never said it was done, then finish. */
export function endResponsesStream(state: ResponsesStreamState): ModelStreamEvent[] {
  const events = state.calls.filter((c) => !c.emitted).map((c) => toolCallEvent(state, c));
  let reason: FinishReason = state.calls.length > 0 ? 'tool_calls' : 'stop';
  if (state.terminal === 'incomplete') {
    const why = state.incompleteReason;
    reason = why === 'max_output_tokens' ? 'length' : why === 'content_filter' ? 'content_filter' : 'other';
  }
  events.push({ type: 'finish', reason });
  return events;
}

function callFor(state: ResponsesStreamState, item: Loose, outputIndex: unknown): PartialCall {
  const itemId = str(item.id);
  let call =
    (itemId === undefined ? undefined : state.byItem.get(itemId)) ??
    (typeof outputIndex === 'number' ? state.byIndex.get(outputIndex) : undefined);
  if (call === undefined) {
    call = { callId: '', name: '', arguments: '', emitted: false };
    state.calls.push(call);
    if (itemId !== undefined) state.byItem.set(itemId, call);
    if (typeof outputIndex === 'number') state.byIndex.set(outputIndex, call);
  }
  if (call.callId === '') call.callId = str(item.call_id) ?? '';
  if (call.name === '') call.name = str(item.name) ?? '';
  return call;
}

function findCall(state: ResponsesStreamState, e: Loose): PartialCall | undefined {
  const itemId = str(e.item_id);
  return (
    (itemId === undefined ? undefined : state.byItem.get(itemId)) ??
    (typeof e.output_index === 'number' ? state.byIndex.get(e.output_index) : undefined)
  );
}

function itemDone(state: ResponsesStreamState, item: Loose, outputIndex: unknown): ModelStreamEvent[] {
  if (item.type === 'reasoning') return keepReasoning(state, item);
  if (item.type !== 'function_call') return [];
  const call = callFor(state, item, outputIndex);
  if (call.emitted) return [];
  const whole = str(item.arguments);
  if (whole !== undefined && whole !== '') call.arguments = whole;
  return [toolCallEvent(state, call)];
}

/**
 * A reasoning item to send back on the next request. Only encrypted ones can be: with `store: false`
 * OpenAI keeps nothing, so an item without its encrypted content (or with its id) would be looked up
 * and refused. The id and status are dropped; summary and encrypted content are kept as they came.
 */
function keepReasoning(state: ResponsesStreamState, item: Loose): ModelStreamEvent[] {
  const encrypted = str(item.encrypted_content);
  if (encrypted === undefined || encrypted === '') return [];
  const summary = Array.isArray(item.summary) ? (item.summary as unknown[]) : [];
  const kept: Loose = { type: 'reasoning', summary, encrypted_content: encrypted };
  const size = JSON.stringify(kept).length;
  if (state.reasoningChars + size > MAX_REASONING_CHARS) return [];
  state.reasoningChars += size;
  const reasoning: ReasoningItem = { source: state.source, item: kept };
  return [{ type: 'reasoning', item: reasoning }];
}

function toolCallEvent(state: ResponsesStreamState, c: PartialCall): ModelStreamEvent {
  c.emitted = true;
  // No-argument calls may arrive as ""; "{}" is what they mean.
  const args = c.arguments.trim() === '' ? '{}' : exceedsJsonTextDepth(c.arguments) ? TOO_DEEP_ARGUMENTS : c.arguments;
  const call: ToolCallRequest = { id: c.callId === '' ? state.makeId() : c.callId, name: c.name, arguments: args };
  return { type: 'tool_call', call };
}

function usageOf(usage: unknown): ModelStreamEvent[] {
  if (!isObject(usage)) return [];
  const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
  return [{ type: 'usage', inputTokens: count(usage.input_tokens), outputTokens: count(usage.output_tokens) }];
}

/** An error reported inside the stream, as the client's own in-stream errors look, for classifyModelError. */
function streamError(error: Loose): APIError {
  const message = str(error.message) ?? 'the model stream reported an error';
  const code = str(error.code);
  return new APIError(undefined, { message, ...(code === undefined ? {} : { code }) }, undefined, undefined);
}
