import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedServer } from '../../../src/config/schema.js';
import { tolerateDiscoverReplies } from '../../../src/mcp/discover-shim.js';
import { EraCache } from '../../../src/mcp/era-cache.js';
import { describeEraError, isStaleVerdictError, planEra } from '../../../src/mcp/era.js';
import { ProcessStdioTransport } from '../../../src/mcp/stdio-transport.js';
import { shouldFallBackToSse } from '../../../src/mcp/remote-transport.js';
import type { DiscoverResult, JSONRPCMessage } from '../../../src/mcp/types.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { SdkHttpError, SdkErrorCode, UnsupportedProtocolVersionError } from '@modelcontextprotocol/client';

const PROBE = JSON.stringify({ jsonrpc: '2.0', id: 'server-discover-probe-1', method: 'server/discover', params: {} });
const CALL = JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} });

function server(over: Partial<ResolvedServer> = {}): ResolvedServer {
  return {
    name: 'x',
    enabled: true,
    required: false,
    connectTimeoutMs: 30_000,
    callTimeoutMs: 60_000,
    maxCallTimeMs: 600_000,
    includeTools: [],
    excludeTools: [],
    source: '/tmp/mcp.config.json',
    maxRestarts: 3,
    breaker: { failures: 5, cooldownMs: 30_000 },
    pingIntervalMs: 60_000,
    transport: 'stdio',
    command: 'node',
    args: ['server.mjs'],
    env: {},
    inheritEnv: false,
    cwd: '/tmp',
    ...over,
  } as ResolvedServer;
}

/** A fetch that answers every request with `make()` (a real Response, no network). */
const answering = (make: () => Response) => tolerateDiscoverReplies(() => Promise.resolve(make()));

async function bodyOf(response: Response): Promise<{ id?: unknown; error?: { code: number }; result?: unknown }> {
  return JSON.parse(await response.text()) as { id?: unknown; error?: { code: number }; result?: unknown };
}

