// Compaction end to end, in-process: AgentSession with a small context window, the real openai client
// against the scripted model server (which also answers the summary requests), a real Hub over the basic
// fixture server so the conversation holds tool call/result pairs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { headlessApprovals } from '../../src/agent/approvals.js';
import { SUMMARY_MARK } from '../../src/agent/compaction.js';
import type { AgentEvent } from '../../src/agent/events.js';
import { AgentSession } from '../../src/agent/session.js';
import { Hub } from '../../src/mcp/hub.js';
import { createOpenAIModel } from '../../src/model/openai-model.js';
import type { ChatMessage } from '../../src/model/types.js';
import { mergeRules } from '../../src/policy/permissions.js';
import { startScriptedModel, type ReceivedRequest, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../helpers/config.js';
import { fixturePath } from '../helpers/fixtures.js';
import { scaled } from '../helpers/time.js';

let hub: Hub;
const models: ScriptedModel[] = [];

beforeAll(async () => {
  hub = new Hub([nodeServer('basic', fixturePath('basic.mjs'))], {
    env: process.env,
    logDir: mkdtempSync(join(tmpdir(), 'mcpsh-compaction-')),
    clientVersion: '0',
  });
  await hub.connectAll();
});
afterAll(async () => {
  await hub.close();
});
afterEach(async () => {
  await Promise.all(models.splice(0).map((m) => m.close()));
});

function isSummaryRequest(r: ReceivedRequest): boolean {
  return r.body.tools === undefined && String(r.body.messages[0]?.content).startsWith('You compact a conversation');
}

function sizeOf(r: ReceivedRequest): number {
  return JSON.stringify(r.body.messages).length;
}

async function session(
  script: Step[] | ((r: ReceivedRequest, i: number) => Step | undefined),
  options: { contextWindow?: number; history?: ChatMessage[] } = {},
) {
  const model = await startScriptedModel(script, { name: 'compaction test' });
  models.push(model);
  const saved: ChatMessage[] = [];
  const s = new AgentSession({
    model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
    host: hub,
    approve: headlessApprovals({ rules: mergeRules({ allow: ['basic__*'] }), yes: false }),
    systemPrompt: 'test system prompt',
    maxTurns: 20,
    ...(options.contextWindow ? { context: { contextWindow: options.contextWindow } } : {}),
    ...(options.history ? { history: options.history } : {}),
    onMessage: (m) => saved.push(m),
  });
  const run = async (text: string): Promise<AgentEvent[]> => {
    const events: AgentEvent[] = [];
    for await (const e of s.run(text, new AbortController().signal)) events.push(e);
    return events;
  };
  return { model, session: s, saved, run };
}

/** Old turns for a conversation that starts long (a resumed chat). */
function history(pairs: number): ChatMessage[] {
  return Array.from({ length: pairs }, (_, i): ChatMessage[] => [
    { role: 'user', content: `old question ${i}: ${'q'.repeat(400)}` },
    { role: 'assistant', content: `old answer ${i}: ${'a'.repeat(600)}` },
  ]).flat();
}

describe('compaction', () => {
  it(
    'a long chat crosses a 4,000-token window and keeps going: older turns summarised, with a notice, every request bounded',
    async () => {
      // Each question: the model echoes 600 characters, then answers with about 1,000.
      const script = (r: ReceivedRequest): Step => {
        if (isSummaryRequest(r)) return { text: 'SUMMARY: the user asked questions 1 to n; each was echoed and answered.' };
        const last = r.body.messages.at(-1);
        if (last?.role === 'user') return { toolCalls: [{ name: 'basic__echo', arguments: { message: `echo ${'e'.repeat(600)}` } }] };
        return { text: `answer ${'w'.repeat(1_000)}` };
      };
      const { model, session: s, saved, run } = await session(script, { contextWindow: 4_000 });
      const notices: string[] = [];
      for (let i = 1; i <= 12; i++) {
        const events = await run(`question ${i}`);
        expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed' });
        for (const e of events) if (e.type === 'notice') notices.push(e.message);
      }
      const requests = model.chatRequests();
      const summaries = requests.map((r, i) => (isSummaryRequest(r) ? i : -1)).filter((i) => i >= 0);
      expect(summaries.length).toBeGreaterThanOrEqual(1);
      expect(notices.filter((n) => n.startsWith('compacted the conversation: the conversation (about '))).toHaveLength(summaries.length);
      // The summary request carries no tools and sees the older turns; the request after it is smaller than the one before.
      const first = summaries[0] as number;
      expect(String(requests[first]?.body.messages[1]?.content)).toContain('question 1');
      expect(sizeOf(requests[first + 1] as ReceivedRequest)).toBeLessThan(sizeOf(requests[first - 1] as ReceivedRequest) / 2);
      const after = requests[first + 1]?.body.messages ?? [];
      expect(after[1]).toMatchObject({ role: 'user', content: expect.stringContaining(SUMMARY_MARK) });
      for (const r of requests.filter((x) => !isSummaryRequest(x))) {
        // Bounded: under the window by the server's own count (characters / 4), and every tool result follows its call.
        expect(sizeOf(r) / 4).toBeLessThan(4_000);
        const called = new Set<string>();
        for (const m of r.body.messages) {
          for (const c of (m.tool_calls as Array<{ id: string }> | undefined) ?? []) called.add(c.id);
          if (m.role === 'tool') expect(called.has(m.tool_call_id as string)).toBe(true);
        }
      }
      // The session went on to the last question; the full history went to onMessage (the transcript) untouched.
      expect(String(requests.at(-1)?.body.messages.findLast((m) => m.role === 'user')?.content)).toBe('question 12');
      expect(saved).toHaveLength(12 * 4);
      expect(s.messages.length).toBeLessThan(saved.length);
    },
    scaled(60_000),
  );

  it('one run with many tool turns (as `ask` makes) compacts too, and keeps the task word for word', async () => {
    let calls = 0;
    const script = (r: ReceivedRequest): Step => {
      if (isSummaryRequest(r)) return { text: 'SUMMARY: echoed several times so far.' };
      return ++calls <= 14
        ? { toolCalls: [{ name: 'basic__echo', arguments: { message: `step ${calls} ${'s'.repeat(1_200)}` } }] }
        : { text: 'all steps done' };
    };
    const { model, run } = await session(script, { contextWindow: 4_000 });
    const events = await run('do the fourteen steps');
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', text: 'all steps done' });
    const requests = model.chatRequests();
    const firstSummary = requests.findIndex(isSummaryRequest);
    expect(firstSummary).toBeGreaterThan(0);
    const next = requests[firstSummary + 1]?.body.messages ?? [];
    expect(next.map((m) => m.role).slice(0, 3)).toEqual(['system', 'user', 'user']);
    expect(next[2]).toMatchObject({ content: 'do the fourteen steps' });
    for (const r of requests) expect(sizeOf(r) / 4).toBeLessThan(4_000);
  });

  it('"context too long" from the model: one compaction, then the same request again', async () => {
    const { model, run } = await session(
      [
        {
          error: {
            status: 400,
            code: 'context_length_exceeded',
            message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          },
        },
        { text: 'SUMMARY of the old questions' },
        { text: 'answered after compacting' },
      ],
      { history: history(6) },
    );
    const events = await run('the new question');
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', text: 'answered after compacting' });
    expect(events.filter((e) => e.type === 'notice').map((e) => (e as { message: string }).message)).toEqual([
      expect.stringMatching(
        /^compacted the conversation: the model said the conversation is too long for its context window, so \d+ older messages were summarised/,
      ),
    ]);
    const [failed, summary, retried] = model.chatRequests() as [ReceivedRequest, ReceivedRequest, ReceivedRequest];
    expect(isSummaryRequest(summary)).toBe(true);
    expect(sizeOf(retried)).toBeLessThan(sizeOf(failed) / 2);
    expect(retried.body.messages.at(-1)).toMatchObject({ role: 'user', content: 'the new question' });
  });

  it('a second "context too long" after compacting ends the run with the model error', async () => {
    const tooLong = { error: { status: 400, code: 'context_length_exceeded', message: 'maximum context length exceeded' } };
    const { model, run } = await session([tooLong, { text: 'SUMMARY' }, tooLong], { history: history(6) });
    const done = (await run('again')).at(-1);
    expect(done).toMatchObject({ type: 'done', reason: 'error', error: { code: 'MODEL' } });
    expect(model.chatRequests()).toHaveLength(3);
  });

  it('a failed summary request leaves the conversation as it was and says why', async () => {
    const {
      model,
      run,
      session: s,
    } = await session(
      [
        { error: { status: 400, code: 'context_length_exceeded', message: 'maximum context length exceeded' } },
        { error: { status: 400, message: 'no summaries today' } },
      ],
      { history: history(3) },
    );
    const events = await run('question');
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'error' });
    expect(events.find((e) => e.type === 'notice')).toMatchObject({
      message: expect.stringMatching(/^could not compact the conversation \(the model said/),
    });
    expect(model.chatRequests()).toHaveLength(2);
    expect(s.messages).toHaveLength(1 + 6 + 1);
  });
});
