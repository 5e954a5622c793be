// The built CLI as a user runs it: exact stdout, stderr and exit codes of servers, tools, call and doctor.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/fixtures.js';
import { normalizeTimings, projectWithConfig, runCli } from '../helpers/cli.js';
import { withDuration } from '../helpers/time.js';

const node = process.execPath;
const basic = { command: node, args: [fixturePath('basic.mjs')] };

describe('mcpsh tools', () => {
  it('lists namespaced tools per server, with failures on stderr', async () => {
    const cwd = projectWithConfig({
      mcpServers: {
        basic: { ...basic, includeTools: ['echo', 'add'] },
        broken: { command: node, args: [fixturePath('crash-at-start.mjs')] },
      },
    });
    const r = await runCli(['tools'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'basic (2 tools)\n  basic__echo             Repeat a message back.\n  basic__add [read-only]  Add two integers.\n',
    );
    expect(r.stderr).toMatch(/^mcpsh: server broken failed: server process exited with code 1: .+\n$/);
  });

  it('--json gives names, schemas and failures', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic: { ...basic, includeTools: ['echo'] } } });
    const r = await runCli(['tools', '--json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.failed).toEqual([]);
    expect(json.tools).toHaveLength(1);
    expect(json.tools[0]).toMatchObject({ name: 'basic__echo', server: 'basic', tool: 'echo', description: 'Repeat a message back.' });
    expect(json.tools[0].inputSchema.required).toEqual(['message']);
    expect(r.stderr).toBe('');
  });

  it('tools <server> for an unknown server is a usage error with a suggestion', async () => {
    const cwd = projectWithConfig({ mcpServers: { basic } });
    const r = await runCli(['tools', 'basci'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mcpsh: no server named "basci" in the config (did you mean "basic"?)\n  hint: configured servers: basic\n');
  });

  it('tools <server> for a server that fails exits 4', async () => {
    const cwd = projectWithConfig({ mcpServers: { broken: { command: node, args: [fixturePath('crash-at-start.mjs')] } } });
    const r = await runCli(['tools', 'broken'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('no tools\n');
  });
});

describe('mcpsh call', () => {
  const cwd = projectWithConfig({ mcpServers: { basic } });

  it('prints the text of a result', async () => {
    const r = await runCli(['call', 'basic', 'echo', '{"message":"hello"}'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: 'hello\n', stderr: '' });
  });

  it('accepts the namespaced name and --arg pairs (typed by the schema)', async () => {
    const r = await runCli(['call', 'basic', 'basic__add', '--arg', 'a=2', '--arg', 'b=40'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('42');
  });

  it('reads arguments from stdin with -', async () => {
    const r = await runCli(['call', 'basic', 'echo', '-'], { cwd, input: '{"message":"from stdin"}' });
    expect(r).toMatchObject({ code: 0, stdout: 'from stdin\n' });
  });

  it('--json prints the raw MCP result', async () => {
    const r = await runCli(['call', 'basic', 'add', '{"a":1,"b":2}', '--json'], { cwd });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.structuredContent).toEqual({ sum: 3 });
    expect(json.content[0].type).toBe('text');
  });

  it('a tool error result goes to stderr with exit 5', async () => {
    const r = await runCli(['call', 'basic', 'fail', '{"message":"nope"}'], { cwd });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mcpsh: basic › fail reported an error:\nnope\n');
  });

  it('arguments are validated against the input schema before sending', async () => {
    const r = await runCli(['call', 'basic', 'echo', '{"mesage":"typo"}'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mcpsh: invalid arguments for basic › echo:\n');
    expect(r.stderr).toContain('"message"');
    expect(r.stderr).toContain('  hint: see the expected arguments with: mcpsh tools basic --schema\n');
  });

  it('malformed JSON arguments are a usage error', async () => {
    const r = await runCli(['call', 'basic', 'echo', '{message:'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mcpsh: the arguments are not valid JSON: /);
  });

  it('an unknown tool suggests the closest name', async () => {
    const r = await runCli(['call', 'basic', 'ecko', '{}'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'mcpsh: server basic has no tool "ecko" (did you mean "echo"?)\n  hint: list its tools with: mcpsh tools basic\n',
    );
  });

  it('--json failures also put an error object on stdout', async () => {
    const r = await runCli(['call', 'basic', 'ecko', '{}', '--json'], { cwd });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        code: 'USAGE',
        message: 'server basic has no tool "ecko" (did you mean "echo"?)',
        hint: 'list its tools with: mcpsh tools basic',
      },
    });
  });

  it('a server that cannot start exits 4 with the reason', async () => {
    const dir = projectWithConfig({ mcpServers: { broken: { command: node, args: [fixturePath('crash-at-start.mjs')] } } });
    const r = await runCli(['call', 'broken', 'anything'], { cwd: dir });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcpsh: server broken could not start: server process exited with code 1: /);
  });

  it('--timeout turns a slow call into exit 7', async () => {
    const r = await runCli(['call', 'basic', 'slow', '{"ms":5000}', '--timeout', '0.3'], { cwd });
    expect(r.code).toBe(7);
    expect(r.stderr).toBe(
      'mcpsh: basic › slow did not answer within 0.3s\n  hint: raise callTimeout for this server in the config, or pass --timeout\n',
    );
  });

  it('only the called server is started', async () => {
    const dir = projectWithConfig({ mcpServers: { basic, hang: { command: node, args: [fixturePath('hang-on-initialize.mjs')] } } });
    const r = await runCli(['call', 'basic', 'echo', '{"message":"fast"}'], { cwd: dir, timeoutMs: 8000 });
    expect(r).toMatchObject({ code: 0, stdout: 'fast\n' });
  });
});

describe('mcpsh servers and doctor', () => {
  const config = {
    mcpServers: {
      basic,
      broken: { command: node, args: [fixturePath('crash-at-start.mjs')] },
      off: { ...basic, enabled: false },
    },
  };

  it('servers shows each state', async () => {
    const r = await runCli(['servers'], { cwd: projectWithConfig(config) });
    expect(r.code).toBe(0);
    const lines = normalizeTimings(r.stdout).split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TRANSPORT\s+PROTOCOL\s+STATE\s+TOOLS\s+CONNECT\s+ERROR$/);
    expect(lines[1]).toMatch(/^basic\s+stdio\s+legacy 2025-11-25\s+ready\s+9\s+<duration>$/);
    expect(lines[2]).toMatch(/^broken\s+stdio\s+-\s+failed\s+-\s+-\s+server process exited with code 1: /);
    expect(lines[3]).toMatch(/^off\s+stdio\s+-\s+disabled\s+-\s+-$/);
  });

  it('status is an alias, and --json is machine-readable', async () => {
    const r = await runCli(['status', '--json'], { cwd: projectWithConfig(config) });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.servers.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([
      ['basic', 'ready'],
      ['broken', 'failed'],
      ['off', 'disabled'],
    ]);
    expect(json.servers[0]).toMatchObject({
      transport: 'stdio',
      tools: 9,
      error: null,
      serverInfo: { name: 'basic' },
      era: 'legacy',
      protocolVersion: '2025-11-25',
    });
  });

  it('doctor exits 9 when an enabled server is unhealthy, and says why', async () => {
    const r = await runCli(['doctor'], { cwd: projectWithConfig(config) });
    expect(r.code).toBe(9);
    expect(r.stdout).toMatch(
      withDuration(
        String.raw`✓\s+basic\s+stdio\s+ready\s+9 tools\s+connect <duration>\s+ping <duration>\s+legacy \d{4}-\d\d-\d\d\s+basic 1.0.0`,
      ),
    );
    expect(r.stdout).toMatch(/✗\s+broken\s+stdio\s+failed/);
    expect(r.stdout).toContain('  broken: error: server process exited with code 1');
    expect(r.stdout).toContain('1 of 2 enabled servers healthy, 1 disabled\n');
  });

  it('doctor exits 0 when all enabled servers are healthy; --json has latency and protocol', async () => {
    const r = await runCli(['doctor', '--json'], { cwd: projectWithConfig({ mcpServers: { basic } }) });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.healthy).toBe(true);
    expect(json.servers[0]).toMatchObject({ name: 'basic', healthy: true, problems: [] });
    expect(typeof json.servers[0].pingMs).toBe('number');
    expect(json.servers[0].protocolVersion).toMatch(/^\d{4}-\d\d-\d\d$/);
  });
});

describe('config problems, as a newcomer meets them', () => {
  it('no config anywhere: exit 3 and how to make one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-empty-'));
    const r = await runCli(['tools'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mcpsh init');
  });

  it('an invalid config: exit 3, the file and the JSON path', async () => {
    const cwd = projectWithConfig({ mcpServers: { db: { command: 'x', args: 'not-a-list' } } });
    const r = await runCli(['tools'], { cwd });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(join(cwd, 'mcp.config.json'));
    expect(r.stderr).toContain('mcpServers.db.args');
  });

  it('--config accepts a Claude Desktop file as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-claude-'));
    const file = join(dir, 'claude_desktop_config.json');
    writeFileSync(file, JSON.stringify({ globalShortcut: 'Ctrl+Space', mcpServers: { basic } }));
    const r = await runCli(['--config', file, 'call', 'basic', 'echo', '{"message":"claude"}'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('claude\n');
    expect(readFileSync(file, 'utf8')).toContain('globalShortcut');
  });

  it('an unset ${VAR} fails only its server, naming server and field', async () => {
    const cwd = projectWithConfig({
      mcpServers: { basic, needy: { ...basic, env: { TOKEN: '${MCPSH_TEST_UNSET_VAR}' } } },
    });
    const r = await runCli(['servers', '--json'], { cwd, env: { MCPSH_TEST_UNSET_VAR: undefined } });
    expect(r.code).toBe(0);
    const needy = JSON.parse(r.stdout).servers.find((s: { name: string }) => s.name === 'needy');
    expect(needy.state).toBe('failed');
    expect(needy.error).toContain('MCPSH_TEST_UNSET_VAR');
    expect(needy.error).toContain('mcpServers.needy.env.TOKEN');
  });
});

