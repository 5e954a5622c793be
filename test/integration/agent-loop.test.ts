// The agent loop end to end, in-process: the real openai client against the scripted model server,
// and a real Hub over the basic fixture MCP server (stdio).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessApprovals } from '../../src/agent/approvals.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { AgentSession } from '../../src/agent/session.js';
import { Hub } from '../../src/mcp/hub.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import { mergeRules } from '../../src/policy/permissions.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';

const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-agent-'));
let hub: Hub;

beforeAll(async () => {
  hub = new Hub([nodeServer('basic', fixturePath('basic.mjs'))], { env: process.env, logDir, clientVersion: '0' });
  await hub.connectAll();
  expect(hub.get('basic')?.state).toBe('ready');
});

afterAll(async () => {
  await hub.close();
});

interface Run {
  events: AgentEvent[];
  done: Extract<AgentEvent, { type: 'done' }>;
  model: ScriptedModel;
  session: AgentSession;
}

async function run(
  script: Step[],
  options: {
    allow?: string[];
    maxTurns?: number;
    signal?: AbortSignal;
    budgetChars?: number;
    streamIdleMs?: number;
    onEvent?: (e: AgentEvent) => void;
  } = {},
): Promise<Run> {
  const model = await startScriptedModel(script, { name: 'agent-loop test' });
  try {
    const session = new AgentSession({
      model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
      host: hub,
      approve: headlessApprovals({ rules: mergeRules({ allow: options.allow ?? ['basic__*'] }), yes: false }),
      systemPrompt: 'test system prompt',
      maxTurns: options.maxTurns ?? 5,
      ...(options.streamIdleMs ? { streamIdleMs: options.streamIdleMs } : {}),
      ...(options.budgetChars ? { budget: { maxChars: options.budgetChars, images: true, maxImageBytes: 1e6 } } : {}),
    });
    const events: AgentEvent[] = [];
    for await (const event of session.run('the question', options.signal ?? new AbortController().signal)) {
      events.push(event);
      options.onEvent?.(event);
    }
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('the run did not end with done');
    return { events, done, model, session };
  } finally {
    await model.close();
  }
}

/** The tool messages the model received in its n-th request. */
function toolMessages(model: ScriptedModel, n: number): Array<{ tool_call_id: string; content: unknown }> {
  const body = model.chatRequests()[n]?.body;
  return (body?.messages ?? []).filter((m) => m.role === 'tool') as unknown as Array<{ tool_call_id: string; content: unknown }>;
}

function text(content: unknown): string {
  return typeof content === 'string' ? content : JSON.stringify(content);
}

