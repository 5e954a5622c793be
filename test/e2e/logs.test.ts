// e2e: `mcpsh logs` (where everything is, and the end of one server's stderr log), the debug log
// (--debug / MCPSH_DEBUG), and redaction: after runs that used secrets from the environment, no secret
// appears on stdout, stderr, or in any file mcpsh wrote.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptedModel, type ScriptedModel, type Step } from '../fixtures/openai/scripted-server.mjs';
import { isolatedEnv, projectWithConfig, runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath, startHttpFixture, type HttpFixture } from '../helpers/fixtures.js';

const node = process.execPath;
const basic = { command: node, args: [fixturePath('basic.mjs')] };
const models: ScriptedModel[] = [];
const fixtures: HttpFixture[] = [];
afterEach(async () => {
  await Promise.all([...models.splice(0).map((m) => m.close()), ...fixtures.splice(0).map((f) => f.close())]);
});

async function scripted(script: Step[]): Promise<ScriptedModel> {
  const model = await startScriptedModel(script, { name: 'logs e2e' });
  models.push(model);
  return model;
}

const stateOf = (cwd: string): string => isolatedEnv(cwd).MCPSH_STATE_DIR ?? '';

/** Every file under a directory, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('mcpsh logs', () => {
  it('says where the debug logs, server logs, audit log and history are', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic }, auditLog: true });
    expect((await runCli(['tools'], { cwd })).code).toBe(0);
    const state = stateOf(cwd);
    const r = await runCli(['logs'], { cwd });
    expect(r.code).toBe(0);
    const size = statSync(join(state, 'logs', 'basic.log')).size;
    expect(r.stdout).toBe(
      [
        `debug    ${state}/debug (none yet)`,
        '         written with --debug or MCPSH_DEBUG=1, one file per run',
        `servers  ${state}/logs`,
        "         each stdio server's stderr, appended as <server>.log",
        `           basic.log  ${size} B`,
        `audit    ${state}/audit.jsonl (none yet)`,
        '         on ("auditLog" in the config)',
        `history  ${state}/history.jsonl (none yet)`,
        "         the chat's prompt history",
        `chats    ${state}/sessions (none yet)`,
        '         saved chats, one JSONL per chat; continue one with mcpsh --resume <id>',
        '',
        "Show the end of one server's log with: mcpsh logs <server> [--lines N]",
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await runCli(['logs', '--json'], { cwd })).stdout) as Record<string, { path: string; exists: boolean }>;
    expect(Object.keys(json)).toEqual(['debug', 'servers', 'audit', 'history', 'chats']);
    expect(json.servers).toMatchObject({ path: `${state}/logs`, exists: true, files: [{ name: 'basic.log', bytes: size }] });
  });

  it("`logs <server>` prints the end of that server's stderr log; an unknown server is a usage error", async () => {
    const noisy = {
      command: node,
      args: [
        '-e',
        `process.stderr.write('line one\\nline two\\nline three\\n'); import(${JSON.stringify(pathToFileURL(fixturePath('basic.mjs')).href)})`,
      ],
    };
    const cwd = projectWithConfig({ mcpServers: { noisy } });
    expect((await runCli(['tools'], { cwd })).code).toBe(0);
    expect(await runCli(['logs', 'noisy', '--lines', '2'], { cwd })).toMatchObject({
      code: 0,
      stdout: 'line two\nline three\n',
      stderr: '',
    });
    const all = await runCli(['logs', 'noisy'], { cwd });
    expect(all.stdout).toMatch(/^--- \S+ started: .*\nline one\nline two\nline three\n$/);
    const unknown = await runCli(['logs', 'nosy'], { cwd });
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toBe(
      `mcpsh: no log for server "nosy" at ${stateOf(cwd)}/logs/nosy.log (did you mean "noisy"?)\n  hint: servers with logs: noisy\n`,
    );
  });
});

describe('debug log', () => {
  it('--debug writes one JSONL file per run (0600) with each model request in summary, and `logs` lists it', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic }, permissions: { allow: ['basic__echo'] } });
    const model = await scripted([
      {
        toolCalls: [{ id: 'a', name: 'basic__echo', arguments: { message: 'private words' } }],
        usage: { prompt_tokens: 11, completion_tokens: 3 },
      },
      { text: 'ok' },
      { text: 'again' },
    ]);
    const env = { OPENAI_BASE_URL: model.baseURL, OPENAI_API_KEY: 'sk-debug-key-123', MCPSH_MODEL: 'scripted' };
    expect((await runCli(['--debug', 'ask', 'a confidential question'], { cwd, env })).code).toBe(0);
    expect((await runCli(['ask', 'again'], { cwd, env: { ...env, MCPSH_DEBUG: '1' } })).code).toBe(0);
    const dir = join(stateOf(cwd), 'debug');
    const files = readdirSync(dir);
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-\d+\.jsonl$/);
      expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    }
    const first = files.sort()[0] ?? '';
    const lines = readFileSync(join(dir, first), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const modelLines = lines.filter((l) => l.type === 'model');
    expect(modelLines).toHaveLength(2);
    expect(modelLines[0]).toMatchObject({
      model: 'scripted',
      baseURL: model.baseURL,
      messages: 2,
      tools: 9,
      attempt: 0,
      toolCalls: 1,
      finish: 'tool_calls',
      usage: { inputTokens: 11, outputTokens: 3 },
    });
    expect(modelLines[1]).toMatchObject({ messages: 4, finish: 'stop' });
    const text = readFileSync(join(dir, first), 'utf8');
    expect(text).not.toContain('sk-debug-key-123');
    // Model requests are summaries, not conversations: the prompt is not in the file. MCP messages
    // keep small payloads (that is what a server author debugs), so the tool's arguments are there.
    expect(text).not.toContain('a confidential question');
    expect(lines.filter((l) => l.type === 'mcp' && l.method === 'tools/call')).toEqual([
      expect.objectContaining({ server: 'basic', direction: 'send', tool: 'echo' }),
    ]);
    expect((await runCli(['logs'], { cwd })).stdout).toContain(`           ${first}  `);
  });

  it('without --debug or MCPSH_DEBUG nothing is written', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic } });
    expect((await runCli(['tools'], { cwd, env: { MCPSH_DEBUG: undefined } })).code).toBe(0);
    expect(readdirSync(stateOf(cwd))).not.toContain('debug');
  });
});

describe('secrets are never printed or logged', () => {
  it('env and header secrets stay out of stdout, stderr, JSON, the audit log, the debug log and every other file', async () => {
    const ENV_SECRET = 'env-secret-7f3a91c2';
    const HEADER_SECRET = 'hdr-secret-55e0d4b8';
    const API_KEY = 'sk-model-key-0c9d2e';
    const http = await startHttpFixture('basic.mjs', ['--http', '0']);
    fixtures.push(http);
    const cwd = projectWithConfig({
      mcpServers: {
        local: { ...basic, env: { API_TOKEN: '${E2E_ENV_SECRET}' } },
        remote: { url: http.url, headers: { Authorization: 'Bearer ${E2E_HEADER_SECRET}' } },
      },
      permissions: { allow: ['local__*', 'remote__*'] },
      auditLog: true,
    });
    const env = {
      E2E_ENV_SECRET: ENV_SECRET,
      E2E_HEADER_SECRET: HEADER_SECRET,
      OPENAI_API_KEY: API_KEY,
      MCPSH_MODEL: 'scripted',
      MCPSH_DEBUG: '1',
    };
    // The model sees the tool results (that is its job) and, scripted here, repeats them everywhere it can.
    const leak: Step[] = [
      {
        toolCalls: [
          { id: 'e', name: 'local__env', arguments: { name: 'API_TOKEN' } },
          { id: 'h', name: 'remote__headers', arguments: {} },
        ],
      },
      { toolCalls: [{ id: 'f', name: 'local__fail', arguments: { message: `the token is ${ENV_SECRET}` } }] },
      { text: ['Found ', ENV_SECRET.slice(0, 7), ENV_SECRET.slice(7), ' and ', HEADER_SECRET, '.'] },
    ];
    const runs: CliResult[] = [];
    for (const output of ['text', 'json', 'stream-json']) {
      const model = await scripted(leak);
      const r = await runCli(['ask', 'leak it', '--verbose', '-o', output], { cwd, env: { ...env, OPENAI_BASE_URL: model.baseURL } });
      expect(r.code).toBe(0);
      runs.push(r);
    }
    expect(runs[0]?.stdout).toBe('Found *** and ***.\n');
    expect(runs[0]?.stderr).toContain('→ local › fail {"message":"the token is ***"}');
    runs.push(await runCli(['call', 'local', 'env', '--arg', 'name=API_TOKEN'], { cwd, env }));
    runs.push(await runCli(['call', 'remote', 'headers', '--json'], { cwd, env }));
    runs.push(await runCli(['call', 'local', 'fail', '--arg', `message=${ENV_SECRET}`], { cwd, env }));
    expect(runs[3]?.stdout).toBe('{"cwd":"' + cwd + '","value":"***"}\n');
    const headers = JSON.parse((JSON.parse(runs[4]?.stdout ?? '') as { content: { text: string }[] }).content[0]?.text ?? '') as Record<
      string,
      string
    >;
    // The whole header value is a secret, so it is masked whole.
    expect(headers.authorization).toBe('***');
    expect(runs[5]).toMatchObject({ code: 5 });
    runs.push(await runCli(['config'], { cwd, env }));
    runs.push(await runCli(['logs'], { cwd, env }));

    const secrets = [ENV_SECRET, HEADER_SECRET, API_KEY];
    for (const r of runs) for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);
    const written = filesUnder(join(cwd, '.mcpsh-home'));
    expect(written.some((f) => f.endsWith('audit.jsonl'))).toBe(true);
    expect(written.filter((f) => f.includes('/debug/')).length).toBeGreaterThanOrEqual(runs.length);
    for (const f of written) {
      const content = readFileSync(f, 'utf8');
      for (const s of secrets) expect({ file: f, leaked: content.includes(s) }).toEqual({ file: f, leaked: false });
    }
  });
});
