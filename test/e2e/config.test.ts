// e2e: the built CLI's `config` and `init` commands, and a broken config: exact stdout, stderr and exit codes.
// Runs against dist (npm test builds first). HOME and MCPSH_CONFIG_DIR point into a temp tree so the
// machine's own configs never leak in.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/mcpsh.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let project: string;
let userDir: string;

function mcpsh(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: root, MCPSH_CONFIG_DIR: userDir, NO_COLOR: '1', ...extraEnv };
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: project, env, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mcpsh-e2e-config-'));
  project = path.join(root, 'project');
  userDir = path.join(root, 'user-config');
  mkdirSync(project);
  mkdirSync(userDir);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('mcpsh config', () => {
  it('with no config anywhere: says where it looked, suggests init, exit 3', async () => {
    const r = await mcpsh(['config']);
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr:
        `mcpsh: no config found: searched ${project} and each parent up to ${root} for mcp.config.json, .mcprc, .mcprc.json, ` +
        `mcp.config.js, mcp.config.mjs, mcp.config.cjs, mcp.config.ts, package.json#mcp, .mcp.json, .vscode/mcp.json, .cursor/mcp.json, and the user file ${userDir}/config.json\n` +
        '  hint: add a server with `mcpsh mcp add NAME -- COMMAND [ARGS...]`, or run `mcpsh init` to write a starter mcp.config.json here; --config FILE uses a file you have (a claude_desktop_config.json or .mcp.json works as is)\n',
    });
  });

  it('prints the resolved config with sources, warnings and secrets redacted', async () => {
    writeFileSync(
      path.join(userDir, 'config.json'),
      JSON.stringify({ mcpServers: { notes: { command: 'notes-server', disabled: true } } }),
    );
    writeFileSync(
      path.join(project, 'mcp.config.json'),
      JSON.stringify({
        mcpServers: {
          crm: { url: 'http://127.0.0.1:3333/mcp', headers: { Authorization: 'Bearer ${CRM_TOKEN}' }, required: true },
          db: { command: 'mcpsh', args: ['serve', 'sqlite', 'my data.db'], env: { DB_KEY: '${DB_KEY}' } },
        },
        theme: 'dark',
      }),
    );
    const r = await mcpsh(['config'], { CRM_TOKEN: 'crm-token-123456' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('crm-token-123456');
    const head = r.stdout.slice(0, r.stdout.indexOf('Resolved config'));
    expect(head).toBe(
      [
        'Config files (later ones win):',
        `  user     ${userDir}/config.json`,
        `  project  ${project}/mcp.config.json`,
        '',
        'Servers (3):',
        '  notes  stdio  notes-server  (disabled)',
        `         from ${userDir}/config.json`,
        '  crm    auto   http://127.0.0.1:3333/mcp  (required)',
        `         from ${project}/mcp.config.json`,
        '  db     stdio  mcpsh serve sqlite "my data.db"',
        `         from ${project}/mcp.config.json`,
        `         problem: server "db": mcpServers.db.env.DB_KEY uses \${DB_KEY}, which is not set; set DB_KEY or write \${DB_KEY:-default} (in ${project}/mcp.config.json)`,
        '',
        'Warnings:',
        `  - ${project}/mcp.config.json: unknown top-level key "theme" is ignored`,
        '',
        '',
      ].join('\n'),
    );
    expect(r.stdout).toContain('"Authorization": "***"');
  });

  it('--json prints sources, servers, config and warnings, redacted', async () => {
    writeFileSync(
      path.join(project, '.mcprc.json'),
      JSON.stringify({ mcpServers: { crm: { url: 'http://127.0.0.1:3333/mcp?key=${CRM_KEY}' } } }),
    );
    const r = await mcpsh(['config', '--json'], { CRM_KEY: 'query-secret-98765' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('query-secret-98765');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['sources', 'servers', 'config', 'warnings', 'modelProblems']);
    expect(out.sources).toEqual([{ path: path.join(project, '.mcprc.json'), scope: 'project' }]);
    expect(out.servers).toEqual([
      {
        name: 'crm',
        enabled: true,
        required: false,
        connectTimeoutMs: 30_000,
        callTimeoutMs: 60_000,
        maxCallTimeMs: 600_000,
        includeTools: [],
        excludeTools: [],
        source: path.join(project, '.mcprc.json'),
        maxRestarts: 3,
        breaker: { failures: 5, cooldownMs: 30_000 },
        pingIntervalMs: 60_000,
        transport: 'auto',
        url: 'http://127.0.0.1:3333/mcp?key=***',
        headers: {},
        oauth: { grantType: 'authorization_code', redirectPort: 0 },
      },
    ]);
    expect(out.config).toEqual({ mcpServers: { crm: { url: 'http://127.0.0.1:3333/mcp?key=***' } } });
    expect(out.warnings).toEqual([]);
  });

  it('a broken config: exit 3, the message on stderr, nothing on stdout', async () => {
    writeFileSync(
      path.join(project, 'mcp.config.json'),
      '{\n  "mcpServers": {\n    "db": { "command": "x", "args": "foo" },\n    "web": { "comand": "y" }\n  }\n}\n',
    );
    const r = await mcpsh(['config']);
    expect(r).toEqual({
      code: 3,
      stdout: '',
      stderr:
        `mcpsh: invalid config in ${project}/mcp.config.json:\n` +
        '  - mcpServers.db.args (line 3): expected an array of strings, found a string "foo"\n' +
        '  - mcpServers.web (line 4): expected an object with "command" (a stdio server) or "url" (a remote server), found neither; "comand" is an unknown key: did you mean "command"?\n' +
        '  hint: fix the 2 problems above, then run `mcpsh config` to check; every field is described in docs/configuration.md\n',
    });
  });

  it('--config with a missing file: exit 3 naming the path', async () => {
    const r = await mcpsh(['--config', 'claude_desktop_config.json', 'config']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(`mcpsh: config file not found: ${project}/claude_desktop_config.json`);
  });
});

describe('mcpsh init', () => {
  it('writes a starter that `config` then reads cleanly, and refuses to overwrite it', async () => {
    const init = await mcpsh(['init']);
    expect(init).toEqual({
      code: 0,
      stdout: `wrote ${project}/mcp.config.json (trusted: it is yours; an edit asks again)\nnext: run \`mcpsh config\` to check it, then \`mcpsh tools\` to list the tools of its servers\n`,
      stderr: '',
    });
    const config = await mcpsh(['config', '--json'], { OPENAI_API_KEY: 'sk-e2e-secret-key' });
    expect(config.code).toBe(0);
    expect(config.stderr).toBe('');
    expect(config.stdout).not.toContain('sk-e2e-secret-key');
    const out = JSON.parse(config.stdout) as {
      servers: { name: string; configError?: string }[];
      warnings: string[];
      modelProblems: string[];
    };
    expect(out.servers.map((s) => [s.name, s.configError])).toEqual([['db', undefined]]);
    expect(out.warnings).toEqual([]);
    expect(out.modelProblems).toEqual([]);

    const again = await mcpsh(['init']);
    expect(again.code).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      `mcpsh: ${project}/mcp.config.json already exists; not overwriting it\n` +
        '  hint: run `mcpsh init --force` to replace it, or `mcpsh init other-name.json` to write elsewhere\n',
    );
  });
});
