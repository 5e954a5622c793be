// Resources, prompts and logs in the chat, without a screen: a real Hub over server-everything and the
// paged-resources fixture, the real openai client against the scripted model, questions answered through
// the controller's input bridge as the prompt line would.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../../src/config/types.js';
import { Hub } from '../../../src/mcp/hub.js';
import { addSecrets } from '../../../src/policy/redact.js';
import { findAttachments } from '../../../src/ui/input/attachments.js';
import { ChatController } from '../../../src/ui/state/chat-controller.js';
import { splitWords } from '../../../src/ui/input/completion.js';
import { completeSlash, runSlashCommand } from '../../../src/ui/input/slash-commands.js';
import type { Entry } from '../../../src/ui/state/transcript.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../../fixtures/openai/scripted-server.mjs';
import { EVERYTHING, nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const SERVERS = [nodeServer('ev', EVERYTHING, ['stdio']), nodeServer('paged', fixturePath('paged-resources.mjs'))];
const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-chat-protocol-'));
let hub: Hub;
beforeAll(async () => {
  hub = new Hub(SERVERS, { env: process.env, logDir, clientVersion: '0' });
  await hub.connectAll();
});
afterAll(async () => {
  await hub.close();
});

async function setup(script?: Step[]): Promise<{ controller: ChatController; model?: ScriptedModel; transcripts: string }> {
  const loaded: LoadedConfig = { config: { mcpServers: {} }, servers: SERVERS, sources: [], warnings: [], secrets: [], modelProblems: [] };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH };
  let model: ScriptedModel | undefined;
  if (script) {
    model = await startScriptedModel(script, { name: 'chat protocol test' });
    cleanups.push(() => model?.close() ?? Promise.resolve());
    Object.assign(env, { OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'sk-test', MCPSH_MODEL: 'scripted' });
  }
  const transcripts = mkdtempSync(join(tmpdir(), 'mcpsh-chat-transcripts-'));
  const controller = new ChatController({
    hub,
    loaded,
    env,
    cwd: process.cwd(),
    signal: new AbortController().signal,
    modelFlags: {},
    transcripts,
  });
  cleanups.push(() => Promise.resolve(controller.dispose()));
  controller.start();
  await waitFor(() => controller.features.allPrompts().length >= 11 && controller.features.uris('paged').length >= 12, {
    what: 'prompts and resources indexed',
  });
  return { controller, transcripts, ...(model ? { model } : {}) };
}

function entries(controller: ChatController): Entry[] {
  const t = controller.getSnapshot().transcript;
  return [...t.done, ...t.live];
}

function notices(controller: ChatController): string[] {
  return entries(controller).flatMap((e) => (e.kind === 'notice' ? [`${e.level}: ${e.text}`] : []));
}

/** The messages of the n-th chat request the model received. */
function sent(model: ScriptedModel | undefined, n = 0): Array<{ role: string; content?: unknown }> {
  return model?.chatRequests()[n]?.body.messages ?? [];
}

