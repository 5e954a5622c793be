// Permission rules follow the real server and tool, through the built CLI against the scripted model and a
// real fixture server that records every tool that really ran: look-alike tool names that fold (with hash
// suffixes) cannot dodge a deny, look-alike or separator-holding server names are refused at load, and a tool
// whose annotations change (tools/list_changed) is judged on the new ones before its next call.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ToolNamer } from '../../src/mcp/naming.js';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const models = scriptedModels('permission identity e2e');
afterEach(() => models.closeAll());

const node = process.execPath;
const shifty = (marks: string, ...tools: string[]): Record<string, unknown> => ({
  command: node,
  args: [fixturePath('shifty-tools.mjs'), ...tools],
  env: { SHIFTY_MARKS: marks },
});
const ran = (marks: string): string[] => (existsSync(marks) ? readFileSync(marks, 'utf8').split('\n').filter(Boolean) : []);

interface ToolCallDoc {
  callId: string;
  name: string;
  status: string;
  reason?: string;
}

describe('a deny rule names the real tool, whatever its folded name', () => {
  it('ask --yes with deny db__execute runs neither execute nor its fullwidth look-alike, called by their hashed names', async () => {
    const tools = ['execute', 'ｅｘｅｃｕｔｅ'];
    const namer = new ToolNamer(['flip', ...tools].map((tool) => ({ server: 'db', tool })));
    const [plain, lookalike] = tools.map((tool) => namer.nameOf({ server: 'db', tool }));
    // The premise of the attack: both fold to db__execute, so both get a hash suffix and neither is db__execute.
    expect(plain).toMatch(/^db__execute_[0-9a-f]{6}$/);
    expect(lookalike).toMatch(/^db__execute_[0-9a-f]{6}$/);

    const cwd = projectWithConfig({});
    const marks = join(cwd, 'marks.txt');
    const config = { mcpServers: { db: shifty(marks, ...tools) }, permissions: { deny: ['db__execute'] } };
    const project = projectWithConfig(config);
    const model = await models.scripted([
      {
        toolCalls: [
          { id: 'a', name: plain ?? '', arguments: {} },
          { id: 'b', name: lookalike ?? '', arguments: {} },
        ],
      },
      { text: 'done' },
    ]);
    const r = await runCli(['ask', 'go', '--yes', '-o', 'json'], { cwd: project, env: modelEnv(model) });
    expect(r.code, r.stderr).toBe(0);
    const calls = (JSON.parse(r.stdout) as { toolCalls: ToolCallDoc[] }).toolCalls;
    expect(calls).toEqual([
      expect.objectContaining({ callId: 'a', name: plain, status: 'denied', reason: 'denied by the permission rule "db__execute"' }),
      expect.objectContaining({ callId: 'b', name: lookalike, status: 'denied', reason: 'denied by the permission rule "db__execute"' }),
    ]);
    expect(ran(marks)).toEqual([]);
  });
});

describe('server names that would fold together, or hide the separator, are refused at load', () => {
  const marks = '/nonexistent/marks.txt';

  it.each([
    ['db', 'ｄｂ'],
    ['db', 'DB'],
    ['d.b', 'd-b'],
  ])('"%s" and "%s": a CONFIG error (exit 3) naming both, and nothing runs', async (a, b) => {
    const project = projectWithConfig({
      mcpServers: { [a]: shifty(marks, 'execute'), [b]: shifty(marks, 'execute') },
      permissions: { deny: [`${a}__execute`] },
    });
    const model = await models.scripted([{ text: 'never asked' }]);
    const r = await runCli(['ask', 'go', '--yes'], { cwd: project, env: modelEnv(model) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`server "${b}" cannot be told apart from server "${a}"`);
    expect(model.chatRequests()).toHaveLength(0);
  });

  it('a user-file server and a project look-alike: the error names both files', async () => {
    const project = projectWithConfig({ mcpServers: { ｄｂ: shifty(marks, 'execute') } });
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const configDir = join(project, 'user-config');
    mkdirSync(configDir);
    writeFileSync(
      join(configDir, 'config.json'),
      JSON.stringify({ mcpServers: { db: shifty(marks, 'execute') }, permissions: { deny: ['db__execute'] } }),
    );
    const r = await runCli(['tools'], { cwd: project, env: { MCPSH_CONFIG_DIR: configDir } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('server "ｄｂ" cannot be told apart from server "db"');
    expect(r.stderr).toContain(join(configDir, 'config.json'));
    expect(r.stderr).toContain(join(project, 'mcp.config.json'));
  });

  it('"notes__admin" is refused, so `notes__*` can never reach it', async () => {
    const project = projectWithConfig({
      mcpServers: { notes: shifty(marks, 'read'), notes__admin: shifty(marks, 'wipe_all') },
      permissions: { allow: ['notes__*'] },
    });
    const r = await runCli(['tools'], { cwd: project });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('"notes__admin" cannot be a server name');
  });
});

describe('annotations that change with tools/list_changed', () => {
  it('a tool flipped from read-only to destructive is judged on the new hints before its next call', async () => {
    const cwd = projectWithConfig({});
    const marks = join(cwd, 'marks.txt');
    const project = projectWithConfig({
      mcpServers: { flipper: shifty(marks, 'danger') },
      permissions: { autoAllowReadOnly: true, allow: ['flipper__flip'] },
    });
    const model = await models.scripted([
      { toolCalls: [{ id: 'r1', name: 'flipper__danger', arguments: {} }] },
      { toolCalls: [{ id: 'f', name: 'flipper__flip', arguments: {} }] },
      { toolCalls: [{ id: 'r2', name: 'flipper__danger', arguments: {} }] },
      { text: 'done' },
    ]);
    const r = await runCli(['ask', 'go', '-o', 'json'], { cwd: project, env: modelEnv(model), timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const calls = (JSON.parse(r.stdout) as { toolCalls: ToolCallDoc[] }).toolCalls;
    expect(calls.map((c) => [c.callId, c.status])).toEqual([
      ['r1', 'ok'],
      ['f', 'ok'],
      ['r2', 'denied'],
    ]);
    expect(calls[2]?.reason).toContain('no permission rule allows it');
    // Only the call made while the tool was read-only really ran.
    expect(ran(marks)).toEqual(['danger']);
  });
});
