// e2e: the audit log (config `auditLog`) written by `mcpsh ask` and `mcpsh call`: one line per tool call
// with what decided it and how it ended, a hash of the arguments and never the arguments, mode 0600.
// Also autoAllowReadOnly through the real CLI, since the audit line shows what allowed the call.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { hashArgs } from '../../src/policy/audit-log.js';
import { isolatedEnv, projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

const basic = { command: process.execPath, args: [fixturePath('basic.mjs')] };
const models: ScriptedModel[] = [];
afterEach(async () => {
  await Promise.all(models.splice(0).map((m) => m.close()));
});

async function scripted(script: Step[]): Promise<ScriptedModel> {
  const model = await startScriptedModel(script, { name: 'audit e2e' });
  models.push(model);
  return model;
}

const modelEnv = (m: ScriptedModel): Record<string, string> => ({
  OPENAI_BASE_URL: m.baseURL,
  OPENAI_API_KEY: 'sk-audit-test',
  MCPSH_MODEL: 'scripted',
});

interface Line {
  time: string;
  client: string;
  server: string;
  tool: string;
  argsSha256: string;
  decision: string;
  by: string;
  rule?: string;
  outcome: string;
  durationMs: number;
}

const readLines = (file: string): Line[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

describe('audit log', () => {
  it('ask: one line per call with decision, rule, outcome and duration; the arguments only as a hash', async () => {
    const cwd = projectWithConfig({
      mcpServers: { basic },
      auditLog: true,
      permissions: { allow: ['basic__echo', 'basic__fail'], deny: ['basic__big'] },
    });
    const secretArg = { message: 'card 4111-1111-1111-1111' };
    const model = await scripted([
      {
        toolCalls: [
          { id: 'a', name: 'basic__echo', arguments: secretArg },
          { id: 'b', name: 'basic__fail', arguments: { message: 'boom' } },
          { id: 'c', name: 'basic__big', arguments: { kb: 1 } },
          { id: 'd', name: 'basic__image', arguments: {} },
        ],
      },
      { text: 'done' },
    ]);
    const r = await runCli(['ask', 'go'], { cwd, env: modelEnv(model) });
    expect(r).toMatchObject({ code: 0, stdout: 'done\n' });

    const file = join(isolatedEnv(cwd).MCPSH_STATE_DIR ?? '', 'audit.jsonl');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('4111');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readLines(file).sort((x, y) => x.tool.localeCompare(y.tool));
    expect(lines.map(({ time: _t, durationMs: _d, ...rest }) => rest)).toEqual([
      {
        client: 'ask',
        server: 'basic',
        tool: 'big',
        argsSha256: hashArgs({ kb: 1 }),
        decision: 'deny',
        by: 'rule',
        rule: 'basic__big',
        outcome: 'denied',
      },
      {
        client: 'ask',
        server: 'basic',
        tool: 'echo',
        argsSha256: hashArgs(secretArg),
        decision: 'allow',
        by: 'rule',
        rule: 'basic__echo',
        outcome: 'ok',
      },
      {
        client: 'ask',
        server: 'basic',
        tool: 'fail',
        argsSha256: hashArgs({ message: 'boom' }),
        decision: 'allow',
        by: 'rule',
        rule: 'basic__fail',
        outcome: 'error',
      },
      { client: 'ask', server: 'basic', tool: 'image', argsSha256: hashArgs({}), decision: 'deny', by: 'default', outcome: 'denied' },
    ]);
    for (const l of lines) {
      expect(Number.isNaN(Date.parse(l.time))).toBe(false);
      expect(l.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('ask --yes and autoAllowReadOnly say what allowed the call', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic }, auditLog: 'logs/audit.jsonl', permissions: { autoAllowReadOnly: true } });
    const model = await scripted([
      {
        toolCalls: [
          { id: 'a', name: 'basic__add', arguments: { a: 1, b: 2 } },
          { id: 'e', name: 'basic__echo', arguments: { message: 'x' } },
        ],
      },
      { text: 'first' },
      { toolCalls: [{ id: 'e2', name: 'basic__echo', arguments: { message: 'x' } }] },
      { text: 'second' },
    ]);
    expect((await runCli(['ask', 'one', '-o', 'json'], { cwd, env: modelEnv(model) })).code).toBe(0);
    expect((await runCli(['ask', 'two', '--yes'], { cwd, env: modelEnv(model) })).code).toBe(0);
    // A relative auditLog path is taken from the config file's directory.
    const lines = readLines(join(cwd, 'logs', 'audit.jsonl'));
    expect(lines.map((l) => [l.tool, l.decision, l.by, l.outcome])).toEqual(
      expect.arrayContaining([
        ['add', 'allow', 'readOnlyHint', 'ok'],
        ['echo', 'deny', 'default', 'denied'],
        ['echo', 'allow', 'yes', 'ok'],
      ]),
    );
    expect(lines).toHaveLength(3);
  });

  it('call: a direct call writes a line too; without auditLog nothing is written', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic }, auditLog: true });
    expect((await runCli(['call', 'basic', 'echo', '{"message":"hello"}'], { cwd })).code).toBe(0);
    expect((await runCli(['call', 'basic', 'fail', '--arg', 'message=nope'], { cwd })).code).toBe(5);
    const file = join(isolatedEnv(cwd).MCPSH_STATE_DIR ?? '', 'audit.jsonl');
    expect(readLines(file).map(({ time: _t, durationMs: _d, ...rest }) => rest)).toEqual([
      {
        client: 'call',
        server: 'basic',
        tool: 'echo',
        argsSha256: hashArgs({ message: 'hello' }),
        decision: 'allow',
        by: 'direct',
        outcome: 'ok',
      },
      {
        client: 'call',
        server: 'basic',
        tool: 'fail',
        argsSha256: hashArgs({ message: 'nope' }),
        decision: 'allow',
        by: 'direct',
        outcome: 'error',
      },
    ]);

    const off = projectWithConfig({ mcpServers: { basic } });
    expect((await runCli(['call', 'basic', 'echo', '{"message":"hello"}'], { cwd: off })).code).toBe(0);
    expect(existsSync(join(isolatedEnv(off).MCPSH_STATE_DIR ?? '', 'audit.jsonl'))).toBe(false);
  });
});
