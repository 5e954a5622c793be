// e2e: `mcpsh mcp add|add-json|list|get|remove|enable|disable|import` with the built CLI in temp dirs: what the
// files hold afterwards (comments kept), what is refused (clashing names, overwrite without --force), and that an
// added server is really used (`mcpsh tools`).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { fixturePath } from '../helpers/fixtures.js';

interface Home {
  dir: string;
  userFile: string;
  run(args: string[], env?: Record<string, string | undefined>): Promise<CliResult>;
  user(): { mcpServers?: Record<string, Record<string, unknown>> };
}

function home(): Home {
  const dir = mkdtempSync(join(tmpdir(), 'mcpsh-mcp-'));
  const userFile = join(dir, '.mcpsh-home', 'config', 'config.json');
  return {
    dir,
    userFile,
    // HOME points into the temp dir too, so import reads only the fake host files written there.
    run: (args, env = {}) => runCli(args, { cwd: dir, env: { HOME: dir, XDG_CONFIG_HOME: undefined, ...env }, timeoutMs: 60_000 }),
    user: () => parse(readFileSync(userFile, 'utf8')) as { mcpServers?: Record<string, Record<string, unknown>> },
  };
}

describe('mcpsh mcp', () => {
  it('adds a stdio server with env, a remote one with headers; lists, gets (redacted), disables, enables, removes', async () => {
    const h = home();
    const add = await h.run([
      'mcp',
      'add',
      'files',
      '-e',
      'ROOT=/srv',
      '-e',
      'API_TOKEN=s3cret-value',
      '--',
      'npx',
      '-y',
      'server-fs',
      '--flag',
    ]);
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toBe(`Added user server "files" to ${h.userFile}\n`);
    const remote = await h.run([
      'mcp',
      'add',
      'crm',
      'https://crm.example.com/mcp',
      '--transport',
      'sse',
      '--header',
      'Authorization: Bearer tok-123',
      '-H',
      'X-Team:blue',
    ]);
    expect(remote.code).toBe(0);
    expect(h.user().mcpServers).toEqual({
      files: { command: 'npx', args: ['-y', 'server-fs', '--flag'], env: { ROOT: '/srv', API_TOKEN: 's3cret-value' } },
      crm: { type: 'sse', url: 'https://crm.example.com/mcp', headers: { Authorization: 'Bearer tok-123', 'X-Team': 'blue' } },
    });

    const list = await h.run(['mcp', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME +TRANSPORT +STATE +TARGET +FROM\n/);
    expect(list.stdout).toMatch(/\nfiles +stdio +enabled +npx -y server-fs --flag +\S+config\.json\n/);
    expect(list.stdout).toMatch(/\ncrm +sse +enabled +https:\/\/crm\.example\.com\/mcp +/);
    const listJson = JSON.parse((await h.run(['mcp', 'list', '--json'])).stdout) as { servers: Array<{ name: string; enabled: boolean }> };
    expect(listJson.servers.map((s) => [s.name, s.enabled])).toEqual([
      ['files', true],
      ['crm', true],
    ]);

    const get = await h.run(['mcp', 'get', 'crm']);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('transport: sse');
    expect(get.stdout).toContain('Authorization: ***');
    expect(get.stdout).not.toContain('tok-123');
    const getJson = await h.run(['mcp', 'get', 'files', '--json']);
    expect(getJson.stdout).not.toContain('s3cret-value');
    expect((JSON.parse(getJson.stdout) as { env: Record<string, string> }).env).toEqual({ ROOT: '/srv', API_TOKEN: '***' });
    const missing = await h.run(['mcp', 'get', 'file']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no server named "file" (did you mean "files"?)');

    expect((await h.run(['mcp', 'disable', 'files'])).stdout).toBe(`Disabled server "files" in ${h.userFile}\n`);
    expect(h.user().mcpServers?.files?.enabled).toBe(false);
    expect((await h.run(['mcp', 'list'])).stdout).toMatch(/\nfiles +stdio +disabled /);
    expect((await h.run(['mcp', 'enable', 'files'])).code).toBe(0);
    expect(h.user().mcpServers?.files?.enabled).toBe(true);
    const removed = await h.run(['mcp', 'remove', 'crm']);
    expect(removed.stdout).toBe(`Removed server "crm" from ${h.userFile}\n`);
    expect(Object.keys(h.user().mcpServers ?? {})).toEqual(['files']);
    expect((await h.run(['mcp', 'remove', 'crm'])).code).toBe(2);
  });

  it('keeps the comments of the user file and refuses names that fold onto an existing one, or hold "__"', async () => {
    const h = home();
    mkdirSync(join(h.dir, '.mcpsh-home', 'config'), { recursive: true });
    writeFileSync(
      h.userFile,
      '// my servers\n{\n  /* the database */\n  "mcpServers": {\n    "db": { "command": "sqlite-mcp" } // keep me\n  }\n}\n',
    );
    expect((await h.run(['mcp', 'add-json', 'web', '{"url":"http://127.0.0.1:9/mcp","type":"http"}'])).code).toBe(0);
    const text = readFileSync(h.userFile, 'utf8');
    for (const comment of ['// my servers', '/* the database */', '// keep me']) expect(text).toContain(comment);
    expect(h.user().mcpServers?.web).toEqual({ url: 'http://127.0.0.1:9/mcp', type: 'http' });

    for (const name of ['DB', 'ｄｂ', 'Db']) {
      const clash = await h.run(['mcp', 'add', name, '--', 'other']);
      expect(clash.code).toBe(3);
      expect(clash.stderr).toContain(`server "${name}" cannot be told apart from server "db"`);
    }
    const sep = await h.run(['mcp', 'add', 'a__b', '--', 'x']);
    expect(sep.code).toBe(3);
    expect(sep.stderr).toContain('"a__b" cannot be a server name: it holds "__"');
    const again = await h.run(['mcp', 'add', 'db', '--', 'other']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already has a server named "db"');
    const bad = await h.run(['mcp', 'add-json', 'x', '{"url":"ftp://nope"}']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('mcpServers.x.url: expected an http:// or https:// URL');
    // Nothing refused reached the file.
    expect(readFileSync(h.userFile, 'utf8')).toBe(text);
    expect((await h.run(['mcp', 'add', 'db', '--force', '--', 'other'])).code).toBe(0);
    expect(h.user().mcpServers?.db).toEqual({ command: 'other' });
  });

  it('an added server is used: `mcpsh tools` lists it (user scope, and a trusted project file)', async () => {
    const h = home();
    expect((await h.run(['mcp', 'add', 'basic', '--', process.execPath, fixturePath('basic.mjs')])).code).toBe(0);
    const tools = await h.run(['tools', 'basic']);
    expect(tools.stderr).toBe('');
    expect(tools.stdout).toMatch(/^basic \(\d+ tools\)\n {2}basic__echo/);

    // Project scope: the new file is trusted as written, so no MCPSH_TRUST is needed to use it.
    const p = home();
    const add = await p.run(['mcp', 'add', 'proj', '--scope', 'project', '--', process.execPath, fixturePath('basic.mjs')], {
      MCPSH_TRUST: undefined,
    });
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`Trusted ${join(p.dir, 'mcp.config.json')} as written`);
    const projTools = await p.run(['tools'], { MCPSH_TRUST: undefined });
    expect(projTools.stderr).toBe('');
    expect(projTools.stdout).toContain('proj__echo');
  });

  it('does not trust a project file someone else wrote when adding to it', async () => {
    const h = home();
    writeFileSync(join(h.dir, 'mcp.config.json'), '{ "mcpServers": { "theirs": { "command": "curl", "args": ["evil"] } } }\n');
    const add = await h.run(['mcp', 'add', 'mine', '--scope', 'project', '--', 'echo'], { MCPSH_TRUST: undefined });
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('is not trusted: review it, then run `mcpsh trust`');
    expect((await h.run(['tools'], { MCPSH_TRUST: undefined })).code).toBe(3);
  });

  it('imports from a Claude Desktop file and a VS Code file, skipping existing names; --dry-run changes nothing', async () => {
    const h = home();
    mkdirSync(join(h.dir, '.config', 'Claude'), { recursive: true });
    writeFileSync(
      join(h.dir, '.config', 'Claude', 'claude_desktop_config.json'),
      JSON.stringify({
        mcpServers: { fs: { command: 'npx', args: ['-y', 'fs-server'], env: { K: 'v' } }, bad__name: { command: 'x' } },
        globalShortcut: 'Ctrl+Space',
      }),
    );
    mkdirSync(join(h.dir, '.vscode'));
    writeFileSync(
      join(h.dir, '.vscode', 'mcp.json'),
      '// VS Code\n{ "servers": { "gh": { "type": "http", "url": "https://gh.example.com/mcp" }, "fs": { "command": "other" }, "loc": { "type": "stdio", "command": "node", "envFile": ".env" } } }',
    );
    const dry = await h.run(['mcp', 'import', '--from', 'claude-desktop', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Would add 1 server(s)');
    expect(dry.stdout).toContain('bad__name skipped');
    expect(() => readFileSync(h.userFile)).toThrow();

    expect((await h.run(['mcp', 'import', '--from', 'claude-desktop'])).code).toBe(0);
    expect(h.user().mcpServers).toEqual({ fs: { command: 'npx', args: ['-y', 'fs-server'], env: { K: 'v' } } });
    const vs = await h.run(['mcp', 'import', '--from', 'vscode', '--json']);
    expect(vs.code).toBe(0);
    const report = JSON.parse(vs.stdout) as { added: Array<{ name: string; dropped: string[] }>; skipped: Array<{ name: string }> };
    expect(report.added).toEqual([
      expect.objectContaining({ name: 'gh', dropped: [] }),
      expect.objectContaining({ name: 'loc', dropped: ['envFile'] }),
    ]);
    expect(report.skipped.map((s) => s.name)).toEqual(['fs']);
    expect(h.user().mcpServers).toEqual({
      fs: { command: 'npx', args: ['-y', 'fs-server'], env: { K: 'v' } },
      gh: { type: 'http', url: 'https://gh.example.com/mcp' },
      loc: { type: 'stdio', command: 'node' },
    });
  });

  it("import without --from reads the user's host files, never the project's (a cloned repository's .mcp.json)", async () => {
    const h = home();
    mkdirSync(join(h.dir, '.cursor'));
    writeFileSync(join(h.dir, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { mine: { url: 'http://127.0.0.1:9/mcp' } } }));
    const repo = join(h.dir, 'repo');
    mkdirSync(repo);
    writeFileSync(join(repo, '.mcp.json'), JSON.stringify({ mcpServers: { theirs: { command: 'sh', args: ['-c', 'evil'] } } }));
    const all = await runCli(['mcp', 'import'], {
      cwd: repo,
      env: { HOME: h.dir, XDG_CONFIG_HOME: undefined, MCPSH_CONFIG_DIR: join(h.dir, '.mcpsh-home', 'config') },
    });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('+ mine: http://127.0.0.1:9/mcp');
    expect(h.user().mcpServers).toEqual({ mine: { url: 'http://127.0.0.1:9/mcp' } });
    const named = await runCli(['mcp', 'import', '--from', 'claude-code', '--dry-run'], {
      cwd: repo,
      env: { HOME: h.dir, MCPSH_CONFIG_DIR: join(h.dir, '.mcpsh-home', 'config') },
    });
    expect(named.stdout).toContain('+ theirs: sh -c evil');
  });
});