describe('the HTTP probe shim: odd answers to server/discover become a correlated "method not found"', () => {
  const odd: Array<[string, () => Response]> = [
    ['200 event stream that closes empty', () => new Response('', { status: 200, headers: { 'content-type': 'text/event-stream' } })],
    [
      '200 event stream answering another id',
      () =>
        new Response('event: message\ndata: {"jsonrpc":"2.0","id":99,"result":{}}\n\n', {
          status: 200,
          headers: { 'content-type': 'text/event-stream' },
        }),
    ],
    ['202 Accepted, no body', () => new Response(null, { status: 202 })],
    [
      '200 JSON error with a null id',
      () => Response.json({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Server not initialized' } }),
    ],
    ['200 JSON error with no id', () => Response.json({ jsonrpc: '2.0', error: { code: -32600, message: 'Bad Request' } })],
    [
      '200 with a body that is not JSON',
      () => new Response('<html>hello</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    ],
  ];
  it.each(odd)('%s', async (_label, make) => {
    const response = await answering(make)('http://127.0.0.1/mcp', { method: 'POST', body: PROBE });
    expect(response.status).toBe(200);
    const body = await bodyOf(response);
    expect(body.id).toBe('server-discover-probe-1');
    expect(body.error?.code).toBe(-32601);
  });

  it('a real answer (JSON or in an event stream) passes through', async () => {
    const discover = { jsonrpc: '2.0', id: 'server-discover-probe-1', result: { supportedVersions: ['2026-07-28'] } };
    const json = await bodyOf(await answering(() => Response.json(discover))('http://h/mcp', { method: 'POST', body: PROBE }));
    expect(json).toEqual(discover);
    const sse = `event: message\ndata: ${JSON.stringify(discover)}\n\n`;
    const streamed = await bodyOf(
      await answering(() => new Response(sse, { headers: { 'content-type': 'text/event-stream' } }))('http://h/mcp', {
        method: 'POST',
        body: PROBE,
      }),
    );
    expect(streamed).toEqual(discover);
  });

  it('leaves other requests and non-2xx answers alone (4xx/401/5xx are not era evidence)', async () => {
    const empty = await answering(() => new Response(null, { status: 202 }))('http://h/mcp', { method: 'POST', body: CALL });
    expect(empty.status).toBe(202);
    for (const status of [400, 401, 404, 500]) {
      const r = await answering(() => new Response('x', { status }))('http://h/mcp', { method: 'POST', body: PROBE });
      expect(r.status).toBe(status);
    }
  });
});

describe('stdio: a null-id refusal of the probe gets the probe id', () => {
  it('odd-stdio --mode null-id', async () => {
    const transport = new ProcessStdioTransport({
      command: process.execPath,
      args: [fixturePath('odd-stdio.mjs'), '--mode', 'null-id'],
      env: { PATH: process.env.PATH ?? '' },
      cwd: process.cwd(),
    });
    const received = new Promise<JSONRPCMessage>((resolve) => (transport.onmessage = resolve));
    await transport.start();
    expect(transport.stderr).not.toBeNull();
    await transport.send(JSON.parse(PROBE) as JSONRPCMessage);
    const message = (await received) as { id?: unknown; error?: { code: number } };
    await transport.close();
    expect(message.id).toBe('server-discover-probe-1');
    expect(message.error?.code).toBe(-32600);
  });
});

describe('the era plan', () => {
  const discover = {
    supportedVersions: ['2026-07-28'],
    capabilities: {},
    serverInfo: { name: 'm', version: '1' },
  } as unknown as DiscoverResult;
  it('auto without a verdict probes (briefly on stdio); with one it sends none', () => {
    expect(planEra(server(), 'stdio', undefined)).toMatchObject({
      probes: true,
      negotiation: { mode: 'auto', probe: { timeoutMs: 3000 } },
    });
    expect(planEra(server(), 'stdio', { era: 'legacy', protocolVersion: '2025-11-25' })).toMatchObject({
      probes: false,
      fromCache: true,
      prior: { kind: 'legacy' },
    });
    expect(planEra(server(), 'http', { era: 'modern', protocolVersion: '2026-07-28', discover })).toMatchObject({
      probes: false,
      prior: { kind: 'modern', discover },
    });
  });
  it('legacy, a dated 2025 revision and SSE never probe; modern and 2026 pin', () => {
    expect(planEra(server({ protocolVersion: 'legacy' }), 'stdio', undefined)).toMatchObject({ probes: false, prior: { kind: 'legacy' } });
    expect(planEra(server({ protocolVersion: '2025-06-18' }), 'stdio', undefined)).toMatchObject({
      probes: false,
      supportedProtocolVersions: ['2025-06-18'],
    });
    expect(planEra(server(), 'sse', undefined)).toMatchObject({ probes: false, negotiation: { mode: 'legacy' } });
    expect(planEra(server({ protocolVersion: 'modern' }), 'http', undefined)).toMatchObject({
      negotiation: { mode: { pin: '2026-07-28' } },
    });
  });
});

describe('era errors in plain words', () => {
  it('a modern-only server refusing initialize over HTTP (400 + -32022) names both sides and the fix, and never falls back to SSE', () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      error: {
        code: -32022,
        message: 'Unsupported protocol version: 2025-11-25',
        data: { supported: ['2026-07-28'], requested: '2025-11-25' },
      },
    });
    const err = new SdkHttpError(SdkErrorCode.ClientHttpFailedToOpenStream, `Error POSTing to endpoint: ${body}`, {
      status: 400,
      text: body,
    });
    expect(shouldFallBackToSse(err)).toBe(false);
    const text = describeEraError(err, 'http://h/mcp', 'legacy');
    expect(text).toContain('refused MCP protocol version 2025-11-25');
    expect(text).toContain('it speaks 2026-07-28');
    expect(text).toContain('mcpsh speaks 2026-07-28, 2025-11-25');
    expect(text).toContain('"protocolVersion": "auto"');
    expect(text).not.toMatch(/404|endpoint \(/);
    expect(isStaleVerdictError(new UnsupportedProtocolVersionError({ supported: ['2026-07-28'], requested: '2025-11-25' }))).toBe(true);
  });
  it('a plain 404 still falls back to SSE and is not an era error', () => {
    const err = new SdkHttpError(SdkErrorCode.ClientHttpFailedToOpenStream, 'Error POSTing to endpoint (HTTP 404): not found', {
      status: 404,
      text: 'not found',
    });
    expect(shouldFallBackToSse(err)).toBe(true);
    expect(describeEraError(err, 'http://h/mcp', 'auto')).toBeUndefined();
  });
});

describe('the era verdict cache', () => {
  const discover = { supportedVersions: ['2026-07-28'], capabilities: {} } as unknown as DiscoverResult;
  it('keeps a verdict per server config, within its horizon, and a modern one only in the same auth context', () => {
    let now = Date.parse('2026-08-01T00:00:00Z');
    const cache = new EraCache(mkdtempSync(join(tmpdir(), 'mcpsh-era-')), () => now);
    const a = server();
    const b = server({ args: ['other.mjs'] });
    cache.save(a, 'p1', { era: 'legacy', protocolVersion: '2025-11-25' });
    cache.save(b, 'p1', { era: 'modern', protocolVersion: '2026-07-28', discover });
    expect(cache.load(a, 'p1')).toEqual({ era: 'legacy', protocolVersion: '2025-11-25' });
    expect(cache.load(b, 'p1')?.discover).toEqual(discover);
    expect(cache.load(b, 'p2')).toBeUndefined();
    now += 25 * 3600_000;
    expect(cache.load(b, 'p1')).toBeUndefined();
    expect(cache.load(a, 'p1')?.era).toBe('legacy');
    now += 7 * 24 * 3600_000;
    expect(cache.load(a, 'p1')).toBeUndefined();
    cache.drop(a);
    expect(cache.load(a, 'p1')).toBeUndefined();
  });
});