describe('@server:uri attachments', () => {
  it("finds only references to the chat's servers; e-mail addresses and unknown prefixes stay text", () => {
    const servers = ['ev', 'my:srv'];
    expect(findAttachments('mail me@example.com or @example.com:25', servers)).toEqual([]);
    expect(findAttachments('read @ev:demo://a.md, then @my:srv:file:///x.txt.', servers)).toEqual([
      { server: 'ev', uri: 'demo://a.md' },
      { server: 'my:srv', uri: 'file:///x.txt' },
    ]);
    // A listed URI that really ends in punctuation is kept whole.
    expect(findAttachments('@ev:odd://x.', servers, () => ['odd://x.'])).toEqual([{ server: 'ev', uri: 'odd://x.' }]);
    expect(splitWords('city="New York" state=NY')).toEqual({ words: ['city=New York', 'state=NY'], unclosed: false, endsInSpace: false });
  });

  it('attaches the resource as a labelled text block, and the transcript says what was attached', async () => {
    const { controller, model } = await setup([{ text: 'It describes the architecture.' }]);
    const uri = 'demo://resource/static/document/architecture.md';
    await controller.send(`summarize @ev:${uri} and mail me@example.com`);
    const user = sent(model).at(-1);
    expect(user?.role).toBe('user');
    const parts = user?.content as Array<{ type: string; text?: string }>;
    expect(parts[0]).toEqual({ type: 'text', text: `summarize @ev:${uri} and mail me@example.com` });
    expect(parts[1]?.text).toMatch(new RegExp(`^\\[resource ev:${uri} \\(text/markdown\\)\\]\\n# `));
    expect(parts).toHaveLength(2);
    expect(notices(controller)).toContainEqual(
      expect.stringMatching(new RegExp(`^info: attached ev:${uri} \\(text/markdown, \\d+\\.\\d KB\\)$`)),
    );
    expect(entries(controller).map((e) => e.kind)).toEqual(['user', 'notice', 'assistant']);
  });

  it('a binary resource becomes a note for the model; a plain message goes as text', async () => {
    const { controller, model } = await setup([{ text: 'noted' }, { text: 'hi' }]);
    await controller.send('what is @paged:fixture://res/00?');
    const parts = sent(model).at(-1)?.content as Array<{ type: string; text?: string }>;
    expect(parts[1]?.text).toBe('[binary resource paged:fixture://res/00 (application/octet-stream), 5 B: not shown to the model]');
    await controller.send('write to me@example.com');
    expect(sent(model, 1).at(-1)).toMatchObject({ role: 'user', content: 'write to me@example.com' });
  });

  it('a resource that cannot be read stops the message: a notice, no request, and the text back in the prompt', async () => {
    const { controller, model } = await setup([{ text: 'never' }]);
    const text = 'compare @paged:fixture://res/01 with @paged:fixture://nope';
    await controller.send(text);
    expect(model?.chatRequests()).toHaveLength(0);
    expect(entries(controller).some((e) => e.kind === 'user')).toBe(false);
    const notice = notices(controller).at(-1) ?? '';
    expect(notice).toMatch(/^error: not sent: could not attach @paged:fixture:\/\/nope: .*resource not found: fixture:\/\/nope/);
    expect(notice).toContain('(the message is back in the prompt)');
    expect(controller.input.getSnapshot().restore?.text).toBe(text);
    expect(controller.busy()).toBe(false);
  });

  it('Tab completes server names after @, then the listed URIs and template prefixes', async () => {
    const { controller } = await setup();
    expect(await completeSlash('look at @', controller)).toEqual({ text: 'look at @', candidates: ['@ev:', '@paged:'] });
    expect(await completeSlash('look at @pa', controller)).toEqual({ text: 'look at @paged:', candidates: [] });
    expect(await completeSlash('look at @paged:fixture://res/1', controller)).toEqual({
      text: 'look at @paged:fixture://res/1',
      candidates: ['@paged:fixture://res/10', '@paged:fixture://res/11'],
    });
    expect(await completeSlash('@paged:fixture://res/07', controller)).toEqual({ text: '@paged:fixture://res/07 ', candidates: [] });
    expect(await completeSlash('@ev:demo://resource/dy', controller)).toEqual({
      text: '@ev:demo://resource/dynamic/',
      candidates: ['@ev:demo://resource/dynamic/text/', '@ev:demo://resource/dynamic/blob/'],
    });
    expect(await completeSlash('me@exa', controller)).toEqual({ text: 'me@exa', candidates: [] });
  });

  it('/resources lists resources and templates; at 40 columns nothing is cut', async () => {
    const { controller } = await setup();
    const narrow = await runSlashCommand('/resources paged', controller, { width: 40 });
    expect(narrow.table).toBe(false);
    const lines = (narrow.output ?? '').split('\n');
    expect(lines.slice(0, 3)).toEqual(['paged (12 resources, 3 templates)', '  fixture://res/00', '    res_00 · application/octet-stream']);
    expect(lines).toContain('  fixture://tpl2/{id}');
    // The listing fits; the closing hint is plain text that the transcript wraps.
    for (const line of lines.slice(0, lines.indexOf(''))) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines.at(-1)).toBe('Attach one to a message with @server:uri (Tab completes).');
    const wide = await runSlashCommand('/resources', controller, { width: 120 });
    expect(wide.output).toMatch(/^ev \(\d+ resources, \d+ templates\)\n {2}demo:\/\/resource\/static\/document\/\S+\s{2,}\S/);
    expect(wide.output).toMatch(/paged \(12 resources, 3 templates\)\n {2}fixture:\/\/res\/00\s+res_00\s+application\/octet-stream/);
    expect(await runSlashCommand('/resources pagd', controller)).toMatchObject({
      isError: true,
      output: expect.stringContaining('did you mean "paged"?') as unknown,
    });
  });
});

