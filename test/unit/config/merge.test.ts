// The user file merged under the project file, and how each entry is resolved.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTree, type Tree } from './helpers.js';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

describe('user + project merge', () => {
  it('merges servers and agents by name, model shallowly, permission lists by concatenation', async () => {
    const userFile = t.write('user-config/config.json', {
      model: { name: 'user-model', baseURL: 'http://127.0.0.1:11434/v1', temperature: 0.2 },
      mcpServers: {
        shared: { command: 'user-shared', env: { A: '1' } },
        personal: { url: 'http://127.0.0.1:4000/mcp' },
      },
      agents: { helper: { instructions: 'user helper', servers: ['personal'] }, mine: { instructions: 'only mine' } },
      permissions: { allow: ['personal__*'], deny: ['shared__rm'] },
    });
    const projectFile = t.write('mcp.config.json', {
      model: { name: 'project-model' },
      mcpServers: { shared: { command: 'project-shared' }, local: { command: 'local' } },
      agents: { helper: { instructions: 'project helper' } },
      permissions: { allow: ['local__read'], ask: ['shared__*'] },
    });
    const loaded = await t.load();
    expect(loaded.sources).toEqual([
      { path: userFile, scope: 'user' },
      { path: projectFile, scope: 'project' },
    ]);
    expect(loaded.servers.map((s) => [s.name, s.source])).toEqual([
      ['personal', userFile],
      ['shared', projectFile],
      ['local', projectFile],
    ]);
    // The project's entry replaces the user's whole: no env carried over.
    expect(loaded.servers[1]).toMatchObject({ command: 'project-shared', env: {} });
    expect(loaded.config.model).toEqual({ name: 'project-model', baseURL: 'http://127.0.0.1:11434/v1', temperature: 0.2 });
    expect(loaded.config.agents).toEqual({ helper: { instructions: 'project helper' }, mine: { instructions: 'only mine' } });
    expect(loaded.config.permissions).toEqual({ allow: ['personal__*', 'local__read'], deny: ['shared__rm'], ask: ['shared__*'] });
    expect(loaded.warnings).toEqual([
      `agent "helper" in ${projectFile} replaces the one of the same name in ${userFile}`,
      `server "shared" in ${projectFile} replaces the one of the same name in ${userFile}`,
    ]);
  });

  it('reads the user file once when --config names it', async () => {
    const userFile = t.write('user-config/config.json', { mcpServers: { u: { command: 'x' } } });
    const loaded = await t.load('.', { configPath: userFile });
    expect(loaded.sources).toEqual([{ path: userFile, scope: 'project' }]);
    expect(loaded.servers.map((s) => s.name)).toEqual(['u']);
    expect(loaded.warnings).toEqual([]);
  });

  it('uses the user file alone when there is no project file', async () => {
    const userFile = t.write('user-config/config.json', { mcpServers: { only: { command: 'x', cwd: 'srv' } } });
    const loaded = await t.load('deep/dir');
    expect(loaded.sources).toEqual([{ path: userFile, scope: 'user' }]);
    // A relative cwd is relative to the file that defined it.
    expect(loaded.servers[0]).toMatchObject({ cwd: path.join(t.userDir, 'srv') });
  });

  it('keeps a model problem only while the file that caused it still provides that field', async () => {
    t.write('user-config/config.json', { model: { apiKey: '${USER_ONLY_KEY}', name: 'm' } });
    t.write('mcp.config.json', { model: { apiKey: 'sk-project-key' } });
    const loaded = await t.load();
    expect(loaded.modelProblems).toEqual([]);
    expect(loaded.config.model?.apiKey).toBe('sk-project-key');
    expect(loaded.secrets).toContain('sk-project-key');
  });

  it('reports problems in both files in one error', async () => {
    const userFile = t.write('user-config/config.json', { mcpServers: { u: { command: 1 } } });
    const projectFile = t.write('mcp.config.json', { mcpServers: { p: { url: 'nope' } } });
    const err = await t.loadError();
    expect(err.message).toBe(
      `invalid config in ${userFile}:\n  - mcpServers.u.command (line 4): expected a non-empty string, found a number 1\n` +
        `invalid config in ${projectFile}:\n  - mcpServers.p.url (line 4): expected an http:// or https:// URL such as http://127.0.0.1:3333/mcp, found a string "nope"`,
    );
    expect(err.hint).toBe('fix the 2 problems above, then run `mcpsh config` to check; every field is described in docs/configuration.md');
  });

  it('warns about an agent that names a server nobody configured', async () => {
    t.write('mcp.config.json', { mcpServers: { db: { command: 'x' } }, agents: { analyst: { servers: ['db', 'crm'] } } });
    expect((await t.load()).warnings).toEqual(['agent "analyst" lists server "crm", which is not configured']);
  });
});

