// Discovery: which file is found (order, upward search, where it stops), each file format, and --config.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTree, type Tree } from './helpers.js';

const one = (name: string) => ({ mcpServers: { [name]: { command: 'node', args: ['server.js'] } } });

let t: Tree;
beforeEach(() => {
  t = makeTree();
});
afterEach(() => t.cleanup());

describe('discovery', () => {
  it('finds nothing in an empty tree and says where it looked', async () => {
    const loaded = await t.load('a/b');
    expect(loaded.sources).toEqual([]);
    expect(loaded.servers).toEqual([]);
    expect(loaded.searched).toEqual({
      from: path.join(t.root, 'a/b'),
      to: t.root,
      places: [
        'mcp.config.json',
        '.mcprc',
        '.mcprc.json',
        'mcp.config.js',
        'mcp.config.mjs',
        'mcp.config.cjs',
        'mcp.config.ts',
        'package.json',
        '.mcp.json',
        '.vscode/mcp.json',
        '.cursor/mcp.json',
      ],
      userFile: path.join(t.userDir, 'config.json'),
    });
  });

  it('searches upward and the nearest directory wins', async () => {
    t.write('mcp.config.json', one('top'));
    t.write('a/.mcprc.json', one('middle'));
    expect((await t.load('a/b/c')).servers.map((s) => s.name)).toEqual(['middle']);
    expect((await t.load('x')).servers.map((s) => s.name)).toEqual(['top']);
  });

  it('prefers mcp.config.json over the other names in the same directory, with a warning', async () => {
    t.write('mcp.config.json', one('json'));
    t.write('.mcprc', one('rc'));
    t.write('mcp.config.mjs', `export default ${JSON.stringify(one('mjs'))};`);
    const loaded = await t.load();
    expect(loaded.servers.map((s) => s.name)).toEqual(['json']);
    expect(loaded.warnings).toEqual([`${t.root} has more than one config file; using mcp.config.json and ignoring .mcprc, mcp.config.mjs`]);
  });

  it('stops at the home directory by default', async () => {
    t.write('mcp.config.json', one('above-home'));
    const home = path.join(t.root, 'home');
    const loaded = await t.load('home/project', { stopDir: undefined, env: { HOME: home } });
    expect(loaded.sources).toEqual([]);
    expect(loaded.searched?.to).toBe(home);
    t.write('home/mcp.config.json', one('in-home'));
    expect((await t.load('home/project', { stopDir: undefined, env: { HOME: home } })).servers.map((s) => s.name)).toEqual(['in-home']);
  });

  it('skips a package.json without an "mcp" key and reads one with it', async () => {
    t.write('package.json', { name: 'outer', mcp: one('from-package') });
    t.write('app/package.json', { name: 'inner' });
    const loaded = await t.load('app');
    expect(loaded.servers.map((s) => s.name)).toEqual(['from-package']);
    expect(loaded.sources).toEqual([{ path: path.join(t.root, 'package.json'), scope: 'project' }]);
  });

  it('reports problems in package.json#mcp under the mcp key', async () => {
    t.write('package.json', { name: 'p', mcp: { mcpServers: { db: { command: 'x', args: 'y' } } } });
    const err = await t.loadError();
    expect(err.message).toContain('  - mcp.mcpServers.db.args (line 7): expected an array of strings, found a string "y"');
  });
});

describe('file formats', () => {
  const formats: [string, string][] = [
    ['mcp.config.json', JSON.stringify(one('s'))],
    ['.mcprc', `// JSON with comments\n${JSON.stringify(one('s'))}`],
    ['.mcprc.json', JSON.stringify(one('s'))],
    ['mcp.config.js', `module.exports = ${JSON.stringify(one('s'))};`],
    ['mcp.config.mjs', `export default ${JSON.stringify(one('s'))};`],
    ['mcp.config.cjs', `module.exports = ${JSON.stringify(one('s'))};`],
    [
      'mcp.config.ts',
      `const config: { mcpServers: Record<string, { command: string; args: string[] }> } = ${JSON.stringify(one('s'))};\nexport default config;`,
    ],
  ];
  for (const [name, content] of formats) {
    it(`loads ${name}`, async () => {
      const file = t.write(name, content);
      const loaded = await t.load();
      expect(loaded.sources).toEqual([{ path: file, scope: 'project' }]);
      expect(loaded.servers).toHaveLength(1);
      expect(loaded.servers[0]).toMatchObject({ name: 's', transport: 'stdio', command: 'node', args: ['server.js'], source: file });
    });
  }

  it('interpolates strings coming from a JS config too', async () => {
    t.write('mcp.config.mjs', `export default { mcpServers: { s: { command: '\${CMD:-node}', args: ['\${ARG}'] } } };`);
    const loaded = await t.load('.', { env: { ARG: 'serve' } });
    expect(loaded.servers[0]).toMatchObject({ command: 'node', args: ['serve'] });
  });

  it('turns a throwing JS config into a CONFIG error naming the file', async () => {
    const file = t.write('mcp.config.mjs', `throw new Error('boom from config');`);
    const err = await t.loadError();
    expect(err.code).toBe('CONFIG');
    expect(err.message).toBe(`cannot load ${file}: boom from config`);
  });

  it('treats an empty config file as empty, with a warning', async () => {
    const file = t.write('mcp.config.json', '');
    const loaded = await t.load();
    expect(loaded.sources).toEqual([{ path: file, scope: 'project' }]);
    expect(loaded.servers).toEqual([]);
    expect(loaded.warnings).toEqual([`${file} holds no config; using no settings from it`]);
  });
});

