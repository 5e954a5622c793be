// The Responses API mappers: the conversation as input items (reasoning carried back only where it
// belongs), tools, request parameters, and stream events turned into port events.
import { APIError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { TOO_DEEP_ARGUMENTS } from '../../../src/model/openai-mappers.js';
import {
  applyResponsesEvent,
  createResponsesState,
  endResponsesStream,
  isReasoningModelName,
  MAX_REASONING_CHARS,
  responsesParams,
  toResponsesInput,
  toResponsesTool,
} from '../../../src/model/responses-mappers.js';
import type { ChatMessage, ModelStreamEvent, ReasoningItem } from '../../../src/model/types.js';

const SOURCE = 'o4-mini at https://api.openai.com/v1';
const rs = (encrypted: string, source = SOURCE): ReasoningItem => ({
  source,
  item: { type: 'reasoning', summary: [], encrypted_content: encrypted },
});

/** Feeds loosely written events (as an endpoint may send them) through one stream state. */
function decode(events: Array<Record<string, unknown>>, source = SOURCE): ModelStreamEvent[] {
  const state = createResponsesState(source, () => 'call_generated');
  const out: ModelStreamEvent[] = [];
  for (const e of events) out.push(...applyResponsesEvent(state, e as unknown as ResponseStreamEvent));
  out.push(...endResponsesStream(state));
  return out;
}

const completed = (usage = { input_tokens: 12, output_tokens: 3 }) => ({
  type: 'response.completed',
  response: { status: 'completed', usage },
});

describe('toResponsesInput', () => {
  it('maps system, user (text and images), assistant text and calls, and tool outputs in order', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image', mimeType: 'image/png', data: 'AAA=' },
        ],
      },
      { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'call_1', name: 'db__query', arguments: '{"sql":"select 1"}' }] },
      { role: 'tool', toolCallId: 'call_1', content: '1' },
      { role: 'assistant', content: 'One.' },
    ];
    expect(toResponsesInput(messages, SOURCE)).toEqual([
      { role: 'system', content: 'be brief' },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAA=', detail: 'auto' },
        ],
      },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'db__query', arguments: '{"sql":"select 1"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '1' },
      { role: 'assistant', content: 'One.' },
    ]);
  });

  it('puts tool-result images inside the function_call_output, and joins text-only parts', () => {
    const input = toResponsesInput(
      [
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'a', name: 's__shot', arguments: '{}' },
            { id: 'b', name: 's__text', arguments: '{}' },
          ],
        },
        {
          role: 'tool',
          toolCallId: 'a',
          content: [
            { type: 'text', text: 'done' },
            { type: 'image', mimeType: 'image/jpeg', data: 'BBB=' },
          ],
        },
        {
          role: 'tool',
          toolCallId: 'b',
          content: [
            { type: 'text', text: 'x' },
            { type: 'text', text: 'y' },
          ],
        },
      ],
      SOURCE,
    );
    expect(input[0]).toEqual({ type: 'function_call', call_id: 'a', name: 's__shot', arguments: '{}' });
    expect(input[2]).toEqual({
      type: 'function_call_output',
      call_id: 'a',
      output: [
        { type: 'input_text', text: 'done' },
        { type: 'input_image', image_url: 'data:image/jpeg;base64,BBB=', detail: 'auto' },
      ],
    });
    expect(input[3]).toEqual({ type: 'function_call_output', call_id: 'b', output: 'x\ny' });
    // No empty assistant message next to calls.
    expect(input.filter((i) => 'role' in i && i.role === 'assistant')).toEqual([]);
  });

  it('sends reasoning back before the calls it led to, only for this model and only after the latest user message', () => {
    const messages: ChatMessage[] = [
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'old answer', reasoning: [rs('enc-old')] },
      { role: 'user', content: 'second' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'c1', name: 't__a', arguments: '{}' }],
        reasoning: [rs('enc-1'), rs('enc-other', 'gpt-5 at https://example.com/v1')],
      },
      { role: 'tool', toolCallId: 'c1', content: 'ok' },
      { role: 'assistant', content: '', reasoning: [rs('enc-alone')] },
    ];
    const input = toResponsesInput(messages, SOURCE);
    const reasoning = input.filter((i) => 'type' in i && i.type === 'reasoning');
    expect(reasoning).toEqual([{ type: 'reasoning', summary: [], encrypted_content: 'enc-1' }]);
    const at = input.findIndex((i) => 'type' in i && i.type === 'reasoning');
    expect(input[at + 1]).toMatchObject({ type: 'function_call', call_id: 'c1' });
    // Another model's or endpoint's reasoning is never sent.
    expect(toResponsesInput(messages, 'someone else').some((i) => 'type' in i && i.type === 'reasoning')).toBe(false);
  });
});

