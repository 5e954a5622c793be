// The MCP layer's hook: traceHeaders copies a request's _meta trace context into HTTP headers, only when on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setMcpTelemetry, traceHeaders, type McpTelemetry } from '../../../src/telemetry/hook.js';

const seen: http.IncomingHttpHeaders[] = [];
const server = http.createServer((req, res) => {
  seen.push(req.headers);
  req.resume();
  req.on('end', () => res.end('{}'));
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  setMcpTelemetry(undefined);
  seen.length = 0;
});

const on: McpTelemetry = { toolCall: (_info, send) => send({}) };
const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const body = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 't', _meta: { progressToken: 1, traceparent: parent, tracestate: 'k=v' } },
});

describe('traceHeaders', () => {
  it('adds traceparent and tracestate from the body when telemetry is on, keeping the other headers', async () => {
    setMcpTelemetry(on);
    await (await traceHeaders(fetch)(url, { method: 'POST', body, headers: { 'x-keep': '1' } })).text();
    expect(seen[0]).toMatchObject({ traceparent: parent, tracestate: 'k=v', 'x-keep': '1' });
  });

  it('changes nothing when telemetry is off or the body has no trace context', async () => {
    await (await traceHeaders(fetch)(url, { method: 'POST', body })).text();
    setMcpTelemetry(on);
    await (await traceHeaders(fetch)(url, { method: 'POST', body: '{"method":"tools/list"}' })).text();
    expect(seen.map((h) => h.traceparent)).toEqual([undefined, undefined]);
  });
});
