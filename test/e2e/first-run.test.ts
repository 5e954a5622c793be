// A newcomer's first run, with the built CLI: no config at all (ask and the chat work on the model alone),
// another host's project file found without -c (.mcp.json, .vscode/mcp.json with its inputs), and `init`'s
// printed next steps, each run exactly as printed.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, isolatedEnv, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { KEYS, spawnCliInPty, type PtySession } from '../helpers/pty.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const models = scriptedModels('first-run e2e');
const ptys: PtySession[] = [];
afterEach(async () => {
  for (const p of ptys.splice(0)) await p.kill();
  await models.closeAll();
});

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'mcpsh-first-run-'));
const basic = { command: process.execPath, args: [fixturePath('basic.mjs')] };
/** Runs that rely on recorded trust only (runCli trusts the temp project by default). */
const UNTRUSTED = { MCPSH_TRUST: undefined };

function chatIn(cwd: string, env: Record<string, string | undefined>): PtySession {
  const base = { ...process.env, OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined, MCPSH_MODEL: undefined, NO_COLOR: undefined };
  const pty = spawnCliInPty([], { cwd, env: { ...base, ...isolatedEnv(cwd), ...env } });
  ptys.push(pty);
  return pty;
}

describe('no config anywhere', () => {
  it('ask answers with the model alone', async () => {
    const model = await models.scripted([{ text: 'hello from the model' }]);
    const r = await runCli(['ask', 'hi'], { cwd: emptyDir(), env: modelEnv(model) });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello from the model\n');
    expect(r.code).toBe(0);
    expect(model.chatRequests()[0]?.body.tools ?? []).toEqual([]);
  });

  it('the chat opens with zero servers and says how to add one', async () => {
    const model = await models.scripted([{ text: 'model only here' }]);
    const pty = chatIn(emptyDir(), modelEnv(model));
    await pty.waitForText('no MCP servers configured', { in: 'all' });
    await pty.waitForText('mcpsh mcp add NAME -- COMMAND', { in: 'all' });
    await pty.waitForText(/servers 0\/0/);
    await pty.type('hi', KEYS.enter);
    await pty.waitForText('model only here');
    pty.write(KEYS.ctrlD);
    expect((await pty.exited).exitCode).toBe(0);
  });

  it('commands that need servers keep the error, with the same hint', async () => {
    for (const command of [['tools'], ['servers'], ['doctor']]) {
      const r = await runCli(command, { cwd: emptyDir() });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('no config found');
      expect(r.stderr).toContain('`mcpsh mcp add NAME -- COMMAND [ARGS...]`');
    }
  });
});

describe("other hosts' project files, without -c", () => {
  it('a project with only .mcp.json (Claude Code)', async () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, '.mcp.json'), JSON.stringify({ mcpServers: { claude: basic } }));
    mkdirSync(join(cwd, 'src'));
    const r = await runCli(['tools'], { cwd: join(cwd, 'src') });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('claude__echo');
    expect(r.code).toBe(0);
  });

  it('a project with only .vscode/mcp.json: servers, type, ${workspaceFolder}, ${env:…}, ${input:…} from MCPSH_INPUT_<ID>', async () => {
    const cwd = emptyDir();
    mkdirSync(join(cwd, '.vscode'));
    writeFileSync(
      join(cwd, '.vscode', 'mcp.json'),
      `{
  // as VS Code writes it
  "inputs": [{ "id": "token", "type": "promptString", "description": "Token", "password": true }],
  "servers": { "code": { "type": "stdio", "command": ${JSON.stringify(process.execPath)}, "args": [${JSON.stringify(fixturePath('basic.mjs'))}],
    "cwd": "\${workspaceFolder}", "env": { "T": "\${input:token}", "E": "\${env:FIRST_RUN_E}" } } }
}`,
    );
    const missing = await runCli(['tools'], { cwd, env: { FIRST_RUN_E: 'e' } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`invalid config in ${join(cwd, '.vscode', 'mcp.json')}`);
    expect(missing.stderr).toContain('input "token" (${input:token}) has no value: set MCPSH_INPUT_TOKEN');
    expect(missing.stderr).not.toContain('log');
    const r = await runCli(['tools'], { cwd, env: { FIRST_RUN_E: 'e', MCPSH_INPUT_TOKEN: 'sk-typed-secret' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('code__echo');
    expect(r.code).toBe(0);
  });

  it("an unset variable in a server's entry points at the config file, not the server's log", async () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, '.mcp.json'), JSON.stringify({ mcpServers: { claude: { ...basic, env: { T: '${FIRST_RUN_UNSET}' } } } }));
    const r = await runCli(['call', 'claude', 'echo', '{"message":"x"}'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('uses ${FIRST_RUN_UNSET}, which is not set');
    expect(r.stderr).toContain(`hint: fix its entry in ${join(cwd, '.mcp.json')}`);
    expect(r.stderr).not.toContain('log');
  });

  it('the chat asks a .vscode/mcp.json input before servers start, without echoing a password', async () => {
    const cwd = emptyDir();
    mkdirSync(join(cwd, '.vscode'));
    writeFileSync(
      join(cwd, '.vscode', 'mcp.json'),
      JSON.stringify({
        inputs: [{ id: 'token', type: 'promptString', description: 'The service token', password: true }],
        servers: { code: { ...basic, type: 'stdio', env: { T: '${input:token}' } } },
      }),
    );
    const model = await models.scripted([{ text: 'unused' }]);
    const pty = chatIn(cwd, { ...modelEnv(model), MCPSH_TRUST: '1' });
    await pty.waitForText('The service token', { in: 'all' });
    await pty.waitForText('token (hidden):', { in: 'all' });
    await pty.type('sk-typed-secret', KEYS.enter);
    await pty.waitForText(/servers 1\/1/);
    expect(pty.raw()).not.toContain('sk-typed-secret');
    pty.write(KEYS.ctrlD);
    expect((await pty.exited).exitCode).toBe(0);
  });
});

describe('mcpsh init', () => {
  it('trusts what it wrote, and every printed next step works as printed', async () => {
    const cwd = emptyDir();
    // The starter's server runs `mcpsh serve …`, as it would once mcpsh is installed on the PATH.
    const bin = join(cwd, '.bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'mcpsh'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(bin, 'mcpsh'), 0o755);
    const env = { ...UNTRUSTED, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
    const init = await runCli(['init'], { cwd, env });
    expect(init.code).toBe(0);
    const steps = [...init.stdout.matchAll(/`(mcpsh [^`]*)`/g)].map((m) => m[1] ?? '');
    expect(steps.length).toBeGreaterThanOrEqual(2);
    for (const step of steps) {
      const r = await runCli(step.split(' ').slice(1), { cwd, env, timeoutMs: 60_000 });
      expect({ step, code: r.code, stderr: r.stderr }).toEqual({ step, code: 0, stderr: expect.any(String) as string });
    }
  }, 120_000);
});
