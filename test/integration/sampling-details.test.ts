// Sampling details over real stdio with the scripted model: the request's maxTokens reaches the model,
// stopSequences cut the answer, usage is counted, and the run's signal cuts a running request short.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headlessClientPorts, type SamplingUsage } from '../../src/mcp/client-requests.js';
import { Hub } from '../../src/mcp/hub.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/processes.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()));
});

interface Setup {
  hub: Hub;
  model: ScriptedModel;
  usage: SamplingUsage;
  notices: string[];
}

async function setup(script: Step[], options: { signal?: AbortSignal; maxOutputTokens?: number } = {}): Promise<Setup> {
  const model = await startScriptedModel(script, { name: 'sampling details' });
  cleanups.push(() => model.close());
  const usage: SamplingUsage = { requests: 0, inputTokens: 0, outputTokens: 0 };
  const notices: string[] = [];
  const ports = headlessClientPorts({
    elicitation: 'decline',
    samplingServers: new Set(['sampler']),
    model: createOpenAIModel({
      name: 'scripted',
      baseURL: model.baseURL,
      apiKey: 'sk-test',
      maxRetries: 0,
      ...(options.maxOutputTokens ? { maxOutputTokens: options.maxOutputTokens } : {}),
    }),
    notice: (message) => notices.push(message),
    usage,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const hub = new Hub([nodeServer('sampler', fixturePath('sampling-details.mjs'))], {
    env: process.env,
    logDir: mkdtempSync(join(tmpdir(), 'mcpsh-sampling-')),
    clientVersion: '0',
    clientPorts: ports,
  });
  cleanups.push(() => hub.close());
  await hub.connectAll();
  expect(hub.get('sampler')?.state).toBe('ready');
  return { hub, model, usage, notices };
}

async function sample(hub: Hub, args: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
  const result = await hub.callTool('sampler', 'sample', args);
  const first = result.content[0];
  return { isError: result.isError === true, text: first?.type === 'text' ? first.text : '' };
}

describe('sampling details', () => {
  it('maxTokens goes to the model (the smaller of it and maxOutputTokens), the temperature is left to the config, usage is counted', async () => {
    const { hub, model, usage } = await setup(
      [
        { text: 'hello there', usage: { prompt_tokens: 7, completion_tokens: 3 } },
        { text: 'again', finishReason: 'length', usage: { prompt_tokens: 4, completion_tokens: 2 } },
      ],
      { maxOutputTokens: 50 },
    );
    const first = await sample(hub, { prompt: 'hi', maxTokens: 12, temperature: 0.7 });
    expect(JSON.parse(first.text)).toEqual({
      role: 'assistant',
      content: { type: 'text', text: 'hello there' },
      model: 'scripted',
      stopReason: 'endTurn',
    });
    const second = await sample(hub, { prompt: 'hi', maxTokens: 500 });
    expect(JSON.parse(second.text)).toMatchObject({ content: { text: 'again' }, stopReason: 'maxTokens' });
    const [a, b] = model.chatRequests().map((r) => r.body as { max_tokens?: number; temperature?: number; stop?: unknown });
    expect(a).toMatchObject({ max_tokens: 12 });
    expect(a?.temperature).toBeUndefined();
    expect(b).toMatchObject({ max_tokens: 50 });
    expect(usage).toEqual({ requests: 2, inputTokens: 11, outputTokens: 5 });
  });

  it('stopSequences end the answer where the first one appears (for any model), and stopReason says so', async () => {
    const { hub, model } = await setup([{ text: ['alpha be', 'ta STOP gam', 'ma END'] }]);
    const result = await sample(hub, { prompt: 'count', maxTokens: 20, stopSequences: ['END', 'STOP'] });
    expect(JSON.parse(result.text)).toMatchObject({ content: { type: 'text', text: 'alpha beta ' }, stopReason: 'stopSequence' });
    expect((model.chatRequests()[0]?.body as { stop?: unknown }).stop).toBeUndefined();
  });

  it('the run signal cuts a running sampling request short; the server gets an error and a notice says why', async () => {
    const run = new AbortController();
    const { hub, model, notices, usage } = await setup([{ hang: 'before-headers' }], { signal: run.signal });
    const pending = sample(hub, { prompt: 'wait', maxTokens: 5 });
    await waitFor(() => model.chatRequests().length === 1, { timeoutMs: 5000, what: 'the sampling request to reach the model' });
    run.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^(MCP error -1: )+sampling failed in mcpsh: cut short: the run was cancelled$/);
    expect(notices).toEqual([
      'server sampler asked the model for a completion (sampling); allowed by its config',
      'sampling for server sampler failed: cut short: the run was cancelled',
    ]);
    expect(usage.requests).toBe(0);
  });
});
