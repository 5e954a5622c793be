// Validation messages: one CONFIG error per invalid config, each problem with its JSON path, line,
// what was found and what was expected.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTree, type Tree } from './helpers.js';

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

/** The single problem line for one bad server entry (written on one line, so always line 3). */
async function problemFor(entry: unknown): Promise<string> {
  t.write('mcp.config.json', `{\n  "mcpServers": {\n    "s": ${JSON.stringify(entry)}\n  }\n}\n`);
  const err = await t.loadError();
  expect(err.code).toBe('CONFIG');
  expect(err.exitCode).toBe(3);
  const lines = err.message.split('\n');
  expect(lines[0]).toBe(`invalid config in ${t.root}/mcp.config.json:`);
  expect(lines).toHaveLength(2);
  return lines[1] ?? '';
}

describe('server entry messages', () => {
  const cases: [string, unknown, string][] = [
    [
      'a string where an array belongs',
      { command: 'x', args: 'foo' },
      '  - mcpServers.s.args (line 3): expected an array of strings, found a string "foo"',
    ],
    ['a number inside args', { command: 'x', args: ['a', 2] }, '  - mcpServers.s.args[1] (line 3): expected a string, found a number 2'],
    [
      'neither command nor url, with a misspelt key',
      { comand: 'node' },
      '  - mcpServers.s (line 3): expected an object with "command" (a stdio server) or "url" (a remote server), found neither; "comand" is an unknown key: did you mean "command"?',
    ],
    [
      'neither command nor url',
      { args: [] },
      '  - mcpServers.s (line 3): expected an object with "command" (a stdio server) or "url" (a remote server), found neither',
    ],
    [
      'both command and url',
      { command: 'x', url: 'http://a/mcp' },
      '  - mcpServers.s (line 3): has both "command" (a stdio server) and "url" (a remote server); keep one of them',
    ],
    [
      'an unknown key close to a known one',
      { command: 'x', arg: ['a'] },
      '  - mcpServers.s.arg (line 3): unknown key; did you mean "args"?',
    ],
    [
      'an unknown key far from any',
      { command: 'x', zzzzzz: 1 },
      '  - mcpServers.s.zzzzzz (line 3): unknown key (known keys: type, command, args, env, inheritEnv, cwd, enabled, disabled, required, connectTimeout, callTimeout, maxCallTime, includeTools, excludeTools, alwaysLoad, description, cache, rateLimit, maxRestarts, circuitBreaker, pingInterval, protocolVersion, logLevel)',
    ],
    [
      'a remote key on a stdio server',
      { command: 'x', headers: {} },
      '  - mcpServers.s.headers (line 3): "headers" is for remote servers (with "url"); a stdio server (with "command") cannot use it',
    ],
    [
      'a stdio key on a remote server',
      { url: 'http://127.0.0.1/mcp', env: {} },
      '  - mcpServers.s.env (line 3): "env" is for stdio servers (with "command"); a remote server (with "url") cannot use it',
    ],
    [
      'a bad url',
      { url: 'localhost:3000' },
      '  - mcpServers.s.url (line 3): expected an http:// or https:// URL such as http://127.0.0.1:3333/mcp, found a string "localhost:3000"',
    ],
    [
      'a non-http url',
      { url: 'ftp://example.com/mcp' },
      '  - mcpServers.s.url (line 3): expected an http:// or https:// URL such as http://127.0.0.1:3333/mcp, found a string "ftp://example.com/mcp"',
    ],
    [
      'an unknown remote type',
      { url: 'http://127.0.0.1/mcp', type: 'websocket' },
      '  - mcpServers.s.type (line 3): expected one of "http", "streamable-http", "streamableHttp", "streamable_http", "sse", found a string "websocket"',
    ],
    [
      'a remote type on a stdio server',
      { command: 'x', type: 'http' },
      '  - mcpServers.s.type (line 3): type "http" is for remote servers (with "url"), but this entry has "command"; remove "type" or set it to "stdio"',
    ],
    [
      'type stdio without command',
      { type: 'stdio', args: [] },
      '  - mcpServers.s (line 3): is a stdio server (type "stdio") but has no "command"; add "command": "program-to-run"',
    ],
    [
      'type http without url',
      { type: 'http' },
      '  - mcpServers.s (line 3): is a remote server (type "http") but has no "url"; add "url": "http://host:port/mcp"',
    ],
    [
      'a negative timeout',
      { command: 'x', connectTimeout: -1 },
      '  - mcpServers.s.connectTimeout (line 3): expected a number greater than 0, found a number -1',
    ],
    [
      'a huge timeout',
      { command: 'x', connectTimeout: 99999 },
      '  - mcpServers.s.connectTimeout (line 3): expected a number of at most 3600, found a number 99999',
    ],
    [
      'a string timeout',
      { command: 'x', callTimeout: '30' },
      '  - mcpServers.s.callTimeout (line 3): expected a number, found a string "30"',
    ],
    ['an empty command', { command: '' }, '  - mcpServers.s.command (line 3): expected a non-empty string, found an empty string'],
    [
      'a non-string env value',
      { command: 'x', env: { PORT: 8080 } },
      '  - mcpServers.s.env.PORT (line 3): expected a string, found a number 8080',
    ],
    [
      'env as an array',
      { command: 'x', env: ['A=1'] },
      '  - mcpServers.s.env (line 3): expected an object whose values are strings, found an array',
    ],
    [
      'a boolean as a string',
      { command: 'x', enabled: 'no' },
      '  - mcpServers.s.enabled (line 3): expected true or false, found a string "no"',
    ],
    [
      'an empty glob',
      { command: 'x', includeTools: [''] },
      '  - mcpServers.s.includeTools[0] (line 3): expected a non-empty string, found an empty string',
    ],
    [
      'an entry that is not an object',
      'npx server',
      '  - mcpServers.s (line 3): expected an object with "command" (a stdio server) or "url" (a remote server), found a string "npx server"',
    ],
  ];
  for (const [title, entry, expected] of cases) {
    it(title, async () => {
      expect(await problemFor(entry)).toBe(expected);
    });
  }
});

