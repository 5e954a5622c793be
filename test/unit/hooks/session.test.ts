// Hooks in the agent loop, in-process: the real openai client against the scripted model, a real Hub over the
// basic fixture server, real hook commands. What the model is sent is read from the scripted server's requests.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headlessApprovals } from '../../../src/agent/approvals.js';
import type { AgentEvent } from '../../../src/agent/events.js';
import { AgentSession, MAX_STOP_HOOK_ROUNDS } from '../../../src/agent/session.js';
import type { HooksConfig } from '../../../src/config/hooks-schema.js';
import { HookRunner } from '../../../src/hooks/runner.js';
import { Hub } from '../../../src/mcp/hub.js';
import { createOpenAIModel } from '../../../src/model/openai-model.js';
import { mergeRules } from '../../../src/policy/permissions.js';
import { startScriptedModel, type ScriptedModel, type Step } from '../../fixtures/openai/scripted-server.mjs';
import { nodeServer } from '../../helpers/config.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { hookCommand, type HookLogLine } from '../../helpers/hooks.js';

const logDir = mkdtempSync(join(tmpdir(), 'mcpsh-hook-session-'));
let hub: Hub;

beforeAll(async () => {
  hub = new Hub([nodeServer('basic', fixturePath('basic.mjs'))], { env: process.env, logDir, clientVersion: '0' });
  await hub.connectAll();
});

afterAll(async () => {
  await hub.close();
});

interface Run {
  events: AgentEvent[];
  done: Extract<AgentEvent, { type: 'done' }>;
  model: ScriptedModel;
}

const cmd = (command: string) => ({ type: 'command' as const, command });

async function run(
  script: Step[],
  hooks: HooksConfig,
  options: { deny?: string[]; prompts?: string[]; hookLog?: string } = {},
): Promise<Run> {
  const model = await startScriptedModel(script, { name: 'hooks session test' });
  try {
    const session = new AgentSession({
      model: createOpenAIModel({ name: 'scripted', baseURL: model.baseURL, apiKey: 'sk-test', maxRetries: 0 }),
      host: hub,
      approve: headlessApprovals({ rules: mergeRules({ allow: ['basic__*'], deny: options.deny ?? [] }), yes: false }),
      systemPrompt: 'test system prompt',
      maxTurns: 10,
      hooks: new HookRunner([{ source: 'test', scope: 'user', hooks }], {
        projectDir: logDir,
        env: { ...process.env, ...(options.hookLog ? { HOOK_LOG: options.hookLog } : {}) },
      }),
    });
    const events: AgentEvent[] = [];
    for (const prompt of options.prompts ?? ['the question']) {
      for await (const event of session.run(prompt, new AbortController().signal)) events.push(event);
    }
    const done = events.at(-1);
    if (done?.type !== 'done') throw new Error('the run did not end with done');
    return { events, done, model };
  } finally {
    await model.close();
  }
}

/** The messages of the model's n-th request, content as text. */
function sent(model: ScriptedModel, n: number): Array<{ role: string; text: string }> {
  return (model.chatRequests()[n]?.body.messages ?? []).map((m) => ({
    role: m.role,
    text: typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
  }));
}

const echo: Step = { toolCalls: [{ id: 'c1', name: 'basic__echo', arguments: { message: 'hi' } }] };

