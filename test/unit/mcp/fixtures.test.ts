// Smoke tests of the well-behaved fixture servers with the SDK's own Client, over stdio, Streamable HTTP
// and SSE, so a broken fixture shows up here rather than as an mcpsh bug.
import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixturePath, startHttpFixture } from '../../helpers/fixtures.js';
import { waitFor } from '../../helpers/processes.js';
import { cleanupAll, killQuietly, onCleanup, stdioFixture } from './fixture-client.js';
import { scaled } from '../../helpers/time.js';

afterEach(cleanupAll);

function textOf(result: unknown): string {
  return (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('');
}

const BASIC_TOOLS = ['echo', 'add', 'fail', 'slow', 'big', 'image', 'mixed', 'env', 'headers'];

describe('basic.mjs over stdio', () => {
  it('introduces itself with its name and instructions and lists its tools', async () => {
    const { client, transport } = stdioFixture('basic.mjs', ['--name', 'custom']);
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('custom');
    expect(client.getInstructions()).toMatch(/Fixture server for mcpsh tests/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(BASIC_TOOLS);
    expect(tools.find((t) => t.name === 'add')?.outputSchema).toMatchObject({ properties: { sum: { type: 'integer' } } });
  });

  it('answers echo, add (structured), fail (isError), big, image and mixed', async () => {
    const { client, transport } = stdioFixture('basic.mjs');
    await client.connect(transport);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi there' } }))).toBe('hi there');
    const sum = await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } });
    expect(sum.structuredContent).toEqual({ sum: 42 });
    const failed = await client.callTool({ name: 'fail', arguments: { message: 'boom' } });
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toBe('boom');
    expect(textOf(await client.callTool({ name: 'big', arguments: { kb: 64 } }))).toHaveLength(64 * 1024);
    const image = (await client.callTool({ name: 'image', arguments: {} })) as CallToolResult;
    expect(image.content[0]).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const mixed = (await client.callTool({ name: 'mixed', arguments: {} })) as CallToolResult;
    expect(mixed.content.map((c) => c.type)).toEqual(['text', 'image', 'audio', 'resource_link', 'resource']);
  });

  it('reports its working directory and environment', async () => {
    const { client, transport } = stdioFixture('basic.mjs', [], { env: { FIXTURE_SMOKE_VALUE: 'from-the-test' } });
    await client.connect(transport);
    const seen = JSON.parse(textOf(await client.callTool({ name: 'env', arguments: { name: 'FIXTURE_SMOKE_VALUE' } })));
    expect(seen).toEqual({ cwd: process.cwd(), value: 'from-the-test' });
    expect(JSON.parse(textOf(await client.callTool({ name: 'headers', arguments: {} })))).toEqual({});
  });

  it('sends progress for slow when asked', async () => {
    const { client, transport } = stdioFixture('basic.mjs');
    await client.connect(transport);
    const seen: Progress[] = [];
    const result = await client.callTool({ name: 'slow', arguments: { ms: 50, steps: 5 } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(textOf(result)).toBe('slept 50ms');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toMatchObject({ progress: 1, total: 5, message: 'step 1 of 5' });
  });

  it('stops slow when the call is cancelled', async () => {
    const fixture = stdioFixture('basic.mjs');
    await fixture.client.connect(fixture.transport);
    const abort = new AbortController();
    const call = fixture.client.callTool({ name: 'slow', arguments: { ms: 60_000 } }, undefined, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(call).rejects.toThrow(/abort/i);
    await waitFor(() => fixture.stderr().includes('slow: cancelled after'), { what: 'the server to log the cancellation' });
  });

  it('exits by itself, with code 0, when its stdin closes', async () => {
    const child = spawn(process.execPath, [fixturePath('basic.mjs')], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
    onCleanup(async () => {
      killQuietly(child.pid);
      await exited;
    });
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })}\n`);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.stdin.end();
    expect(await exited).toEqual([0, null]);
  });
});

describe('basic.mjs over HTTP', () => {
  it('serves Streamable HTTP with sessions and passes request headers to tools', async () => {
    const server = await startHttpFixture('basic.mjs', ['--http', '0', '--name', 'remote']);
    onCleanup(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { 'X-Fixture-Test': 'yes' } } });
    const client = new Client({ name: 'smoke', version: '0' });
    onCleanup(() => client.close());
    await client.connect(transport);
    expect(client.getServerVersion()?.name).toBe('remote');
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'over http' } }))).toBe('over http');
    const headers = JSON.parse(textOf(await client.callTool({ name: 'headers', arguments: {} }))) as Record<string, string>;
    expect(headers['x-fixture-test']).toBe('yes');
    const seen: Progress[] = [];
    await client.callTool({ name: 'slow', arguments: { ms: 30, steps: 3 } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    await transport.terminateSession();
    const stale = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': transport.sessionId ?? 'gone',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(stale.status).toBe(404);
  });

  it('serves legacy SSE', async () => {
    const server = await startHttpFixture('basic.mjs', ['--sse', '0']);
    onCleanup(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sse$/);
    const client = new Client({ name: 'smoke', version: '0' });
    onCleanup(() => client.close());
    await client.connect(new SSEClientTransport(new URL(server.url)));
    expect(client.getInstructions()).toMatch(/Fixture server/);
    expect((await client.listTools()).tools).toHaveLength(BASIC_TOOLS.length);
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } }))).toBe('{"sum":2}');
  });
});

describe('paginated.mjs', () => {
  it('serves 25 tools in pages of 10 and rejects a made-up cursor', async () => {
    const { client, transport } = stdioFixture('paginated.mjs');
    await client.connect(transport);
    const pages: number[] = [];
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor === undefined ? undefined : { cursor });
      pages.push(page.tools.length);
      names.push(...page.tools.map((t) => t.name));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(pages).toEqual([10, 10, 5]);
    expect(new Set(names).size).toBe(25);
    expect(names[24]).toBe('tool_24');
    await expect(client.listTools({ cursor: 'bogus' })).rejects.toThrow(/invalid cursor/);
    expect(textOf(await client.callTool({ name: 'tool_17', arguments: {} }))).toBe('tool_17');
  });
});

describe('list-changed.mjs', () => {
  it('announces a new tool with notifications/tools/list_changed', async () => {
    const { client, transport } = stdioFixture('list-changed.mjs');
    await client.connect(transport);
    expect(client.getServerCapabilities()?.tools?.listChanged).toBe(true);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['add_tool']);
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified++;
    });
    await client.callTool({ name: 'add_tool', arguments: { name: 'zap' } });
    await waitFor(() => notified === 1, { what: 'tools/list_changed' });
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['add_tool', 'zap']);
    expect(textOf(await client.callTool({ name: 'zap', arguments: {} }))).toBe('called zap');
  });
});

describe('slow-start.mjs and stderr-chatty.mjs', () => {
  it('slow-start works once its delay is over (the hostile side is in fixtures-hostile)', async () => {
    const { client, transport } = stdioFixture('slow-start.mjs', ['200']);
    await client.connect(transport);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'late' } }))).toBe('late');
  });

  it('stderr-chatty works while writing far more than a pipe buffer to stderr', async () => {
    const fixture = stdioFixture('stderr-chatty.mjs');
    await fixture.client.connect(fixture.transport);
    expect(textOf(await fixture.client.callTool({ name: 'echo', arguments: { message: 'quiet please' } }))).toBe('quiet please');
    // The pipe is read as it drains, which can lag the answer on a busy machine: wait for the call's last line.
    await vi.waitFor(() => expect(fixture.stderr()).toContain('stderr-chatty call 99'), { timeout: scaled(15_000) });
    expect(fixture.stderr().length).toBeGreaterThan(128 * 1024);
  });
});
