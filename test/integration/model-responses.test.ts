// The Responses API adapter end to end: the real `openai` client against the scripted server's /v1/responses.
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/model/errors.js';
import { createOpenAIModel, OpenAIChatModel } from '../../src/model/openai-model.js';
import { ResponsesModel } from '../../src/model/responses-model.js';
import type { ChatMessage, ModelSettings, ModelStreamEvent, ReasoningItem, ToolSpec } from '../../src/model/types.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { collect, failure } from '../helpers/model-stream.js';

const KEY = 'sk-test-0123456789abcdef';
let server: ScriptedModel | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: Step[]): Promise<ScriptedModel> {
  server = await startScriptedModel(script, { name: expect.getState().currentTestName ?? 'model-responses' });
  return server;
}

/** A reasoning model name by default, so the adapter asks for encrypted reasoning. */
function model(s: ScriptedModel, extra: Partial<ModelSettings> = {}) {
  return createOpenAIModel({ name: 'o4-mini', baseURL: s.baseURL, apiKey: KEY, retryBaseDelayMs: 1, api: 'responses', ...extra });
}

const hello: ChatMessage[] = [{ role: 'user', content: 'hello' }];
const text = (events: ModelStreamEvent[]): string => events.map((e) => (e.type === 'text_delta' ? e.text : '')).join('');

describe('choosing the API', () => {
  it('defaults to the Responses API on api.openai.com only; model.api overrides either way', () => {
    expect(createOpenAIModel({ name: 'gpt-5', baseURL: 'https://api.openai.com/v1', apiKey: KEY })).toBeInstanceOf(ResponsesModel);
    expect(createOpenAIModel({ name: 'llama3.1', baseURL: 'http://localhost:11434/v1' })).toBeInstanceOf(OpenAIChatModel);
    expect(createOpenAIModel({ name: 'x', baseURL: 'https://openrouter.ai/api/v1', apiKey: KEY })).toBeInstanceOf(OpenAIChatModel);
    expect(createOpenAIModel({ name: 'gpt-5', baseURL: 'https://api.openai.com/v1', apiKey: KEY, api: 'chat' })).toBeInstanceOf(
      OpenAIChatModel,
    );
    expect(createOpenAIModel({ name: 'gpt-oss', baseURL: 'http://localhost:8000/v1', api: 'responses' })).toBeInstanceOf(ResponsesModel);
  });
});

describe('Responses adapter against the scripted server', () => {
  it('streams text, usage and stop, and sends a stateless request with non-strict function tools', async () => {
    const s = await start([{ text: ['The answer', ' is ', '42.'], usage: { prompt_tokens: 30, completion_tokens: 5 } }]);
    const tools: ToolSpec[] = [
      { name: 'db__query', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' } } } },
    ];
    const events = await collect(
      model(s, { name: 'gpt-4.1-mini', temperature: 0.1, maxOutputTokens: 256 }).stream({
        messages: [{ role: 'system', content: 'be brief' }, ...hello],
        tools,
      }),
    );
    expect(events).toEqual([
      { type: 'text_delta', text: 'The answer' },
      { type: 'text_delta', text: ' is ' },
      { type: 'text_delta', text: '42.' },
      { type: 'usage', inputTokens: 30, outputTokens: 5 },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(s.chatRequests()).toHaveLength(0);
    const [req] = s.responsesRequests();
    expect(req?.path).toBe('/v1/responses');
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.body).toEqual({
      model: 'gpt-4.1-mini',
      input: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello' },
      ],
      stream: true,
      store: false,
      tools: [
        {
          type: 'function',
          name: 'db__query',
          description: 'Run SQL',
          parameters: { type: 'object', properties: { sql: { type: 'string' } } },
          strict: false,
        },
      ],
      temperature: 0.1,
      max_output_tokens: 256,
    });
  });

  it('a tool turn then the answer: the function_call_output and the encrypted reasoning item go back on the next request', async () => {
    const s = await start([
      {
        reasoning: { summary: ['need the count'] },
        toolCalls: [{ id: 'call_1', name: 'db__query', arguments: { sql: 'select count(*) from t' } }],
      },
      { reasoning: true, text: 'There are 3.' },
    ]);
    const m = model(s);
    const first = await collect(m.stream({ messages: hello, tools: [] }));
    const reasoning = first.flatMap((e) => (e.type === 'reasoning' ? [e.item] : []));
    expect(reasoning).toHaveLength(1);
    expect(first.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', call: { id: 'call_1', name: 'db__query', arguments: '{"sql":"select count(*) from t"}' } },
    ]);
    expect(first.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });

    // The conversation as the session keeps it: reasoning on the assistant message, then the tool result.
    const conversation: ChatMessage[] = [
      ...hello,
      {
        role: 'assistant',
        content: '',
        toolCalls: [{ id: 'call_1', name: 'db__query', arguments: '{"sql":"select count(*) from t"}' }],
        reasoning,
      },
      { role: 'tool', toolCallId: 'call_1', content: '3' },
    ];
    const second = await collect(m.stream({ messages: conversation, tools: [] }));
    expect(text(second)).toBe('There are 3.');

    const [one, two] = s.responsesRequests();
    expect(one?.body.include).toEqual(['reasoning.encrypted_content']);
    const sent = two?.body.input as Array<Record<string, unknown>>;
    const issued = (reasoning[0] as ReasoningItem).item.encrypted_content;
    expect(typeof issued).toBe('string');
    expect(sent).toEqual([
      { role: 'user', content: 'hello' },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'need the count' }], encrypted_content: issued },
      { type: 'function_call', call_id: 'call_1', name: 'db__query', arguments: '{"sql":"select count(*) from t"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '3' },
    ]);
  });

  it('a model that refuses encrypted reasoning: asked again without `include`, once, and never again', async () => {
    const s = await start([
      {
        error: {
          status: 400,
          message: 'Encrypted content is not supported with this model.',
          type: 'invalid_request_error',
          param: 'include',
        },
      },
      { text: 'fine' },
      { text: 'again' },
    ]);
    const m = model(s, { name: 'gpt-5-something' });
    expect(text(await collect(m.stream({ messages: hello, tools: [] })))).toBe('fine');
    expect(text(await collect(m.stream({ messages: hello, tools: [] })))).toBe('again');
    expect(s.responsesRequests().map((r) => r.body.include ?? null)).toEqual([['reasoning.encrypted_content'], null, null]);
  });

  it("reasoning the endpoint cannot read (another key's): the request goes again without it", async () => {
    const s = await start([{ text: 'carried on' }]);
    const foreign: ReasoningItem = {
      source: `o4-mini at ${s.baseURL}`,
      item: { type: 'reasoning', summary: [], encrypted_content: 'gAAAA-not-from-here' },
    };
    const conversation: ChatMessage[] = [
      ...hello,
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 't__a', arguments: '{}' }], reasoning: [foreign] },
      { role: 'tool', toolCallId: 'c1', content: 'ok' },
    ];
    expect(text(await collect(model(s).stream({ messages: conversation, tools: [] })))).toBe('carried on');
    const [refused, retried] = s.responsesRequests();
    expect((refused?.body.input as Array<{ type?: string }>).some((i) => i.type === 'reasoning')).toBe(true);
    expect((retried?.body.input as Array<{ type?: string }>).some((i) => i.type === 'reasoning')).toBe(false);
  });

  it('maps response.incomplete (max_output_tokens) to length', async () => {
    const s = await start([{ text: 'cut sh', finishReason: 'length' }]);
    const events = await collect(model(s).stream({ messages: hello, tools: [] }));
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
  });
});

