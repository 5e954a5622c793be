// How the built CLI settles a server's protocol era (issue 13): a pinned era the server does not speak is
// a connect failure that names the eras and what to set (never a 404 / "is this the MCP endpoint"); a
// warm start reuses the cached verdict and sends no `server/discover`; odd answers to the probe from
// legacy servers still end in a working legacy connection; a lazy server is not probed when it need not be.
import { afterEach, describe, expect, it } from 'vitest';
import { projectWithConfig, runCli } from '../helpers/cli.js';
import { methods, probes, startEraServer, type EraServer, type Transport } from '../helpers/eras.js';

const TRANSPORTS: Transport[] = ['stdio', 'http'];
/** What the misleading pre-issue-13 message said when a modern-only server refused the legacy handshake. */
const NOT_MCP = /\b40[45]\b|is this the MCP endpoint/;
/** Bounds each connect: a fallback that waited for a 30 s probe timeout would fail instead of passing slowly. */
const CONNECT_TIMEOUT = 10;

const started: EraServer[] = [];
async function start(file: string, transport: Transport, args: string[] = [], extra: Record<string, unknown> = {}): Promise<EraServer> {
  const server = await startEraServer(file, transport, args, { connectTimeout: CONNECT_TIMEOUT, ...extra });
  started.push(server);
  return server;
}
afterEach(async () => {
  for (const server of started.splice(0)) await server.close();
});

interface ServerStatus {
  name: string;
  state: string;
  era?: string;
  protocolVersion?: string | null;
}

async function status(cwd: string): Promise<ServerStatus | undefined> {
  const r = await runCli(['servers', '--json'], { cwd });
  return (JSON.parse(r.stdout) as { servers: ServerStatus[] }).servers[0];
}

describe.each(TRANSPORTS)('a pinned era the server does not speak (%s)', (transport) => {
  it('protocolVersion "legacy" against a modern-only server: a connect failure naming the eras and what to set', async () => {
    const server = await start('modern-only.mjs', transport, [], { protocolVersion: 'legacy' });
    const cwd = projectWithConfig({ mcpServers: { m: server.entry } });
    const r = await runCli(['tools', 'm'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcpsh: server m failed: /);
    expect(r.stderr).toContain('2026-07-28');
    expect(r.stderr).toMatch(/legacy|2025-/);
    expect(r.stderr).toContain('protocolVersion');
    expect(r.stderr).not.toMatch(NOT_MCP);
    // Pinned legacy: the handshake was tried, and nothing was probed.
    expect(methods(server.log())).toContain('initialize');
    expect(probes(server.log())).toBe(0);
  });

  it('protocolVersion "modern" against a legacy server: a connect failure naming the eras and what to set', async () => {
    const server = await start('basic.mjs', transport, [], { protocolVersion: 'modern' });
    const cwd = projectWithConfig({ mcpServers: { b: server.entry } });
    const r = await runCli(['tools', 'b'], { cwd });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^mcpsh: server b failed: /);
    expect(r.stderr).toContain('2026-07-28');
    expect(r.stderr).toMatch(/legacy|2025-/);
    expect(r.stderr).toContain('protocolVersion');
    expect(r.stderr).not.toMatch(NOT_MCP);
  });
});

describe.each(TRANSPORTS)('warm start against a dual-era server (%s)', (transport) => {
  it('the first run probes once and goes modern; the second reuses the verdict and sends no server/discover', async () => {
    const server = await start('dual-era.mjs', transport);
    const cwd = projectWithConfig({ mcpServers: { d: server.entry } });
    const cold = await runCli(['tools', 'd'], { cwd });
    expect(cold.code).toBe(0);
    expect(cold.stdout).toContain('d__echo');
    expect(probes(server.log())).toBe(1);
    expect(methods(server.log())).not.toContain('initialize');

    server.clearLog();
    const warm = await runCli(['tools', 'd'], { cwd });
    expect(warm.code).toBe(0);
    expect(warm.stdout).toContain('d__echo');
    const seen = server.log();
    expect(probes(seen)).toBe(0);
    expect(methods(seen)).not.toContain('initialize');
    for (const request of seen.filter((l) => l.ev === 'message' && l.kind === 'request'))
      expect(request.protocolVersion).toBe('2026-07-28');
  });
});

