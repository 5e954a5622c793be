// Managed policy matching (src/config/managed-match.ts, managed-url.ts, managed-command.ts): which servers a
// policy blocks, by name (after the config's folding), by the program a command really starts, and by URL in
// a normal form, including the look-alikes that must not pass an allow list or dodge a deny list.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedServers } from '../../../src/config/managed-match.js';
import type { ManagedPolicy, ServerMatcher } from '../../../src/config/managed-policy.js';
import { compileUrlPattern, normalizeServerUrl } from '../../../src/config/managed-url.js';
import { resolveServer } from '../../../src/config/resolve.js';
import type { ResolvedServer } from '../../../src/config/schema.js';

let root: string;
let bin: string;
let other: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mcpsh-managed-'));
  bin = path.join(root, 'bin');
  other = path.join(root, 'other');
  for (const dir of [bin, other, path.join(root, 'links'), path.join(root, 'proj')]) mkdirSync(dir);
  for (const file of [path.join(bin, 'npx'), path.join(other, 'npx'), path.join(bin, 'tool')]) {
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o755);
  }
  writeFileSync(path.join(bin, 'not-executable'), '');
  symlinkSync(path.join(bin, 'npx'), path.join(root, 'links', 'npx-alias'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = (): NodeJS.ProcessEnv => ({ PATH: bin });

function stdio(name: string, command: string, args: string[] = [], extra: Record<string, unknown> = {}): ResolvedServer {
  return resolveServer(
    { name, kind: 'stdio', entry: { command, args, ...extra } },
    { source: path.join(root, 'proj', 'mcp.config.json'), cwd: path.join(root, 'proj'), problems: undefined },
  );
}
function remote(name: string, url: string): ResolvedServer {
  return resolveServer(
    { name, kind: 'remote', entry: { url } },
    { source: path.join(root, 'proj', 'mcp.config.json'), cwd: root, problems: undefined },
  );
}
function policy(p: { allowed?: ServerMatcher[]; denied?: ServerMatcher[] }): ManagedPolicy {
  return {
    file: '/etc/mcpsh/managed-config.json',
    ...(p.allowed ? { allowedMcpServers: p.allowed } : {}),
    deniedMcpServers: p.denied ?? [],
    permissions: { allow: [], ask: [], deny: [] },
  };
}
async function blocked(servers: ResolvedServer[], p: ManagedPolicy): Promise<Record<string, string>> {
  const out = await blockedServers(servers, p, { env: env(), cwd: root, platform: 'linux' });
  return Object.fromEntries([...out.values()].map((b) => [b.name, b.rule]));
}

describe('by name', () => {
  it('a deny by name blocks the server under every spelling the config folds together', async () => {
    const servers = ['github', 'GitHub', 'ｇｉｔｈｕｂ', 'git-hub'].map((n) => stdio(n, 'tool'));
    const p = policy({ denied: [{ serverName: 'git_hub' }, { serverName: 'github' }] });
    const out = await blocked(servers, p);
    expect(Object.keys(out)).toEqual(['github', 'GitHub', 'ｇｉｔｈｕｂ', 'git-hub']);
    expect(out.github).toBe('deniedMcpServers[1] {"serverName":"github"} matches its name');
    expect(out['git-hub']).toBe('deniedMcpServers[0] {"serverName":"git_hub"} matches its name');
  });

  it('a name-only allow list lets named servers run and blocks the rest', async () => {
    const out = await blocked(
      [stdio('db', 'tool'), stdio('files', 'tool'), remote('crm', 'https://crm.example/mcp')],
      policy({ allowed: [{ serverName: 'DB' }, { serverName: 'crm' }] }),
    );
    expect(out).toEqual({ files: 'its name "files" matches none of the serverName entries of allowedMcpServers' });
  });

  it('an empty allow list blocks every server; no allow list blocks none', async () => {
    const servers = [stdio('a', 'tool'), remote('b', 'https://b.example/')];
    expect(await blocked(servers, policy({ allowed: [] }))).toEqual({
      a: 'allowedMcpServers is empty, so no server may run',
      b: 'allowedMcpServers is empty, so no server may run',
    });
    expect(await blocked(servers, policy({}))).toEqual({});
  });

  it('deny wins over allow', async () => {
    const out = await blocked([stdio('db', 'tool')], policy({ allowed: [{ serverName: 'db' }], denied: [{ serverName: 'db' }] }));
    expect(out).toEqual({ db: 'deniedMcpServers[0] {"serverName":"db"} matches its name' });
  });
});

describe('by command', () => {
  it('a deny catches the command by bare name, by absolute path, through a symlink, and a copy elsewhere', async () => {
    const args = ['-y', 'bad-server'];
    const servers = [
      stdio('plain', 'npx', args),
      stdio('absolute', path.join(bin, 'npx'), args),
      stdio('symlink', path.join(root, 'links', 'npx-alias'), args),
      stdio('copy', path.join(other, 'npx'), args),
      stdio('other-args', 'npx', ['-y', 'good-server']),
      stdio('extra-arg', 'npx', [...args, '--flag']),
    ];
    const out = await blocked(servers, policy({ denied: [{ serverCommand: ['npx', '-y', 'bad-server'] }] }));
    expect(Object.keys(out)).toEqual(['plain', 'absolute', 'symlink', 'copy']);
    expect(out.plain).toBe('deniedMcpServers[0] {"serverCommand":["npx","-y","bad-server"]} matches its command');
  });

  it('a deny by absolute path catches the bare name that resolves to it, and a relative path argument naming the same file', async () => {
    const script = path.join(root, 'proj', 'bad.js');
    const servers = [stdio('bare', 'tool', [script]), stdio('relative-arg', 'tool', ['./bad.js']), stdio('plain-arg', 'tool', ['bad.js'])];
    const out = await blocked(servers, policy({ denied: [{ serverCommand: [path.join(bin, 'tool'), script] }] }));
    expect(Object.keys(out)).toEqual(['bare', 'relative-arg', 'plain-arg']);
  });

  it('an allow entry admits the same program (bare name, absolute path, symlink) but not a look-alike of the same name', async () => {
    const args = ['-y', '@modelcontextprotocol/server-filesystem'];
    const servers = [
      stdio('plain', 'npx', args),
      stdio('absolute', path.join(bin, 'npx'), args),
      stdio('symlink', path.join(root, 'links', 'npx-alias'), args),
      stdio('lookalike', path.join(other, 'npx'), args),
      stdio('own-path', 'npx', args, { env: { PATH: other } }),
      stdio('relative', './npx', args, { cwd: other }),
      stdio('different-args', 'npx', ['-y', 'something-else']),
    ];
    const out = await blocked(servers, policy({ allowed: [{ serverCommand: ['npx', ...args] }] }));
    expect(Object.keys(out)).toEqual(['lookalike', 'own-path', 'relative', 'different-args']);
    expect(out.lookalike).toBe(
      `its command ${JSON.stringify([path.join(other, 'npx'), ...args])} matches none of the serverCommand entries of allowedMcpServers`,
    );
  });

  it('with serverCommand entries in the allow list, a stdio server cannot pass by name alone', async () => {
    const allowed: ServerMatcher[] = [{ serverName: 'files' }, { serverCommand: ['npx', '-y', 'approved'] }];
    const out = await blocked(
      [stdio('files', path.join(other, 'npx'), ['-y', 'evil']), stdio('ok', 'npx', ['-y', 'approved'])],
      policy({ allowed }),
    );
    expect(Object.keys(out)).toEqual(['files']);
  });

  it('a command that is not found, or not executable, matches no allow entry and says so', async () => {
    const out = await blocked(
      [stdio('missing', 'no-such-program'), stdio('noexec', path.join(bin, 'not-executable'))],
      policy({ allowed: [{ serverCommand: ['no-such-program'] }, { serverCommand: [path.join(bin, 'not-executable')] }] }),
    );
    expect(out.missing).toBe(
      'its command ["no-such-program"] matches none of the serverCommand entries of allowedMcpServers ("no-such-program" was not found, so it cannot be matched)',
    );
    expect(Object.keys(out)).toEqual(['missing', 'noexec']);
  });

  it('a remote server needs a serverUrl or serverName entry: serverCommand entries never allow it', async () => {
    const out = await blocked([remote('r', 'https://r.example/mcp')], policy({ allowed: [{ serverCommand: ['npx'] }] }));
    expect(out).toEqual({ r: 'allowedMcpServers has no serverCommand, serverUrl or serverName entry that could allow a remote server' });
  });
});

describe('by URL', () => {
  it.each([
    ['HTTPS://MCP.Corp.Example:443/mcp/', 'https://mcp.corp.example/mcp'],
    ['https://user:secret@mcp.corp.example/mcp?x=1#frag', 'https://mcp.corp.example/mcp'],
    ['http://mcp.corp.example:80', 'http://mcp.corp.example/'],
    ['https://mcp.corp.example./a/%7euser/%2f%41', 'https://mcp.corp.example/a/~user/%2FA'],
    ['https://mcp.corp.example/a/./b/../c', 'https://mcp.corp.example/a/c'],
    ['http://2130706433:8080/mcp', 'http://127.0.0.1:8080/mcp'],
    ['https://bücher.example/mcp', 'https://xn--bcher-kva.example/mcp'],
  ])('%s is normalised to %s', (raw, normal) => {
    expect(normalizeServerUrl(raw)).toBe(normal);
  });

  const matches = (pattern: string, url: string): boolean => compileUrlPattern(pattern)(normalizeServerUrl(url) ?? '');

  it.each([
    ['https://*.corp.example/*', 'https://mcp.corp.example/mcp', true],
    ['https://*.corp.example/*', 'https://a.b.corp.example/', true],
    ['https://*.corp.example/*', 'https://MCP.CORP.EXAMPLE:443/x', true],
    // `*` in the host never reaches into the path, the user info or the port.
    ['https://*.corp.example/*', 'https://evil.example/x.corp.example/', false],
    ['https://*.corp.example/*', 'https://mcp.corp.example@evil.example/', false],
    ['https://*.corp.example/*', 'https://evil.example/?.corp.example/', false],
    ['https://*.corp.example/*', 'https://mcp.corp.example.evil.example/', false],
    ['https://*.corp.example/*', 'https://mcp.corp.example:8443/', false],
    ['https://*.corp.example/*', 'http://mcp.corp.example/', false],
    ['*://*.corp.example/*', 'http://mcp.corp.example/', true],
    ['http://localhost:*/*', 'http://localhost:3000/mcp', true],
    ['http://localhost:*/*', 'http://localhost/mcp', true],
    ['https://MCP.corp.example:443/mcp/', 'https://mcp.corp.example/mcp', true],
    ['https://mcp.corp.example/mcp', 'https://mcp.corp.example/mcp/?q=1', true],
    ['https://mcp.corp.example/mcp', 'https://mcp.corp.example/mcpx', false],
    ['https://mcp.corp.example/mcp/*', 'https://mcp.corp.example/mcp', true],
    ['https://mcp.corp.example/mcp/*', 'https://mcp.corp.example/mcp-evil', false],
    ['https://mcp.corp.example/%7Euser/*', 'https://mcp.corp.example/~user/x', true],
    ['http://127.0.0.1/*', 'http://0x7f.0.0.1/mcp', true],
    ['https://bücher.example/*', 'https://xn--bcher-kva.example/mcp', true],
  ])('%s against %s: %s', (pattern, url, expected) => {
    expect(matches(pattern, url)).toBe(expected);
  });

  it('a URL deny blocks a project server that re-adds the denied endpoint under another name', async () => {
    const servers = [
      remote('crm', 'https://crm.corp.example/mcp'),
      remote('renamed', 'https://user@CRM.corp.example:443/mcp/'),
      remote('fine', 'https://ok.example/mcp'),
    ];
    const out = await blocked(servers, policy({ denied: [{ serverUrl: 'https://crm.corp.example/*' }] }));
    expect(Object.keys(out)).toEqual(['crm', 'renamed']);
    expect(out.renamed).toBe('deniedMcpServers[0] {"serverUrl":"https://crm.corp.example/*"} matches its URL https://crm.corp.example/mcp');
  });

  it('with serverUrl entries in the allow list, a remote server cannot pass by name alone', async () => {
    const allowed: ServerMatcher[] = [{ serverName: 'crm' }, { serverUrl: 'https://*.corp.example/*' }];
    const out = await blocked([remote('crm', 'https://evil.example/mcp'), remote('x', 'https://x.corp.example/mcp')], policy({ allowed }));
    expect(out).toEqual({ crm: 'its URL https://evil.example/mcp matches none of the serverUrl entries of allowedMcpServers' });
  });
});
