// The OpenAI adapter end to end: the real `openai` client against the scripted OpenAI-compatible server.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelError } from '../../src/model/errors.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import type { ChatMessage, ModelSettings, ModelStreamEvent, ToolSpec } from '../../src/model/types.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { collect, failure } from '../helpers/model-stream.js';

const KEY = 'sk-test-0123456789abcdef';
let server: ScriptedModel | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(script: Step[]): Promise<ScriptedModel> {
  server = await startScriptedModel(script, { name: expect.getState().currentTestName ?? 'model-openai' });
  return server;
}

function model(s: ScriptedModel, extra: Partial<ModelSettings> = {}) {
  return createOpenAIModel({ name: 'test-model', baseURL: s.baseURL, apiKey: KEY, retryBaseDelayMs: 1, ...extra });
}

const hello: ChatMessage[] = [{ role: 'user', content: 'hello' }];

describe('OpenAI adapter against the scripted server', () => {
  it('streams text deltas, usage and the finish reason, and sends the request OpenAI expects', async () => {
    const s = await start([{ text: ['The answer', ' is ', '42.'], usage: { prompt_tokens: 30, completion_tokens: 5 } }]);
    const tools: ToolSpec[] = [
      { name: 'db__query', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' } } } },
    ];
    const events = await collect(
      model(s, { temperature: 0.1, maxOutputTokens: 256 }).stream({ messages: [{ role: 'system', content: 'be brief' }, ...hello], tools }),
    );
    expect(events).toEqual([
      { type: 'text_delta', text: 'The answer' },
      { type: 'text_delta', text: ' is ' },
      { type: 'text_delta', text: '42.' },
      { type: 'usage', inputTokens: 30, outputTokens: 5 },
      { type: 'finish', reason: 'stop' },
    ]);
    const [req] = s.chatRequests();
    expect(req?.path).toBe('/v1/chat/completions');
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.body).toMatchObject({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.1,
      max_tokens: 256,
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hello' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'db__query', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' } } } },
        },
      ],
    });
  });

  it('reassembles several parallel tool calls from their deltas, passing malformed arguments through raw', async () => {
    const s = await start([
      {
        text: 'Let me look.',
        toolCalls: [
          { id: 'call_1', name: 'db__query', arguments: { sql: 'select count(*) from customers' } },
          { id: 'call_2', name: 'files__read_file', arguments: { path: '/tmp/notes with spaces.txt' } },
          { id: 'call_3', name: 'db__query', arguments: '{"sql": ' },
        ],
      },
    ]);
    const events = await collect(model(s).stream({ messages: hello, tools: [] }));
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      { type: 'tool_call', call: { id: 'call_1', name: 'db__query', arguments: '{"sql":"select count(*) from customers"}' } },
      { type: 'tool_call', call: { id: 'call_2', name: 'files__read_file', arguments: '{"path":"/tmp/notes with spaces.txt"}' } },
      { type: 'tool_call', call: { id: 'call_3', name: 'db__query', arguments: '{"sql": ' } },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' });
    expect(s.chatRequests()[0]?.body).not.toHaveProperty('tools');
  });

  it('sends the tool round trip back, with tool-result images as a user message of data URLs', async () => {
    const s = await start([{ text: 'a red square' }]);
    const messages: ChatMessage[] = [
      ...hello,
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_img', name: 'shots__take', arguments: '{}' }] },
      {
        role: 'tool',
        toolCallId: 'call_img',
        content: [
          { type: 'text', text: 'done' },
          { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
        ],
      },
    ];
    await collect(model(s).stream({ messages, tools: [] }));
    const sent = s.chatRequests()[0]?.body.messages;
    expect(sent?.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(sent?.[1]).toMatchObject({
      content: null,
      tool_calls: [{ id: 'call_img', type: 'function', function: { name: 'shots__take', arguments: '{}' } }],
    });
    expect(sent?.[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_img' });
    expect(String(sent?.[2]?.content)).toContain('done');
    expect(sent?.[3]?.content).toEqual([
      { type: 'text', text: 'Image returned by tool call call_img:' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ]);
  });

  it('sends extra headers, and no Authorization at all when there is no key', async () => {
    const s = await start([{ text: 'a' }, { text: 'b' }]);
    await collect(
      model(s, { headers: { 'X-Title': 'mcpsh', 'HTTP-Referer': 'https://example.com' } }).stream({ messages: hello, tools: [] }),
    );
    await collect(createOpenAIModel({ name: 'llama3.1', baseURL: s.baseURL }).stream({ messages: hello, tools: [] }));
    const [withKey, withoutKey] = s.chatRequests();
    expect(withKey?.headers['x-title']).toBe('mcpsh');
    expect(withKey?.headers['http-referer']).toBe('https://example.com');
    expect(withoutKey?.headers).not.toHaveProperty('authorization');
  });
});

describe('provider errors', () => {
  it('401: an auth error that hides the key', async () => {
    const s = await start([
      { error: { status: 401, message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } },
    ]);
    const err = await failure(model(s).stream({ messages: hello, tools: [] }));
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).kind).toBe('auth');
    // A rejected key is a setup problem: CONFIG (exit 3), not a failing endpoint.
    expect(err.code).toBe('CONFIG');
    expect(err.message).toContain('401');
    expect(`${err.message} ${err.hint ?? ''}`).not.toContain(KEY);
    expect(err.hint).toContain('OPENAI_API_KEY');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('404 model_not_found: names the model', async () => {
    const s = await start([
      {
        error: { status: 404, message: 'The model `test-model` does not exist or you do not have access to it.', code: 'model_not_found' },
      },
    ]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('unknown_model');
    expect(err.message).toContain('"test-model"');
    expect(err.hint).toMatch(/--model/);
  });

  it('429 then success: retried, and the answer arrives', async () => {
    const s = await start([{ error: { status: 429, message: 'Rate limit reached', retryAfter: 0.01 } }, { text: 'ok' }]);
    const events = await collect(model(s).stream({ messages: hello, tools: [] }));
    expect(
      events
        .filter((e) => e.type === 'text_delta')
        .map((e) => (e.type === 'text_delta' ? e.text : ''))
        .join(''),
    ).toBe('ok');
    expect(s.chatRequests()).toHaveLength(2);
  });

  it('500 then 502 then success: retried with backoff', async () => {
    const s = await start([
      { error: { status: 500, message: 'boom' } },
      { error: { status: 502, message: 'bad gateway' } },
      { text: 'fine' },
    ]);
    const events = await collect(model(s).stream({ messages: hello, tools: [] }));
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(s.chatRequests()).toHaveLength(3);
  });

  it('500 forever: a MODEL error after the bounded retries', async () => {
    const s = await start(Array.from({ length: 10 }, () => ({ error: { status: 500, message: 'still broken' } })));
    const err = (await failure(model(s, { maxRetries: 2 }).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('server');
    expect(err.message).toContain('after 3 attempts');
    expect(err.message).toContain('still broken');
    expect(s.chatRequests()).toHaveLength(3);
  });

  it('429 with a retry-after longer than the cap: fails at once and says why', async () => {
    const s = await start([{ error: { status: 429, message: 'Rate limit reached', retryAfter: 3600 } }]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('rate_limit');
    expect(err.message).toContain('asked to wait 3600 s');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('429 insufficient_quota: not retried', async () => {
    const s = await start([
      { error: { status: 429, message: 'You exceeded your current quota', code: 'insufficient_quota', type: 'insufficient_quota' } },
    ]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('quota');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('context too long: explained, with what to do', async () => {
    const s = await start([
      {
        error: {
          status: 400,
          message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          code: 'context_length_exceeded',
        },
      },
    ]);
    const err = (await failure(model(s).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('context_length');
    expect(err.message).toContain('too long');
    expect(err.hint).toMatch(/new conversation/);
  });

  it('a script that runs out fails loudly, naming the fixture, without retries', async () => {
    const s = await start([]);
    const err = await failure(model(s).stream({ messages: hello, tools: [] }));
    expect(err.message).toContain('script exhausted');
    expect(err.message).toContain('a script that runs out');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('unreachable endpoint: names the URL, no retries for a refused connection', async () => {
    const port = await freePort();
    const err = (await failure(
      createOpenAIModel({ name: 'm', baseURL: `http://127.0.0.1:${port}/v1`, retryBaseDelayMs: 1 }).stream({ messages: hello, tools: [] }),
    )) as ModelError;
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain(`http://127.0.0.1:${port}/v1`);
    expect(err.message).toContain('connection refused');
    expect(err.hint).toMatch(/running/);
  });

  it('no response within the timeout: a timeout error after the retries', async () => {
    const s = await start([{ hang: 'before-headers' }, { hang: 'before-headers' }]);
    const err = (await failure(model(s, { timeoutMs: 200, maxRetries: 1 }).stream({ messages: hello, tools: [] }))) as ModelError;
    expect(err.kind).toBe('timeout');
    expect(s.chatRequests()).toHaveLength(2);
  });
});

describe('cancellation', () => {
  it('abort mid-stream: CANCELLED, not a finished answer', async () => {
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

  it('abort while waiting to retry: CANCELLED at once, no second request', async () => {
    const s = await start([{ error: { status: 503, message: 'busy' } }, { text: 'too late' }]);
    const controller = new AbortController();
    const pending = failure(
      model(s, { retryBaseDelayMs: 60_000, retryMaxDelayMs: 120_000 }).stream({ messages: hello, tools: [], signal: controller.signal }),
    );
    await until(() => s.chatRequests().length === 1);
    controller.abort();
    const err = await pending;
    expect(err.code).toBe('CANCELLED');
    expect(s.chatRequests()).toHaveLength(1);
  });

  it('an already-aborted signal sends nothing', async () => {
    const s = await start([{ text: 'never' }]);
    const err = await failure(model(s).stream({ messages: hello, tools: [], signal: AbortSignal.abort() }));
    expect(err.code).toBe('CANCELLED');
    expect(s.chatRequests()).toHaveLength(0);
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not met in time');
}
