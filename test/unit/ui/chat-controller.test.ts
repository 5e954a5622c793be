// The chat's engine and slash commands without a screen: a real Hub over fixture servers, the real
// openai client against the scripted model, approvals answered through the controller as the dialog would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../../src/config/types.js';
import { Hub } from '../../../src/mcp/hub.js';
import { ChatController } from '../../../src/ui/state/chat-controller.js';
import { completeSlash, runSlashCommand } from '../../../src/ui/input/slash-commands.js';
import type { Entry, ToolCallEntry } from '../../../src/ui/state/transcript.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';
import { withDuration } from '../../helpers/time.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

// One hub for the file (starting servers is the slow part); each test gets its own controller.
const SERVERS = [nodeServer('basic', fixturePath('basic.mjs')), nodeServer('second', fixturePath('basic.mjs'), ['--name', 'second'])];
let sharedHub: Hub;
beforeAll(async () => {
  sharedHub = new Hub(SERVERS, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-controller-')), clientVersion: '0' });
  await sharedHub.connectAll();
});
afterAll(async () => {
  await sharedHub.close();
});

interface Setup {
  controller: ChatController;
  hub: Hub;
  model?: ScriptedModel;
}

async function setup(options: { script?: Step[]; slowServer?: boolean } = {}): Promise<Setup> {
  const servers = options.slowServer
    ? [...SERVERS, nodeServer('slow', fixturePath('hang-on-initialize.mjs'), [], { connectTimeoutMs: 20_000 })]
    : SERVERS;
  const loaded: LoadedConfig = {
    config: {
      mcpServers: {},
      agents: {
        echoer: { description: 'Echo agent', instructions: 'You echo things.', servers: ['basic'] },
        other: { servers: ['second'] },
      },
      permissions: { allow: ['basic__add'] },
    },
    servers,
    sources: [],
    warnings: [],
    secrets: [],
    modelProblems: [],
  };
  let hub = sharedHub;
  if (options.slowServer) {
    const own = new Hub(servers, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-controller-')), clientVersion: '0' });
    cleanups.push(() => own.close());
    hub = own;
  }
  let model: ScriptedModel | undefined;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  if (options.script) {
    model = await startScriptedModel(options.script, { name: 'controller test' });
    cleanups.push(() => model?.close() ?? Promise.resolve());
    Object.assign(env, { OPENAI_BASE_URL: model.baseURL, MCPSH_MODEL: 'scripted' });
  }
  const controller = new ChatController({ hub, loaded, env, cwd: process.cwd(), signal: new AbortController().signal, modelFlags: {} });
  cleanups.push(() => Promise.resolve(controller.dispose()));
  controller.start();
  await waitFor(() => ['basic', 'second'].every((n) => hub.get(n)?.state === 'ready'), { what: 'servers ready' });
  return { controller, hub, ...(model ? { model } : {}) };
}

function entries(controller: ChatController): Entry[] {
  const t = controller.getSnapshot().transcript;
  return [...t.done, ...t.live];
}

function lastTool(controller: ChatController): ToolCallEntry | undefined {
  return entries(controller)
    .filter((e): e is ToolCallEntry => e.kind === 'tool')
    .at(-1);
}

describe('tools-only mode and slash commands', () => {
  it('without a model the chat still works with tools, and a message says why it was not sent', async () => {
    const { controller } = await setup();
    expect(controller.getSnapshot().toolsOnly).toBe(true);
    expect(controller.modelProblem()).toMatch(/no API key/);
    await controller.send('hello?');
    expect(entries(controller).at(-1)).toMatchObject({ kind: 'notice', level: 'warn' });
    expect((entries(controller).at(-1) as { text: string }).text).toMatch(/^not sent: no model is configured/);
  });

  it('/tools lists the tools by the names the model sees; /tools <server> narrows it', async () => {
    const { controller } = await setup();
    const all = await runSlashCommand('/tools', controller);
    expect(all.output).toMatch(/^basic \(9 tools\)\n {2}basic__echo/);
    expect(all.output).toContain('second__echo');
    expect(all.output).toContain('basic__add [read-only]');
    const one = await runSlashCommand('/tools second', controller);
    expect(one.output).not.toContain('basic__');
    expect(await runSlashCommand('/tools secnd', controller)).toMatchObject({
      isError: true,
      output: expect.stringContaining('did you mean "second"?') as unknown,
    });
  });

  it('/servers shows state, transport, tools and connect time', async () => {
    const { controller } = await setup();
    const out = (await runSlashCommand('/servers', controller)).output ?? '';
    expect(out.split('\n')[0]).toMatch(/^server\s+state\s+transport\s+tools\s+connect$/);
    expect(out).toMatch(/basic\s+ready\s+stdio\s+9\s+\d/);
  });

  it('/call runs a tool directly after checking its arguments, and /stats and /expand see it', async () => {
    const { controller } = await setup();
    expect(await runSlashCommand('/call basic echo {"message": "hi from call"}', controller)).toEqual({});
    expect(lastTool(controller)).toMatchObject({ server: 'basic', tool: 'echo', status: 'ok', result: 'hi from call', direct: true });

    const invalid = await runSlashCommand('/call basic echo {"mesage": "x"}', controller);
    expect(invalid.isError).toBe(true);
    expect(invalid.output).toContain('missing required property "message"');
    expect(invalid.output).toContain('unexpected property "mesage" (did you mean "message"?)');
    expect((await runSlashCommand('/call basic echo {not json', controller)).output).toMatch(/not valid JSON/);
    expect((await runSlashCommand('/call basic ecko {}', controller)).output).toContain('did you mean "echo"?');

    await runSlashCommand('/call basic fail {"message": "nope"}', controller);
    expect(lastTool(controller)).toMatchObject({ status: 'error', result: 'nope' });

    const stats = (await runSlashCommand('/stats', controller)).output ?? '';
    expect(stats).toContain('0 by the model, 2 with /call');
    // From the server's own metrics: 2 calls, 1 of them an error result, none denied, then latencies.
    expect(stats).toMatch(withDuration(String.raw`basic\s+ready\s+2\s+1\s+0\s+<duration>\s+<duration>\s+<duration>\s+0\s+-`));

    const expanded = (await runSlashCommand('/expand 1', controller)).output ?? '';
    expect(expanded).toBe('#1 basic › echo (ok)\narguments:\n{\n  "message": "hi from call"\n}\nresult:\nhi from call');
    expect((await runSlashCommand('/expand 9', controller)).output).toBe('no tool call or sampling request #9');
  });

  it('unknown commands suggest the closest; /help lists every command', async () => {
    const { controller } = await setup();
    expect(await runSlashCommand('/tols', controller)).toEqual({
      output: 'unknown command /tols (did you mean /tools?); /help lists the commands',
      isError: true,
    });
    const help = (await runSlashCommand('/help', controller)).output ?? '';
    for (const name of ['/tools', '/servers', '/call', '/agent', '/model', '/clear', '/stats', '/exit']) expect(help).toContain(name);
    expect(help).toContain('Alt+Enter or Ctrl+J');
  });

  it('Tab completion: command names, then servers, then tools', async () => {
    const { controller } = await setup();
    expect(completeSlash('/to', controller)).toEqual({ text: '/tools ', candidates: [] });
    expect(completeSlash('/s', controller)).toEqual({ text: '/s', candidates: ['/servers', '/stats'] });
    expect(completeSlash('/call b', controller)).toEqual({ text: '/call basic ', candidates: [] });
    expect(completeSlash('/call basic e', controller)).toEqual({ text: '/call basic e', candidates: ['echo', 'env'] });
    expect(completeSlash('/call basic ec', controller)).toEqual({ text: '/call basic echo ', candidates: [] });
    expect(completeSlash('/agent ec', controller)).toEqual({ text: '/agent echoer ', candidates: [] });
    expect(completeSlash('hello', controller)).toEqual({ text: 'hello', candidates: [] });
  });

  it('/agent lists the profiles and switches: the tools and instructions follow', async () => {
    const { controller } = await setup();
    expect((await runSlashCommand('/agent', controller)).output).toMatch(/echoer\s+Echo agent\s+servers: basic/);
    expect((await runSlashCommand('/agent echoer', controller)).output).toBe('now using agent echoer: servers basic');
    expect(controller.profileServers()).toEqual(['basic']);
    expect(controller.getSnapshot().transcript).toMatchObject({ agent: 'echoer', servers: [{ name: 'basic', state: 'ready' }] });
    expect((await runSlashCommand('/agent echor', controller)).output).toContain('did you mean "echoer"?');
    expect((await runSlashCommand('/agent default', controller)).output).toBe('now using no agent profile: servers basic, second');
  });
});

describe('conversation', () => {
  it('streams an answer, asks before an unlisted tool, and remembers "allow this tool for the session"', async () => {
    const { controller, model } = await setup({
      script: [
        { text: 'Echoing.', toolCalls: [{ id: 'a', name: 'basic__echo', arguments: { message: 'one' } }] },
        {
          toolCalls: [
            { id: 'b', name: 'basic__echo', arguments: { message: 'two' } },
            { id: 'c', name: 'basic__add', arguments: { a: 1, b: 2 } },
          ],
        },
        { text: 'All **done**.', usage: { prompt_tokens: 7, completion_tokens: 3 } },
      ],
    });
    const sending = controller.send('please echo');
    await waitFor(() => controller.getSnapshot().approval !== undefined, { what: 'an approval prompt' });
    expect(controller.getSnapshot().approval).toMatchObject({ name: 'basic__echo', args: { message: 'one' } });
    expect(controller.busy()).toBe(true);
    controller.answerApproval({ kind: 'allow_tool' });
    await sending;
    expect(controller.getSnapshot().approval).toBeUndefined();
    const shape = entries(controller).map((e) =>
      e.kind === 'tool' ? `tool:${e.tool}:${e.status}` : e.kind === 'assistant' ? `assistant:${e.text}` : e.kind,
    );
    expect(shape).toEqual(['user', 'assistant:Echoing.', 'tool:echo:ok', 'tool:echo:ok', 'tool:add:ok', 'assistant:All **done**.']);
    expect(controller.getSnapshot().transcript.busy).toBe(false);
    // The second echo ran without a prompt (allowed for the session); add is allowed by a rule.
    expect(model?.chatRequests()).toHaveLength(3);
    expect((await runSlashCommand('/stats', controller)).output).toContain('allowed for this session: basic__echo');
  });

  it('parallel calls that need a person all show as waiting; one prompt at a time', async () => {
    const { controller } = await setup({
      script: [
        {
          toolCalls: [
            { id: 'p1', name: 'basic__echo', arguments: { message: '1' } },
            { id: 'p2', name: 'basic__env', arguments: {} },
          ],
        },
        { text: 'ok' },
      ],
    });
    const sending = controller.send('go');
    await waitFor(() => controller.getSnapshot().approval?.callId === 'p1', { what: 'the first prompt' });
    await waitFor(() => entries(controller).filter((e) => e.kind === 'tool').length === 2);
    expect(
      entries(controller)
        .filter((e): e is ToolCallEntry => e.kind === 'tool')
        .map((e) => e.status),
    ).toEqual(['awaiting_approval', 'awaiting_approval']);
    controller.answerApproval({ kind: 'allow_once' });
    await waitFor(() => controller.getSnapshot().approval?.callId === 'p2', { what: 'the second prompt' });
    controller.answerApproval({ kind: 'deny' });
    await sending;
    expect(
      entries(controller)
        .filter((e): e is ToolCallEntry => e.kind === 'tool')
        .map((e) => e.status),
    ).toEqual(['ok', 'denied']);
  });

  it('a denial with a reason reaches the model', async () => {
    const { controller, model } = await setup({
      script: [{ toolCalls: [{ id: 'x', name: 'basic__echo', arguments: { message: 'no' } }] }, { text: 'ok' }],
    });
    const sending = controller.send('go');
    await waitFor(() => controller.getSnapshot().approval !== undefined);
    controller.answerApproval({ kind: 'deny', reason: 'not this one' });
    await sending;
    expect(lastTool(controller)).toMatchObject({ status: 'denied', result: 'the user denied it: not this one' });
    const toolMessage = model?.chatRequests()[1]?.body.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('not this one');
  });

  it('cancel stops a hanging model stream; the chat is ready for the next message', async () => {
    const { controller, model } = await setup({ script: [{ hang: true, text: 'thinking…' }, { text: 'second answer' }] });
    const sending = controller.send('first');
    await waitFor(() => entries(controller).some((e) => e.kind === 'assistant'), { what: 'streamed text' });
    expect(controller.cancel()).toBe(true);
    await sending;
    expect(controller.busy()).toBe(false);
    expect(entries(controller).at(-1)).toMatchObject({ kind: 'notice', text: 'cancelled' });
    await controller.send('again');
    expect(entries(controller).at(-1)).toMatchObject({ kind: 'assistant', text: 'second answer' });
    expect(model?.chatRequests()).toHaveLength(2);
    expect(controller.cancel()).toBe(false);
  });

  it('cancel during an approval prompt closes it and ends the turn', async () => {
    const { controller } = await setup({
      script: [{ toolCalls: [{ name: 'basic__echo', arguments: { message: 'x' } }] }, { text: 'never' }],
    });
    const sending = controller.send('go');
    await waitFor(() => controller.getSnapshot().approval !== undefined);
    controller.cancel();
    await sending;
    expect(controller.getSnapshot().approval).toBeUndefined();
    expect(entries(controller).at(-1)).toMatchObject({ kind: 'notice', text: 'cancelled' });
  });

  it('/agent and /model change what the next request carries; /clear forgets the conversation', async () => {
    const { controller, model } = await setup({ script: [{ text: 'one' }, { text: 'two' }, { text: 'three' }] });
    await controller.send('first');
    await runSlashCommand('/agent echoer', controller);
    expect((await runSlashCommand('/model other-model', controller)).output).toMatch(
      /^now using model other-model at http:\/\/127\.0\.0\.1:\d+\/v1$/,
    );
    expect(controller.getSnapshot().transcript.model).toBe('other-model');
    await controller.send('second');
    const second = model?.chatRequests()[1]?.body;
    expect(second?.model).toBe('other-model');
    expect(String(second?.messages[0]?.content)).toContain('You echo things.');
    expect(second?.tools?.map((t) => t.function.name).every((n) => n.startsWith('basic__'))).toBe(true);
    expect(second?.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    await runSlashCommand('/clear', controller);
    await controller.send('third');
    expect(model?.chatRequests()[2]?.body.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it("/reload lists every server's tools again", async () => {
    const { controller } = await setup();
    const out = await runSlashCommand('/reload', controller);
    expect(out.output).toMatch(/basic\s+9\s+reloaded/);
  });

  it('/agent, /model and /clear wait while the model works; /stats does not', async () => {
    const { controller } = await setup({ script: [{ hang: true }] });
    const sending = controller.send('x');
    expect((await runSlashCommand('/clear', controller)).output).toMatch(/has to wait until the model has finished/);
    expect((await runSlashCommand('/stats', controller)).isError).toBeUndefined();
    controller.cancel();
    await sending;
  });

  it('a message sent while a server is still connecting says which servers it goes without', async () => {
    const { controller, model } = await setup({ script: [{ text: 'ok' }], slowServer: true });
    await controller.send('hi');
    const notice = entries(controller).find((e) => e.kind === 'notice');
    expect(notice).toMatchObject({ text: 'sent without the tools of slow (still connecting)' });
    const offered = model?.chatRequests()[0]?.body.tools?.map((t) => t.function.name) ?? [];
    expect(offered).toContain('basic__echo');
    expect(offered.some((n) => n.startsWith('slow__'))).toBe(false);
    // The model is told too, so it can say so rather than guess.
    expect(String(model?.chatRequests()[0]?.body.messages[0]?.content)).toMatch(/slow\b.*still connecting/);
  });
});

describe('tools mcpsh leaves out', () => {
  it('a tool whose definition is nested too deep is named once in a notice when its server is ready', async () => {
    const servers = [nodeServer('deep', fixturePath('deep-json.mjs'))];
    const hub = new Hub(servers, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-controller-')), clientVersion: '0' });
    cleanups.push(() => hub.close());
    const loaded: LoadedConfig = { config: { mcpServers: {} }, servers, sources: [], warnings: [], secrets: [], modelProblems: [] };
    const controller = new ChatController({
      hub,
      loaded,
      env: { PATH: process.env.PATH },
      cwd: process.cwd(),
      signal: new AbortController().signal,
      modelFlags: {},
    });
    cleanups.push(() => Promise.resolve(controller.dispose()));
    controller.start();
    await waitFor(() => hub.get('deep')?.state === 'ready', { what: 'deep server ready' });
    const notices = () => entries(controller).filter((e) => e.kind === 'notice' && e.text.includes('deep_schema'));
    await waitFor(() => notices().length > 0, { what: 'the notice' });
    expect(notices()).toHaveLength(1);
    expect(notices()[0]).toMatchObject({
      level: 'warn',
      text: expect.stringMatching(
        /^tool deep_schema of server deep left out: its definition is JSON nested deeper than 256 levels$/,
      ) as unknown,
    });
  });
});