describe('document-level messages', () => {
  it('lists every problem of a file in one error', async () => {
    const file = t.write(
      'mcp.config.json',
      `{
  "model": { "temperature": "hot", "maxOutputTokens": 1.5 },
  "mcpServers": {
    "my/server": { "command": "x" },
    "db": { "command": "x", "args": "foo" }
  },
  "agents": { "a": { "servers": "db" } },
  "permissions": { "allow": "db__query" }
}`,
    );
    const err = await t.loadError();
    expect(err.message).toBe(
      [
        `invalid config in ${file}:`,
        '  - model.temperature (line 2): expected a number, found a string "hot"',
        '  - model.maxOutputTokens (line 2): expected a whole number, found a number 1.5',
        '  - agents.a.servers (line 7): expected an array of strings, found a string "db"',
        '  - permissions.allow (line 8): expected an array of strings, found a string "db__query"',
        '  - mcpServers["my/server"] (line 4): "my/server" is not a valid server name: server names must not contain "/" or "\\", nor start or end with a space',
        '  - mcpServers.db.args (line 5): expected an array of strings, found a string "foo"',
      ].join('\n'),
    );
    expect(err.hint).toBe('fix the 6 problems above, then run `mcpsh config` to check; every field is described in docs/configuration.md');
  });

  it('rejects mcpServers that is not an object', async () => {
    const file = t.write('mcp.config.json', { mcpServers: [{ command: 'x' }] });
    expect((await t.loadError()).message).toBe(
      `invalid config in ${file}:\n  - mcpServers (line 2): expected an object mapping server names to server entries, found an array`,
    );
  });

  it('rejects a top level that is not an object', async () => {
    const file = t.write('mcp.config.json', '[1, 2]');
    expect((await t.loadError()).message).toBe(
      `invalid config in ${file}:\n  - (top level): expected an object with "mcpServers", found an array`,
    );
  });

  it('only warns about unknown top-level keys, suggesting a close one', async () => {
    const file = t.write('mcp.config.json', { mcpServer: { a: { command: 'x' } }, extra: true });
    const loaded = await t.load();
    expect(loaded.servers).toEqual([]);
    expect(loaded.warnings).toEqual([
      `${file}: unknown top-level key "mcpServer" is ignored; did you mean "mcpServers"?`,
      `${file}: unknown top-level key "extra" is ignored`,
    ]);
  });
});

describe('server names', () => {
  it('accepts a Claude Desktop name with a space', async () => {
    t.write('mcp.config.json', '{ "mcpServers": { "Brave Search": { "command": "x" } } }');
    const loaded = await t.load();
    expect(loaded.servers.map((s) => s.name)).toEqual(['Brave Search']);
  });
});
