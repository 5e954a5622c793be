// Smoke tests of the hostile fixture servers with the SDK's own Client: each must misbehave exactly
// as described, so tests of mcpsh against them prove mcpsh's handling and not a broken fixture.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath, startHttpFixture } from '../../helpers/fixtures.js';
import { descendants, isAlive, waitFor } from '../../helpers/processes.js';
import { cleanupAll, killQuietly, onCleanup, stdioFixture } from './fixture-client.js';
import { scaled } from '../../helpers/time.js';

afterEach(cleanupAll);

const INIT_LINE = `${JSON.stringify({
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
})}\n`;

function textOf(result: unknown): string {
  return (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('');
}

/** Spawns `node <fixture>` with plain pipes, for checks the SDK client hides (exit codes, raw stdout). */
function rawSpawn(file: string, args: readonly string[] = []) {
  const child = spawn(process.execPath, [fixturePath(file), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  onCleanup(async () => {
    killQuietly(child.pid);
    await exited;
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('crash-at-start.mjs', () => {
  it('exits 1 at once with a reason on stderr', async () => {
    const raw = rawSpawn('crash-at-start.mjs');
    expect(await raw.exited).toEqual([1, null]);
    expect(raw.stderr()).toBe('crash-at-start: fatal: DATABASE_URL is not set\n');
    expect(raw.stdout()).toBe('');
  });

  it('makes the SDK client fail to connect', async () => {
    const { client, transport } = stdioFixture('crash-at-start.mjs');
    await expect(client.connect(transport)).rejects.toThrow(/closed/i);
  });
});

describe('hang-on-initialize.mjs', () => {
  it('never answers initialize, so a connect with a timeout fails', async () => {
    const { client, transport } = stdioFixture('hang-on-initialize.mjs');
    await expect(client.connect(transport, { timeout: 300 })).rejects.toThrow(/timed out/i);
  });

  it('stays alive after its stdin closes, having written nothing on stdout', async () => {
    const raw = rawSpawn('hang-on-initialize.mjs');
    raw.child.stdin.end(INIT_LINE);
    await waitFor(() => raw.stderr().includes('stdin closed, staying alive'), { what: 'stdin close to be noticed' });
    expect(raw.stderr()).toContain(`ignoring ${INIT_LINE.length} bytes`);
    expect(raw.stdout()).toBe('');
    expect(isAlive(raw.child.pid!)).toBe(true);
  });
});

describe('garbage-stdout.mjs', () => {
  it('(default mode) prints non-JSON-RPC lines and never initializes', async () => {
    const { client, transport, errors } = stdioFixture('garbage-stdout.mjs');
    // The garbage is waited for, not raced against a short connect timeout (node may start slowly on a loaded machine).
    const connecting = client.connect(transport, { timeout: scaled(10_000) });
    const settled = connecting.then(
      () => 'initialized',
      (err: unknown) => `failed: ${String(err)}`,
    );
    await waitFor(() => errors.length >= 5, { what: 'the five garbage lines to be reported' });
    await client.close();
    expect(await settled).toMatch(/^failed: .*closed/i);
  });

  it('(then-init) prints garbage first and then works', async () => {
    const { client, transport, errors } = stdioFixture('garbage-stdout.mjs', ['then-init']);
    await client.connect(transport);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'still here' } }))).toBe('still here');
  });

  it('really writes the garbage on stdout', async () => {
    const raw = rawSpawn('garbage-stdout.mjs');
    raw.child.stdin.end(INIT_LINE);
    expect(await raw.exited).toEqual([0, null]);
    expect(raw.stdout().split('\n')).toEqual([
      'Starting server...',
      'DEBUG: loaded 3 plugins',
      '{not json at all',
      '[1,2,3',
      '{"hello":"json but not JSON-RPC"}',
      'ERROR: I do not speak MCP',
      '',
    ]);
  });
});

describe('exit-mid-call.mjs', () => {
  it('lists its tool and dies when it is called', async () => {
    const fixture = stdioFixture('exit-mid-call.mjs');
    await fixture.client.connect(fixture.transport);
    const pid = fixture.transport.pid!;
    expect((await fixture.client.listTools()).tools.map((t) => t.name)).toEqual(['doom']);
    await expect(fixture.client.callTool({ name: 'doom', arguments: {} })).rejects.toThrow(/closed/i);
    await waitFor(() => !isAlive(pid), { what: 'the server to exit' });
    expect(fixture.stderr()).toContain('segfault (simulated)');
  });
});

describe('slow-start.mjs (hostile side)', () => {
  it('slow-start is too slow for a short connect timeout', async () => {
    const { client, transport } = stdioFixture('slow-start.mjs', ['10000']);
    await expect(client.connect(transport, { timeout: 300 })).rejects.toThrow(/timed out/i);
  });
});

describe('wrapper.sh and spawns-grandchild.mjs', () => {
  it('build a tree sh -> node -> node whose lower part survives killing the top', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcpsh-fixture-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    const pidFile = join(dir, 'grandchild.pid');
    const { client, transport } = stdioFixture('wrapper.sh', [pidFile]);
    await client.connect(transport);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'via sh' } }))).toBe('via sh');

    const shPid = transport.pid!;
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const tree = descendants(shPid);
    onCleanup(() => tree.forEach(killQuietly));
    expect(tree).toHaveLength(2);
    expect(tree).toContain(grandchild);
    expect(readFileSync(`/proc/${shPid}/comm`, 'utf8').trim()).toMatch(/sh$/);

    // What a naive client does: end only the process it started.
    process.kill(shPid, 'SIGTERM');
    await waitFor(() => !isAlive(shPid), { what: 'sh to exit' });
    for (const pid of tree) expect(isAlive(pid)).toBe(true);
  });
});

describe('HTTP fixtures that are not working MCP endpoints', () => {
  const post = (url: string): Promise<Response> =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: INIT_LINE,
    });

  async function connectFails(url: string): Promise<void> {
    const client = new Client({ name: 'smoke', version: '0' });
    onCleanup(() => client.close());
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(url)), { timeout: scaled(5000) })).rejects.toThrow();
  }

  it('http-401 answers 401 with WWW-Authenticate', async () => {
    const server = await startHttpFixture('http-401.mjs');
    onCleanup(() => server.close());
    const res = await post(server.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="fixture"/);
    await connectFails(server.url);
  });

  it('http-500 answers 500', async () => {
    const server = await startHttpFixture('http-500.mjs');
    onCleanup(() => server.close());
    expect((await post(server.url)).status).toBe(500);
    await connectFails(server.url);
  });

  it('not-mcp-http answers 200 with an HTML page', async () => {
    const server = await startHttpFixture('not-mcp-http.mjs');
    onCleanup(() => server.close());
    const res = await post(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<h1>Hello from a web site</h1>');
    await connectFails(server.url);
  });
});
