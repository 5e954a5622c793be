// Elicitation and sampling over real stdio: capabilities declared only with a port, the headless
// (`ask`) answers, a custom port's view of the request, and sampling served by the scripted model.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedServer } from '../../src/config/schema.js';
import { headlessClientPorts, type ClientPorts, type ElicitationRequest } from '../../src/mcp/client-requests.js';
import { Hub } from '../../src/mcp/hub.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import { startScriptedModel, type ScriptedModel } from '../fixtures/openai/scripted-server.mjs';
import { EVERYTHING, nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';

const open: Hub[] = [];
let scripted: ScriptedModel | undefined;

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  await scripted?.close();
  scripted = undefined;
});

const everything = nodeServer('everything', EVERYTHING, ['stdio']);
const elicit = nodeServer('elicit', fixturePath('elicit.mjs'));

async function hubWith(servers: ResolvedServer[], clientPorts?: ClientPorts): Promise<Hub> {
  const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-elicit-'));
  const hub = new Hub(servers, { env: process.env, logDir, clientVersion: '0', ...(clientPorts ? { clientPorts } : {}) });
  open.push(hub);
  await hub.connectAll();
  for (const c of hub.connections) expect(c.state).toBe('ready');
  return hub;
}

function toolNames(hub: Hub, server: string): string[] {
  return (hub.get(server)?.tools ?? []).map((t) => t.name);
}

async function callText(
  hub: Hub,
  server: string,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const result = await hub.callTool(server, tool, args);
  const text = result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n');
  return { text, isError: result.isError === true };
}

function headless(
  notices: string[],
  options: { elicitation?: 'decline' | 'defaults'; sampling?: string[]; model?: ReturnType<typeof createOpenAIModel> } = {},
): ClientPorts {
  return headlessClientPorts({
    elicitation: options.elicitation ?? 'decline',
    samplingServers: new Set(options.sampling ?? []),
    model: options.model,
    notice: (message) => notices.push(message),
  });
}

describe('client capabilities for elicitation and sampling', () => {
  it('declares each only when its port is set (server-everything registers its tools by capability)', async () => {
    const bare = await hubWith([everything]);
    expect(toolNames(bare, 'everything')).not.toContain('trigger-elicitation-request');
    expect(toolNames(bare, 'everything')).not.toContain('trigger-sampling-request');
    await bare.close();

    const formOnly = await hubWith([everything], { elicit: () => Promise.resolve({ action: 'cancel' }) });
    expect(toolNames(formOnly, 'everything')).toContain('trigger-elicitation-request');
    expect(toolNames(formOnly, 'everything')).not.toContain('trigger-sampling-request');
  });

  it('a port set with setClientPorts before connecting is declared too', async () => {
    const hub = new Hub([everything], { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-elicit-')), clientVersion: '0' });
    open.push(hub);
    scripted = await startScriptedModel([]);
    hub.setClientPorts(headless([], { model: createOpenAIModel({ name: 'm', baseURL: scripted.baseURL, apiKey: 'k' }) }));
    await hub.connectAll();
    expect(toolNames(hub, 'everything')).toEqual(expect.arrayContaining(['trigger-elicitation-request', 'trigger-sampling-request']));
  });
});

describe('elicitation', () => {
  it('a custom port sees the form request and its accepted answer reaches the server', async () => {
    const seen: ElicitationRequest[] = [];
    const hub = await hubWith([everything], {
      elicit: (request) => {
        seen.push(request);
        return Promise.resolve({ action: 'accept', content: { name: 'Ada Lovelace', check: true, integer: 7 } });
      },
    });
    const { text } = await callText(hub, 'everything', 'trigger-elicitation-request');
    expect(text).toContain('- Name: Ada Lovelace');
    expect(text).toContain('- Favorite Integer: 7');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ server: 'everything', mode: 'form', message: 'Please provide inputs for the following fields:' });
    expect(seen[0]?.requestedSchema).toMatchObject({ type: 'object', required: ['name'] });
  });

  it('headless: declined by default, with a notice', async () => {
    const notices: string[] = [];
    const hub = await hubWith([everything, elicit], headless(notices));
    expect((await callText(hub, 'everything', 'trigger-elicitation-request')).text).toContain('User declined');
    expect(JSON.parse((await callText(hub, 'elicit', 'form')).text)).toEqual({ action: 'decline' });
    expect(notices).toEqual([
      'server everything asked for input (form): Please provide inputs for the following fields:; declined (permissions.elicitation is "decline")',
      'server elicit asked for input (form): Trip details?; declined (permissions.elicitation is "decline")',
    ]);
  });

  it('headless defaults: accepts a form whose required fields all have defaults; otherwise and for URLs, declines', async () => {
    const notices: string[] = [];
    const hub = await hubWith([everything, elicit], headless(notices, { elicitation: 'defaults' }));
    expect(JSON.parse((await callText(hub, 'elicit', 'form')).text)).toEqual({ action: 'accept', content: { city: 'Lisbon', nights: 2 } });
    expect((await callText(hub, 'everything', 'trigger-elicitation-request')).text).toContain('User declined');
    expect(JSON.parse((await callText(hub, 'elicit', 'url')).text)).toEqual({ action: 'decline' });
    expect(notices).toEqual([
      'server elicit asked for input (form): Trip details?; accepted with the schema defaults (city, nights)',
      'server everything asked for input (form): Please provide inputs for the following fields:; declined (a required field has no default)',
      'server elicit asked for input (url): Sign in to continue; declined (ask cannot open a URL for a person)',
    ]);
  });
});