describe('responsesParams and tools', () => {
  const settings = { name: 'gpt-5-mini', baseURL: 'https://api.openai.com/v1' };

  it('is stateless, asks for encrypted reasoning when told, and sends non-strict function tools', () => {
    const tool = { name: 'db__query', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' } } } };
    const params = responsesParams(
      { ...settings, temperature: 0.2 },
      { messages: [{ role: 'user', content: 'hi' }], tools: [tool] },
      { includeReasoning: true, source: SOURCE },
    );
    expect(params).toEqual({
      model: 'gpt-5-mini',
      input: [{ role: 'user', content: 'hi' }],
      stream: true,
      store: false,
      include: ['reasoning.encrypted_content'],
      tools: [{ type: 'function', name: 'db__query', description: 'Run SQL', parameters: tool.parameters, strict: false }],
      temperature: 0.2,
    });
    expect(toResponsesTool({ name: 'x', parameters: { type: 'object' } })).toEqual({
      type: 'function',
      name: 'x',
      parameters: { type: 'object' },
      strict: false,
    });
  });

  it("leaves out include and an empty tools array, and keeps max_output_tokens at OpenAI's minimum of 16 or more", () => {
    const params = responsesParams(
      { ...settings, maxOutputTokens: 500 },
      { messages: [], tools: [], maxTokens: 5 },
      { includeReasoning: false, source: SOURCE },
    );
    expect(params).not.toHaveProperty('include');
    expect(params).not.toHaveProperty('tools');
    expect(params.max_output_tokens).toBe(16);
    expect(
      responsesParams({ ...settings, maxOutputTokens: 500 }, { messages: [], tools: [] }, { includeReasoning: false, source: SOURCE })
        .max_output_tokens,
    ).toBe(500);
  });

  it('guesses which model names reason (and so accept encrypted reasoning)', () => {
    for (const name of ['o3', 'o4-mini', 'gpt-5', 'gpt-5.1-codex', 'openai/gpt-5-mini', 'codex-mini-latest'])
      expect(isReasoningModelName(name), name).toBe(true);
    for (const name of ['gpt-4.1-mini', 'gpt-4o', 'gpt-5-chat-latest', 'llama3.1', 'omni-moderation'])
      expect(isReasoningModelName(name), name).toBe(false);
  });
});

describe('the Responses stream', () => {
  it('yields text deltas (refusals too), usage and stop', () => {
    expect(
      decode([
        { type: 'response.created', response: {} },
        { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, delta: 'Hel' },
        { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, delta: 'lo' },
        { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, delta: ' (no)' },
        { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, delta: 42 },
        completed(),
      ]),
    ).toEqual([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'text_delta', text: ' (no)' },
      { type: 'usage', inputTokens: 12, outputTokens: 3 },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reassembles function calls from argument deltas, keyed by item id or output index, and emits each once', () => {
    const events = decode([
      {
        type: 'response.output_item.added',
        output_index: 0,
        item: { id: 'fc_1', type: 'function_call', call_id: 'call_a', name: 'db__query', arguments: '' },
      },
      {
        type: 'response.output_item.added',
        output_index: 1,
        item: { type: 'function_call', call_id: 'call_b', name: 'fs__read', arguments: '' },
      },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '{"sql":' },
      { type: 'response.function_call_arguments.delta', output_index: 1, delta: '{"path":"/a"}' },
      { type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 0, delta: '"select 1"}' },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { id: 'fc_1', type: 'function_call', call_id: 'call_a', name: 'db__query', arguments: '{"sql":"select 1"}' },
      },
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: { id: 'fc_1', type: 'function_call', call_id: 'call_a', name: 'db__query', arguments: '{"sql":"select 1"}' },
      },
      completed(),
    ]);
    expect(events).toEqual([
      { type: 'tool_call', call: { id: 'call_a', name: 'db__query', arguments: '{"sql":"select 1"}' } },
      { type: 'usage', inputTokens: 12, outputTokens: 3 },
      // The second call's item never said it was done: it still goes out, before finish.
      { type: 'tool_call', call: { id: 'call_b', name: 'fs__read', arguments: '{"path":"/a"}' } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('turns empty arguments into {} and arguments nested too deep into the refusal text', () => {
    const deep = `${'['.repeat(300)}${']'.repeat(300)}`;
    const calls = decode([
      { type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', call_id: 'c1', name: 't__a', arguments: '' } },
      { type: 'response.output_item.done', output_index: 1, item: { type: 'function_call', name: 't__b', arguments: deep } },
      completed(),
    ]).filter((e) => e.type === 'tool_call');
    expect(calls).toEqual([
      { type: 'tool_call', call: { id: 'c1', name: 't__a', arguments: '{}' } },
      { type: 'tool_call', call: { id: 'call_generated', name: 't__b', arguments: TOO_DEEP_ARGUMENTS } },
    ]);
  });

  it('keeps encrypted reasoning items (without id or status), drops unencrypted ones, and bounds what it keeps', () => {
    const big = 'x'.repeat(MAX_REASONING_CHARS / 2);
    const events = decode([
      {
        type: 'response.output_item.done',
        output_index: 0,
        item: {
          id: 'rs_1',
          type: 'reasoning',
          status: 'completed',
          summary: [{ type: 'summary_text', text: 'thinking' }],
          encrypted_content: 'gAAAA-one',
        },
      },
      { type: 'response.output_item.done', output_index: 1, item: { id: 'rs_2', type: 'reasoning', summary: [] } },
      { type: 'response.output_item.done', output_index: 2, item: { id: 'rs_3', type: 'reasoning', summary: [], encrypted_content: big } },
      { type: 'response.output_item.done', output_index: 3, item: { id: 'rs_4', type: 'reasoning', summary: [], encrypted_content: big } },
      completed(),
    ]);
    const kept = events.filter((e) => e.type === 'reasoning');
    expect(kept[0]).toEqual({
      type: 'reasoning',
      item: {
        source: SOURCE,
        item: { type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'gAAAA-one' },
      },
    });
    expect(kept).toHaveLength(2);
  });

  it('maps response.incomplete to length or content_filter, with usage', () => {
    const incomplete = (reason: string) => ({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason }, usage: { input_tokens: 5, output_tokens: 16 } },
    });
    expect(decode([{ type: 'response.output_text.delta', delta: 'cut' }, incomplete('max_output_tokens')]).slice(-2)).toEqual([
      { type: 'usage', inputTokens: 5, outputTokens: 16 },
      { type: 'finish', reason: 'length' },
    ]);
    expect(decode([incomplete('content_filter')]).at(-1)).toEqual({ type: 'finish', reason: 'content_filter' });
  });

  it('throws response.failed and error events as provider errors the classifier understands', () => {
    const state = createResponsesState(SOURCE);
    const failed = {
      type: 'response.failed',
      response: {
        status: 'failed',
        error: { code: 'context_length_exceeded', message: 'Your input exceeds the context window of this model.' },
      },
    };
    let thrown: unknown;
    try {
      applyResponsesEvent(state, failed as unknown as ResponseStreamEvent);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(APIError);
    expect(thrown).toMatchObject({
      status: undefined,
      code: 'context_length_exceeded',
      message: 'Your input exceeds the context window of this model.',
    });
    expect(() =>
      applyResponsesEvent(state, { type: 'error', code: 'server_error', message: 'boom' } as unknown as ResponseStreamEvent),
    ).toThrow('boom');
  });
});
