// `mcpsh ask` as scripts run it: the built CLI against the scripted model server and real MCP servers.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScriptedModel, Step } from '../fixtures/openai/scripted-server.mjs';
import { BIN, isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv as sharedModelEnv, scriptedModels } from '../helpers/scripted-models.js';
import { waitFor } from '../helpers/processes.js';
import { withDuration } from '../helpers/time.js';

const node = process.execPath;
const basic = { command: node, args: [fixturePath('basic.mjs')] };
const models = scriptedModels('ask e2e');
const scripted = models.scripted;

afterEach(() => models.closeAll());

function project(extra: Record<string, unknown> = {}): string {
  return projectWithConfig({ mcpServers: { basic }, permissions: { allow: ['basic__echo', 'basic__add'] }, ...extra });
}

// The key that the 401 and header tests below look for.
const modelEnv = (model: ScriptedModel): Record<string, string | undefined> => sharedModelEnv(model, 'sk-test-secret-123456');

const echoThenAnswer: Step[] = [
  { toolCalls: [{ id: 'c1', name: 'basic__echo', arguments: { message: 'ping' } }], usage: { prompt_tokens: 10, completion_tokens: 5 } },
  { text: ['The server said ', 'ping.'], usage: { prompt_tokens: 20, completion_tokens: 4 } },
];