describe('odd answers to the probe from legacy HTTP servers', () => {
  const MODES = ['sse-empty', 'uncorrelated-id', 'odd-code', '400-empty', '400-text', '400-uncorrelated', '202', '404'];

  it.each(MODES)('--mode %s: the connection ends as a working legacy one', async (mode) => {
    const server = await start('odd-reply.mjs', 'http', ['--mode', mode]);
    const cwd = projectWithConfig({ mcpServers: { odd: server.entry } });
    const r = await runCli(['call', 'odd', 'add', '{"a":2,"b":3}'], { cwd, timeoutMs: 30_000 });
    expect(r).toMatchObject({ code: 0, stdout: '5\n' });
    // The probe was sent and answered oddly, and mcpsh went on with the legacy handshake.
    expect(probes(server.log())).toBeGreaterThanOrEqual(1);
    expect(methods(server.log())).toContain('initialize');
    expect(await status(cwd)).toMatchObject({ state: 'ready', era: 'legacy' });
  });
});

describe('odd answers to the probe from legacy stdio servers', () => {
  it.each(['exit-on-unknown', 'silent-unknown', 'null-id'])('--mode %s: the connection ends as a working legacy one', async (mode) => {
    const server = await start('odd-stdio.mjs', 'stdio', ['--mode', mode]);
    const cwd = projectWithConfig({ mcpServers: { odd: server.entry } });
    const r = await runCli(['call', 'odd', 'add', '{"a":2,"b":3}'], { cwd, timeoutMs: 30_000 });
    expect(r).toMatchObject({ code: 0, stdout: '5\n' });
    expect(probes(server.log())).toBeGreaterThanOrEqual(1);
    expect(methods(server.log())).toContain('initialize');
    expect(await status(cwd)).toMatchObject({ state: 'ready', era: 'legacy' });
  });

  it('a server that exits on the probe is spawned again only on the first contact', async () => {
    const server = await start('odd-stdio.mjs', 'stdio', ['--mode', 'exit-on-unknown']);
    const cwd = projectWithConfig({ mcpServers: { odd: server.entry } });
    expect((await runCli(['call', 'odd', 'echo', '{"message":"one"}'], { cwd })).code).toBe(0);
    server.clearLog();
    const r = await runCli(['call', 'odd', 'echo', '{"message":"two"}'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: 'two\n' });
    const seen = server.log();
    expect(seen.filter((l) => l.ev === 'exit')).toEqual([]);
    expect(new Set(seen.map((l) => l.pid)).size).toBe(1);
  });
});

describe.each(TRANSPORTS)('a lazy server (%s)', (transport) => {
  it('pinned legacy: not a single probe', async () => {
    const server = await start('lazy-server.mjs', transport, [], { protocolVersion: 'legacy' });
    const cwd = projectWithConfig({ mcpServers: { lazy: server.entry } });
    const r = await runCli(['call', 'lazy', 'echo', '{"message":"zzz"}'], { cwd });
    expect(r).toMatchObject({ code: 0, stdout: 'zzz\n' });
    expect(server.log().find((l) => l.ev === 'woken')).toMatchObject({ by: 'initialize' });
    expect(probes(server.log())).toBe(0);
  });

  it('auto: probed on the first contact only', async () => {
    const server = await start('lazy-server.mjs', transport);
    const cwd = projectWithConfig({ mcpServers: { lazy: server.entry } });
    expect((await runCli(['call', 'lazy', 'echo', '{"message":"one"}'], { cwd })).code).toBe(0);
    expect(probes(server.log())).toBe(1);
    server.clearLog();
    expect((await runCli(['call', 'lazy', 'echo', '{"message":"two"}'], { cwd })).code).toBe(0);
    expect(probes(server.log())).toBe(0);
  });
});
