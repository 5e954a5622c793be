// The hook runner with real commands (sh -c, the fixture hook): the JSON hooks get, what their exits and output
// decide, the `hook` events reported, and the bounds: a hook that hangs is killed with what it started, and the run goes on.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../../src/agent/events.js';
import type { HookSet, HooksConfig } from '../../../src/config/hooks-schema.js';
import { HookRunner } from '../../../src/hooks/runner.js';
import { hookCommand, type HookLogLine } from '../../helpers/hooks.js';
import { waitFor } from '../../helpers/processes.js';
import { scaled } from '../../helpers/time.js';

const call = { callId: 'call_1', name: 'files__write', server: 'files', tool: 'write', args: { path: 'a.txt' } };

function setup(
  hooks: HooksConfig,
  scope: HookSet['scope'] = 'user',
): { runner: HookRunner; events: AgentEvent[]; emit: (e: AgentEvent) => void; log: () => HookLogLine[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-hooks-'));
  const logFile = join(dir, 'hook-log.jsonl');
  const runner = new HookRunner([{ source: join(dir, 'config.json'), scope, hooks }], {
    projectDir: dir,
    env: { ...process.env, HOOK_LOG: logFile },
    sessionId: 'sess-1',
  });
  const events: AgentEvent[] = [];
  const log = (): HookLogLine[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as HookLogLine)
      : [];
  return { runner, events, emit: (e) => events.push(e), log, dir };
}

const signal = new AbortController().signal;
const cmd = (command: string, timeout?: number) => ({ type: 'command' as const, command, ...(timeout !== undefined ? { timeout } : {}) });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('hook runner', () => {
  it("PreToolUse gets Claude Code's fields on stdin, runs in the project directory with its variables, and exit 0 lets the call go", async () => {
    const { runner, events, emit, log, dir } = setup({ PreToolUse: [{ matcher: 'files__*', hooks: [cmd(hookCommand('allow'))] }] });
    expect(await runner.preToolUse(call, emit, signal)).toBeUndefined();
    expect(events).toEqual([]);
    const [line] = log();
    expect(line?.input).toEqual({
      session_id: 'sess-1',
      cwd: dir,
      hook_event_name: 'PreToolUse',
      tool_name: 'files__write',
      tool_input: { path: 'a.txt' },
      tool_use_id: 'call_1',
      server: 'files',
      tool: 'write',
    });
    expect(line?.cwd).toBe(dir);
    expect(line?.env).toEqual({ MCPSH_PROJECT_DIR: dir, CLAUDE_PROJECT_DIR: dir });
  });

  it('exit 2 blocks with stderr as the reason, reported as a hook event for the call', async () => {
    const { runner, events, emit } = setup({ PreToolUse: [{ hooks: [cmd(hookCommand('exit', '2', 'writes are frozen'))] }] });
    expect(await runner.preToolUse(call, emit, signal)).toBe('writes are frozen');
    expect(events).toEqual([
      {
        type: 'hook',
        event: 'PreToolUse',
        outcome: 'block',
        reason: 'writes are frozen',
        command: expect.stringContaining('hook.mjs') as string,
        callId: 'call_1',
      },
    ]);
  });

  it('a JSON decision on stdout blocks too; several hooks run and their reasons add up', async () => {
    const deny = JSON.stringify({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'protected file' },
    });
    const { runner, events, emit } = setup({
      PreToolUse: [
        {
          matcher: 'mcp__files__write',
          hooks: [cmd(hookCommand('json', '{"decision":"block","reason":"first"}')), cmd(hookCommand('json', deny))],
        },
      ],
    });
    const reason = await runner.preToolUse(call, emit, signal);
    expect(reason?.split('\n\n').sort()).toEqual(['first', 'protected file']);
    expect(events.filter((e) => e.type === 'hook')).toHaveLength(2);
  });

  it('a matcher that does not match runs nothing', async () => {
    const { runner, emit, log } = setup({ PreToolUse: [{ matcher: 'db__.*', hooks: [cmd(hookCommand('exit', '2', 'no'))] }] });
    expect(await runner.preToolUse(call, emit, signal)).toBeUndefined();
    expect(log()).toEqual([]);
  });

  it('another exit code is an error: noted, never a block', async () => {
    const { runner, events, emit } = setup({ PreToolUse: [{ hooks: [cmd(hookCommand('exit', '1', 'crashed'))] }] });
    expect(await runner.preToolUse(call, emit, signal)).toBeUndefined();
    expect(events).toMatchObject([
      { type: 'hook', event: 'PreToolUse', outcome: 'error', reason: 'exited with code 1: crashed', callId: 'call_1' },
    ]);
  });

  it('a hook past its timeout is killed with the process it started, reported, and the call goes on', async () => {
    const { runner, events, emit, dir } = setup({ PreToolUse: [{ hooks: [cmd(hookCommand('hang', 'pids.txt'), scaled(1500) / 1000)] }] });
    expect(await runner.preToolUse(call, emit, signal)).toBeUndefined();
    expect(events).toMatchObject([
      { type: 'hook', outcome: 'error', reason: expect.stringMatching(/^did not finish within .*s and was stopped$/) as string },
    ]);
    const pids = readFileSync(join(dir, 'pids.txt'), 'utf8').split(' ').map(Number);
    expect(pids).toHaveLength(2);
    for (const pid of pids) await waitFor(() => !alive(pid), { timeoutMs: 5000, what: `hook process ${pid} to be gone` });
  });

  it('cancelling the run kills a running hook at once and decides nothing', async () => {
    const { runner, events, emit, dir } = setup({ PreToolUse: [{ hooks: [cmd(hookCommand('hang', 'pids.txt'))] }] });
    const controller = new AbortController();
    const pending = runner.preToolUse(call, emit, controller.signal);
    await waitFor(() => existsSync(join(dir, 'pids.txt')) && readFileSync(join(dir, 'pids.txt'), 'utf8').includes(' '), {
      timeoutMs: 5000,
      what: 'the hook to start',
    });
    controller.abort();
    expect(await pending).toBeUndefined();
    expect(events).toEqual([]);
    const pids = readFileSync(join(dir, 'pids.txt'), 'utf8').split(' ').map(Number);
    for (const pid of pids) await waitFor(() => !alive(pid), { timeoutMs: 5000, what: `hook process ${pid} to be gone` });
  });

  it('PostToolUse sees the result; its block reason and added context are for the model', async () => {
    const ctx = JSON.stringify({
      hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: 'remember to run the formatter' },
    });
    const { runner, emit, log } = setup({
      PostToolUse: [{ hooks: [cmd(hookCommand('exit', '2', 'the file has lint errors')), cmd(hookCommand('json', ctx))] }],
    });
    const response = { content: [{ type: 'text', text: 'wrote 3 bytes' }], isError: false };
    const said = await runner.postToolUse(call, response, emit, signal);
    expect(said).toBe('the file has lint errors\n\nremember to run the formatter');
    expect(log().map((l) => l.input.tool_response)).toEqual([response, response]);
  });

  it('UserPromptSubmit: exit 2 blocks the prompt; stdout adds context; the prompt is on stdin', async () => {
    const blocking = setup({ UserPromptSubmit: [{ hooks: [cmd(hookCommand('exit', '2', 'no secrets in prompts'))] }] });
    expect(await blocking.runner.userPromptSubmit('my password is hunter2', blocking.emit, signal)).toEqual({
      blocked: 'no secrets in prompts',
    });
    expect(blocking.log()[0]?.input).toMatchObject({ hook_event_name: 'UserPromptSubmit', prompt: 'my password is hunter2' });
    const adding = setup({ UserPromptSubmit: [{ hooks: [cmd(hookCommand('print', 'the sprint ends Friday'))] }] });
    expect(await adding.runner.userPromptSubmit('plan my week', adding.emit, signal)).toEqual({ context: 'the sprint ends Friday' });
  });

  it('SessionStart: the source on stdin, stdout as context; Stop: stop_hook_active and the last answer', async () => {
    const { runner, emit, log } = setup({
      SessionStart: [{ hooks: [cmd(hookCommand('print', 'on branch main'))] }],
      Stop: [{ hooks: [cmd(hookCommand('stop-once', 'run the tests first'))] }],
    });
    expect(await runner.sessionStart('startup', emit, signal)).toBe('on branch main');
    expect(await runner.stop(false, 'all done', emit, signal)).toBe('run the tests first');
    expect(await runner.stop(true, 'really done', emit, signal)).toBeUndefined();
    expect(log().map((l) => l.input)).toMatchObject([
      { hook_event_name: 'SessionStart', source: 'startup' },
      { hook_event_name: 'Stop', stop_hook_active: false, last_assistant_message: 'all done' },
      { hook_event_name: 'Stop', stop_hook_active: true, last_assistant_message: 'really done' },
    ]);
  });

  it('the same command from two sets runs once; a systemMessage becomes a notice', async () => {
    const command = hookCommand('json', '{"systemMessage":"checked by the policy"}');
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-hooks-'));
    const logFile = join(dir, 'log.jsonl');
    const sets: HookSet[] = [
      { source: 'managed', scope: 'managed', hooks: { PreToolUse: [{ hooks: [cmd(command)] }] } },
      { source: 'user', scope: 'user', hooks: { PreToolUse: [{ matcher: 'files__write', hooks: [cmd(command)] }] } },
    ];
    const runner = new HookRunner(sets, { projectDir: dir, env: { ...process.env, HOOK_LOG: logFile } });
    const events: AgentEvent[] = [];
    await runner.preToolUse(call, (e) => events.push(e), signal);
    expect(readFileSync(logFile, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(events).toEqual([{ type: 'notice', message: 'PreToolUse hook: checked by the policy' }]);
    expect(runner.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
