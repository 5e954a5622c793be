// Servers' requests through the chat's bridge and dialogs: real servers (server-everything and the
// elicit fixture over stdio) ask, the dialog on an ink-testing-library screen is answered with keys,
// and the server receives the answer; plus the queue (one at a time, behind tool approvals) and aborts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { createElement as h, useSyncExternalStore } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedServer } from '../../../src/config/schema.js';
import type { ElicitationRequest } from '../../../src/mcp/client-requests.js';
import { Hub } from '../../../src/mcp/hub.js';
import { createOpenAIModel } from '../../../src/model/openai-model.js';
import { ClientRequestBridge } from '../../../src/ui/state/client-request-bridge.js';
import { ClientRequestDialog } from '../../../src/ui/dialogs/ClientRequestDialog.js';
import type { TranscriptAction } from '../../../src/ui/state/transcript.js';
import { startScriptedModel, type ScriptedModel } from '../../fixtures/openai/scripted-server.mjs';
import { EVERYTHING, nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { press } from '../../helpers/ink.js';
import { waitFor } from '../../helpers/processes.js';

const hubs: Hub[] = [];
let scripted: ScriptedModel | undefined;
afterEach(async () => {
  cleanup();
  await Promise.all(hubs.splice(0).map((hub) => hub.close()));
  await scripted?.close();
  scripted = undefined;
});

/** A chat state stand-in: whether a tool approval is open, and its listeners. */
function chatState(): { approvalOpen: boolean; listeners: Set<() => void>; notify(): void } {
  const listeners = new Set<() => void>();
  return { approvalOpen: false, listeners, notify: () => listeners.forEach((l) => l()) };
}

function bridgeFor(actions: TranscriptAction[], chat = chatState()): ClientRequestBridge {
  return new ClientRequestBridge({
    dispatch: (action) => actions.push(action),
    approvalOpen: () => chat.approvalOpen,
    subscribe: (listener) => {
      chat.listeners.add(listener);
      return () => chat.listeners.delete(listener);
    },
  });
}

/** The part of the chat screen that shows the request on screen. */
function Screen({ bridge }: { bridge: ClientRequestBridge }): React.JSX.Element {
  const { current, waiting } = useSyncExternalStore(bridge.subscribe, bridge.getSnapshot);
  return current
    ? h(ClientRequestDialog, { view: current, bridge, waiting, model: 'scripted-model', width: 90, maxHeight: 40 })
    : h(Text, null, 'no request');
}

async function screenWith(app: ReturnType<typeof render>, text: string): Promise<string> {
  await waitFor(() => (app.lastFrame() ?? '').replace(/\u00a0/g, ' ').includes(text), { timeoutMs: 5000, what: `a frame with ${text}` });
  return (app.lastFrame() ?? '').replace(/\u00a0/g, ' ');
}

async function hubWith(
  servers: ResolvedServer[],
  bridge: ClientRequestBridge,
  model = createOpenAIModel({ name: 'scripted-model', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' }),
  problem?: string,
): Promise<Hub> {
  const hub = new Hub(servers, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-bridge-')), clientVersion: '0' });
  hubs.push(hub);
  hub.setClientPorts(bridge.ports({ model, modelProblem: () => problem }));
  await hub.connectAll();
  for (const c of hub.connections) expect(c.state).toBe('ready');
  return hub;
}

async function callText(
  hub: Hub,
  server: string,
  tool: string,
  args: Record<string, unknown> = {},
): Promise<{ text: string; isError: boolean }> {
  const result = await hub.callTool(server, tool, args);
  return { text: result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('\n'), isError: result.isError === true };
}

const elicitServer = nodeServer('elicit', fixturePath('elicit.mjs'));
const everything = nodeServer('everything', EVERYTHING, ['stdio']);

describe('elicitation from real servers, answered in the dialog', () => {
  it('the elicit fixture: the form shows its defaults, the person edits and accepts, the server gets the content', async () => {
    const actions: TranscriptAction[] = [];
    const bridge = bridgeFor(actions);
    const hub = await hubWith([elicitServer], bridge);
    const app = render(h(Screen, { bridge }));
    const call = callText(hub, 'elicit', 'form');
    const frame = await screenWith(app, 'elicit asks for input');
    expect(frame).toContain('Trip details?');
    expect(frame).toMatch(/City \*: Lisbon/);
    await press(app.stdin, '\t', '\u007f', '5', '\t', 'window seat', '\u0013');
    const { text } = await call;
    expect(JSON.parse(text)).toEqual({ action: 'accept', content: { city: 'Lisbon', nights: 5, note: 'window seat' } });
    expect(actions).toEqual([
      {
        type: 'elicitation',
        server: 'elicit',
        mode: 'form',
        message: 'Trip details?',
        outcome: 'accepted',
        detail: 'city="Lisbon", nights=5, note="window seat"',
      },
    ]);
    await screenWith(app, 'no request');
  });

  it('server-everything: every field type in one form; declining reaches the server', async () => {
    const actions: TranscriptAction[] = [];
    const bridge = bridgeFor(actions);
    const hub = await hubWith([everything], bridge);
    const app = render(h(Screen, { bridge }));
    const call = callText(hub, 'everything', 'trigger-elicitation-request');
    await screenWith(app, 'everything asks for input');
    await press(app.stdin, 'Ada Lovelace', '\t', ' ', '\u0013');
    const { text } = await call;
    expect(text).toContain('- Name: Ada Lovelace');
    expect(text).toContain('- Agreed to terms: true');
    expect(text).toContain('- Favorite Integer: 42');
    expect(text).toContain('"untitledMultipleSelectEnum": [\n      "Guitar"\n    ]');
    expect(text).toContain('"titledSingleSelectEnum": "hero-1"');

    const declined = callText(hub, 'everything', 'trigger-elicitation-request');
    await screenWith(app, 'everything asks for input');
    await press(app.stdin, '\u001b');
    expect((await declined).text).toContain('User declined');
    expect(actions.map((a) => (a.type === 'elicitation' ? a.outcome : a.type))).toEqual(['accepted', 'declined']);
  });

  it('URL mode: the URL is shown and Enter tells the server it was opened', async () => {
    const actions: TranscriptAction[] = [];
    const bridge = bridgeFor(actions);
    const hub = await hubWith([elicitServer], bridge);
    const app = render(h(Screen, { bridge }));
    const call = callText(hub, 'elicit', 'url');
    const frame = await screenWith(app, 'elicit asks you to open a URL');
    expect(frame).toContain('https://example.com/login');
    expect(frame).toContain('Sign in to continue');
    await press(app.stdin, '\r');
    expect(JSON.parse((await call).text)).toEqual({ action: 'accept' });
    expect(actions).toEqual([
      {
        type: 'elicitation',
        server: 'elicit',
        mode: 'url',
        message: 'Sign in to continue',
        outcome: 'accepted',
        detail: 'you opened the URL',
      },
    ]);
  });
});

describe('sampling from server-everything', () => {
  it('allowed for the session in the dialog: the model answers, the server gets it, the transcript has request and answer', async () => {
    scripted = await startScriptedModel([{ text: 'Forty-two.' }, { text: 'Again forty-two.' }]);
    const actions: TranscriptAction[] = [];
    const bridge = bridgeFor(actions);
    const model = createOpenAIModel({ name: 'scripted-model', baseURL: scripted.baseURL, apiKey: 'k', retryBaseDelayMs: 1 });
    const hub = await hubWith([everything], bridge, model);
    const app = render(h(Screen, { bridge }));
    const call = callText(hub, 'everything', 'trigger-sampling-request', { prompt: 'the answer?', maxTokens: 20 });
    const frame = await screenWith(app, 'everything asks the model for a completion');
    expect(frame).toContain('You are a helpful test server.');
    expect(frame).toContain('Resource trigger-sampling-request context: the answer?');
    expect(frame).toContain('max tokens 20');
    await press(app.stdin, 's');
    const { text, isError } = await call;
    expect(isError).toBe(false);
    expect(text).toContain('"text": "Forty-two."');
    // Allowed for the session: the next one goes straight to the model.
    expect((await callText(hub, 'everything', 'trigger-sampling-request', { prompt: 'again', maxTokens: 20 })).text).toContain(
      'Again forty-two.',
    );
    expect(actions.map((a) => a.type)).toEqual(['sampling_started', 'sampling_finished', 'sampling_started', 'sampling_finished']);
    expect(actions[0]).toMatchObject({
      server: 'everything',
      asked: 'Resource trigger-sampling-request context: the answer?',
      allowedForSession: false,
    });
    expect(actions[1]).toMatchObject({ outcome: { ok: true, text: 'Forty-two.', model: 'scripted-model' } });
    expect(actions[2]).toMatchObject({ allowedForSession: true });
  });

  it('denied in the dialog, or with no model configured: the server gets the user-rejected error, the model is not asked', async () => {
    scripted = await startScriptedModel([]);
    const actions: TranscriptAction[] = [];
    const bridge = bridgeFor(actions);
    const model = createOpenAIModel({ name: 'scripted-model', baseURL: scripted.baseURL, apiKey: 'k' });
    const hub = await hubWith([everything], bridge, model);
    const app = render(h(Screen, { bridge }));
    const call = callText(hub, 'everything', 'trigger-sampling-request', { prompt: 'x', maxTokens: 5 });
    await screenWith(app, 'asks the model');
    await press(app.stdin, 'n');
    const denied = await call;
    expect(denied.isError).toBe(true);
    expect(denied.text).toContain('sampling request declined by mcpsh: the user declined');
    expect(scripted.chatRequests()).toHaveLength(0);
    expect(actions).toMatchObject([{ type: 'sampling_denied', server: 'everything', reason: 'you declined' }]);

    const noModelActions: TranscriptAction[] = [];
    const noModel = bridgeFor(noModelActions);
    const hub2 = await hubWith([everything], noModel, model, 'OPENAI_API_KEY is not set');
    const auto = await callText(hub2, 'everything', 'trigger-sampling-request', { prompt: 'x', maxTokens: 5 });
    expect(auto.text).toContain('no model is configured (OPENAI_API_KEY is not set)');
    expect(noModel.getSnapshot().current).toBeUndefined();
    expect(noModelActions).toMatchObject([{ type: 'sampling_denied', reason: 'no model is configured (OPENAI_API_KEY is not set)' }]);
  });
});

describe('the queue', () => {
  const form = (server: string): ElicitationRequest => ({
    server,
    mode: 'form',
    message: `from ${server}`,
    requestedSchema: { type: 'object', properties: {} },
  });

  it('one request at a time, none while a tool approval is open; an aborted request leaves the screen and the queue', async () => {
    const actions: TranscriptAction[] = [];
    const chat = chatState();
    chat.approvalOpen = true;
    const bridge = bridgeFor(actions, chat);
    const ports = bridge.ports({
      model: createOpenAIModel({ name: 'm', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' }),
      modelProblem: () => undefined,
    });
    const elicit = ports.elicit;
    if (!elicit) throw new Error('no elicitation port');
    const a = new AbortController();
    const b = new AbortController();
    const first = elicit(form('one'), a.signal);
    const second = elicit(form('two'), b.signal);
    const third = elicit(form('three'), new AbortController().signal);
    expect(bridge.getSnapshot()).toEqual({ current: undefined, waiting: 3 });
    chat.approvalOpen = false;
    chat.notify();
    expect(bridge.getSnapshot().current).toMatchObject({ server: 'one', kind: 'form' });
    expect(bridge.getSnapshot().waiting).toBe(2);
    b.abort();
    expect(await second).toEqual({ action: 'cancel' });
    expect(bridge.getSnapshot().waiting).toBe(1);
    a.abort();
    expect(await first).toEqual({ action: 'cancel' });
    const current = bridge.getSnapshot().current;
    expect(current).toMatchObject({ server: 'three' });
    bridge.answerElicitation(current?.id ?? -1, { action: 'accept', content: {} });
    expect(await third).toEqual({ action: 'accept', content: {} });
    expect(actions).toEqual([
      {
        type: 'elicitation',
        server: 'two',
        mode: 'form',
        message: 'from two',
        outcome: 'cancelled',
        detail: 'the server withdrew the request',
      },
      {
        type: 'elicitation',
        server: 'one',
        mode: 'form',
        message: 'from one',
        outcome: 'cancelled',
        detail: 'the server withdrew the request',
      },
      { type: 'elicitation', server: 'three', mode: 'form', message: 'from three', outcome: 'accepted', detail: 'no fields' },
    ]);
  });

  it('closing the chat cancels whatever is open or waiting', async () => {
    const bridge = bridgeFor([]);
    const elicit = bridge.ports({
      model: createOpenAIModel({ name: 'm', baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' }),
      modelProblem: () => undefined,
    }).elicit;
    if (!elicit) throw new Error('no elicitation port');
    const open = [elicit(form('one'), new AbortController().signal), elicit(form('two'), new AbortController().signal)];
    bridge.dispose();
    expect(await Promise.all(open)).toEqual([{ action: 'cancel' }, { action: 'cancel' }]);
  });
});