describe('usage', () => {
  it('--version and --help are quick and clean', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'mcpsh-help-'));
    const v = await runCli(['--version'], { cwd });
    expect(v).toMatchObject({ code: 0, stderr: '' });
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const h = await runCli(['--help'], { cwd });
    expect(h.code).toBe(0);
    for (const command of ['servers', 'tools', 'call', 'doctor', 'config', 'init', 'serve']) expect(h.stdout).toContain(command);
  });

  it('an unknown command exits 2', async () => {
    const r = await runCli(['frobnicate'], { cwd: mkdtempSync(join(tmpdir(), 'mcpsh-help-')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("mcpsh: unknown command 'frobnicate'");
  });
});

describe('required servers', () => {
  it('a required server that fails stops the command at once (exit 4), without waiting for slow ones', async () => {
    const cwd = projectWithConfig({
      mcpServers: {
        must: { command: node, args: [fixturePath('crash-at-start.mjs')], required: true },
        slow: { command: node, args: [fixturePath('hang-on-initialize.mjs')], connectTimeout: 60 },
      },
    });
    // Without fail-fast this would wait the hanging server's 60 s connectTimeout and the run would time out.
    const r = await runCli(['tools'], { cwd, timeoutMs: 15_000 });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^mcpsh: required server must could not start: server process exited with code 1: .+\n {2}hint: /);
  });
});