describe('hooks in the agent loop', () => {
  it('PreToolUse exit 2: the tool is not called and the model is told the reason', async () => {
    const { events, done, model } = await run([echo, { text: 'ok' }], {
      PreToolUse: [{ matcher: 'basic__echo', hooks: [cmd(hookCommand('exit', '2', 'echo is switched off'))] }],
    });
    expect(done.reason).toBe('completed');
    expect(events.some((e) => e.type === 'tool_result')).toBe(false);
    expect(events).toContainEqual({ type: 'tool_denied', callId: 'c1', reason: 'blocked by a PreToolUse hook: echo is switched off' });
    expect(sent(model, 1).filter((m) => m.role === 'tool')).toEqual([
      { role: 'tool', text: 'A PreToolUse hook blocked this call: echo is switched off' },
    ]);
  });

  it('a PreToolUse "approve" is recorded but never overrides a deny rule', async () => {
    const { events, model } = await run(
      [echo, { text: 'ok' }],
      { PreToolUse: [{ hooks: [cmd(hookCommand('json', '{"decision":"approve","reason":"looks fine"}'))] }] },
      { deny: ['basic__echo'] },
    );
    expect(events).toContainEqual({
      type: 'hook',
      event: 'PreToolUse',
      outcome: 'allow',
      reason: 'looks fine',
      command: expect.any(String) as string,
      callId: 'c1',
    });
    expect(events).toContainEqual({ type: 'tool_denied', callId: 'c1', reason: 'denied by the permission rule "basic__echo"' });
    expect(sent(model, 1).find((m) => m.role === 'tool')?.text).toMatch(/permission rules did not allow/);
  });

  it('a matcher for another tool leaves the call alone; PostToolUse sees the result and its reason reaches the model with it', async () => {
    const { events, model } = await run([echo, { text: 'ok' }], {
      PreToolUse: [{ matcher: 'mcp__basic__add', hooks: [cmd(hookCommand('exit', '2', 'never'))] }],
      PostToolUse: [
        { matcher: 'mcp__basic__*', hooks: [cmd(hookCommand('json', '{"decision":"block","reason":"the echo was logged; say so"}'))] },
      ],
    });
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_result', callId: 'c1', isError: false }));
    const tool = sent(model, 1).find((m) => m.role === 'tool')?.text ?? '';
    expect(tool).toContain('hi');
    expect(tool).toContain('PostToolUse hook: the echo was logged; say so');
  });

  it('UserPromptSubmit exit 2: the prompt is never sent, the run ends DENIED with the reason', async () => {
    const { done, model } = await run([{ text: 'never' }], {
      UserPromptSubmit: [{ hooks: [cmd(hookCommand('exit', '2', 'prompts mentioning prod are not allowed'))] }],
    });
    expect(done).toMatchObject({
      reason: 'error',
      error: { code: 'DENIED', message: 'a UserPromptSubmit hook blocked the prompt: prompts mentioning prod are not allowed' },
    });
    expect(model.chatRequests()).toHaveLength(0);
  });

  it('SessionStart runs once per session and its output joins the system prompt; UserPromptSubmit output follows the prompt', async () => {
    const hookLog = join(mkdtempSync(join(tmpdir(), 'mcpsh-hook-log-')), 'log.jsonl');
    const { events, model } = await run(
      [{ text: 'one' }, { text: 'two' }],
      {
        SessionStart: [{ hooks: [cmd(hookCommand('print', 'the repo is on branch main'))] }],
        UserPromptSubmit: [{ hooks: [cmd(hookCommand('print', 'it is Friday'))] }],
      },
      { prompts: ['first', 'second'], hookLog },
    );
    const ran = readFileSync(hookLog, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as HookLogLine).input.hook_event_name);
    expect(ran).toEqual(['SessionStart', 'UserPromptSubmit', 'UserPromptSubmit']);
    expect(events.filter((e) => e.type === 'done')).toHaveLength(2);
    for (const n of [0, 1])
      expect(sent(model, n)[0]).toEqual({
        role: 'system',
        text: 'test system prompt\n\nContext from the SessionStart hooks:\nthe repo is on branch main',
      });
    expect(sent(model, 1).slice(1)).toEqual([
      { role: 'user', text: 'first' },
      { role: 'user', text: 'Context from the UserPromptSubmit hooks:\nit is Friday' },
      { role: 'assistant', text: 'one' },
      { role: 'user', text: 'second' },
      { role: 'user', text: 'Context from the UserPromptSubmit hooks:\nit is Friday' },
    ]);
  });

  it('Stop exit 2 feeds the reason back once; with stop_hook_active the hook lets the model stop', async () => {
    const { done, model, events } = await run([{ text: 'done' }, { text: 'tests pass; done' }], {
      Stop: [{ hooks: [cmd(hookCommand('stop-once', 'run the tests first'))] }],
    });
    expect(done).toMatchObject({ reason: 'completed', text: 'tests pass; done' });
    expect(model.chatRequests()).toHaveLength(2);
    expect(sent(model, 1).at(-1)).toEqual({ role: 'user', text: 'A Stop hook asked you not to stop yet: run the tests first' });
    expect(events.filter((e) => e.type === 'hook')).toMatchObject([{ event: 'Stop', outcome: 'block', reason: 'run the tests first' }]);
  });

  it('a Stop hook that always blocks sends the model back a bounded number of times', async () => {
    const steps: Step[] = Array.from({ length: MAX_STOP_HOOK_ROUNDS + 2 }, (_, i) => ({ text: `answer ${i}` }));
    const { done, model, events } = await run(steps, { Stop: [{ hooks: [cmd(hookCommand('exit', '2', 'keep going'))] }] });
    expect(done).toMatchObject({ reason: 'completed', text: `answer ${MAX_STOP_HOOK_ROUNDS}` });
    expect(model.chatRequests()).toHaveLength(MAX_STOP_HOOK_ROUNDS + 1);
    expect(events).toContainEqual({
      type: 'notice',
      message: `the Stop hooks asked the model to go on ${MAX_STOP_HOOK_ROUNDS} times already in this run; it stops here`,
    });
  });
});
