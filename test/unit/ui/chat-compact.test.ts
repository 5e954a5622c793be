// Compaction in the chat: a long conversation crosses a small context window and goes on with a notice in
// the transcript, and /compact [instructions] summarises on request. A real Hub over the basic fixture, the
// real openai client against the scripted model.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../../src/config/types.js';
import { Hub } from '../../../src/mcp/hub.js';
import { ChatController } from '../../../src/ui/state/chat-controller.js';
import { runSlashCommand } from '../../../src/ui/input/slash-commands.js';
import type { Entry } from '../../../src/ui/state/transcript.js';
import { startScriptedModel, type ReceivedRequest, type ScriptedModel, type Step } from '../../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';

const SERVERS = [nodeServer('basic', fixturePath('basic.mjs'))];
let hub: Hub;
const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  hub = new Hub(SERVERS, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-compact-')), clientVersion: '0' });
  await hub.connectAll();
});
afterAll(async () => {
  await hub.close();
});
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const isSummary = (r: ReceivedRequest): boolean =>
  r.body.tools === undefined && String(r.body.messages[0]?.content).startsWith('You compact a conversation');

async function chat(
  script: (r: ReceivedRequest) => Step,
  model: Record<string, unknown>,
): Promise<{ controller: ChatController; server: ScriptedModel }> {
  const server = await startScriptedModel(script, { name: 'chat compaction test' });
  cleanups.push(() => server.close());
  const loaded: LoadedConfig = {
    config: { mcpServers: {}, model },
    servers: SERVERS,
    sources: [],
    warnings: [],
    secrets: [],
    modelProblems: [],
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    OPENAI_BASE_URL: server.baseURL,
    MCPSH_MODEL: 'scripted',
    MCPSH_STATE_DIR: mkdtempSync(join(tmpdir(), 'mcpsh-compact-state-')),
  };
  const controller = new ChatController({ hub, loaded, env, cwd: process.cwd(), signal: new AbortController().signal, modelFlags: {} });
  cleanups.push(() => controller.dispose());
  controller.start();
  await waitFor(() => hub.get('basic')?.state === 'ready', { what: 'server ready' });
  return { controller, server };
}

function entries(controller: ChatController): Entry[] {
  const t = controller.getSnapshot().transcript;
  return [...t.done, ...t.live];
}

const answer = (r: ReceivedRequest): Step =>
  isSummary(r) ? { text: 'SUMMARY: the user said hello many times.' } : { text: `reply ${'r'.repeat(1_500)}` };

describe('compaction in the chat', () => {
  it('a long chat crosses model.contextWindow and keeps going, with a notice in the transcript', async () => {
    const { controller, server } = await chat(answer, { contextWindow: 4_000 });
    for (let i = 1; i <= 12; i++) await controller.send(`hello ${i} ${'h'.repeat(300)}`);
    const notices = entries(controller).filter((e) => e.kind === 'notice' && e.text.startsWith('compacted the conversation'));
    expect(notices.length).toBeGreaterThanOrEqual(1);
    const requests = server.chatRequests();
    expect(requests.filter(isSummary).length).toBe(notices.length);
    expect(String(requests.at(-1)?.body.messages.at(-1)?.content)).toMatch(/^hello 12 /);
    for (const r of requests) expect(JSON.stringify(r.body.messages).length / 4).toBeLessThan(4_000);
  });

  it('/compact [instructions] summarises now: the summary request carries the instructions, the next request is smaller', async () => {
    const { controller, server } = await chat(answer, {});
    for (let i = 1; i <= 4; i++) await controller.send(`message ${i}`);
    const last = server.chatRequests().at(-1)?.body.messages ?? [];
    const before = JSON.stringify(last).length;
    const result = await runSlashCommand('/compact keep the message numbers', controller);
    expect(result.output).toMatch(
      /^compacted the conversation: asked for with \/compact, so \d+ older messages were summarised by the model and \d+ recent kept/,
    );
    const summary = server.chatRequests().at(-1) as ReceivedRequest;
    expect(isSummary(summary)).toBe(true);
    expect(String(summary.body.messages[1]?.content)).toContain('keep the message numbers');
    await controller.send('message 5');
    const after = server.chatRequests().at(-1)?.body.messages ?? [];
    // The request after /compact holds less than the one before it, though it has one more message of its own.
    expect(JSON.stringify(after).length).toBeLessThan(before);
    expect(after.length).toBeLessThan(last.length);
    expect(String(after[1]?.content)).toContain('SUMMARY: the user said hello many times.');
    // Nothing older left to summarise: said so, and no request made.
    const count = server.chatRequests().length;
    await runSlashCommand('/clear', controller);
    expect((await runSlashCommand('/compact', controller)).output).toBe('nothing to compact: the conversation holds only recent messages');
    expect(server.chatRequests()).toHaveLength(count);
  });
});