describe('sampling', () => {
  it('headless: denied unless allowed for the server; the server sees the error and the model is not asked', async () => {
    scripted = await startScriptedModel([]);
    const notices: string[] = [];
    const model = createOpenAIModel({ name: 'scripted-model', baseURL: scripted.baseURL, apiKey: 'k', retryBaseDelayMs: 1 });
    const hub = await hubWith([everything], headless(notices, { model }));
    const { text, isError } = await callText(hub, 'everything', 'trigger-sampling-request', { prompt: 'hi', maxTokens: 20 });
    expect(isError).toBe(true);
    expect(text).toContain('sampling request declined by mcpsh: sampling is not allowed for server everything');
    expect(scripted.chatRequests()).toHaveLength(0);
    expect(notices).toEqual([
      'server everything asked the model for a completion (sampling); denied: sampling is not allowed for server everything (add it to permissions.sampling in the config)',
    ]);
  });

  it('allowed for the server: the model gets the system prompt and messages, the server gets its text', async () => {
    scripted = await startScriptedModel([{ text: 'Forty-two, said the model.' }]);
    const notices: string[] = [];
    const model = createOpenAIModel({ name: 'scripted-model', baseURL: scripted.baseURL, apiKey: 'k', retryBaseDelayMs: 1 });
    const hub = await hubWith([everything], headless(notices, { model, sampling: ['everything'] }));
    const { text, isError } = await callText(hub, 'everything', 'trigger-sampling-request', { prompt: 'the answer?', maxTokens: 20 });
    expect(isError).toBe(false);
    const result = JSON.parse(text.slice(text.indexOf('{'))) as Record<string, unknown>;
    expect(result).toEqual({
      role: 'assistant',
      content: { type: 'text', text: 'Forty-two, said the model.' },
      model: 'scripted-model',
      stopReason: 'endTurn',
    });
    const [request] = scripted.chatRequests();
    expect(request?.body.messages).toEqual([
      { role: 'system', content: 'You are a helpful test server.' },
      { role: 'user', content: 'Resource trigger-sampling-request context: the answer?' },
    ]);
    expect(request?.body.tools ?? []).toEqual([]);
    expect(notices).toEqual([
      'server everything asked the model for a completion (sampling); allowed by its config',
      'sampling for server everything answered by scripted-model (26 characters)',
    ]);
  });

  it('a model failure reaches the server as an error and is noted', async () => {
    scripted = await startScriptedModel([{ error: { status: 400, message: 'bad request from test' } }]);
    const notices: string[] = [];
    const model = createOpenAIModel({ name: 'scripted-model', baseURL: scripted.baseURL, apiKey: 'k', retryBaseDelayMs: 1, maxRetries: 0 });
    const hub = await hubWith([everything], headless(notices, { model, sampling: ['everything'] }));
    const { text, isError } = await callText(hub, 'everything', 'trigger-sampling-request', { prompt: 'x', maxTokens: 5 });
    expect(isError).toBe(true);
    expect(text).toContain('sampling failed in mcpsh');
    expect(notices[1]).toMatch(/^sampling for server everything failed: /);
  });
});
