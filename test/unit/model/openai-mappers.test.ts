// The pure OpenAI mappers: messages and tools out, stream chunks in with tool-call deltas reassembled.
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { applyChunk, createStreamState, endStream, toOpenAIMessages, toOpenAITool } from '../../../src/model/openai-mappers.js';
import { chatParams } from '../../../src/model/openai-model.js';
import type { ChatMessage, ModelStreamEvent } from '../../../src/model/types.js';

type Delta = ChatCompletionChunk.Choice.Delta;

function chunk(delta: Delta, finish: ChatCompletionChunk.Choice['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] };
}

function run(chunks: ChatCompletionChunk[]): ModelStreamEvent[] {
  let n = 0;
  const state = createStreamState(() => `gen_${n++}`);
  return [...chunks.flatMap((c) => applyChunk(state, c)), ...endStream(state)];
}

describe('toOpenAIMessages', () => {
  it('maps each role, with tool calls on the assistant message and null content beside them', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'count customers' },
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'db__query', arguments: '{"sql":"select count(*) from customers"}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '42' }] },
      { role: 'assistant', content: 'There are 42.' },
    ];
    expect(toOpenAIMessages(messages)).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'count customers' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'db__query', arguments: '{"sql":"select count(*) from customers"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '42' },
      { role: 'assistant', content: 'There are 42.' },
    ]);
  });

  it('sends user images as image_url data URLs', () => {
    const out = toOpenAIMessages([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0K' },
        ],
      },
    ]);
    expect(out).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
        ],
      },
    ]);
  });

  it('moves tool-result images into one user message after the whole run of tool messages', () => {
    const out = toOpenAIMessages([
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
          { type: 'text', text: 'screenshot taken' },
          { type: 'image', mimeType: 'image/jpeg', data: 'AAAA' },
        ],
      },
      { role: 'tool', toolCallId: 'b', content: 'plain' },
      { role: 'user', content: 'next question' },
    ]);
    expect(out.map((m) => m.role)).toEqual(['assistant', 'tool', 'tool', 'user', 'user']);
    expect(out[1]).toEqual({
      role: 'tool',
      tool_call_id: 'a',
      content: 'screenshot taken\n[this result also returned 1 image (image/jpeg); attached in the next user message]',
    });
    expect(out[3]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'Image returned by tool call a:' },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAAA' } },
      ],
    });
    expect(out[4]).toEqual({ role: 'user', content: 'next question' });
  });
});

describe('toOpenAITool and chatParams', () => {
  it('makes a non-strict function tool', () => {
    const tool = toOpenAITool({ name: 'db__query', description: 'Run SQL', parameters: { type: 'object', properties: {} } });
    expect(tool).toEqual({
      type: 'function',
      function: { name: 'db__query', description: 'Run SQL', parameters: { type: 'object', properties: {} } },
    });
    expect(tool.function).not.toHaveProperty('strict');
  });

  it('asks for usage, leaves out empty tools, and picks the max-tokens field the endpoint knows', () => {
    const request = { messages: [{ role: 'user' as const, content: 'hi' }], tools: [] };
    const local = chatParams({ name: 'llama3.1', baseURL: 'http://localhost:11434/v1', maxOutputTokens: 100, temperature: 0.2 }, request);
    expect(local).toMatchObject({
      model: 'llama3.1',
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 100,
      temperature: 0.2,
    });
    expect(local).not.toHaveProperty('tools');
    expect(local).not.toHaveProperty('max_completion_tokens');
    const openai = chatParams({ name: 'gpt-4.1-mini', baseURL: 'https://api.openai.com/v1', maxOutputTokens: 100 }, request);
    expect(openai).toMatchObject({ max_completion_tokens: 100 });
    expect(openai).not.toHaveProperty('max_tokens');
    expect(openai).not.toHaveProperty('temperature');
  });
});

describe('stream chunks -> events', () => {
  it('streams text at once and finishes with the reason', () => {
    expect(
      run([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop')]),
    ).toEqual([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('reassembles parallel tool calls from fragments by index, in index order', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'db__query', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"sql":' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'files__read', arguments: '{"pa' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"select 1"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: 'th":"a.txt"}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(events).toEqual([
      { type: 'tool_call', call: { id: 'call_a', name: 'db__query', arguments: '{"sql":"select 1"}' } },
      { type: 'tool_call', call: { id: 'call_b', name: 'files__read', arguments: '{"path":"a.txt"}' } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('passes malformed arguments through as raw text, and reads "" as {}', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'x', function: { name: 'db__query', arguments: '{"sql": ' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'y', function: { name: 'db__tables', arguments: '' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(events.slice(0, 2)).toEqual([
      { type: 'tool_call', call: { id: 'x', name: 'db__query', arguments: '{"sql": ' } },
      { type: 'tool_call', call: { id: 'y', name: 'db__tables', arguments: '{}' } },
    ]);
  });

  it('copes with servers that reuse index 0, repeat names, omit ids or say "stop" after tool calls', () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: 'one', function: { name: 'a__x', arguments: '{"n":1}' } }] }),
      chunk({ tool_calls: [{ index: 0, id: 'two', function: { name: 'a__y', arguments: '{"n":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: 'a__y', arguments: '2}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { name: 'a__z', arguments: '{}' } }] }),
      chunk({}, 'stop'),
    ]);
    expect(events).toEqual([
      { type: 'tool_call', call: { id: 'one', name: 'a__x', arguments: '{"n":1}' } },
      { type: 'tool_call', call: { id: 'two', name: 'a__y', arguments: '{"n":2}' } },
      { type: 'tool_call', call: { id: 'gen_0', name: 'a__z', arguments: '{}' } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('emits tool calls at the end when no finish_reason came, and usage when the usage chunk comes', () => {
    const usage: ChatCompletionChunk = {
      id: 'c',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'm',
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    };
    expect(run([chunk({ tool_calls: [{ index: 0, id: 'q', function: { name: 'a__b', arguments: '{}' } }] }), usage])).toEqual([
      { type: 'usage', inputTokens: 12, outputTokens: 3 },
      { type: 'tool_call', call: { id: 'q', name: 'a__b', arguments: '{}' } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('maps length and content_filter, and unknown reasons to other; refusals read as text', () => {
    expect(run([chunk({ content: 'cut' }, 'length')]).at(-1)).toEqual({ type: 'finish', reason: 'length' });
    expect(run([chunk({ refusal: 'I cannot help with that.' }, 'content_filter')])).toEqual([
      { type: 'text_delta', text: 'I cannot help with that.' },
      { type: 'finish', reason: 'content_filter' },
    ]);
    expect(run([chunk({}, 'eos' as 'stop')]).at(-1)).toEqual({ type: 'finish', reason: 'other' });
  });
});