describe('server prompts as slash commands', () => {
  it("/server:prompt arg=value sends the prompt's messages (user and assistant) as the turn, saved in the transcript file", async () => {
    const { controller, model, transcripts } = await setup([{ text: 'Cats are independent.' }]);
    expect(await runSlashCommand('/paged:prompt_3 topic="cats and dogs" tone=dry', controller)).toEqual({});
    const messages = sent(model);
    expect(messages.slice(-2)).toEqual([
      { role: 'user', content: 'Tell me about cats and dogs (dry).' },
      { role: 'assistant', content: '[image image/png]' },
    ]);
    const shown = entries(controller);
    expect(shown[0]).toMatchObject({ kind: 'user', text: '/paged:prompt_3 topic="cats and dogs" tone=dry' });
    expect(shown[1]).toMatchObject({
      kind: 'notice',
      level: 'info',
      text: 'prompt paged:prompt_3 sent as 2 messages:\n  user: Tell me about cats and dogs (dry).\n  assistant: (image)',
    });
    expect(shown.at(-1)).toMatchObject({ kind: 'assistant', text: 'Cats are independent.' });
    // The transcript is written in the background (src/agent/transcript-writer.ts): wait for the answer's line.
    const savedText = (): string => {
      const [file] = readdirSync(transcripts);
      return file === undefined ? '' : readFileSync(join(transcripts, file), 'utf8');
    };
    await waitFor(() => savedText().includes('Cats are independent.'), { what: 'the answer in the saved chat' });
    const saved = savedText();
    expect(saved).toContain('Tell me about cats and dogs (dry).');
    expect(saved).toContain('[image image/png]');
    expect(saved).toContain('Cats are independent.');
  });

  it('an embedded resource in a prompt reaches the model as labelled text', async () => {
    const { controller, model } = await setup([{ text: 'ok' }]);
    await runSlashCommand('/ev:resource-prompt resourceType=Text resourceId=2', controller);
    const user = sent(model).filter((m) => m.role === 'user');
    expect(user[0]?.content).toBe('This prompt includes the Text resource with id: 2. Please analyze the following resource:');
    expect(JSON.stringify(user[1]?.content)).toContain(
      '[resource ev:demo://resource/dynamic/text/2 (text/plain)]\\nResource 2: This is a plaintext resource',
    );
  });

  it('a missing required argument is asked for in the prompt line, with completion from the server', async () => {
    const { controller, model } = await setup([{ text: 'Done.' }]);
    const running = runSlashCommand('/ev:completable-prompt department=Sales', controller);
    await waitFor(() => controller.input.getSnapshot().question !== undefined, { what: 'the question' });
    expect(controller.input.getSnapshot().question).toMatchObject({
      title: '/ev:completable-prompt',
      name: 'name',
      description: 'Choose a team member to lead the selected department.',
    });
    // The department given narrows the names the server offers.
    expect(await controller.input.complete('')).toEqual({ text: '', candidates: ['David', 'Eve', 'Frank'] });
    expect(await controller.input.complete('E')).toEqual({ text: 'Eve', candidates: [] });
    expect(controller.input.answer('  ')).toBe(false);
    expect(controller.input.answer('Eve')).toBe(true);
    expect(await running).toEqual({});
    expect(sent(model).at(-1)).toEqual({ role: 'user', content: 'Please promote Eve to the head of the Sales team.' });
    expect(entries(controller)[0]).toMatchObject({ kind: 'user', text: '/ev:completable-prompt department=Sales name=Eve' });
  });

  it('two missing arguments are asked one at a time; abandoning sends nothing', async () => {
    const { controller, model } = await setup([{ text: 'never' }]);
    const running = runSlashCommand('/ev:completable-prompt', controller);
    await waitFor(() => controller.input.getSnapshot().question?.name === 'department');
    expect(controller.input.getSnapshot().question?.position).toBe('1 of 2');
    expect(controller.input.answer('Support')).toBe(true);
    await waitFor(() => controller.input.getSnapshot().question?.name === 'name');
    expect(await controller.input.complete('')).toEqual({ text: '', candidates: ['John', 'Kim', 'Lee'] });
    expect(controller.input.abandon()).toBe(true);
    expect(await running).toEqual({ output: '/ev:completable-prompt abandoned: nothing was sent' });
    expect(model?.chatRequests()).toHaveLength(0);
  });

  it('Tab completes prompt commands, argument names, then values; /help lists them; bad input is explained', async () => {
    const { controller } = await setup();
    expect(await completeSlash('/ev:comp', controller)).toEqual({ text: '/ev:completable-prompt ', candidates: [] });
    expect(await completeSlash('/ev:completable-prompt d', controller)).toEqual({
      text: '/ev:completable-prompt department=',
      candidates: [],
    });
    expect(await completeSlash('/ev:completable-prompt department=S', controller)).toEqual({
      text: '/ev:completable-prompt department=S',
      candidates: ['department=Sales', 'department=Support'],
    });
    expect(await completeSlash('/ev:completable-prompt department=Sa', controller)).toEqual({
      text: '/ev:completable-prompt department=Sales ',
      candidates: [],
    });
    expect(await completeSlash('/ev:completable-prompt department=Sales n', controller)).toEqual({
      text: '/ev:completable-prompt department=Sales name=',
      candidates: [],
    });
    expect(await completeSlash('/ev:completable-prompt department=Sales name=', controller)).toEqual({
      text: '/ev:completable-prompt department=Sales name=',
      candidates: ['name=David', 'name=Eve', 'name=Frank'],
    });
    const help = (await runSlashCommand('/help', controller, { width: 60 })).output ?? '';
    expect(help).toContain('/ev:args-prompt city=… [state=…]');
    expect(help).toContain('/paged:prompt_0 topic=… [tone=…]');
    expect(help).toContain('/resources [server]');
    expect(help).toContain('/logs [server] [n]');
    expect((await runSlashCommand('/ev:args-promt city=x', controller)).output).toMatch(
      /has no prompt "args-promt" \(did you mean \/ev:args-prompt\?\)/,
    );
    expect((await runSlashCommand('/ev:args-prompt town=x', controller)).output).toBe(
      '/ev:args-prompt has no argument "town"\nusage: /ev:args-prompt city=… [state=…]',
    );
    expect((await runSlashCommand('/nope:x', controller)).output).toMatch(/^no server named "nope" in this chat/);
  });

  it("without a model the prompt's messages are shown instead", async () => {
    const { controller } = await setup();
    const result = await runSlashCommand('/ev:args-prompt city=Lyon', controller);
    expect(result.output).toBe(
      "/ev:args-prompt city=Lyon\n(no model: the prompt's messages are shown, not sent)\n\n[user]\nWhat's weather in Lyon?",
    );
  });

  it('prompts and resources list_changed: completion and /help follow', async () => {
    const { controller } = await setup();
    expect(await completeSlash('/paged:prompt_7', controller)).toEqual({ text: '/paged:prompt_7', candidates: [] });
    await runSlashCommand('/call paged add_items', controller);
    await waitFor(() => controller.features.allPrompts().some((p) => p.prompt.name === 'prompt_7'), { what: 'the new prompt' });
    // Resources are re-read on their own list_changed, which may land after the prompts' on a busy machine.
    await waitFor(() => controller.features.uris('paged').includes('fixture://res/12'), { what: 'the new resource' });
    expect(await completeSlash('/paged:prompt_7', controller)).toEqual({ text: '/paged:prompt_7 ', candidates: [] });
    expect(await completeSlash('@paged:fixture://res/12', controller)).toEqual({ text: '@paged:fixture://res/12 ', candidates: [] });
  });
});

describe('/logs', () => {
  it("shows the end of a server's log (stderr and log notifications), bounded and redacted", async () => {
    const { controller } = await setup();
    addSecrets(['hunter2-secret-token']);
    await runSlashCommand('/call paged log {"text": "first line", "level": "warning"}', controller);
    await runSlashCommand('/call paged log {"text": "token is hunter2-secret-token", "level": "error"}', controller);
    const file = join(logDir, 'paged.log');
    await waitFor(() => readFileSync(file, 'utf8').includes('token is'), { what: 'the log line' });
    const out = (await runSlashCommand('/logs paged 2', controller)).output ?? '';
    expect(out.split('\n')).toEqual([
      `paged — last 2 lines of ${file}`,
      expect.stringMatching(/^\S+Z \[warning\] fixture: first line$/) as unknown as string,
      expect.stringMatching(/^\S+Z \[error\] fixture: token is \*\*\*$/) as unknown as string,
    ]);
    const all = (await runSlashCommand('/logs', controller)).output ?? '';
    expect(all).toMatch(/^ev — last \d+ lines? of /);
    expect(all).toContain('paged — last');
    expect((await runSlashCommand('/logs pagd', controller)).output).toContain('did you mean "paged"?');
  });
});
