// The managed policy through the built CLI (MCPSH_MANAGED_CONFIG names the file): a blocked server is never
// started (no process: its marker directory stays empty; no HTTP request reaches its endpoint) and is reported
// as blocked by servers, doctor, ask -o json, call and tools; managed permission rules beat --allow and --yes;
// `mcpsh config` shows what the policy enforces; a broken policy file stops every command with exit 3.
import { mkdirSync, readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';
import { modelEnv, scriptedModels } from '../helpers/scripted-models.js';

const models = scriptedModels('managed policy e2e');
afterEach(() => models.closeAll());

const node = process.execPath;

/** An HTTP endpoint that counts every request it gets (it never answers as MCP: any request is a failure). */
let endpoint: Server;
let requests = 0;
let endpointUrl = '';
beforeAll(async () => {
  endpoint = createServer((_req, res) => {
    requests += 1;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/mcp`;
});
afterAll(() => new Promise<void>((resolve) => endpoint.close(() => resolve())));

interface Setup {
  project: string;
  policyFile: string;
  markers: string;
  env: Record<string, string>;
}

/** A project with an allowed server (basic), a stdio server the policy denies by command under two names, and a denied remote one. */
function setup(policy: object = {}): Setup {
  requests = 0;
  const project = projectWithConfig({});
  const markers = join(project, 'markers');
  mkdirSync(markers);
  const probe = { command: node, args: [fixturePath('start-probe.mjs'), markers] };
  writeFileSync(
    join(project, 'mcp.config.json'),
    JSON.stringify({
      mcpServers: {
        basic: { command: node, args: [fixturePath('basic.mjs')] },
        probe,
        renamed: probe,
        remote: { type: 'http', url: endpointUrl.replace('127.0.0.1', 'USER@127.0.0.1') },
      },
    }),
  );
  const policyFile = join(project, 'managed-config.json');
  const denied = [
    { serverCommand: [node, fixturePath('start-probe.mjs'), markers] },
    { serverUrl: `http://127.0.0.1:${new URL(endpointUrl).port}/*` },
  ];
  writeFileSync(policyFile, JSON.stringify({ deniedMcpServers: denied, ...policy }));
  return { project, policyFile, markers, env: { MCPSH_MANAGED_CONFIG: policyFile } };
}

function neverStarted(s: Setup): void {
  expect(readdirSync(s.markers)).toEqual([]);
  expect(requests).toBe(0);
}

const probeReason = (s: Setup): string =>
  `blocked by the managed policy (${s.policyFile}): deniedMcpServers[0] ${JSON.stringify({ serverCommand: [node, fixturePath('start-probe.mjs'), s.markers] })} matches its command`;

describe('a blocked server is never started, and every report says it is blocked', () => {
  it('servers (text and --json)', async () => {
    const s = setup();
    const json = await runCli(['servers', '--json'], { cwd: s.project, env: s.env });
    expect(json.code, json.stderr).toBe(0);
    const servers = (JSON.parse(json.stdout) as { servers: Array<{ name: string; state: string; error: string | null }> }).servers;
    expect(servers.map((x) => [x.name, x.state])).toEqual([
      ['basic', 'ready'],
      ['probe', 'blocked'],
      ['renamed', 'blocked'],
      ['remote', 'blocked'],
    ]);
    expect(servers[1]?.error).toBe(probeReason(s));
    expect(servers[3]?.error).toBe(
      `blocked by the managed policy (${s.policyFile}): deniedMcpServers[1] {"serverUrl":"http://127.0.0.1:${new URL(endpointUrl).port}/*"} matches its URL ${endpointUrl}`,
    );

    const text = await runCli(['servers'], { cwd: s.project, env: s.env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^probe\s+stdio\s+-\s+blocked\s+-\s+-\s+blocked by the managed policy \(/m);
    neverStarted(s);
  });

  it('doctor (text and --json): reported, not counted against health', async () => {
    const s = setup();
    const json = await runCli(['doctor', '--json'], { cwd: s.project, env: s.env });
    expect(json.code, json.stdout + json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as {
      healthy: boolean;
      servers: Array<{ name: string; state: string; problems: Array<{ severity: string; message: string }> }>;
    };
    expect(doc.healthy).toBe(true);
    expect(doc.servers.find((x) => x.name === 'probe')).toMatchObject({
      state: 'blocked',
      problems: [{ severity: 'warning', message: probeReason(s) }],
    });

    const text = await runCli(['doctor'], { cwd: s.project, env: s.env });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`  probe: warning: ${probeReason(s)}`);
    expect(text.stdout).toContain('1 of 1 enabled server healthy, 3 blocked by the managed policy');
    neverStarted(s);
  });

  it('ask -o json lists it as blocked in `servers`', async () => {
    const s = setup();
    const model = await models.scripted([{ text: 'fine' }]);
    const r = await runCli(['ask', 'hello', '-o', 'json'], { cwd: s.project, env: { ...s.env, ...modelEnv(model) } });
    expect(r.code, r.stderr).toBe(0);
    const servers = (JSON.parse(r.stdout) as { servers: Array<{ name: string; state: string; error: string | null }> }).servers;
    expect(servers.map((x) => [x.name, x.state])).toEqual([
      ['basic', 'ready'],
      ['probe', 'blocked'],
      ['renamed', 'blocked'],
      ['remote', 'blocked'],
    ]);
    expect(servers[1]?.error).toBe(probeReason(s));
    neverStarted(s);
  });

  it('call and tools on it: blocked by policy, exit 4 (server unavailable)', async () => {
    const s = setup();
    const call = await runCli(['call', 'probe', 'ping_me'], { cwd: s.project, env: s.env });
    expect(call.code).toBe(4);
    expect(call.stderr).toContain(`server probe is ${probeReason(s)}`);
    const remote = await runCli(['call', 'remote', 'anything'], { cwd: s.project, env: s.env });
    expect(remote.code).toBe(4);
    expect(remote.stderr).toContain('server remote is blocked by the managed policy');
    const tools = await runCli(['tools', 'probe'], { cwd: s.project, env: s.env });
    expect(tools.code).toBe(4);
    expect(tools.stderr).toContain(probeReason(s));
    neverStarted(s);
  });

  it('an allow list that names it does not help when a deny matches; one that omits it blocks it too', async () => {
    const s = setup({ allowedMcpServers: [{ serverName: 'probe' }, { serverName: 'basic' }] });
    const r = await runCli(['servers', '--json'], { cwd: s.project, env: s.env });
    const servers = (JSON.parse(r.stdout) as { servers: Array<{ name: string; state: string; error: string | null }> }).servers;
    expect(servers.map((x) => x.state)).toEqual(['ready', 'blocked', 'blocked', 'blocked']);
    expect(servers[1]?.error).toContain('deniedMcpServers[0]');
    neverStarted(s);
  });
});

describe('managed permission rules beat --allow and --yes', () => {
  it('a managed deny and a managed ask: neither tool runs under --yes --allow', async () => {
    const project = projectWithConfig({});
    const marks = join(project, 'marks.txt');
    writeFileSync(
      join(project, 'mcp.config.json'),
      JSON.stringify({
        mcpServers: {
          db: { command: node, args: [fixturePath('shifty-tools.mjs'), 'execute', 'write', 'read'], env: { SHIFTY_MARKS: marks } },
        },
        permissions: { allow: ['db__*'] },
      }),
    );
    const policyFile = join(project, 'managed-config.json');
    writeFileSync(policyFile, JSON.stringify({ permissions: { deny: ['db__execute'], ask: ['db__write'] } }));
    const model = await models.scripted([
      {
        toolCalls: [
          { id: 'a', name: 'db__execute', arguments: {} },
          { id: 'b', name: 'db__write', arguments: {} },
          { id: 'c', name: 'db__read', arguments: {} },
        ],
      },
      { text: 'done' },
    ]);
    const r = await runCli(['ask', 'go', '--yes', '--allow', 'db__execute', '--allow', 'db__write', '-o', 'json'], {
      cwd: project,
      env: { MCPSH_MANAGED_CONFIG: policyFile, ...modelEnv(model) },
    });
    expect(r.code, r.stderr).toBe(0);
    const calls = (JSON.parse(r.stdout) as { toolCalls: Array<{ callId: string; status: string; reason?: string }> }).toolCalls;
    expect(calls.map((c) => [c.callId, c.status])).toEqual([
      ['a', 'denied'],
      ['b', 'denied'],
      ['c', 'ok'],
    ]);
    expect(calls[0]?.reason).toBe(`denied by the managed policy's rule "db__execute" (${policyFile})`);
    expect(calls[1]?.reason).toContain('--yes does not answer it');
    expect(existsSync(marks) ? readFileSync(marks, 'utf8') : '').toBe('read\n');
  });
});

describe('mcpsh config shows what the policy enforces', () => {
  it('text and --json', async () => {
    const s = setup({
      permissions: { deny: ['db__drop'] },
      hooks: {
        PreToolUse: [
          {
            matcher: '*',
            hooks: [
              { type: 'command', command: 'true' },
              { type: 'command', command: 'true' },
            ],
          },
        ],
      },
    });
    const text = await runCli(['config'], { cwd: s.project, env: s.env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      `Managed policy (user and project configs cannot loosen it): ${s.policyFile}\n  allowed servers: any server it does not deny\n  denied servers:  {"serverCommand":`,
    );
    expect(text.stdout).toContain(
      '  permissions.deny: db__drop\n  hooks: 2 (run before any other hooks)\n  blocked here (never started):\n    probe: deniedMcpServers[0]',
    );
    const json = await runCli(['config', '--json'], { cwd: s.project, env: s.env });
    const managed = (JSON.parse(json.stdout) as { managed: Record<string, unknown> }).managed;
    expect(managed).toMatchObject({
      file: s.policyFile,
      allowedMcpServers: null,
      permissions: { allow: [], ask: [], deny: ['db__drop'] },
      hooks: 2,
    });
    expect((managed.blocked as Array<{ name: string }>).map((b) => b.name)).toEqual(['probe', 'renamed', 'remote']);

    const none = await runCli(['config', '--json'], { cwd: s.project, env: { MCPSH_MANAGED_CONFIG: join(s.project, 'absent.json') } });
    expect(JSON.parse(none.stdout)).not.toHaveProperty('managed');
    neverStarted(s);
  });
});

describe('a policy that cannot be applied stops every command', () => {
  it.each([['servers'], ['config'], ['doctor']])('%s: CONFIG error naming the file, exit 3, nothing started', async (command) => {
    const s = setup();
    writeFileSync(s.policyFile, '{ "deniedMcpServers": [ { "serverName": "probe" } ], "alowedMcpServers": [] }');
    const r = await runCli([command], { cwd: s.project, env: s.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `the managed policy ${s.policyFile} is not a valid policy:\n  - alowedMcpServers: unknown key; did you mean "allowedMcpServers"?`,
    );
    expect(r.stdout).toBe('');
    neverStarted(s);
  });
});