describe('provider errors and guards', () => {
  it('401: an auth error that hides the key, not retried', async () => {
    const s = await start([{ error: { status: 401, message: `Incorrect API key provided: ${KEY}.`, code: 'invalid_api_key' } }]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err).toBeInstanceOf(ModelError);
    expect(err.kind).toBe('auth');
    expect(`${err.message} ${err.hint ?? ''}`).not.toContain(KEY);
    expect(s.responsesRequests()).toHaveLength(1);
  });

  it('429 then success: retried, and the answer arrives', async () => {
    const s = await start([{ error: { status: 429, message: 'Rate limit reached', retryAfter: 0.01 } }, { text: 'ok' }]);
    expect(text(await collect(model(s).stream({ messages: hello, tools: [] })))).toBe('ok');
    expect(s.responsesRequests()).toHaveLength(2);
  });

  it('context too long, as a 400 or as response.failed mid-stream: a context_length error', async () => {
    const s = await start([
      { error: { status: 400, message: 'Your input exceeds the context window of this model.', code: 'context_length_exceeded' } },
      {
        failed: {
          code: 'context_length_exceeded',
          message: 'Your input exceeds the context window of this model. Please adjust your input and try again.',
        },
      },
    ]);
    const early = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(early.kind).toBe('context_length');
    const late = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(late.kind).toBe('context_length');
    expect(late.hint).toMatch(/new conversation/);
    expect(s.responsesRequests()).toHaveLength(2);
  });

  it('404: says the endpoint may not serve the Responses API and how to switch to chat', async () => {
    const s = await start([{ error: { status: 404, message: 'Not Found' } }]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('not_found');
    expect(err.message).toContain('/responses was not found');
    expect(err.hint).toContain('model.api');
  });

  it('a stream that never ends is cut at the response time bound', async () => {
    const s = await start([{ forever: true }]);
    const err = await failure(model(s, { responseTimeoutMs: 300 }).stream({ messages: hello, tools: [] }));
    expect(err.code).toBe('TIMEOUT');
    expect(err.message).toContain('model.responseTimeout');
  });

  it('a stream that ends before response.completed is an error, not a finished answer', async () => {
    const delta = {
      type: 'response.output_text.delta',
      sequence_number: 1,
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta: 'half',
      logprobs: [],
    };
    const s = await start([{ raw: [`event: response.output_text.delta\ndata: ${JSON.stringify(delta)}\n\n`] }]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('bad_response');
    expect(err.message).toContain('ended before the response was complete');
  });

  it('JSON nested too deep in an event is stopped by the response guard', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const s = await start([
      { raw: [`event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"x","junk":${deep}}\n\n`] },
    ]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/nested/);
  });

  it('abort mid-stream: CANCELLED, no finish', async () => {
    const s = await start([{ hang: true, text: ['partial ', 'answer'] }]);
    const controller = new AbortController();
    const seen: ModelStreamEvent[] = [];
    const err = await failure(
      (async function* () {
        for await (const e of model(s).stream({ messages: hello, tools: [], signal: controller.signal })) {
          seen.push(e);
          if (seen.length === 1) controller.abort();
          yield e;
        }
      })(),
    );
    expect(err.code).toBe('CANCELLED');
    expect(seen.some((e) => e.type === 'finish')).toBe(false);
  });
});
