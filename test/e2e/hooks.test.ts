// e2e: hooks with the built CLI: `ask -o json` and stream-json record each decision and reason, a blocked call's
// reason reaches the model, a blocked prompt exits DENIED, a failing or hanging hook is a note and the run goes on,
// user-file hooks always run, and an untrusted project config's hooks never run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AskSummary } from '../../src/output/ask-printers.js';
import { isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { DENY_RM_SH, hookCommand, shellWord } from '../helpers/hooks.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const basic = { command: process.execPath, args: [fixturePath('basic.mjs')] };
const models = scriptedModels('hooks e2e');
afterEach(() => models.closeAll());

const cmd = (command: string, timeout?: number) => ({ type: 'command', command, ...(timeout !== undefined ? { timeout } : {}) });

describe('hooks in mcpsh ask', () => {
  it('-o json: a PreToolUse block (sh script, exit 2) is in the call record and the hooks list, and its reason reaches the model', async () => {
    const cwd = projectWithConfig({
      mcpServers: { basic },
      permissions: { allow: ['basic__*'] },
      hooks: { PreToolUse: [{ matcher: 'mcp__basic__echo', hooks: [cmd(shellWord(DENY_RM_SH))] }] },
    });
    const model = await models.scripted([
      {
        toolCalls: [
          { id: 'a', name: 'basic__echo', arguments: { message: 'rm -rf /' } },
          { id: 'b', name: 'basic__echo', arguments: { message: 'hello' } },
        ],
      },
      { text: 'done' },
    ]);
    const r = await runCli(['ask', 'go', '-o', 'json'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as AskSummary;
    const decision = { event: 'PreToolUse', outcome: 'block', reason: 'no recursive deletes here', command: shellWord(DENY_RM_SH) };
    expect(summary.toolCalls).toMatchObject([
      { callId: 'a', status: 'denied', reason: 'blocked by a PreToolUse hook: no recursive deletes here', hooks: [decision] },
      { callId: 'b', status: 'ok' },
    ]);
    expect(summary.toolCalls[1]?.hooks).toBeUndefined();
    expect(summary.hooks).toEqual([{ ...decision, callId: 'a' }]);
    const toolMessages = model.chatRequests()[1]?.body.messages.filter((m) => m.role === 'tool') ?? [];
    expect(toolMessages.map((m) => m.content)).toEqual(['A PreToolUse hook blocked this call: no recursive deletes here', 'hello']);
    // The call it let through: the script ran in the project directory and saw the call's input.
    expect(JSON.parse(readFileSync(join(cwd, 'hook-seen.txt'), 'utf8'))).toMatchObject({
      hook_event_name: 'PreToolUse',
      tool_name: 'basic__echo',
      tool_input: { message: 'hello' },
      cwd,
    });
  });

  it('stream-json: each decision is an event line; PostToolUse sees the result', async () => {
    const cwd = projectWithConfig({
      mcpServers: { basic },
      permissions: { allow: ['basic__*'] },
      hooks: {
        PostToolUse: [{ matcher: 'basic__*', hooks: [cmd(hookCommand('json', '{"decision":"block","reason":"result checked"}'))] }],
      },
    });
    const model = await models.scripted([
      { toolCalls: [{ id: 'a', name: 'basic__echo', arguments: { message: 'hi' } }] },
      { text: 'done' },
    ]);
    const r = await runCli(['ask', 'go', '-o', 'stream-json'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l.type === 'hook')).toEqual([
      {
        type: 'hook',
        event: 'PostToolUse',
        outcome: 'block',
        reason: 'result checked',
        command: expect.any(String) as string,
        callId: 'a',
      },
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', hooks: [{ event: 'PostToolUse', outcome: 'block', callId: 'a' }] });
    const tool = model.chatRequests()[1]?.body.messages.find((m) => m.role === 'tool');
    expect(JSON.stringify(tool?.content)).toContain('PostToolUse hook: result checked');
  });

  it('a UserPromptSubmit block exits 8 (DENIED) with the reason; the model is never asked', async () => {
    const cwd = projectWithConfig({
      hooks: { UserPromptSubmit: [{ hooks: [cmd(hookCommand('exit', '2', 'no production data in prompts'))] }] },
    });
    const model = await models.scripted([{ text: 'never' }]);
    const r = await runCli(['ask', 'summarise prod'], { cwd, env: modelEnv(model) });
    expect(r).toMatchObject({ code: 8, stdout: '' });
    expect(r.stderr).toContain('mcpsh: a UserPromptSubmit hook blocked the prompt: no production data in prompts\n');
    expect(model.chatRequests()).toHaveLength(0);
  });

  it("the user file's hooks run; a hook that hangs or fails is a note on stderr and the run goes on", async () => {
    const cwd = projectWithConfig({ mcpServers: { basic }, permissions: { allow: ['basic__*'] } });
    const userConfig = join(isolatedEnv(cwd).MCPSH_CONFIG_DIR ?? '', 'config.json');
    writeFileSync(
      userConfig,
      JSON.stringify({
        hooks: {
          PreToolUse: [{ hooks: [cmd(hookCommand('hang', join(cwd, 'pids.txt')), 1), cmd(hookCommand('exit', '1', 'lint crashed'))] }],
        },
      }),
    );
    const model = await models.scripted([
      { toolCalls: [{ id: 'a', name: 'basic__echo', arguments: { message: 'hi' } }] },
      { text: 'answered anyway' },
    ]);
    const r = await runCli(['ask', 'go'], { cwd, env: modelEnv(model) });
    expect(r).toMatchObject({ code: 0, stdout: 'answered anyway\n' });
    expect(r.stderr).toMatch(/mcpsh: note: PreToolUse hook ".*hook\.mjs' 'hang' .*" failed: did not finish within 1s and was stopped\n/);
    expect(r.stderr).toMatch(/mcpsh: note: PreToolUse hook ".*" failed: exited with code 1: lint crashed\n/);
    expect(model.chatRequests()[1]?.body.messages.find((m) => m.role === 'tool')?.content).toBe('hi');
  });

  it("an untrusted project config's hooks never run; trusted, the same hooks do", async () => {
    const marker = (cwd: string): string => join(cwd, 'hook-ran.jsonl');
    const cwd = projectWithConfig({});
    const config = {
      hooks: { SessionStart: [{ hooks: [cmd(hookCommand('allow'))] }], UserPromptSubmit: [{ hooks: [cmd(hookCommand('allow'))] }] },
    };
    writeFileSync(join(cwd, 'mcp.config.json'), JSON.stringify(config));
    const model = await models.scripted([{ text: 'hello' }]);
    const env = { ...modelEnv(model), HOOK_LOG: marker(cwd) };
    const untrusted = await runCli(['ask', 'hi'], { cwd, env: { ...env, MCPSH_TRUST: undefined } });
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain('is a project config you have not trusted yet');
    expect(existsSync(marker(cwd))).toBe(false);
    expect(model.chatRequests()).toHaveLength(0);

    const trusted = await runCli(['ask', 'hi'], { cwd, env });
    expect(trusted).toMatchObject({ code: 0, stdout: 'hello\n' });
    const ran = readFileSync(marker(cwd), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { input: { hook_event_name: string } }).input.hook_event_name);
    expect(ran).toEqual(['SessionStart', 'UserPromptSubmit']);
  });
});
