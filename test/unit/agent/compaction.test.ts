// What compaction keeps and what it summarises, with a fake model that records the summary request; and
// which provider errors count as "too long for the context window".
import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { compactMessages, isContextTooLong, SUMMARY_MARK } from '../../../src/agent/compaction.js';
import { ContextBudget, messageChars, requestChars } from '../../../src/agent/context-budget.js';
import { classifyModelError } from '../../../src/model/errors.js';
import type { ChatMessage, ChatModel, ModelRequest, ModelStreamEvent, ToolSpec } from '../../../src/model/types.js';

/** A model that answers every request with `summary` and keeps the requests. */
function fakeModel(summary: string): ChatModel & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    name: 'fake',
    requests,
    async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
      requests.push(request);
      yield await Promise.resolve({ type: 'text_delta' as const, text: summary });
      yield { type: 'usage', inputTokens: 10, outputTokens: 2 };
    },
  };
}

const long = (c: string): string => c.repeat(2_000);

function conversation(): ChatMessage[] {
  return [
    { role: 'system', content: 'sys' },
    { role: 'user', content: 'first question' },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'srv__big', arguments: '{}' }] },
    { role: 'tool', toolCallId: 'c1', content: `${long('x')} [...] The whole result is kept as handle "r1": read it` },
    { role: 'assistant', content: `answer ${long('b')}` },
    { role: 'user', content: 'the task' },
    {
      role: 'assistant',
      content: '',
      toolCalls: [
        { id: 'c2', name: 'srv__t', arguments: '{}' },
        { id: 'c3', name: 'srv__t', arguments: '{}' },
      ],
    },
    { role: 'tool', toolCallId: 'c2', content: long('y') },
    { role: 'tool', toolCallId: 'c3', content: long('z') },
    { role: 'assistant', content: '', toolCalls: [{ id: 'c4', name: 'srv__t', arguments: '{}' }] },
    { role: 'tool', toolCallId: 'c4', content: 'last result' },
  ];
}

describe('compactMessages', () => {
  it('summarises the older part, keeps the task word for word, the last call with its result, and the handles', async () => {
    const model = fakeModel('the summary');
    const out = await compactMessages({
      model,
      messages: conversation(),
      window: 4_000,
      keepTokens: 10,
      signal: new AbortController().signal,
      instructions: 'keep ids',
    });
    expect(out?.messages.map((m) => m.role)).toEqual(['system', 'user', 'user', 'assistant', 'tool']);
    expect(out?.messages[1]).toEqual({
      role: 'user',
      content: `${SUMMARY_MARK}\nthe summary\n\nKept tool results still readable with mcpsh_read_result: r1.`,
    });
    expect(out?.messages[2]).toEqual({ role: 'user', content: 'the task' });
    expect(out?.messages.slice(3)).toEqual(conversation().slice(9));
    // The summary request: no tools, the instructions, tool output clipped.
    const request = model.requests[0] as ModelRequest;
    expect(request.tools).toEqual([]);
    const prompt = request.messages[1]?.content as string;
    expect(prompt).toContain('keep ids');
    expect(prompt).toContain('→ called srv__big {}');
    expect(prompt).not.toContain('the task');
    expect(prompt.length).toBeLessThan(12_000);
    // With room for more (30 % of the window), the calls before stay too, never split from their results.
    const roomy = await compactMessages({ model, messages: conversation(), window: 4_000, signal: new AbortController().signal });
    expect(roomy?.messages.slice(3)).toEqual(conversation().slice(6));
  });

  it('a later compaction re-summarises the earlier summary and keeps its handles; nothing older means nothing to do', async () => {
    const first = await compactMessages({
      model: fakeModel('one'),
      messages: conversation(),
      window: 4_000,
      signal: new AbortController().signal,
    });
    const messages = [
      ...(first?.messages ?? []),
      { role: 'assistant' as const, content: long('c') },
      { role: 'user' as const, content: 'next' },
    ];
    const model = fakeModel('two');
    const second = await compactMessages({ model, messages, window: 4_000, signal: new AbortController().signal });
    expect(model.requests[0]?.messages[1]?.content as string).toContain('[earlier summary]\none');
    expect(second?.messages[1]).toMatchObject({ content: expect.stringContaining('mcpsh_read_result: r1.') });
    const only: ChatMessage[] = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'hi' },
    ];
    expect(await compactMessages({ model, messages: only, window: 4_000, signal: new AbortController().signal })).toBeUndefined();
  });

  it('an empty summary is a failure, not an empty conversation', async () => {
    await expect(
      compactMessages({ model: fakeModel(' '), messages: conversation(), window: 4_000, signal: new AbortController().signal }),
    ).rejects.toThrow(/with nothing/);
  });
});

describe('ContextBudget', () => {
  it('estimates from the provider count plus what was added; a refused request shrinks the window it believes in', () => {
    const budget = new ContextBudget({ contextWindow: 100_000, compactAt: 0.5 });
    expect(budget.limit('m')).toBe(50_000);
    expect(budget.estimate(4_000)).toBe(1_000);
    budget.sending(4_000);
    budget.observe(3_000);
    expect(budget.estimate(8_000)).toBe(4_000);
    budget.sending(40_000);
    budget.overflowed('m');
    expect(budget.window('m')).toBe(Math.floor((3_000 + 36_000 / 4) * 0.9));
    expect(budget.window('other')).toBe(100_000);
  });

  it('measures a request as its messages plus the JSON of its tools, whichever tools each request carries', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello there' },
    ];
    const echo: ToolSpec = {
      name: 'basic__echo',
      description: 'Echoes the message back',
      parameters: { type: 'object', properties: { message: { type: 'string' } } },
    };
    const add: ToolSpec = {
      name: 'basic__add',
      description: 'Adds ü and b',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    };
    const text = messageChars(messages[0] as ChatMessage) + messageChars(messages[1] as ChatMessage);
    expect(requestChars(messages, [])).toBe(text);
    for (const tools of [[echo], [echo, add], [add], [add, echo], [echo, add, echo]]) {
      expect(requestChars(messages, tools)).toBe(text + JSON.stringify(tools).length);
    }
  });
});

describe('context too long', () => {
  const classify = (status: number, body: Record<string, unknown>): unknown =>
    classifyModelError(APIError.generate(status, { error: body }, undefined, new Headers()), {
      model: 'm',
      baseURL: 'http://127.0.0.1:1/v1',
    });
  it("is recognised in the words of OpenAI, vLLM, llama.cpp and LM Studio, and by OpenAI's code", () => {
    expect(isContextTooLong(classify(400, { message: "This model's maximum context length is 8192 tokens." }))).toBe(true);
    expect(
      isContextTooLong(
        classify(400, { message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' }),
      ),
    ).toBe(true);
    expect(isContextTooLong(classify(400, { message: 'Context size has been exceeded.' }))).toBe(true);
    expect(isContextTooLong(classify(400, { message: 'x', code: 'context_length_exceeded' }))).toBe(true);
    expect(isContextTooLong(classify(400, { message: 'temperature must be at most 2' }))).toBe(false);
  });
});