describe('--config', () => {
  it('reads a Claude Desktop file as it is', async () => {
    const file = t.write('Claude/claude_desktop_config.json', {
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'] },
        github: {
          command: 'npx',
          args: ['-y', '@modelcontextprotocol/server-github'],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_abcdefgh' },
        },
      },
      globalShortcut: 'Ctrl+Space',
    });
    t.write('mcp.config.json', one('ignored-because-of-config-flag'));
    const loaded = await t.load('.', { configPath: 'Claude/claude_desktop_config.json' });
    expect(loaded.sources).toEqual([{ path: file, scope: 'project' }]);
    expect(loaded.servers.map((s) => [s.name, s.transport])).toEqual([
      ['filesystem', 'stdio'],
      ['github', 'stdio'],
    ]);
    expect(loaded.secrets).toContain('ghp_abcdefgh');
    expect(loaded.warnings).toEqual([`${file}: unknown top-level key "globalShortcut" is ignored`]);
  });

  it('reads a Claude Code .mcp.json with typed entries', async () => {
    t.write('.mcp.json', {
      mcpServers: {
        local: { type: 'stdio', command: 'node', args: ['s.js'], env: {} },
        remote: { type: 'http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer ${API_TOKEN}' } },
        legacy: { type: 'sse', url: 'http://127.0.0.1:9000/sse' },
      },
    });
    const loaded = await t.load('.', { configPath: '.mcp.json', env: { API_TOKEN: 'tok-123456' } });
    expect(loaded.servers.map((s) => [s.name, s.transport])).toEqual([
      ['local', 'stdio'],
      ['remote', 'http'],
      ['legacy', 'sse'],
    ]);
    expect(loaded.servers[1]).toMatchObject({ headers: { Authorization: 'Bearer tok-123456' } });
    expect(loaded.warnings).toEqual([]);
  });

  it('reads a VS Code .vscode/mcp.json whose servers are under "servers"', async () => {
    const file = t.write(
      '.vscode/mcp.json',
      `{
  // VS Code keeps its servers under "servers"
  "inputs": [],
  "servers": {
    "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] },
    "api": { "type": "http", "url": "http://127.0.0.1:8080/mcp" },
  },
}`,
    );
    const loaded = await t.load('.', { configPath: '.vscode/mcp.json' });
    expect(loaded.servers.map((s) => [s.name, s.transport, s.source])).toEqual([
      ['memory', 'stdio', file],
      ['api', 'http', file],
    ]);
    expect(Object.keys(loaded.config.mcpServers ?? {})).toEqual(['memory', 'api']);
    expect(loaded.warnings).toEqual([]);
  });

  it('names the VS Code "servers" path in validation messages', async () => {
    t.write('.vscode/mcp.json', { servers: { bad: { command: 'x', args: 'y' } } });
    const err = await t.loadError('.', { configPath: '.vscode/mcp.json' });
    expect(err.message).toContain('  - servers.bad.args (line 5): expected an array of strings, found a string "y"');
  });

  it('reads a .jsonc file or one with an unusual extension as JSONC', async () => {
    t.write('servers.jsonc', '// mine\n{ "mcpServers": { "a": { "command": "x" } } }');
    t.write('servers.conf', '{ "mcpServers": { "b": { "command": "y" } }, }');
    expect((await t.load('.', { configPath: 'servers.jsonc' })).servers.map((s) => s.name)).toEqual(['a']);
    expect((await t.load('.', { configPath: 'servers.conf' })).servers.map((s) => s.name)).toEqual(['b']);
  });

  it('fails with a CONFIG error naming a missing file', async () => {
    const err = await t.loadError('.', { configPath: 'nope/mcp.json' });
    expect(err.code).toBe('CONFIG');
    expect(err.message).toBe(`config file not found: ${path.join(t.root, 'nope/mcp.json')}`);
    expect(err.hint).toContain('--config');
  });

  it('accepts any file name, still merged over the user file', async () => {
    t.write('user-config/config.json', one('from-user'));
    t.write('elsewhere/my-servers.jsonc.json', one('from-flag'));
    const loaded = await t.load('.', { configPath: path.join(t.root, 'elsewhere/my-servers.jsonc.json') });
    expect(loaded.servers.map((s) => s.name)).toEqual(['from-user', 'from-flag']);
    expect(loaded.sources.map((s) => s.scope)).toEqual(['user', 'project']);
  });
});