describe('mcpsh ask, text mode', () => {
  it('prints only the answer on stdout; tool activity on stderr with --verbose', async () => {
    const model = await scripted(echoThenAnswer);
    const r = await runCli(['ask', 'what does the server say?', '--verbose'], { cwd: project(), env: modelEnv(model) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('The server said ping.\n');
    expect(r.stderr).toMatch(withDuration(String.raw`^→ basic › echo \{"message":"ping"\}\n✓ basic › echo \(<duration>\)\n$`));
  });

  it('is silent on stderr when stderr is not a terminal and --verbose is not given', async () => {
    const model = await scripted(echoThenAnswer);
    const r = await runCli(['ask', 'hi'], { cwd: project(), env: modelEnv(model) });
    expect(r).toMatchObject({ code: 0, stdout: 'The server said ping.\n', stderr: '' });
  });

  it('attaches piped stdin to the prompt, and `ask -` reads the prompt from stdin', async () => {
    const model = await scripted([{ text: 'one' }, { text: 'two' }]);
    await runCli(['ask', 'summarise'], { cwd: project(), env: modelEnv(model), input: 'line from a pipe\n' });
    await runCli(['ask', '-'], { cwd: project(), env: modelEnv(model), input: 'the whole prompt\n' });
    const users = model.chatRequests().map((r) => r.body.messages.find((m) => m.role === 'user')?.content);
    expect(users[0]).toBe('summarise\n\n<stdin>\nline from a pipe\n</stdin>');
    expect(users[1]).toBe('the whole prompt');
  });

  it('sends the API key to the endpoint but never prints it', async () => {
    const model = await scripted([{ error: { status: 401, message: 'Incorrect API key provided: sk-test-secret-123456' } }]);
    const r = await runCli(['ask', 'hi', '-o', 'json'], { cwd: project(), env: modelEnv(model) });
    // A rejected key is "fix your setup": exit 3, with the fix.
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('OPENAI_API_KEY');
    expect(model.chatRequests()[0]?.headers.authorization).toBe('Bearer sk-test-secret-123456');
    expect(r.stdout + r.stderr).not.toContain('sk-test-secret-123456');
  });
});

describe('mcpsh ask --output json and stream-json', () => {
  it('json: one document with answer, tool calls, usage, turns, stop reason and exit code', async () => {
    const model = await scripted([
      {
        toolCalls: [
          { id: 'ok1', name: 'basic__echo', arguments: { message: 'a' } },
          { id: 'no1', name: 'basic__fail', arguments: { message: 'not allowed' } },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5 },
      },
      { text: 'done', usage: { prompt_tokens: 7, completion_tokens: 2 } },
    ]);
    const r = await runCli(['ask', 'go', '--output', 'json'], { cwd: project(), env: modelEnv(model) });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({
      answer: 'done',
      stopReason: 'completed',
      exitCode: 0,
      turns: 2,
      model: 'scripted-model',
      agent: null,
      usage: { inputTokens: 17, outputTokens: 7 },
    });
    expect(doc.toolCalls).toEqual([
      expect.objectContaining({
        callId: 'ok1',
        name: 'basic__echo',
        server: 'basic',
        tool: 'echo',
        args: { message: 'a' },
        status: 'ok',
        isError: false,
      }),
      expect.objectContaining({
        callId: 'no1',
        name: 'basic__fail',
        status: 'denied',
        reason: expect.stringContaining('no permission rule allows it'),
      }),
    ]);
    expect(doc.servers[0]).toMatchObject({ name: 'basic', state: 'ready' });
  });

  it('stream-json: one event per line, then a result line', async () => {
    const model = await scripted(echoThenAnswer);
    const r = await runCli(['ask', 'go', '-o', 'stream-json'], { cwd: project(), env: modelEnv(model) });
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    const types = lines.map((l) => l.type);
    expect(types[0]).toBe('turn_start');
    expect(types).toContain('tool_call');
    expect(types).toContain('tool_result');
    expect(types).toContain('text_delta');
    expect(types.at(-2)).toBe('done');
    expect(lines.at(-1)).toMatchObject({ type: 'result', answer: 'The server said ping.', exitCode: 0 });
  });

  it('--yes allows what no rule allows; --deny still wins', async () => {
    const model = await scripted([
      {
        toolCalls: [
          { id: 'f', name: 'basic__fail', arguments: { message: 'x' } },
          { id: 'e', name: 'basic__echo', arguments: { message: 'y' } },
        ],
      },
      { text: 'ok' },
    ]);
    const r = await runCli(['ask', 'go', '-o', 'json', '--yes', '--deny', 'basic__echo'], { cwd: project(), env: modelEnv(model) });
    const calls = JSON.parse(r.stdout).toolCalls;
    expect(calls[0]).toMatchObject({ callId: 'f', status: 'error' });
    expect(calls[1]).toMatchObject({ callId: 'e', status: 'denied', reason: 'denied by the permission rule "basic__echo"' });
  });
});

describe('mcpsh ask exit codes', () => {
  it('2 without a prompt', async () => {
    const r = await runCli(['ask'], { cwd: project(), env: { OPENAI_API_KEY: 'x' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mcpsh: ask needs a prompt\n/);
  });

  it('3 on a broken config', async () => {
    const r = await runCli(['ask', 'hi'], { cwd: projectWithConfig('{ "mcpServers": ') });
    expect(r.code).toBe(3);
  });

  it('4 when a required server cannot start; the model is never called', async () => {
    const model = await scripted([{ text: 'unused' }]);
    const cwd = projectWithConfig({ mcpServers: { must: { command: node, args: [fixturePath('crash-at-start.mjs')], required: true } } });
    const r = await runCli(['ask', 'hi'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/required server must could not start/);
    expect(model.chatRequests()).toHaveLength(0);
  });

  it('3 with no API key for OpenAI, saying how to set one; no server is started', async () => {
    const r = await runCli(['ask', 'hi'], { cwd: project(), env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('OPENAI_API_KEY');
    expect(r.stderr).toContain('mcpsh tools');
  });

  it('6 when the endpoint is unreachable', async () => {
    const model = await scripted([]);
    const url = model.baseURL;
    await model.close();
    const r = await runCli(['ask', 'hi'], { cwd: project(), env: { OPENAI_BASE_URL: url, OPENAI_API_KEY: 'k', MCPSH_MODEL: 'm' } });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('127.0.0.1');
  });

  it('7 when the turn limit is reached', async () => {
    const again: Step = { toolCalls: [{ name: 'basic__echo', arguments: { message: 'again' } }] };
    const model = await scripted([again, again, again]);
    const r = await runCli(['ask', 'loop', '--max-turns', '2', '-o', 'json'], { cwd: project(), env: modelEnv(model) });
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toMatchObject({ stopReason: 'max_turns', exitCode: 7, error: { code: 'TIMEOUT' } });
  });

  it('7 when the config maxTurns is reached (and --max-turns overrides it)', async () => {
    const again: Step = { toolCalls: [{ name: 'basic__echo', arguments: { message: 'again' } }] };
    const model = await scripted([again, again, { text: 'finished in two' }]);
    const cwd = project({ maxTurns: 1 });
    const limited = await runCli(['ask', 'loop'], { cwd, env: modelEnv(model) });
    expect(limited.code).toBe(7);
    expect(limited.stderr).toContain('stopped after 1 turns (maxTurns)');
    const raised = await runCli(['ask', 'loop', '--max-turns', '3'], { cwd, env: modelEnv(model) });
    expect(raised).toMatchObject({ code: 0, stdout: 'finished in two\n' });
  });

  it('7 when --timeout passes', async () => {
    const model = await scripted([{ hang: true, text: 'thinking' }]);
    const r = await runCli(['ask', 'slow', '--timeout', '0.5'], { cwd: project(), env: modelEnv(model) });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('--timeout');
  });

  it('130 on SIGINT, and the servers are gone', async () => {
    const model = await scripted([{ hang: true, text: 'thinking' }]);
    const cwd = project();
    const child = spawn(node, [BIN, 'ask', 'wait'], {
      cwd,
      env: { ...process.env, ...isolatedEnv(cwd), ...modelEnv(model) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    await waitFor(() => stdout.includes('thinking'), { timeoutMs: 10_000 });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
  });

  it('--server limits which servers start; an unknown one is a usage error', async () => {
    const model = await scripted([{ text: 'ok' }]);
    const cwd = projectWithConfig({ mcpServers: { basic, hang: { command: node, args: [fixturePath('hang-on-initialize.mjs')] } } });
    const r = await runCli(['ask', 'hi', '--server', 'basic', '-o', 'json'], { cwd, env: modelEnv(model), timeoutMs: 10_000 });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).servers.map((s: { name: string }) => s.name)).toEqual(['basic']);
    const bad = await runCli(['ask', 'hi', '--server', 'basci'], { cwd, env: modelEnv(model) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean "basic"?');
  });

  it('--agent uses the profile instructions and its server subset', async () => {
    const model = await scripted([{ text: 'ok' }]);
    const cwd = projectWithConfig({
      mcpServers: { basic, other: { command: node, args: [fixturePath('paginated.mjs')] } },
      agents: { helper: { instructions: 'You are the helper profile.', servers: ['basic'] } },
    });
    const r = await runCli(['ask', 'hi', '--agent', 'helper', '-o', 'json'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(0);
    const sent = model.chatRequests()[0]!.body;
    expect(String(sent.messages[0]?.content)).toContain('You are the helper profile.');
    expect(sent.tools?.every((t) => t.function.name.startsWith('basic__'))).toBe(true);
    expect(JSON.parse(r.stdout).agent).toBe('helper');
  });
});

describe('remembered tool lists', () => {
  it('a server that is slow to start does not hold up the first model request once its tools are known', async () => {
    const cwd = projectWithConfig({
      mcpServers: { maybe: { command: node, args: ['maybe-hang.mjs'], cwd: '.', connectTimeout: 60 } },
      permissions: { allow: ['maybe__*'] },
    });
    // Serves like basic.mjs, unless a HANG file exists: then it never answers initialize.
    writeFileSync(
      join(cwd, 'maybe-hang.mjs'),
      `import { existsSync } from 'node:fs';\nif (existsSync('HANG')) { process.stdin.resume(); setInterval(() => {}, 1000); } else { await import(${JSON.stringify(fixturePath('basic.mjs'))}); }\n`,
    );
    const warm = await runCli(['tools', 'maybe'], { cwd });
    expect(warm.stdout).toContain('maybe__echo');

    writeFileSync(join(cwd, 'HANG'), '');
    const model = await scripted([{ text: 'answered without waiting' }]);
    const r = await runCli(['ask', 'hi', '-o', 'json'], { cwd, env: modelEnv(model), timeoutMs: 15_000 });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ answer: 'answered without waiting', servers: [{ name: 'maybe', state: 'connecting' }] });
    expect(model.chatRequests()[0]!.body.tools?.map((t) => t.function.name)).toContain('maybe__echo');
  });
});