describe('agent loop', () => {
  it('streams a plain answer and reports usage', async () => {
    const { events, done, model } = await run([{ text: ['Hello', ', world'], usage: { prompt_tokens: 12, completion_tokens: 3 } }]);
    expect(
      events
        .filter((e) => e.type === 'text_delta')
        .map((e) => (e as { text: string }).text)
        .join(''),
    ).toBe('Hello, world');
    expect(events).toContainEqual({ type: 'usage', inputTokens: 12, outputTokens: 3 });
    expect(done).toMatchObject({ reason: 'completed', text: 'Hello, world' });
    const sent = model.chatRequests()[0]!.body;
    expect(sent.messages[0]).toMatchObject({ role: 'system', content: 'test system prompt' });
    expect(sent.tools?.map((t) => t.function.name)).toContain('basic__echo');
  });

  it('runs parallel tool calls and returns each result under its call id, in order', async () => {
    const { events, done, model } = await run([
      {
        toolCalls: [
          { id: 'call_a', name: 'basic__slow', arguments: { ms: 200 } },
          { id: 'call_b', name: 'basic__echo', arguments: { message: 'second' } },
        ],
      },
      { text: 'both done' },
    ]);
    expect(done).toMatchObject({ reason: 'completed', text: 'both done' });
    const order = events
      .filter((e) => e.type === 'tool_call' || e.type === 'tool_result')
      .map((e) => `${e.type}:${(e as { callId: string }).callId}`);
    // Both calls start before the slow one finishes: they ran concurrently.
    expect(order.indexOf('tool_call:call_b')).toBeLessThan(order.indexOf('tool_result:call_a'));
    const tools = toolMessages(model, 1);
    expect(tools.map((m) => m.tool_call_id)).toEqual(['call_a', 'call_b']);
    expect(text(tools[1]!.content)).toContain('second');
  });

  it('malformed JSON arguments become an error the model can fix', async () => {
    const { events, done, model } = await run([
      { toolCalls: [{ id: 'bad', name: 'basic__echo', arguments: '{"message": ' }] },
      { toolCalls: [{ id: 'good', name: 'basic__echo', arguments: { message: 'fixed' } }] },
      { text: 'ok' },
    ]);
    expect(done.reason).toBe('completed');
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_result', callId: 'bad', isError: true }));
    expect(text(toolMessages(model, 1)[0]!.content)).toContain('not valid JSON');
    expect(text(toolMessages(model, 2)[1]!.content)).toContain('fixed');
  });

  it('arguments that break the input schema are refused before the call', async () => {
    const { model } = await run([{ toolCalls: [{ id: 'c1', name: 'basic__add', arguments: { a: 'one', b: 2 } }] }, { text: 'ok' }]);
    expect(text(toolMessages(model, 1)[0]!.content)).toMatch(/invalid arguments for basic__add/);
  });

  it('a tool error result goes back to the model and the run goes on', async () => {
    const { events, done, model } = await run([
      { toolCalls: [{ id: 'f', name: 'basic__fail', arguments: { message: 'boom' } }] },
      { text: 'it failed' },
    ]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_result', callId: 'f', isError: true }));
    expect(text(toolMessages(model, 1)[0]!.content)).toContain('boom');
    expect(done).toMatchObject({ reason: 'completed', text: 'it failed' });
  });

  it('an unknown tool name is an error result naming the available tools', async () => {
    const { model } = await run([{ toolCalls: [{ id: 'u', name: 'basic__nope', arguments: {} }] }, { text: 'ok' }]);
    expect(text(toolMessages(model, 1)[0]!.content)).toMatch(/no tool named "basic__nope".*basic__echo/);
  });

  it('a denied call is reported and told to the model; the tool never runs', async () => {
    const { events, model } = await run(
      [{ toolCalls: [{ id: 'd', name: 'basic__echo', arguments: { message: 'x' } }] }, { text: 'denied' }],
      { allow: [] },
    );
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_denied', callId: 'd' }));
    expect(events.some((e) => e.type === 'tool_result')).toBe(false);
    expect(text(toolMessages(model, 1)[0]!.content)).toMatch(/did not allow/);
  });

  it('stops at maxTurns', async () => {
    const loop: Step = { toolCalls: [{ name: 'basic__echo', arguments: { message: 'again' } }] };
    const { done, model } = await run([loop, loop, loop], { maxTurns: 2 });
    expect(done.reason).toBe('max_turns');
    expect(done.error?.code).toBe('TIMEOUT');
    expect(model.chatRequests()).toHaveLength(2);
  });

  it('cancelling mid-tool stops the run and sends notifications/cancelled to the server', async () => {
    const controller = new AbortController();
    const { done, events } = await run(
      [{ toolCalls: [{ id: 'long', name: 'basic__slow', arguments: { ms: 20_000 } }] }, { text: 'never' }],
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'tool_call') setTimeout(() => controller.abort(), 150);
        },
      },
    );
    expect(done.reason).toBe('cancelled');
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_result', callId: 'long', isError: true }));
    // basic.mjs logs when the SDK delivers the cancellation to the tool's AbortSignal.
    await waitFor(() => /slow: cancelled after \d+ms/.test(readFileSync(join(logDir, 'basic.log'), 'utf8')), { timeoutMs: 3000 });
  });

  it('cancelling mid-stream ends the model request', async () => {
    const controller = new AbortController();
    const { done } = await run([{ hang: true, text: 'partial' }], {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'text_delta') controller.abort();
      },
    });
    expect(done.reason).toBe('cancelled');
  });

  it('a model stream that goes silent is abandoned after the idle timeout', async () => {
    const { done } = await run([{ hang: true, text: 'then nothing' }], { streamIdleMs: 300 });
    expect(done.reason).toBe('error');
    expect(done.error?.code).toBe('MODEL');
    expect(done.error?.message).toBe('the model went silent for 0.3s mid-answer, so it was abandoned');
    expect(done.text).toBe('then nothing');
  });

  it('a 20 MB tool result is truncated for the model, with a notice', async () => {
    const { events, model } = await run(
      [{ toolCalls: [{ id: 'big', name: 'basic__big', arguments: { kb: 20_000 } }] }, { text: 'summarised' }],
      {
        budgetChars: 10_000,
      },
    );
    const result = events.find((e) => e.type === 'tool_result' && e.callId === 'big');
    expect(result).toMatchObject({ truncated: { keptChars: 10_000 } });
    const sent = text(toolMessages(model, 1)[0]!.content);
    expect(sent.length).toBeLessThan(11_000);
    expect(sent).toContain('[output truncated:');
  });

  it('a rejected API key ends the run with a CONFIG error (fix the setup, exit 3)', async () => {
    const { done } = await run([{ error: { status: 401, message: 'Incorrect API key provided' } }]);
    expect(done.reason).toBe('error');
    expect(done.error?.code).toBe('CONFIG');
  });

  it('keeps the conversation across runs', async () => {
    const model = await startScriptedModel([{ text: 'first' }, { text: 'second' }]);
    try {
      const session = new AgentSession({
        model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
        host: hub,
        approve: headlessApprovals({ rules: mergeRules(), yes: false }),
        systemPrompt: 'sys',
        maxTurns: 3,
      });
      for await (const _ of session.run('one', new AbortController().signal)) void _;
      for await (const _ of session.run('two', new AbortController().signal)) void _;
      const roles = model.chatRequests()[1]!.body.messages.map((m) => `${m.role}:${text(m.content)}`);
      expect(roles).toEqual(['system:sys', 'user:one', 'assistant:first', 'user:two']);
    } finally {
      await model.close();
    }
  });

  it('continues from saved history and reports each new message', async () => {
    const model = await startScriptedModel([{ text: 'continued' }]);
    try {
      const added: string[] = [];
      const session = new AgentSession({
        model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
        host: hub,
        approve: headlessApprovals({ rules: mergeRules(), yes: false }),
        systemPrompt: 'sys',
        maxTurns: 3,
        history: [
          { role: 'user', content: 'earlier question' },
          { role: 'assistant', content: 'earlier answer' },
        ],
        onMessage: (m) => added.push(`${m.role}:${text(m.content)}`),
      });
      for await (const _ of session.run('next', new AbortController().signal)) void _;
      const sent = model.chatRequests()[0]!.body.messages.map((m) => `${m.role}:${text(m.content)}`);
      expect(sent).toEqual(['system:sys', 'user:earlier question', 'assistant:earlier answer', 'user:next']);
      expect(added).toEqual(['user:next', 'assistant:continued']);
    } finally {
      await model.close();
    }
  });
});