describe('resolved entries', () => {
  it('applies defaults, converts seconds to ms, and decides the transport', async () => {
    const file = t.write('mcp.config.json', {
      mcpServers: {
        plain: { command: 'node' },
        tuned: {
          command: 'node',
          args: ['a'],
          env: { K: 'v' },
          inheritEnv: true,
          cwd: '/abs/dir',
          required: true,
          connectTimeout: 2.5,
          callTimeout: 120,
          includeTools: ['read_*'],
          excludeTools: ['read_secret'],
          cache: { ttlSeconds: 5, tools: ['read_*'] },
          rateLimit: { perMinute: 60, tools: { 'read_*': { perMinute: 6, burst: 2 } } },
          maxRestarts: 1,
          circuitBreaker: { failures: 2 },
          pingInterval: 0,
        },
        off: { command: 'node', enabled: false },
        cline: { command: 'node', disabled: true },
        bare: { url: 'http://127.0.0.1:3333/mcp' },
        streamable: { url: 'http://127.0.0.1:3333/mcp', type: 'streamable-http' },
        sse: { url: 'http://127.0.0.1:3333/sse', type: 'sse', headers: { 'X-Trace': 'on' } },
        slow: { command: 'node', callTimeout: 900, maxCallTime: 1200 },
        short: { command: 'node', callTimeout: 900, maxCallTime: 10 },
        signed: {
          url: 'https://mcp.example.com/mcp',
          oauth: { clientId: 'mcpsh-test', clientSecret: 's3cret-value', scopes: ['mcp:read'], redirectPort: 8765 },
        },
        nooauth: { url: 'https://mcp.example.com/mcp', oauth: false, headersHelper: 'print-headers' },
      },
    });
    const loaded = await t.load('sub');
    const by = Object.fromEntries(loaded.servers.map((s) => [s.name, s]));
    expect(by.plain).toEqual({
      name: 'plain',
      transport: 'stdio',
      command: 'node',
      args: [],
      env: {},
      inheritEnv: false,
      cwd: path.join(t.root, 'sub'),
      enabled: true,
      required: false,
      connectTimeoutMs: 30_000,
      callTimeoutMs: 60_000,
      maxCallTimeMs: 600_000,
      includeTools: [],
      excludeTools: [],
      source: file,
      maxRestarts: 3,
      breaker: { failures: 5, cooldownMs: 30_000 },
      pingIntervalMs: 60_000,
    });
    expect(by.tuned).toMatchObject({
      args: ['a'],
      env: { K: 'v' },
      inheritEnv: true,
      cwd: '/abs/dir',
      required: true,
      connectTimeoutMs: 2500,
      callTimeoutMs: 120_000,
      includeTools: ['read_*'],
      excludeTools: ['read_secret'],
    });
    expect(by.tuned).toMatchObject({
      cache: { ttlMs: 5000, tools: ['read_*'] },
      rateLimit: { perMinute: 60, burst: 10, tools: { 'read_*': { perMinute: 6, burst: 2 } } },
      maxRestarts: 1,
      breaker: { failures: 2, cooldownMs: 30_000 },
      pingIntervalMs: 0,
    });
    expect([by.off?.enabled, by.cline?.enabled]).toEqual([false, false]);
    expect([by.bare?.transport, by.streamable?.transport, by.sse?.transport]).toEqual(['auto', 'http', 'sse']);
    expect(by.sse).toMatchObject({ url: 'http://127.0.0.1:3333/sse', headers: { 'X-Trace': 'on' } });
    expect(by.tuned).toMatchObject({ maxCallTimeMs: 600_000 });
    // The total bound is never shorter than the per-call timeout it sits on top of.
    expect([by.slow?.maxCallTimeMs, by.short?.maxCallTimeMs]).toEqual([1_200_000, 900_000]);
    expect(by.bare).toMatchObject({ oauth: { redirectPort: 0 } });
    expect(by.signed).toMatchObject({
      oauth: { clientId: 'mcpsh-test', clientSecret: 's3cret-value', scopes: ['mcp:read'], redirectPort: 8765 },
    });
    expect(by.nooauth).toMatchObject({ oauth: false, headersHelper: 'print-headers' });
    expect(loaded.secrets).toContain('s3cret-value');
    expect(loaded.warnings).toEqual([]);
  });

  it('ignores keys other clients write, with one warning per server', async () => {
    const file = t.write('mcp.config.json', { mcpServers: { c: { command: 'x', autoApprove: ['a'], timeout: 60 } } });
    const loaded = await t.load();
    expect(loaded.config.mcpServers?.c).toEqual({ command: 'x' });
    expect(loaded.warnings).toEqual([`${file}: server "c": "autoApprove", "timeout" are used by other clients and ignored by mcpsh`]);
  });
});
