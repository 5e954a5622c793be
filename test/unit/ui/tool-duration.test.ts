// A tool call's duration in the chat is the call's own time: the minutes a person spends on the approval
// dialog are not counted, neither in the finished duration nor in the live clock once the call runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import type { LoadedConfig } from '../../../src/config/types.js';
import { Hub } from '../../../src/mcp/hub.js';
import { ChatController } from '../../../src/ui/state/chat-controller.js';
import type { ToolCallEntry } from '../../../src/ui/state/transcript.js';
import { startScriptedModel } from '../../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

// The person "takes" this long: the clocks are moved on while the dialog is open, so nothing here depends on
// how fast the machine is. The call itself (an echo) takes far less than a minute on any machine.
const HOLD_MS = 10 * 60_000;

function tools(controller: ChatController): ToolCallEntry[] {
  const t = controller.getSnapshot().transcript;
  return [...t.done, ...t.live].filter((e): e is ToolCallEntry => e.kind === 'tool');
}

it('the time the approval dialog was open is not part of the call duration', async () => {
  const servers = [nodeServer('basic', fixturePath('basic.mjs'))];
  const hub = new Hub(servers, { env: process.env, logDir: mkdtempSync(join(tmpdir(), 'mcpsh-duration-')), clientVersion: '0' });
  cleanups.push(() => hub.close());
  const model = await startScriptedModel(
    [{ toolCalls: [{ id: 'a', name: 'basic__echo', arguments: { message: 'hi' } }] }, { text: 'done' }],
    { name: 'duration test' },
  );
  cleanups.push(() => model.close());
  const loaded: LoadedConfig = { config: { mcpServers: {} }, servers, sources: [], warnings: [], secrets: [], modelProblems: [] };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, OPENAI_BASE_URL: model.baseURL, MCPSH_MODEL: 'scripted' };
  const controller = new ChatController({ hub, loaded, env, cwd: process.cwd(), signal: new AbortController().signal, modelFlags: {} });
  cleanups.push(() => Promise.resolve(controller.dispose()));
  controller.start();
  await hub.connectAll();

  // Only the clocks are faked, and they run on with real time; timers stay real, so the servers and the model
  // run as usual.
  vi.useFakeTimers({ toFake: ['performance', 'Date'], now: Date.now(), shouldAdvanceTime: true });
  const sending = controller.send('echo hi');
  await waitFor(() => controller.getSnapshot().approval?.callId === 'a', { what: 'the approval prompt' });
  expect(tools(controller)[0]?.status).toBe('awaiting_approval');
  const shownAt = Date.now();
  vi.advanceTimersByTime(HOLD_MS);
  controller.answerApproval({ kind: 'allow_once' });
  await sending;

  const call = tools(controller)[0];
  expect(call?.status).toBe('ok');
  expect(call?.durationMs).toBeDefined();
  expect(call?.durationMs ?? Infinity).toBeLessThan(HOLD_MS);
  // The live clock of the running call started from the answer, not from when the model asked.
  expect(call?.startedAt).toBeGreaterThanOrEqual(shownAt + HOLD_MS);
});
