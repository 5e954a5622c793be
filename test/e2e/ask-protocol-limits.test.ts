// The built CLI with the protocol's limits and extras: sampling's maxTokens and usage in `ask`, `--timeout`
// cutting a hanging sampling request short, the resourceTool switch, and maxCallTime in `call`.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Step } from '../fixtures/openai/scripted-server.mjs';
import { EVERYTHING } from '../helpers/config.js';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';
import { isAlive, waitFor } from '../helpers/processes.js';

const node = process.execPath;
const models = scriptedModels('ask protocol limits e2e');
const scripted = models.scripted;

afterEach(() => models.closeAll());

const sample: Step = {
  toolCalls: [{ id: 'c1', name: 'everything__trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 10 } }],
  usage: { prompt_tokens: 100, completion_tokens: 20 },
};

describe('mcpsh ask: sampling limits and usage', () => {
  it('the request maxTokens reaches the model (the smaller of it and maxOutputTokens); sampling usage is reported apart in -o json', async () => {
    const model = await scripted([
      sample,
      { text: 'hi', usage: { prompt_tokens: 7, completion_tokens: 3 } },
      { text: 'Sampled.', usage: { prompt_tokens: 200, completion_tokens: 5 } },
    ]);
    const cwd = projectWithConfig({
      model: { maxOutputTokens: 500 },
      mcpServers: { everything: { command: node, args: [EVERYTHING, 'stdio'] } },
      permissions: { allow: ['everything__*'], sampling: ['everything'] },
    });
    const r = await runCli(['ask', 'sample please', '-o', 'json'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(0);
    const [agent, sampling, last] = model
      .chatRequests()
      .map((req) => req.body as { max_tokens?: number; max_completion_tokens?: number; tools?: unknown[] });
    expect(sampling?.max_tokens).toBe(10);
    expect(sampling?.tools).toBeUndefined();
    expect(agent?.max_tokens).toBe(500);
    expect(last?.max_tokens).toBe(500);
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary.usage).toEqual({ inputTokens: 300, outputTokens: 25 });
    expect(summary.samplingUsage).toEqual({ requests: 1, inputTokens: 7, outputTokens: 3 });
    // Next to usage, and the other fields are where they were.
    expect(Object.keys(summary)).toEqual([
      'answer',
      'stopReason',
      'exitCode',
      'turns',
      'toolCalls',
      'usage',
      'samplingUsage',
      'model',
      'agent',
      'servers',
    ]);
  });

  it('--timeout cuts a hanging sampling request short: exit 7, a note says so, and no server process is left', async () => {
    const model = await scripted([sample, { hang: 'before-headers' }]);
    const pidFile = join(mkdtempSync(join(tmpdir(), 'mcpsh-sampling-pid-')), 'server.pid');
    // $$$$: the config reads $$ as a literal $, so the shell gets $$ (its own pid, kept by exec).
    const cwd = projectWithConfig({
      mcpServers: { everything: { command: 'sh', args: ['-c', `echo $$$$ > '${pidFile}'; exec '${node}' '${EVERYTHING}' stdio`] } },
      permissions: { allow: ['everything__*'], sampling: ['everything'] },
    });
    const r = await runCli(['ask', 'sample please', '--timeout', '3'], { cwd, env: modelEnv(model) });
    expect(r.code).toBe(7);
    expect(model.chatRequests()).toHaveLength(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean).sort()).toEqual([
      '  hint: raise --timeout, or ask for less at once',
      'mcpsh: note: sampling for server everything failed: cut short: the run timed out',
      'mcpsh: note: server everything asked the model for a completion (sampling); allowed by its config',
      'mcpsh: the run took longer than its --timeout',
    ]);
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => !isAlive(pid), { timeoutMs: 3000, what: 'the server process to be gone' });
  });
});

describe('mcpsh ask: resourceTool', () => {
  const paged = { command: node, args: [fixturePath('paged-resources.mjs')] };

  it('with resourceTool the model reads a resource through mcpsh_read_resource; without it the tool is not offered', async () => {
    const model = await scripted([
      { toolCalls: [{ id: 'r1', name: 'mcpsh_read_resource', arguments: { server: 'paged', uri: 'fixture://res/03' } }] },
      { text: 'It says: content of res_03' },
      { text: 'plain' },
    ]);
    const on = projectWithConfig({ resourceTool: true, mcpServers: { paged }, permissions: { allow: ['mcpsh_read_resource'] } });
    const r = await runCli(['ask', 'what is in res 03?', '-o', 'json'], { cwd: on, env: modelEnv(model) });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as { answer: string; toolCalls: Array<Record<string, unknown>> };
    expect(summary.answer).toBe('It says: content of res_03');
    expect(summary.toolCalls).toMatchObject([
      { name: 'mcpsh_read_resource', server: 'mcpsh', tool: 'read_resource', status: 'ok', isError: false },
    ]);
    const tool = model.chatRequests()[1]?.body.messages.find((m) => m.role === 'tool');
    expect(tool?.content).toBe('[resource fixture://res/03 (text/plain)]\ncontent of res_03');

    const off = projectWithConfig({ mcpServers: { paged }, permissions: { allow: ['mcpsh_read_resource'] } });
    expect((await runCli(['ask', 'plain question'], { cwd: off, env: modelEnv(model) })).code).toBe(0);
    const names = ((model.chatRequests()[2]?.body as { tools?: Array<{ function: { name: string } }> }).tools ?? []).map(
      (t) => t.function.name,
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain('mcpsh_read_resource');
    expect(
      (model.chatRequests()[0]?.body as { tools?: Array<{ function: { name: string } }> }).tools?.map((t) => t.function.name),
    ).toContain('mcpsh_read_resource');
  });
});

describe('mcpsh call: maxCallTime', () => {
  it('a call that reports progress forever ends at maxCallTime with exit 7, saying which limit and how to raise it', async () => {
    const cwd = projectWithConfig({
      mcpServers: { ticker: { command: node, args: [fixturePath('max-call-time.mjs')], callTimeout: 1, maxCallTime: 2 } },
    });
    const r = await runCli(['call', 'ticker', 'forever', '{}'], { cwd });
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'mcpsh: ticker › forever exceeded maxCallTime (2s) despite reporting progress, so it was cancelled\n' +
        '  hint: raise maxCallTime (seconds, the most one call may take in total) for server ticker in the config; callTimeout only bounds the silence between progress reports\n',
    );
  });
});
